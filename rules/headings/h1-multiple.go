package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// H1Multiple is the rule h1-multiple.
var H1Multiple = Family.Rule(audit.Rule{
	ID:       "h1-multiple",
	Title:    "the page should expose one level-one heading",
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkH1Multiple,
})

func checkH1Multiple(pass *audit.Pass) error {
	p := pass.Page
	out := outlineOf(p)
	var h1s []int
	for i, e := range out {
		if e.Level == 1 && !e.place.foreign() && !audit.IsBlank(e.Text) {
			h1s = append(h1s, i)
		}
	}
	if len(h1s) < 2 {
		return nil
	}
	primary := h1s[0]
	if m, ok := headline.Find(p); ok && m.Level == 1 {
		for _, i := range h1s {
			if out[i].Node == m.Heading {
				primary = i
			}
		}
	} else {
		for _, i := range h1s {
			if out[i].place.landmark == "main" {
				primary = i
				break
			}
		}
	}
	ctx := newContext(p, out)
	head := out[primary]
	for _, i := range h1s {
		e := out[i]
		if i == primary || ctx.misuse(i) != "" {
			continue // heading-misused reports headings that head nothing
		}
		what := fmt.Sprintf("is one of %d level-one headings; %q is the main one", len(h1s), audit.Truncate(head.Text, 60))
		switch {
		case isSiteName(p, e):
			what = "is the site's name or logo; keep the level-one heading for the story's headline"
		case textmatch.Similarity(e.Text, head.Text) >= 0.9:
			what = fmt.Sprintf("repeats the level-one heading %q, %s; if one copy is for another screen size, hide it with display:none at this one", audit.Truncate(head.Text, 60), head.place.where())
		}
		pass.Report(e.Node, fmt.Sprintf("another level-one heading: %q, %s, %s", audit.Truncate(e.Text, 80), e.place.where(), what), audit.AsReview())
	}
	return nil
}

// isSiteName reports whether a heading holds the site's name: its text is
// og:site_name or the alt text of the logo it holds, or it sits in the
// banner and holds only a linked image.
func isSiteName(p *audit.Page, e entry) bool {
	if site := p.Facts.OGSiteName; site != "" && (textmatch.Equal(e.Text, site) || textmatch.Similarity(e.Text, site) >= 0.8) {
		return true
	}
	if e.place.landmark != "banner" {
		return false
	}
	for d := range p.Descendants(e.Node) {
		if n := p.Node(d); n.Is("img", "svg") || n.ClassContains("logo") {
			return true
		}
	}
	return p.Node(e.Node).ClassContains("logo") || words(e.Text) <= 3
}
