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

func TestTitleCandidate(t *testing.T) {
	tests := []struct {
		name, title, site, want string
	}{
		{"site last", "Storm hits coast | Daily Example", "Daily Example", "Storm hits coast"},
		{"site first with a colon", "Daily Example: Storm hits coast", "Daily Example", "Storm hits coast"},
		{"only the site", "Quanta Magazine", "Quanta Magazine", ""},
		// Without a known site name the headline is the longest part, not
		// the first: "Opinion | …" and "… - Author - Section".
		{"section first", "Opinion | Why the storm surprised forecasters", "", "Why the storm surprised forecasters"},
		{"author and section", "Whales strand on the coast - Eleanor Roy - Environment", "", "Whales strand on the coast"},
		// Chinese titles separate the site and the channel with underscores.
		{"underscores", "海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网", "", "海外留学生看两会：出国前后关注点大不同"},
		// A colon is part of headlines, and French puts a space before it.
		{"colon kept", "Screenshot : «Vape Wave», «6 Days» - Culture / Next", "", "Screenshot : «Vape Wave», «6 Days»"},
		{"review colon", "Xbox One X review: A console that keeps up", "", "Xbox One X review: A console that keeps up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := "<title>" + tt.title + "</title>"
			if tt.site != "" {
				html += `<meta property="og:site_name" content="` + tt.site + `">`
			}
			if got := headline.TitleCandidate(parse(t, html)); got.Text != tt.want {
				t.Errorf("TitleCandidate(%q) = %q, want %q", tt.title, got.Text, tt.want)
			}
		})
	}
}

func TestOGTitleIsKeptWhole(t *testing.T) {
	// og:title rarely holds the site's name; splitting it at " : " or " - "
	// would cut the headline.
	p := parse(t, `<meta property="og:title" content="Screenshot : «Vape Wave» - les séries de la semaine"><meta property="og:site_name" content="Libération">`)
	if got := headline.OGTitleCandidate(p); got.Text != "Screenshot : «Vape Wave» - les séries de la semaine" {
		t.Errorf("og:title = %q", got.Text)
	}
	p = parse(t, `<meta property="og:title" content="Storm hits coast | Daily Example"><meta property="og:site_name" content="Daily Example">`)
	if got := headline.OGTitleCandidate(p); got.Text != "Storm hits coast" {
		t.Errorf("og:title with the site name = %q", got.Text)
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
		// A span that matches better than its heading, which also holds a
		// kicker, still carries the heading's level.
		{"span inside a heading with a kicker", `<meta property="og:title" content="Storm hits the coast overnight"><main><h1><span class="kicker">Live updates from the storm desk</span> <span>Storm hits the coast overnight</span></h1></main>`, "span", 1},
		// A teaser of the same story in a side rail loses to the story's own
		// element, even when the teaser is a heading.
		{"teaser in an aside", `<meta property="og:title" content="Storm hits the coast overnight"><aside><h3><a href="/s">Storm hits the coast overnight</a></h3></aside><main><div class="hed">Storm hits the coast overnight</div></main>`, "div", 0},
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
			if (m.Level > 0) != (m.Heading != audit.NoNode) {
				t.Errorf("Level %d with Heading %d", m.Level, m.Heading)
			}
		})
	}
	if _, ok := headline.Find(parse(t, `<title>Storm hits coast</title><p>Something else entirely</p>`)); ok {
		t.Error("matched an element that does not carry the headline")
	}
}

func TestFindUnrendered(t *testing.T) {
	p := parse(t, `<meta property="og:title" content="Storm hits the coast overnight"><body><main><h1 hidden>Storm hits the coast overnight</h1><p>Text.</p></main></body>`)
	if _, ok := headline.Find(p); ok {
		t.Fatal("Find matched a hidden element")
	}
	m, ok := headline.FindUnrendered(p)
	if !ok || p.Node(m.Node).Tag != "h1" {
		t.Errorf("FindUnrendered = %+v, %v; want the hidden h1", m, ok)
	}
}
