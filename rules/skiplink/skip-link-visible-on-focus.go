package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// VisibleOnFocus is the rule skip-link-visible-on-focus.
var VisibleOnFocus = Family.Rule(audit.Rule{
	ID:       "skip-link-visible-on-focus",
	Title:    "skip links must be visible when they have keyboard focus",
	WCAG:     []string{"2.4.7", "2.4.11"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkVisibleOnFocus,
})

func checkVisibleOnFocus(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	for _, l := range skipLinks(p) {
		if l.stop < 0 {
			continue
		}
		if why := hiddenWhileFocused(&p.Walk.Stops[l.stop]); why != "" {
			pass.Report(l.node, fmt.Sprintf("%s %s", l.words(p, true), why))
		}
	}
	return nil
}

// hiddenWhileFocused says why a sighted keyboard user cannot see a tab
// stop while it has focus, or "".
func hiddenWhileFocused(s *audit.TabStop) string {
	switch focusProblem(s) {
	case "clipped":
		return fmt.Sprintf("is clipped away while focused (%s)", s.Clip)
	case "empty":
		return fmt.Sprintf("has no size while focused (its box is %s), so there is nothing to see", size(s.Box))
	case "off-screen":
		return fmt.Sprintf("is off-screen while focused (its %s box is at x=%s, y=%s in a page scrolled to y=%s)",
			size(s.Box), num(s.Box.X), num(s.Box.Y), num(s.ScrollY))
	case "transparent":
		return fmt.Sprintf("is transparent while focused (opacity %s)", num(s.Opacity))
	case "invisible":
		return "is invisible while focused (visibility:" + s.Visibility + ")"
	case "covered":
		return fmt.Sprintf("is covered by %s while focused%s", hitWords(&s.Hit), paintWords(&s.Hit))
	case "not drawn":
		return "is not drawn while focused: at its centre the browser finds its container, so it is clipped or painted over"
	}
	return ""
}
