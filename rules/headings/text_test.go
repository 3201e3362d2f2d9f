package headings

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

func TestTextKind(t *testing.T) {
	tests := []struct{ text, want string }{
		{"By Joshua Sokol", kindByline},
		{"BY TMZ STAFF", kindByline},
		{"2/26/2015 7:11 AM PST BY TMZ STAFF", kindByline},
		{"Written by Jane Doe and John Roe", kindByline},
		{"Par Jean Dupont", kindByline},
		{"Von Anna Schmidt", kindByline},
		{"Por Ana Souza", kindByline},
		{"Door Piet de Vries", kindByline},
		{"By the numbers", ""},
		{"Von der Leyen visits Kyiv", ""},
		{"Por qué el muro no aguantó", ""},
		{"Bypass surgery explained", ""},
		{"April 28, 2019 at 6:01 am", kindDate},
		{"Updated April 29, 2019 at 3:33 pm", kindDate},
		{"3 hours ago", kindDate},
		{"Mis à jour le 3 mars 2022 à 14h05", kindDate},
		{"28. April 2019, 18:30 Uhr", kindDate},
		{"hace 2 horas", kindDate},
		{"21/12/2018", kindDate},
		{"Tuesday", ""}, // a weekday alone may head a day's section
		{"1953: the last great flood", ""},
		{"Photograph: Jane Doe/Getty Images", kindCredit},
		{"Foto: Reuters", kindCredit},
		{"Crédit photo : AFP", kindCredit},
		{"© Associated Press", kindCredit},
		{"Photo essay: a year on the coast", ""},
		{"Fotograf: Max Muster", kindCredit}, // a label the captions knew first
		{"(c) 2019 Reuters", kindCredit},
		{"Via Ferrata in the Dolomites", ""}, // "via" is a credit label only before an agency
		{"Advertisement", kindAdLabel},
		{"ADVERTISEMENT", kindAdLabel},
		{"Publicité", kindAdLabel},
		{"Anzeige", kindAdLabel},
		{"Publicidade", kindAdLabel},
		{"Presented by Zergnet", kindAdLabel},
		{"LendingTree Paid Partner", kindAdLabel},
		{"Sponsored Stories", ""}, // the heading of a rail of sponsored links
		{"Ad-free journalism", ""},
	}
	for _, tt := range tests {
		if got := textKind(tt.text); got != tt.want {
			t.Errorf("textKind(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Storm hits the coast", 1},
		{"Key market news. In your inbox. Every morning.", 3},
		{"The U.S. has long been a land of opportunity.", 1},
		{"Mr. Smith goes to Washington. He stays.", 2},
		{"Dec. 1, 2016: the launch failed", 1},
		{"Stay inside. Keep away from the sea.", 2},
		{"«Plus les heures passent, moins on est utiles». Népal", 2},
		{"出国前后关注点大不同。很多人关心供给侧改革", 2},
		{"", 0},
	}
	for _, tt := range tests {
		if got := sentences(tt.text); got != tt.want {
			t.Errorf("sentences(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestWordsAndCaps(t *testing.T) {
	if got := words("Storm hits the coast"); got != 4 {
		t.Errorf("words = %d", got)
	}
	if got := words("海外留学生看两会"); got != 4 {
		t.Errorf("CJK words = %d, want one per two characters", got)
	}
	for text, want := range map[string]bool{"THE VIEW FROM KYIV": true, "The view": false, "NYC": false, "ÉTÉ 2022 À PARIS": true} {
		if got := allCaps(text); got != want {
			t.Errorf("allCaps(%q) = %v", text, got)
		}
	}
}

func TestIdentifierWords(t *testing.T) {
	got := strings.Join(identifierWords("google_ads_iframe_/1/x mostReadList most-read"), " ")
	if got != "google ads iframe 1 x most read list most read" {
		t.Errorf("identifierWords = %q", got)
	}
	for s, want := range map[string]bool{"ad-slot": true, "header": false, "dfp-ad-unit": true, "load-more": false, "3rd party ad content": true, "shadow": false} {
		if got := hasAdMarker(s); got != want {
			t.Errorf("hasAdMarker(%q) = %v", s, got)
		}
	}
}

func TestFramePlaces(t *testing.T) {
	p, err := static.Parse(strings.NewReader(`<main>
<iframe id="same" src="/embed/tides"></iframe>
<iframe id="sub" src="https://video.news.example/player"></iframe>
<iframe id="other" src="https://player.video.example/embed/1"></iframe>
<iframe id="blank" src="about:blank"></iframe>
<div class="ad-slot"><div><iframe id="slot"></iframe></div></div>
<iframe id="titled" title="3rd party ad content" src="https://ads.example/x"></iframe>
</main>`), "https://www.news.example/story")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id         string
		thirdParty bool
		host       string
		ad         bool
	}{
		{"same", false, "", false},
		{"sub", false, "", false}, // another host of the same site
		{"other", true, "player.video.example", false},
		{"blank", false, "", false},
		{"slot", false, "", true},
		{"titled", true, "ads.example", true},
	}
	for _, tt := range tests {
		id := p.ElementByID(0, tt.id)
		if id == audit.NoNode {
			t.Fatalf("no #%s", tt.id)
		}
		host, third := thirdPartyHost(p, id)
		if third != tt.thirdParty || host != tt.host || isAdFrame(p, id) != tt.ad {
			t.Errorf("#%s: third party %v (%q), ad %v; want %v (%q), %v", tt.id, third, host, isAdFrame(p, id), tt.thirdParty, tt.host, tt.ad)
		}
	}
}

func TestPlaceString(t *testing.T) {
	tests := []struct {
		pl   place
		want string
	}{
		{place{landmark: "main", frame: audit.NoNode}, "in main"},
		{place{frame: audit.NoNode}, "outside any landmark"},
		{place{landmark: "complementary", frame: 3}, "in an iframe in complementary"},
		{place{landmark: "main", frame: 3, ad: true}, "in an ad iframe in main"},
		{place{frame: 3, thirdParty: true, host: "video.example"}, "in a third-party iframe (video.example) outside any landmark"},
	}
	for _, tt := range tests {
		if got := tt.pl.where(); got != tt.want {
			t.Errorf("where() = %q, want %q", got, tt.want)
		}
	}
}
