package skiplink

import (
	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// NotRendered is the rule page-not-rendered.
var NotRendered = Family.Rule(audit.Rule{
	ID:       "page-not-rendered",
	Title:    "the page must show its content once it has loaded",
	Tags:     []string{"best-practice"},
	Severity: audit.Serious,
	Needs:    needsLayout,
	Check:    checkNotRendered,
})

func checkNotRendered(pass *audit.Pass) error {
	why := a11y.PageNotRendered(pass.Page)
	if why == "" {
		return nil
	}
	pass.ReportPage("the page shows nothing after it loaded and settled: "+why+
		", so sighted users see a blank page and keyboard and screen reader users reach nothing; often an anti-flicker style that a script never removed. The keyboard and visibility rules are not judged on this page",
		audit.AsReview())
	return nil
}
