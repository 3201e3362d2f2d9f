package lexicon

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

func TestDataFilesParse(t *testing.T) {
	lex, err := Load(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(lex.placeholders) == 0 || len(lex.markers) == 0 || len(lex.agencies) == 0 || len(lex.prefixes) == 0 {
		t.Fatalf("a section is empty: %d placeholders, %d markers, %d agencies, %d prefixes",
			len(lex.placeholders), len(lex.markers), len(lex.agencies), len(lex.prefixes))
	}
	// Every file parses on its own, so that every line of it does and no
	// file leans on a header of another.
	names, err := fs.Glob(dataFS, "data/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, name := range names {
		data, err := dataFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load(fstest.MapFS{name: {Data: data}}); err != nil {
			t.Errorf("%s alone: %v", name, err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if h, ok := strings.CutPrefix(strings.TrimSpace(line), "["); ok && !strings.Contains(h, " ") {
				section, _, _ := strings.Cut(strings.TrimSuffix(h, "]"), ":")
				used[section] = true
			}
		}
	}
	// Every section the code knows has words in some file.
	for section := range specs {
		if !used[section] {
			t.Errorf("no data file has a [%s] section", section)
		}
	}
	// The languages the rules promise: each has the words of its own for
	// the image and heading rules.
	for _, lang := range []string{"en", "fr", "de", "es", "pt"} {
		data, err := dataFS.ReadFile("data/" + lang + ".txt")
		if err != nil {
			t.Errorf("no data file for %s: %v", lang, err)
			continue
		}
		for _, section := range []string{Placeholder, CreditLabel, RedundantStart, Byline, AdLabel, DateWord, Kicker, GenericHeading, SkipGeneric} {
			if !strings.Contains(string(data), "\n["+section+"]") {
				t.Errorf("%s.txt has no [%s] section", lang, section)
			}
		}
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"unknown section", "[placeholders]\nimage\n", `unknown section "placeholders"`},
		{"empty section name", "[]\nimage\n", `unknown section ""`},
		{"no section", "image\n", "before any [section]"},
		{"unknown mode", "[ad-label:middle]\nad\n", `unknown mode "middle"`},
		{"mode the section does not take", "[kicker:start]\nanalysis\n", `does not take mode "start"`},
		{"mode on a section with its own matching", "[placeholder:whole]\nimage\n", "takes no mode"},
		{"two words in a word section", "[date-word]\nmid day\n", "not a single word"},
		{"symbols in a whole-text section", "[kicker]\n***\n", "empty once normalised"},
		{"a colon alone", "[byline]\n:\n", "empty once normalised"},
		{"an agency without words", "[agency]\n&\n", "has no words"},
	} {
		fsys := fstest.MapFS{"data/xx.txt": {Data: []byte("# A test.\n" + tt.text)}}
		_, err := Load(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "data/xx.txt:") {
			t.Errorf("%s: Load(%q) = %v, want an error with the file, its line and %q", tt.name, tt.text, err, tt.want)
		}
	}
	if _, err := Load(fstest.MapFS{}); err == nil {
		t.Error("Load accepted no data files")
	}
	fsys := fstest.MapFS{"data/xx.txt": {Data: []byte("# A new language.\n[placeholder]\nkuva\n[agency]\nLehtikuva\n[kicker]\nanalyysi\n")}}
	lex, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if !lex.IsPlaceholder("Kuva") {
		t.Error("an added language's placeholder is not found")
	}
	if a, ok := lex.Agency("Kuva: Lehtikuva"); !ok || a != "Lehtikuva" {
		t.Errorf("Agency = %q, %v", a, ok)
	}
	if got := lex.List(Kicker).MatchWhole("analyysi"); got != "analyysi" {
		t.Errorf("an added language's kicker: %q", got)
	}
}

// modeFS is a data file with an entry for every mode.
var modeFS = fstest.MapFS{
	"data/a.txt": {Data: []byte(`# Modes.
[ad-label]
Advertisement
Publicité
[ad-label:start]
sponsored by
Photo:
Crédit photo :
©
(c)
[ad-label:end]
paid partner
[byline]
by
written by
[date-word]
März
[rail]
Most Read
[hidden-class]
sr-only
[credit-connector]
für
/
`)},
	"data/b.txt": {Data: []byte("[ad-label]\nADVERTISEMENT\n[date-word]\nmarz\n")},
}

func TestModes(t *testing.T) {
	lex, err := Load(modeFS)
	if err != nil {
		t.Fatal(err)
	}
	ads := lex.List(AdLabel)
	for _, tt := range []struct{ text, want string }{
		// whole
		{"Advertisement", "advertisement"},
		{" ADVERTISEMENT ", "advertisement"},
		{"Publicite", "publicite"}, // accents do not matter
		{"Advertisement feature", ""},
		// start
		{"Sponsored by Acme", "sponsored by"},
		{"Sponsored", ""},
		{"Sponsored byline", ""},
		// start, with a colon after the entry
		{"Photo: Jane Doe", "photo"},
		{"PHOTO : Jane Doe", "photo"},
		{"Crédit photo : AFP", "credit photo"},
		{"Photo essay", ""},
		{"Photo essay: the coast", ""},
		// start, symbols on the raw text
		{"© Reuters", "©"},
		{"  ©2019 Jane Doe", "©"},
		{"(C) Jane Doe", "(c)"},
		{"C-SPAN coverage", ""},
		// end
		{"LendingTree Paid Partner", "paid partner"},
		{"Paid partner", "paid partner"},
		{"Paid partnership", ""},
		{"", ""},
	} {
		if got := ads.Match(tt.text, textmatch.FoldAccents(tt.text)); got != tt.want {
			t.Errorf("ad-label Match(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if got := ads.MatchWhole("sponsored by"); got != "" {
		t.Errorf("MatchWhole found a start entry: %q", got)
	}
	if got := ads.MatchWhole("advertisement"); got != "advertisement" {
		t.Errorf("MatchWhole(advertisement) = %q", got)
	}
	if got := ads.Entries(); len(got) != 8 {
		t.Errorf("entries given twice must count once: %q", got)
	}
	for text, want := range map[string]int{"by jane doe": 1, "written by jane doe": 2, "bypass surgery": 0, "by": 1, "": 0} {
		if got := lex.List(Byline).PrefixWords(text); got != want {
			t.Errorf("PrefixWords(%q) = %d, want %d", text, got, want)
		}
	}
	// word: entries are folded like the text the caller folds.
	dates := lex.List(DateWord)
	if !dates.Has("marz") || dates.Has("märz") || dates.Has("mar") {
		t.Error("date-word: März must be found folded, as marz, and alone")
	}
	if got := dates.Entries(); len(got) != 1 {
		t.Errorf("März and marz are one entry: %q", got)
	}
	// Markup sections compare lower-cased as written.
	if got := lex.List(Rail).MatchWhole("most read"); got != "most read" {
		t.Errorf("rail MatchWhole = %q", got)
	}
	conn := lex.List(CreditConnector)
	if !conn.Has("für") || conn.Has("fur") || !conn.Has("/") {
		t.Error("credit-connector: für and / must be found as written, fur not")
	}
	// part
	hidden := lex.List(HiddenClass)
	for class, want := range map[string]string{"u-sr-only": "sr-only", "sr-only": "sr-only", "sronly": "", "": ""} {
		if got := hidden.PartOf(class); got != want {
			t.Errorf("PartOf(%q) = %q, want %q", class, got, want)
		}
	}
}

func TestListPanicsOnSectionsWithoutOne(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("List(Placeholder) did not panic")
		}
	}()
	Default().List(Placeholder)
}

func TestDefaultLists(t *testing.T) {
	lex := Default()
	match := func(section, text string) string {
		return lex.List(section).Match(text, textmatch.FoldAccents(text))
	}
	for _, tt := range []struct{ section, text, want string }{
		{GenericHeading, "Read more", "read more"},
		{GenericHeading, "Read more about the storm", ""},
		{GenericHeading, "Voir aussi", "voir aussi"},
		{AdLabel, "Publicité", "publicite"},
		{AdLabel, "LendingTree Paid Partner", "paid partner"},
		{AdLabel, "Ad-free journalism", ""},
		{Kicker, "En direct", "en direct"},
		{Byline, "Par Jean Dupont", "par"},
		{CreditLabel, "Photograph: Jane Doe/Getty Images", "photograph"},
		{CreditLabel, "Photographs: Jane Doe", "photographs"},
		{CreditLabel, "Foto: Reuters", "foto"},
		{CreditLabel, "Fotografin: Anna Schmidt", "fotografin"},
		{CreditLabel, "Crédits photo : AFP", "credits photo"},
		{CreditLabel, "Image copyright Getty Images", "image copyright"},
		{CreditLabel, "© Associated Press", "©"},
		{CreditLabel, "(c) 2019 Reuters", "(c)"},
		{CreditLabel, "Photo essay", ""},
		{CreditLabel, "Via Ferrata in the Dolomites", ""},
		{CreditLabel, "Image caption The president", ""},
		{SkipGeneric, "Überspringen", "uberspringen"},
		{SkipGeneric, "Haga clic aquí", "haga clic aqui"},
		{SkipGeneric, "Skip to content", ""},
	} {
		if got := match(tt.section, tt.text); got != tt.want {
			t.Errorf("%s Match(%q) = %q, want %q", tt.section, tt.text, got, tt.want)
		}
	}
	for _, tt := range []struct {
		section, word string
		want          bool
	}{
		{DateWord, "mars", true},
		{DateWord, "fevrier", true},
		{DateWord, "storm", false},
		{SkipContent, "conteudo", true},
		{SkipNavigation, "hauptmenu", true},
		{SkipNavigation, "content", false},
		{AgencyJoiner, "fur", true},
		{CreditConnector, "für", true},
		{Abbreviation, "mme", true},
		{Abbreviation, "sr.", false},
		{AdMarker, "dfp", true},
		{AdMarker, "header", false},
		{CreditClass, "photocredit", true},
		{CreditItemprop, "copyrightholder", true},
		{CaptionItemprop, "caption", true},
		{NotSubheadClass, "standfirst", true},
	} {
		if got := lex.List(tt.section).Has(tt.word); got != tt.want {
			t.Errorf("%s Has(%q) = %v, want %v", tt.section, tt.word, got, tt.want)
		}
	}
	for _, tt := range []struct{ section, s, want string }{
		{CaptionClass, "article__caption-text", "caption"},
		{CaptionClass, "bildunterschrift", "bildunterschrift"},
		{CaptionClass, "article-body", ""},
		{HiddenClass, "visually-hidden", "visually-hidden"},
	} {
		if got := lex.List(tt.section).PartOf(tt.s); got != tt.want {
			t.Errorf("%s PartOf(%q) = %q, want %q", tt.section, tt.s, got, tt.want)
		}
	}
}

// TestOneCreditList checks that the caption markers, the heading credit
// labels and the credit words are three views of one list.
func TestOneCreditList(t *testing.T) {
	lex := Default()
	starts := lex.List(CreditLabel)
	for _, m := range lex.Markers() {
		text := m.Text + " Jane Doe/Reuters"
		if s, _ := m.Find(text, 0); s != 0 {
			t.Errorf("marker %q does not find itself at the start of %q", m.Text, text)
		}
		if m.NeedsAgency {
			continue
		}
		if starts.Match(text, textmatch.FoldAccents(text)) == "" {
			t.Errorf("the heading credit labels miss %q", text)
		}
		body := strings.TrimSpace(strings.TrimSuffix(m.Text, ":"))
		if !strings.Contains(body, " ") && !lex.CreditWords().Has(strings.ToLower(body)) {
			t.Errorf("the credit words miss %q", body)
		}
	}
	words := lex.CreditWords()
	for w, want := range map[string]bool{
		"photo": true, "foto": true, "bild": true, "crédit": true, "crédito": true, "credito": true,
		"courtesy": true, "illustration": true, "©": true, "(c)": true,
		"via": false, "photo credit": false, "caption": false,
	} {
		if got := words.Has(w); got != want {
			t.Errorf("CreditWords().Has(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	lex := Default()
	for _, tt := range []struct {
		alt  string
		want bool
	}{
		{"image", true},
		{" Photo ", true},
		{"Picture 1", true},
		{"photo 12", true},
		{"Bild", true},
		{"Foto", true},
		{"imagen", true},
		{"imagem", true},
		{"immagine", true},
		{"Image à la une", true},
		{"*", true},
		{"-", true},
		{"[object Object]", true},
		{"undefined", true},
		{"featured image", true},
		{"Фото", true},
		{"", false},
		{"A photo editor at work", false},
		{"Picture 1 of the fire", false},
		{"Logan Rock, Cornwall", false},
		{"1", false},
	} {
		if got := lex.IsPlaceholder(tt.alt); got != tt.want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", tt.alt, got, tt.want)
		}
	}
}

func TestRedundantPhrases(t *testing.T) {
	lex := Default()
	starts := []struct{ alt, want string }{
		{"Image of a man on a bike", "image of"},
		{"A photo of the harbour at dawn", "a photo of"},
		{"Photo d'un homme à vélo", "photo d"},
		{"Foto de la plaza", "foto de"},
		{"Ein Bild von Berlin", "ein bild von"},
		{"Image: South Korea descends into crisis", "Image:"},
		{"Imagens da cidade", ""},
		{"Photographers at the summit", ""},
		{"Illustration: the new stadium", ""},
	}
	for _, tt := range starts {
		got, ok := lex.RedundantStart(tt.alt)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("RedundantStart(%q) = %q, %v, want %q", tt.alt, got, ok, tt.want)
		}
	}
	ends := []struct{ alt, want string }{
		{"Kylie Jenner -- When I Was 17 ... (PHOTO)", "PHOTO"},
		{"The harbour at dawn - image", "image"},
		{"Sunset over the bay | Foto", "Foto"},
		{"Cyclists pose for a group photo", ""},
		{"Drake Assaulted in Dubai Nightclub (VIDEO)", ""},
	}
	for _, tt := range ends {
		got, ok := lex.RedundantEnd(tt.alt)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("RedundantEnd(%q) = %q, %v, want %q", tt.alt, got, ok, tt.want)
		}
	}
}

func TestMarkers(t *testing.T) {
	lex := Default()
	find := func(text string) string {
		best, bestEnd := -1, -1
		for _, m := range lex.Markers() {
			if s, e := m.Find(text, 0); s >= 0 && (best < 0 || s < best) {
				best, bestEnd = s, e
			}
		}
		if best < 0 {
			return ""
		}
		return text[best:bestEnd]
	}
	for _, tt := range []struct{ text, want string }{
		{"Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian", "Photograph:"},
		{"Le port (Photo : AFP)", "Photo :"},
		{"Foto: dpa", "Foto:"},
		{"© Reuters", "©"},
		{"AFP via Getty Images", "via"},
		{"A photographer: Jane", ""},
		{"Photographs of the fire", ""},
		{"Crédito: Folhapress", "Crédito:"},
	} {
		if got := find(tt.text); got != tt.want {
			t.Errorf("marker in %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestHiddenPrefix(t *testing.T) {
	lex := Default()
	for _, tt := range []struct{ text, prefix, rest string }{
		{"Image caption, The president said he would continue", "Image caption, ", "The president said he would continue"},
		{"Media caption Mr Obama told the BBC", "Media caption ", "Mr Obama told the BBC"},
		{"Image source, Getty Images", "Image source, ", "Getty Images"},
		{"Pie de foto, La plaza", "Pie de foto, ", "La plaza"},
		{"Подпись к фото, Москва", "Подпись к фото, ", "Москва"},
		{"Captions are hard", "", "Captions are hard"},
		{"The image caption", "", "The image caption"},
	} {
		prefix, rest := lex.HiddenPrefix(tt.text)
		if prefix != tt.prefix || rest != tt.rest {
			t.Errorf("HiddenPrefix(%q) = %q, %q, want %q, %q", tt.text, prefix, rest, tt.prefix, tt.rest)
		}
	}
}

func TestIsSourceLabel(t *testing.T) {
	lex := Default()
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Image source, ", true},
		{"image source", true},
		{"Автор фото,", true},
		{"Fuente de la imagen, ", true},
		{"Bron afbeelding,", true},
		{"Credit", true},
		{"Photograph:", true},
		{"©", true},
		{"Image caption, ", false},
		{"via", false},
		{"Getty Images", false},
		{"Image source, Getty Images", false},
		{"", false},
	} {
		if got := lex.IsSourceLabel(tt.text); got != tt.want {
			t.Errorf("IsSourceLabel(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestAgencies(t *testing.T) {
	lex := Default()
	for _, tt := range []struct{ text, want string }{
		{"NASA/AFP/Getty Images", "AFP"},
		{"Photograph: Getty Images", "Getty Images"},
		{"Photo Prakash Mathema. AFP", "AFP"},
		{"AP Photo/Evan Vucci", "AP Photo"},
		{"Anthony Wallace / AFP - Getty Images", "AFP"},
		{"Estadao Conteudo", "Estadão Conteúdo"},
		{"an ap course", ""},
		{"Rex the dog", ""},
		{"the vessel Polaris", ""},
	} {
		got, ok := lex.Agency(tt.text)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Agency(%q) = %q, %v, want %q", tt.text, got, ok, tt.want)
		}
	}
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Getty Images", true},
		{"AFP via Getty Images", true},
		{"EPA-EFE/Shutterstock", true},
		{"Reuters", true},
		{"AP Photo", true},
		{"Jane Doe/AP", false},
		{"Reuters reporters at work", false},
		{"", false},
	} {
		if got := lex.OnlyAgencies(tt.text); got != tt.want {
			t.Errorf("OnlyAgencies(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
