package audit_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
)

func TestCap(t *testing.T) {
	long := strings.Repeat("é", 40000)
	got := audit.Cap(long, 1000)
	if n := utf8.RuneCountInString(got); n != 1000 || !strings.HasSuffix(got, "… (40000 characters in all)") {
		t.Errorf("Cap of 40,000 characters: %d characters, ending %q", n, got[len(got)-40:])
	}
	if again := audit.Cap(got, 1000); again != got {
		t.Errorf("Cap of a capped text changed it: %q", again[len(again)-40:])
	}
	for _, s := range []string{"", "short", strings.Repeat("x", 1000)} {
		if got := audit.Cap(s, 1000); got != s {
			t.Errorf("Cap of %d characters changed it", len(s))
		}
	}
	if got := audit.Cap(strings.Repeat("x", 50), 10); got != "xxxxxxxxx…" {
		t.Errorf("Cap with no room for the note = %q", got)
	}
}

// TestRunnerCapsPageText: a page's title and an image's alt text and
// caption of 1 MB each stay short in the result, each with its length.
func TestRunnerCapsPageText(t *testing.T) {
	mb := strings.Repeat("storm hits the coast ", 1<<20/21)
	evidence := &audit.Rule{
		ID: "test-evidence", Title: "test", Doc: doc, Tags: []string{"images"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(p *audit.Pass) error {
			for _, id := range p.Page.ElementsByTag("img") {
				alt := p.Page.Node(id).AttrOr("alt", "")
				p.Report(id, "alt text "+alt, audit.WithImage(&audit.ImageEvidence{
					Alt: alt, Caption: alt, Match: &audit.TextMatch{Kind: "exact", AltNormalized: alt, OtherNormalized: alt},
				}))
			}
			return nil
		},
	}
	page := `<title>` + mb + `</title><img id="` + mb + `" src="a.jpg" alt="` + mb + `">`
	l := &fakeLoader{pages: map[string]string{"u": page}}
	rep := (&audit.Runner{Loader: l, Rules: []*audit.Rule{evidence}}).Run(context.Background(), []audit.Target{{Input: "u", URL: "u"}})
	p := rep.Pages[0]
	if p.Failed() || len(p.Findings) != 1 {
		t.Fatalf("page: error %q, %d findings", p.Error, len(p.Findings))
	}
	f := p.Findings[0]
	for name, s := range map[string]string{
		"title": p.Title, "message": f.Message, "snippet": f.Snippet, "selector": f.Selector, "key": f.Key,
		"alt": f.Image.Alt, "caption": f.Image.Caption, "alt_normalized": f.Image.Match.AltNormalized,
	} {
		if n := utf8.RuneCountInString(s); n > audit.MaxText {
			t.Errorf("%s kept %d characters", name, n)
		}
	}
	if !strings.HasSuffix(f.Image.Alt, "characters in all)") || !strings.HasSuffix(p.Title, "characters in all)") {
		t.Errorf("no note of the length: alt ends %q, title %q", f.Image.Alt[len(f.Image.Alt)-30:], p.Title[len(p.Title)-30:])
	}
	if f.Selector != "html > body > img" {
		t.Errorf("selector %.80q: an id too long to keep should not be used", f.Selector)
	}
	b, _ := json.Marshal(rep)
	if len(b) > 20_000 {
		t.Errorf("the JSON of one page is %d bytes", len(b))
	}
}

// TestCollapseSpaceFastPath: texts already collapsed come back as they
// are, and the others as the full rewrite gives them.
func TestCollapseSpaceFastPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"a b c", "a b c"},
		{" a", "a"},
		{"a ", "a"},
		{"a  b", "a b"},
		{"a\tb", "a b"},
		{"a\u00a0b", "a b"},
		{"Népal — 東京", "Népal — 東京"},
		{"a\u200bb", "a b"},
		{"a\xffb", "a\ufffdb"},
		{" ", ""},
	} {
		if got := audit.CollapseSpace(tc.in); got != tc.want {
			t.Errorf("CollapseSpace(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
