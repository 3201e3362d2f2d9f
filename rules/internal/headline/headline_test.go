package headline_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
)

func parse(t *testing.T, html string) *audit.Page {
	t.Helper()
	p, err := static.Parse(strings.NewReader(html), "http://example.test/")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCandidates(t *testing.T) {
	p := parse(t, `<title>Macron, Putin Meeting on Ukraine Crisis | Voice of America - English</title>
<meta property="og:site_name" content="Voice of America">
<meta property="og:title" content="Macron, Putin Meeting on Ukraine Crisis">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Macron, Putin meeting on Ukraine crisis"}</script>`)
	got := headline.Candidates(p)
	if len(got) != 1 || got[0].Source != "json-ld headline" {
		t.Errorf("Candidates = %+v, want the JSON-LD headline once (the others are the same text)", got)
	}
	p = parse(t, `<title>Quanta Magazine</title><meta property="og:site_name" content="Quanta Magazine">`)
	if got := headline.Candidates(p); len(got) != 0 {
		t.Errorf("a title that is only the site name gave %+v", got)
	}
	p = parse(t, `<title>Storm hits coast – The Daily Example</title>`)
	if got := headline.Candidates(p); len(got) != 1 || got[0].Text != "Storm hits coast" {
		t.Errorf("title without a known site name: %+v", got)
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		name, html, wantTag string
		wantLevel           int
	}{
		{"headline is the h1", `<title>Storm hits coast | Daily</title><header><h1>Daily</h1></header><main><h2>Storm hits coast</h2><p>Text.</p></main>`, "h2", 2},
		{"headline in a styled div", `<meta property="og:title" content="Storm hits the coast overnight"><main><div class="hed">Storm hits the coast overnight</div></main>`, "div", 0},
		{"link inside the heading", `<meta property="og:title" content="Storm hits coast"><h1><a href="/s">Storm hits coast</a></h1>`, "h1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(t, tt.html)
			m, ok := headline.Find(p)
			if !ok {
				t.Fatal("no headline found")
			}
			if got := p.Node(m.Node).Tag; got != tt.wantTag || m.Level != tt.wantLevel {
				t.Errorf("found <%s> level %d, want <%s> level %d", got, m.Level, tt.wantTag, tt.wantLevel)
			}
		})
	}
	if _, ok := headline.Find(parse(t, `<title>Storm hits coast</title><p>Something else entirely</p>`)); ok {
		t.Error("matched an element that does not carry the headline")
	}
}
