package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// MovesFocus is the rule skip-link-moves-focus.
var MovesFocus = Family.Rule(audit.Rule{
	ID:       "skip-link-moves-focus",
	Title:    "pressing Enter on a skip link, or the keys its role calls for on a skip button, must move keyboard focus to its target",
	WCAG:     []string{"2.4.1", "2.4.3"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkMovesFocus,
})

func checkMovesFocus(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	for _, l := range skipLinks(p) {
		a := l.act
		if a == nil || !a.TargetFound || l.target == audit.NoNode || hiddenTarget(p, l.target) != "" {
			continue // skip-link-target-exists reports these
		}
		if a.Moved() {
			continue
		}
		if a.LeftPage != "" {
			pass.Report(l.node, fmt.Sprintf("pressing Enter on %s %s instead of moving focus to \"#%s\", so it is not a skip link",
				l.words(p, false), leftWords(p, a), l.frag))
			continue
		}
		var went string
		switch a.NextRelation {
		case audit.RelBefore:
			went = fmt.Sprintf("the next Tab went to %s, which comes before the target", label(p, a.Next, a.NextTag, a.NextName))
		default:
			went = "the next Tab left the page"
		}
		var why string
		switch {
		case a.HashAfter == a.HashBefore && a.ScrollAfter == a.ScrollBefore:
			why = "; the address did not change and the page did not scroll, so a script may cancel the link"
		case a.HashAfter != a.HashBefore:
			why = fmt.Sprintf("; the address changed to %q but focus stayed behind", a.HashAfter)
		}
		pass.Report(l.node, fmt.Sprintf("pressing Enter on %s did not move focus to \"#%s\": %s%s", l.words(p, false), l.frag, went, why))
	}
	// Buttons and role controls named as skip controls are judged like
	// links: one that does nothing, leaves the page or moves focus
	// elsewhere is broken. A control that only hides a block from sight
	// is bypass-mechanism's to report.
	for _, c := range controls(p) {
		if !readsAsSkip(c.name) || c.act.ExpandedAfter != c.act.ExpandedBefore {
			continue
		}
		why := controlFailure(p, &c)
		switch {
		case why == "":
		case unsure(p, &c):
			pass.Report(c.node, why, audit.AsReview())
		default:
			pass.Report(c.node, why)
		}
	}
	return nil
}
