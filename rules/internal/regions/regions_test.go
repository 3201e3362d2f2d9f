package regions_test

import (
	"os"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules/internal/regions"
)

// checkWants checks the region of every element that names one in a
// data-want attribute, and that there are some.
func checkWants(t *testing.T, p *audit.Page) {
	t.Helper()
	n := 0
	for id := range p.Elements() {
		want, ok := p.Node(id).Attr("data-want")
		if !ok {
			continue
		}
		n++
		if got := regions.Of(p, id); got != want {
			t.Errorf("%s: %s, want %s", audit.Selector(p, id), got, want)
		}
	}
	if n == 0 {
		t.Fatal("no element has a data-want attribute")
	}
}

// TestStoryFixtures replays what Chromium recorded of pages whose story
// the landmarks alone get wrong, and parses them without a browser.
func TestStoryFixtures(t *testing.T) {
	// The pages are saved from two sites, which they name: one by its
	// canonical link, one by its og:url.
	site := map[string]string{"pages/story/no-main.html": "daily.example", "pages/story/main-wraps-header.html": "coast.example"}
	for rel, wantSite := range site {
		f := audittest.Page(t, rel)
		t.Run(f.Name+"/recorded", func(t *testing.T) {
			p := audittest.Replay(t, f)
			if b := regions.FindStory(p); b.Anchor != regions.AnchorHeadline {
				t.Errorf("anchor %s, want %s", b.Anchor, regions.AnchorHeadline)
			}
			if got := audit.SiteKey("saved/"+f.Name, p); got != wantSite {
				t.Errorf("site %q, want %q", got, wantSite)
			}
			checkWants(t, p)
		})
		t.Run(f.Name+"/static", func(t *testing.T) {
			src, err := os.Open(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			p, err := static.Parse(src, "http://example.test/"+rel)
			if err != nil {
				t.Fatal(err)
			}
			checkWants(t, p)
		})
	}
}

func parse(t *testing.T, html string) *audit.Page {
	t.Helper()
	p, err := static.Parse(strings.NewReader(html), "http://example.test/")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const body = `<p>The first paragraph of the story runs well past the forty characters a paragraph needs.</p>
<p>The second paragraph of the story adds the rest of the text the body needs to be found.</p>`

func TestOf(t *testing.T) {
	tests := []struct {
		name, html string
		want       string
	}{
		{"headline in main", `<main><h1>Bridge opens</h1><p id="x">` + strings.Repeat("Text ", 20) + `</p>` + body + `</main>`, "story"},
		{"nav inside the story", `<article><h1>Bridge opens</h1><nav><a id="x" href="/">Home</a></nav>` + body + `</article>`, "template"},
		{"aside inside an article", `<article><h1>Bridge opens</h1>` + body + `<aside><p id="x">Rail</p></aside></article>`, "template"},
		{"search inside main", `<main><form role="search"><input id="x"></form><h1>Bridge opens</h1>` + body + `</main>`, "template"},
		{"an article's own header", `<article><header><p id="x">By A. Writer</p><h1>Bridge opens</h1></header>` + body + `</article>`, "story"},
		{"an article's own footer", `<article><h1>Bridge opens</h1>` + body + `<footer><p id="x">Filed under roads</p></footer></article>`, "story"},
		{"a header that holds the headline", `<header><nav><a href="/">Home</a></nav><h1 id="x">Bridge opens</h1></header><div>` + body + `</div>`, "story"},
		{"the masthead next to that header's headline", `<header><nav><a id="x" href="/">Home</a></nav><h1>Bridge opens</h1></header><div>` + body + `</div>`, "template"},
		{"a teaser after the body", `<div><h1>Bridge opens</h1><div>` + body + `</div><div><a id="x" href="/b">Other story</a></div></div>`, "template"},
		{"a lead photo before the headline", `<div><div><a href="/x">Section</a></div><figure id="x"><img src="p.jpg" alt="A bridge"></figure><h1>Bridge opens</h1><div>` + body + `</div></div>`, "story"},
		{"an ad slot before the headline", `<div><div id="x"><iframe src="/ad"></iframe></div><h1>Bridge opens</h1><div>` + body + `</div></div>`, "template"},
		{"an iframe in the story", `<article><h1>Bridge opens</h1>` + body + `<iframe id="x" src="/embed"></iframe></article>`, "story"},
		{"outside a main that holds the story", `<main><h1>Bridge opens</h1>` + body + `</main><div><p id="x">Ad</p></div>`, "template"},
		{"no body: the article that holds the headline", `<main><div><p id="x">Other</p></div><article><h1>Bridge opens</h1><video src="v.mp4"></video></article></main>`, "template"},
		{"no body: inside the article that holds the headline", `<main><div><p>Other</p></div><article><h1>Bridge opens</h1><p id="x">A short caption.</p></article></main>`, "story"},
		// Without the headline the markup decides.
		{"no headline: in main", `<main><p id="x">Text</p></main>`, "story"},
		{"no headline: outside main", `<main><p>Story</p></main><div><p id="x">Ad</p></div>`, "template"},
		{"no headline: articleBody", `<main></main><div itemprop="articleBody"><p id="x">Text</p></div>`, "story"},
		{"no headline: nav inside main", `<main><nav><a id="x" href="/">Home</a></nav></main>`, "template"},
		{"no headline, no main: plain content", `<div><p id="x">Text</p></div>`, "story"},
		{"no headline, no main: the footer", `<div><p>Text</p></div><footer><p id="x">©</p></footer>`, "template"},
		{"the html element", `<div><p>Text</p></div>`, "page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := `<html><head><title>Bridge opens | The Paper</title><meta property="og:site_name" content="The Paper"></head><body>` + tt.html + `</body></html>`
			p := parse(t, html)
			id := p.ElementByID(0, "x")
			if tt.want == "page" {
				id = p.DocumentElement()
			}
			if id == audit.NoNode {
				t.Fatal("no element x")
			}
			if got := regions.Of(p, id); got != tt.want {
				t.Errorf("Of = %s, want %s (story %+v)", got, tt.want, regions.FindStory(p))
			}
			if got := regions.InStory(p, id); got != (tt.want == "story") {
				t.Errorf("InStory = %v", got)
			}
		})
	}
}

func TestMarksStory(t *testing.T) {
	for html, want := range map[string]bool{
		`<main><p>Text</p></main>`:              true,
		`<div role="article"><p>Text</p></div>`: true,
		`<div><p>Text</p></div>`:                false,
	} {
		if got := regions.MarksStory(parse(t, html)); got != want {
			t.Errorf("%s: MarksStory = %v, want %v", html, got, want)
		}
	}
}

// TestFindStoryIsMemoised checks that a page's story is worked out once:
// the same bounds come back, and a second page gets its own.
func TestFindStoryIsMemoised(t *testing.T) {
	p := parse(t, `<html><head><title>Bridge opens | The Paper</title></head><body><div><h1>Bridge opens</h1><div>`+body+`</div></div></body></html>`)
	a := regions.FindStory(p)
	if a.Anchor != regions.AnchorHeadline || a.Body == audit.NoNode {
		t.Fatalf("story not found: %+v", a)
	}
	if b := regions.FindStory(p); b != a {
		t.Errorf("second call: %+v, first %+v", b, a)
	}
	q := parse(t, `<div><p>Text</p></div>`)
	if b := regions.FindStory(q); b.Anchor != regions.AnchorNone {
		t.Errorf("page without a story: %+v", b)
	}
}
