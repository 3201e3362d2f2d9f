package lexicon

import (
	"strings"
	"testing"
	"testing/fstest"
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
	// The languages the rules promise: each has placeholders and credit
	// labels of its own.
	for _, lang := range []string{"en", "fr", "de", "es", "pt"} {
		data, err := dataFS.ReadFile("data/" + lang + ".txt")
		if err != nil {
			t.Errorf("no data file for %s: %v", lang, err)
			continue
		}
		for _, section := range []string{"[placeholder]", "[credit-label]", "[redundant-start]"} {
			if !strings.Contains(string(data), section) {
				t.Errorf("%s.txt has no %s section", lang, section)
			}
		}
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	for name, text := range map[string]string{
		"unknown section": "[placeholders]\nimage\n",
		"no section":      "image\n",
	} {
		fsys := fstest.MapFS{"data/xx.txt": {Data: []byte(text)}}
		if _, err := Load(fsys); err == nil {
			t.Errorf("%s: Load accepted %q", name, text)
		}
	}
	fsys := fstest.MapFS{"data/xx.txt": {Data: []byte("# A new language.\n[placeholder]\nkuva\n[agency]\nLehtikuva\n")}}
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
