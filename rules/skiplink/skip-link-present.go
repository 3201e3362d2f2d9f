package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// Present is the rule skip-link-present.
var Present = Family.Rule(audit.Rule{
	ID:       "skip-link-present",
	Title:    "a working skip link should be among the first tab stops",
	WCAG:     []string{"2.4.1"},
	Severity: audit.Moderate,
	Needs:    needsWalk,
	Check:    checkPresent,
})

func checkPresent(pass *audit.Pass) error {
	if nothingToBypass(pass.Page) {
		return nil // nothing to bypass, or the page did not render (applies.go)
	}
	p := pass.Page
	if p.Walk == nil {
		return nil
	}
	links := skipLinks(p)
	first := firstWorking(links)
	if first != nil && first.stop < FirstStops {
		return nil
	}
	// A skip link that is there but broken is reported by the rules on
	// targets, focus and visibility, not as missing.
	for _, l := range links {
		if l.stop >= 0 && l.stop < FirstStops {
			return nil
		}
	}
	// So is a skip button, or a control that collapses the navigation,
	// working or not.
	for _, c := range controls(p) {
		if c.act.Stop < FirstStops && (c.bypasses(p) || readsAsSkip(c.name)) {
			return nil
		}
	}
	if first != nil {
		pass.Report(first.node, fmt.Sprintf("none of the first %d tab stops is a working skip link; the first one, %q, is tab stop %d: %s",
			FirstStops, linkName(p, first.node), first.stop+1, precedingWords(p, first.stop)), audit.AsReview())
		return nil
	}
	msg := fmt.Sprintf("none of %s is a link that moves focus within the page, so keyboard users have no skip link", walkExtent(p.Walk))
	if len(p.Walk.Stops) == 0 {
		msg = "nothing on the page takes keyboard focus, so keyboard users have no skip link"
	}
	if p.Walk.Stopped != "" {
		msg += " (" + p.Walk.Stopped + ")"
	}
	pass.ReportPage(msg, audit.AsReview())
	return nil
}
