package audit_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

func parse(t *testing.T, html string) *audit.Page {
	t.Helper()
	p, err := static.Parse(strings.NewReader(html), "http://example.test/story")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// find returns the first element with the attribute data-t equal to key.
func find(t *testing.T, p *audit.Page, key string) audit.NodeID {
	t.Helper()
	for id := range p.Elements() {
		if v, _ := p.Node(id).Attr("data-t"); v == key {
			return id
		}
	}
	t.Fatalf("no element with data-t=%q", key)
	return audit.NoNode
}

func TestSelector(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"unique id", `<img data-t="x" id="hero">`, "#hero"},
		{"duplicate id falls back to a path", `<p id="a"></p><p id="a" data-t="x"></p>`, "html > body > p:nth-of-type(2)"},
		{"path from an ancestor id", `<main id="content"><figure><img data-t="x"></figure></main>`, "#content > figure > img"},
		{"nth-of-type among same tags", `<div><p></p><span></span><p data-t="x"></p></div>`, "html > body > div > p:nth-of-type(2)"},
		{"id that needs quoting", `<img data-t="x" id="1st photo">`, `[id="1st photo"]`},
		{"id with a quote", `<img data-t="x" id='say "hi"'>`, `[id="say \"hi\""]`},
		{"body itself", `<body data-t="x">`, "html > body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(t, tt.html)
			if got := audit.Selector(p, find(t, p, "x")); got != tt.want {
				t.Errorf("Selector = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSelectorLargeFamily checks the counted positions used past
// scanSiblings children against the positions a scan gives: every child
// of a long mixed list, of each tag, gets its own place.
func TestSelectorLargeFamily(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<div id="list">`)
	for i := range 300 {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, `<p data-t="p%d"></p>`, i/3+1)
		case 1:
			fmt.Fprintf(&b, `<span data-t="s%d"></span>text`, i/3+1)
		default:
			b.WriteString(`<!-- c --><em></em>`)
		}
	}
	b.WriteString(`<h2 data-t="only"></h2></div>`)
	p := parse(t, b.String())
	for _, c := range []struct{ key, want string }{
		{"p1", "#list > p:nth-of-type(1)"},
		{"p57", "#list > p:nth-of-type(57)"},
		{"p100", "#list > p:nth-of-type(100)"},
		{"s1", "#list > span:nth-of-type(1)"},
		{"s100", "#list > span:nth-of-type(100)"},
		{"only", "#list > h2"},
	} {
		// Twice: the first call counts the family, the second reads it.
		for range 2 {
			if got := audit.Selector(p, find(t, p, c.key)); got != c.want {
				t.Errorf("Selector(%s) = %q, want %q", c.key, got, c.want)
			}
		}
	}
}

// BenchmarkSelectorLongList takes the selector of every item of a list of
// 20,000: linear in the list's length with the counted positions, where a
// scan per item was quadratic.
func BenchmarkSelectorLongList(b *testing.B) {
	var src strings.Builder
	src.WriteString("<ul>")
	for range 20000 {
		src.WriteString("<li><a>story</a></li>")
	}
	src.WriteString("</ul>")
	p, err := static.Parse(strings.NewReader(src.String()), "http://example.test/story")
	if err != nil {
		b.Fatal(err)
	}
	var links []audit.NodeID
	for id := range p.Elements() {
		if p.Node(id).Tag == "a" {
			links = append(links, id)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		q := &audit.Page{Nodes: p.Nodes} // a fresh page: count again
		for _, id := range links {
			audit.Selector(q, id)
		}
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"opening tag only", `<a data-t="x" href="/a">text</a>`, `<a data-t="x" href="/a">`},
		{"white space collapsed", "<img data-t=\"x\" alt=\"two\n   lines\">", `<img data-t="x" alt="two lines">`},
		{"white space only, kept", `<img data-t="x" alt=" ">`, `<img data-t="x" alt=" ">`},
		{"white space only, as references", "<img data-t=\"x\" alt=\"\t\u00a0\">", `<img data-t="x" alt="&#x9;&#xA0;">`},
		{"empty stays empty", `<img data-t="x" alt="">`, `<img data-t="x" alt="">`},
		{"ends kept as one space", "<img data-t=\"x\" alt=\"  Photo of\n the quay \">", `<img data-t="x" alt=" Photo of the quay ">`},
		{"quotes escaped", `<img data-t="x" alt='say "hi"'>`, `<img data-t="x" alt="say &quot;hi&quot;">`},
		{"data URI shortened", `<img data-t="x" src="data:image/png;base64,` + strings.Repeat("A", 500) + `">`, `<img data-t="x" src="data:image/png;base64,AAAAAAA…">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(t, tt.html)
			if got := audit.Snippet(p, find(t, p, "x")); got != tt.want {
				t.Errorf("Snippet = %q, want %q", got, tt.want)
			}
		})
	}
	p := parse(t, `<img data-t="x" alt="`+strings.Repeat("long ", 200)+`" title="`+strings.Repeat("t", 300)+`">`)
	got := audit.Snippet(p, find(t, p, "x"))
	if n := len([]rune(got)); n != audit.SnippetLimit || !strings.HasSuffix(got, "…") {
		t.Errorf("long snippet has %d characters, ends %q; want %d ending with …", n, got[len(got)-5:], audit.SnippetLimit)
	}
}

func TestVisibleTextSkipsHiddenAndScripts(t *testing.T) {
	p := parse(t, `<div data-t="x">Shown <span hidden>hidden</span><script>var s;</script><span style="display: none">gone</span> <b>bold</b>&nbsp;end</div>`)
	id := find(t, p, "x")
	if got, want := p.VisibleText(id), "Shown bold end"; got != want {
		t.Errorf("VisibleText = %q, want %q", got, want)
	}
	if got, want := p.TextContent(id), "Shown hiddengone bold end"; got != want {
		t.Errorf("TextContent = %q, want %q", got, want)
	}
}

func TestDescendantsAndContains(t *testing.T) {
	p := parse(t, `<ul data-t="list"><li data-t="a">a</li><li data-t="b"><b data-t="bb">b</b></li></ul><p data-t="after">x</p>`)
	list, bb, after := find(t, p, "list"), find(t, p, "bb"), find(t, p, "after")
	var tags []string
	for d := range p.Descendants(list) {
		if n := p.Node(d); n.IsElement() {
			tags = append(tags, n.Tag)
		}
	}
	if got := strings.Join(tags, ","); got != "li,li,b" {
		t.Errorf("descendants of ul = %s, want li,li,b", got)
	}
	if !p.Contains(list, bb) || p.Contains(list, after) {
		t.Errorf("Contains is wrong: ul contains b %v, p %v", p.Contains(list, bb), p.Contains(list, after))
	}
}

func TestElementKeyAndFingerprint(t *testing.T) {
	p := parse(t, `<main id="content"><img data-t="a" src="https://cdn.example/2022/photo-1024x683.JPG?w=600"><img data-t="b" data-src="/lazy/photo_640x480.jpg" src="data:image/gif;base64,R0l">
<h2 data-t="h">  What   was said </h2><a data-t="l" href="#content">Skip</a><p data-t="p">Some paragraph text</p><div data-t="d" id="box"></div></main>`)
	tests := map[string]string{
		"a": "img:photo.jpg", "b": "img:photo.jpg", "h": "heading:what was said",
		"l": "link:#content skip", "p": "p:some paragraph text", "d": "div#box",
	}
	for key, want := range tests {
		if got := audit.ElementKey(p, find(t, p, key)); got != want {
			t.Errorf("ElementKey(%s) = %q, want %q", key, got, want)
		}
	}
	if got := audit.ElementKey(p, p.DocumentElement()); got != "page" {
		t.Errorf("html key = %q", got)
	}
	if audit.PagePath("https://www.example.test/world/story?x=1") != "/world/story" || audit.PagePath("https://staging.example.test/world/story") != "/world/story" {
		t.Error("PagePath should keep only the path, so production and staging agree")
	}
	a, b := audit.Fingerprint("r", "/p", "img:x.jpg", 0), audit.Fingerprint("r", "/p", "img:x.jpg", 1)
	if a == b || len(a) != 20 || a != audit.Fingerprint("r", "/p", "img:x.jpg", 0) {
		t.Errorf("fingerprints %q %q: want stable, distinct per occurrence, 20 hex digits", a, b)
	}
}

func TestSiteRelative(t *testing.T) {
	for _, c := range [][3]string{
		{"http://127.0.0.1:4312/story.html", "http://127.0.0.1:4312/img/a.jpg?w=3", "/img/a.jpg?w=3"},
		{"https://news.example/story", "https://cdn.example/a.jpg", "https://cdn.example/a.jpg"},
		{"https://news.example/story", "http://news.example/a.jpg", "http://news.example/a.jpg"},
		{"https://news.example/story", "", ""},
	} {
		if got := audit.SiteRelative(c[0], c[1]); got != c[2] {
			t.Errorf("SiteRelative(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}
