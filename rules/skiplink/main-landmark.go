package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// MainLandmark is the rule main-landmark.
var MainLandmark = Family.Rule(audit.Rule{
	ID:       "main-landmark",
	Title:    "the page should have one main landmark that holds the headline",
	WCAG:     []string{"1.3.1", "2.4.1"},
	Severity: audit.Moderate,
	Needs:    needsTree,
	Check:    checkMainLandmark,
})

func checkMainLandmark(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	mains := mainLandmarks(p)
	switch len(mains) {
	case 0:
		pass.ReportPage("the page has no main landmark, so assistive technology cannot jump to the story", audit.AsReview())
		return nil
	case 1:
	default:
		for i, m := range mains[1:] {
			pass.Report(m, fmt.Sprintf("the page has %d main landmarks; this is number %d, and assistive technology cannot tell which holds the story", len(mains), i+2), audit.AsReview())
		}
	}
	inMain := func(id audit.NodeID) bool {
		for _, m := range mains {
			if p.Contains(m, id) {
				return true
			}
		}
		return false
	}
	if h, ok := findHeadline(p); ok && !inMain(h.Node) {
		pass.Report(h.Node, fmt.Sprintf("the headline %q is outside the main landmark, in %s", audit.Truncate(h.Text, 80), a11y.RegionName(p, h.Node)), audit.AsReview())
	}
	// One of the working skip links should land in the main landmark, on
	// it, on something that holds it, or just before it. Others may lead to
	// the navigation or a rail.
	var first *link
	links := skipLinks(p)
	for i := range links {
		l := &links[i]
		if !l.works() {
			continue
		}
		if inMain(l.target) || holdsOrPrecedes(p, l.target, mains) {
			return nil
		}
		if first == nil {
			first = l
		}
	}
	if first != nil {
		pass.Report(first.target, fmt.Sprintf("no working skip link lands in the main landmark; %s lands on %s",
			first.words(p, true), describe(p, first.target)), audit.AsReview())
	}
	return nil
}
