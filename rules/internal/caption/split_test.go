package caption_test

import (
	"testing"

	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// TestSplit takes apart captions as news sites write them. The texts are
// those of the sites' published pages (the Guardian, BBC, AP, Reuters,
// Libération, Folha, the Seattle Times, NBC, the New York Times, Le Monde,
// Der Spiegel, El País).
func TestSplit(t *testing.T) {
	tests := []struct {
		site, text           string
		prefix, body, credit string
	}{
		{"guardian", "A pod of pilot whales stranded on Farewell Spit. Photograph: NASA/AFP/Getty Images",
			"", "A pod of pilot whales stranded on Farewell Spit.", "Photograph: NASA/AFP/Getty Images"},
		{"guardian illustration", "Illustration: Anaïs Mims/Getty / Guardian Design",
			"", "", "Illustration: Anaïs Mims/Getty / Guardian Design"},
		{"guardian for", "Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian",
			"", "Whale expert Hori Parata.", "Photograph: Adrian Malloch for the Guardian"},
		{"bbc caption", "Image caption, The president said he would continue fighting for greater gun control laws",
			"Image caption, ", "The president said he would continue fighting for greater gun control laws", ""},
		{"bbc source", "Image source, Getty Images", "Image source, ", "", "Getty Images"},
		{"bbc legacy", "Media caption Mr Obama told the BBC that gun control was his biggest frustration",
			"Media caption ", "Mr Obama told the BBC that gun control was his biggest frustration", ""},
		{"bbc mundo", "Pie de foto, Manifestantes en Caracas", "Pie de foto, ", "Manifestantes en Caracas", ""},
		{"ap", "President Joe Biden speaks in the Roosevelt Room of the White House, Friday, in Washington. (AP Photo/Evan Vucci)",
			"", "President Joe Biden speaks in the Roosevelt Room of the White House, Friday, in Washington.", "(AP Photo/Evan Vucci)"},
		{"ap short", "Workers remove a hammer and sickle from a neon sign in Czechoslovakia in 1989. (AP)",
			"", "Workers remove a hammer and sickle from a neon sign in Czechoslovakia in 1989.", "(AP)"},
		{"reuters", "Protesters march during a May Day rally in Paris, France, May 1, 2019. REUTERS/Benoit Tessier",
			"", "Protesters march during a May Day rally in Paris, France, May 1, 2019.", "REUTERS/Benoit Tessier"},
		{"libération", "Un Népalais prie à Katmandou, le 30 avril 2015. (Photo Prakash Mathema. AFP)",
			"", "Un Népalais prie à Katmandou, le 30 avril 2015.", "(Photo Prakash Mathema. AFP)"},
		{"libération dr", "«Vape Wave», «6 Days» et «Braguino». Photo : DR",
			"", "«Vape Wave», «6 Days» et «Braguino».", "Photo : DR"},
		{"folha", "Luiz Inácio Lula da Silva (ao centro) recebe de Tite réplica da taça da Libertadores - Heinrich Aikawa/Instituto Lula",
			"", "Luiz Inácio Lula da Silva (ao centro) recebe de Tite réplica da taça da Libertadores", "Heinrich Aikawa/Instituto Lula"},
		{"folha foto", "O presidente Jair Bolsonaro durante cerimônia em Brasília. Foto: Pedro Ladeira/Folhapress",
			"", "O presidente Jair Bolsonaro durante cerimônia em Brasília.", "Foto: Pedro Ladeira/Folhapress"},
		{"seattle times", "Amazon-owned Whole Foods touted a price cut on halibut. (Ellen M. Banner / The Seattle Times)",
			"", "Amazon-owned Whole Foods touted a price cut on halibut.", "(Ellen M. Banner / The Seattle Times)"},
		{"nbc", "Protesters scuffling with police officers in Seoul on Friday. Anthony Wallace / AFP - Getty Images",
			"", "Protesters scuffling with police officers in Seoul on Friday.", "Anthony Wallace / AFP - Getty Images"},
		{"via", "Firefighters at the scene on Sunday. Jane Doe/AFP via Getty Images",
			"", "Firefighters at the scene on Sunday.", "Jane Doe/AFP via Getty Images"},
		{"engadget", "Devindra Hardawar/AOL", "", "", "Devindra Hardawar/AOL"},
		{"spiegel", "Olaf Scholz im Bundestag Foto: Kay Nietfeld / dpa",
			"", "Olaf Scholz im Bundestag", "Foto: Kay Nietfeld / dpa"},
		{"el país", "Manifestantes en la Puerta del Sol, en Madrid. Foto: EFE", "", "Manifestantes en la Puerta del Sol, en Madrid.", "Foto: EFE"},
		{"copyright", "The old harbour at dawn © Jane Doe", "", "The old harbour at dawn", "© Jane Doe"},
		// Not credits: a sentence after a label, a slash in a date, a
		// lower-case "source:", brackets that say something else.
		{"headline after image:", "Image: South Korea Descends Into Crisis After Lawmakers Overturn President's Declaration Of Martial Law",
			"", "Image: South Korea Descends Into Crisis After Lawmakers Overturn President's Declaration Of Martial Law", ""},
		{"date", "Open 24/7 since the flood. More in 2019", "", "Open 24/7 since the flood. More in 2019", ""},
		{"lower-case label", "The main source: water from the hills", "", "The main source: water from the hills", ""},
		{"brackets", "Drake Assaulted in Dubai Nightclub (VIDEO)", "", "Drake Assaulted in Dubai Nightclub (VIDEO)", ""},
		{"via a place", "Trains run via Heathrow to the city", "", "Trains run via Heathrow to the city", ""},
		{"url", "Read more at www.example.com/news/Local", "", "Read more at www.example.com/news/Local", ""},
		{"empty", "", "", "", ""},
	}
	for _, tt := range tests {
		got := caption.Split(tt.text)
		if got.Prefix != tt.prefix || got.Body != tt.body || got.Credit != tt.credit {
			t.Errorf("%s: Split(%q)\n got prefix %q body %q credit %q\nwant prefix %q body %q credit %q",
				tt.site, tt.text, got.Prefix, got.Body, got.Credit, tt.prefix, tt.body, tt.credit)
		}
	}
}

func TestIsCredit(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Getty Images", true},
		{"Reuters", true},
		{"AFP via Getty Images", true},
		{"Photo: Jane Doe/AP", true},
		{"© Reuters", true},
		{"Illustration: Anais Mims/Guardian Design", true},
		{"(AP Photo/Evan Vucci)", true},
		{"Image source, Getty Images", true},
		{"Foto: dpa", true},
		{"Crédit photo : AFP", true},
		{"Jane Doe/AP", true},
		{"Photograph: Adrian Malloch for the Guardian", true},
		{"Picture: PA", true},
		{"Source: Office for National Statistics", true},
		{"Logan Rock, Cornwall", false},
		{"Illustration: the new stadium at night", false},
		{"Image: Protesters rally in Seoul", false},
		{"A Reuters photographer at work in Kyiv", false},
		{"Image: South Korea Descends Into Crisis After Lawmakers Overturn President's Declaration Of Martial Law", false},
		{"Apple/Google antitrust case", false},
		{"", false},
	} {
		if got := caption.IsCredit(tt.text); got != tt.want {
			t.Errorf("IsCredit(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name, alt, other string
		kind             string
	}{
		{"guardian exact", "Logan Rock, Cornwall", "Logan Rock, Cornwall", caption.Exact},
		{"punctuation and case", "Keir Starmer at PMQs.", "keir starmer at PMQs", caption.Exact},
		{"accents", "Un Nepalais prie a Katmandou, le 30 avril 2015", "Un Népalais prie à Katmandou, le 30 avril 2015.", caption.Exact},
		{"nbsp and quotes", "«Vape Wave»,\u00a0«6 Days»", "\"Vape Wave\", \"6 Days\"", caption.Exact},
		{"alt carries the credit", "Whole Foods touted a price cut on halibut. (Ellen M. Banner / The Seattle Times)",
			"Whole Foods touted a price cut on halibut.", caption.Exact},
		{"photo of", "Photo of Logan Rock, Cornwall", "Logan Rock, Cornwall", caption.Exact},
		{"folha prefix", "Luiz Inácio Lula da Silva (ao centro) recebe de Tite",
			"Luiz Inácio Lula da Silva (ao centro) recebe de Tite réplica da taça", caption.Prefix},
		{"tmz contains", "Drake Assaulted in Dubai Nightclub (VIDEO)", "Drake Assaulted in Dubai Nightclub", caption.Contains},
		{"guardian headshot", "Headshot of Justin Lin, Global X Investment Strategist", "Justin Lin, Global X investment strategist", caption.Contains},
		{"sign up", "Sign up to Moving the Goalposts", "Sign up for Moving the Goalposts.", caption.TokenOverlap},
		{"typo", "Putin and Macron meet", "Putin and Macron met", caption.EditDistance},
		{"descriptive alt", "Two men seated at either end of a long white table", "Leaders meet in Moscow on Feb. 7, 2022.", ""},
		{"short part", "Leaders meet in Moscow", "Leaders meet in Moscow on Feb. 7, 2022, for talks on Ukraine and NATO.", ""},
		{"empty alt", "", "Leaders meet", ""},
	}
	for _, tt := range tests {
		m := caption.Compare(tt.alt, tt.other)
		if m.Kind != tt.kind {
			t.Errorf("%s: Compare(%q, %q) = %q (score %.2f, alt %q, other %q), want %q",
				tt.name, tt.alt, tt.other, m.Kind, m.Score, m.Alt, m.Other, tt.kind)
		}
		if m.Found() && (m.Score <= 0 || m.Score > 1) {
			t.Errorf("%s: score %.2f out of range", tt.name, m.Score)
		}
	}
	if m := caption.Compare("Logan Rock", "Logan Rock"); m.Describe("caption") == "" || m.Near() {
		t.Errorf("exact match: Near %v, Describe %q", m.Near(), m.Describe("caption"))
	}
	m := caption.Compare("Luiz Inácio Lula da Silva (ao centro) recebe de Tite", "Luiz Inácio Lula da Silva (ao centro) recebe de Tite réplica da taça")
	if got, want := m.Describe("caption"), "the alt text is the first 76% of the caption"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}
