package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// PageHasH1 is the rule page-has-h1.
var PageHasH1 = Family.Rule(audit.Rule{
	ID:       "page-has-h1",
	Title:    "the page should have a level-one heading",
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"best-practice"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkPageHasH1,
})

func checkPageHasH1(pass *audit.Pass) error {
	if a11y.PageNotRendered(pass.Page) != "" {
		// Nothing shows, so nothing is exposed: page-not-rendered says so
		// once, and the missing headings follow from it.
		return nil
	}
	out := outlineOf(pass.Page)
	own := 0
	var first *entry
	for i := range out {
		e := &out[i]
		if e.place.foreign() {
			continue // an h1 inside an ad is not the page's
		}
		if e.Level == 1 {
			return nil
		}
		if first == nil {
			first = e
		}
		own++
	}
	if own == 0 {
		pass.ReportPage("the page has no headings at all, so there is no level-one heading", audit.AsReview())
		return nil
	}
	headings := "headings"
	if own == 1 {
		headings = "heading"
	}
	pass.ReportPage(fmt.Sprintf("the page has %d %s but none at level one; the first is %q at level %d",
		own, headings, audit.Truncate(first.Text, 80), first.Level), audit.AsReview())
	return nil
}
