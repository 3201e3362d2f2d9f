package audit_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

// FuzzSelector builds selectors and snippets for every element of
// arbitrary markup: they must not panic, must be non-empty, must name a
// unique id only when it is unique, and snippets must stay within their
// limit.
func FuzzSelector(f *testing.F) {
	for _, seed := range []string{
		`<main id="content"><figure><img></figure></main>`,
		`<p id="a"></p><p id="a"></p><div id='x"y'><span id="1 2"></span></div>`,
		`<svg><foreignObject><p id="in-svg">x</p></foreignObject></svg>`,
		`<img alt="` + strings.Repeat("é", 300) + `">`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, html string) {
		p, err := static.Parse(bytes.NewReader([]byte(html)), "http://fuzz.test/")
		if err != nil {
			return
		}
		for id := range p.Elements() {
			sel := audit.Selector(p, id)
			if sel == "" {
				t.Fatalf("empty selector for <%s>", p.Node(id).Tag)
			}
			if again := audit.Selector(p, id); again != sel {
				t.Fatalf("selector not deterministic: %q then %q", sel, again)
			}
			if strings.HasPrefix(sel, "#") && !strings.Contains(sel, " ") {
				v, _ := p.Node(id).Attr("id")
				if !p.IDIsUnique(p.Node(id).Frame, v) {
					t.Fatalf("selector %q names an id that is not unique", sel)
				}
			}
			if n := len([]rune(audit.Snippet(p, id))); n > audit.SnippetLimit {
				t.Fatalf("snippet of %d characters", n)
			}
			_ = audit.ElementKey(p, id)
		}
	})
}
