package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// Misused is the rule heading-misused.
var Misused = Family.Rule(audit.Rule{
	ID:       "heading-misused",
	Title:    "heading markup must only mark up section headings",
	WCAG:     []string{"1.3.1", "2.4.6"},
	Tags:     []string{"news"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkMisused,
})

func checkMisused(pass *audit.Pass) error {
	c := newContext(pass.Page, outlineOf(pass.Page))
	for i, e := range c.out {
		if why := c.misuse(i); why != "" {
			pass.Report(e.Node, fmt.Sprintf("level-%d heading is not a section heading: %s", e.Level, why), audit.AsReview())
		}
	}
	return nil
}
