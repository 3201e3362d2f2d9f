// Package headings holds the rules on heading structure and the headline.
package headings

import (
	_ "embed"
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

//go:embed doc.md
var docText string

var docs = audit.MustDocs(docText)

// LevelSkip is the rule heading-level-skip.
var LevelSkip = &audit.Rule{
	ID:       "heading-level-skip",
	Title:    "heading levels should go down one level at a time",
	Doc:      docs["heading-level-skip"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkLevelSkip,
}

// PageHasH1 is the rule page-has-h1.
var PageHasH1 = &audit.Rule{
	ID:       "page-has-h1",
	Title:    "the page should have a level-one heading",
	Doc:      docs["page-has-h1"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkPageHasH1,
}

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{PageHasH1, LevelSkip}

func checkLevelSkip(pass *audit.Pass) error {
	p := pass.Page
	hs := a11y.Headings(p)
	for i := 1; i < len(hs); i++ {
		prev, cur := hs[i-1], hs[i]
		if cur.Level > prev.Level+1 {
			pass.Report(cur.Node, fmt.Sprintf("heading level jumps from %d to %d (%q after %q), in %s",
				prev.Level, cur.Level, audit.Truncate(cur.Text, 80), audit.Truncate(prev.Text, 80), a11y.RegionName(p, cur.Node)),
				audit.AsReview())
		}
	}
	return nil
}

func checkPageHasH1(pass *audit.Pass) error {
	hs := a11y.Headings(pass.Page)
	for _, h := range hs {
		if h.Level == 1 {
			return nil
		}
	}
	if len(hs) == 0 {
		pass.ReportPage("the page has no headings at all, so there is no level-one heading", audit.AsReview())
		return nil
	}
	pass.ReportPage(fmt.Sprintf("the page has %d headings but none at level one; the first is %q at level %d",
		len(hs), audit.Truncate(hs[0].Text, 80), hs[0].Level), audit.AsReview())
	return nil
}
