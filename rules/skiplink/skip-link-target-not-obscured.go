package skiplink

import (
	"fmt"
	"regexp"

	"github.com/newsa11y/newsa11y/audit"
)

// TargetNotObscured is the rule skip-link-target-not-obscured.
var TargetNotObscured = Family.Rule(audit.Rule{
	ID:       "skip-link-target-not-obscured",
	Title:    "the skip target must not end up hidden under fixed or sticky content",
	WCAG:     []string{"2.4.11"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkTargetNotObscured,
})

func checkTargetNotObscured(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	for _, l := range skipLinks(p) {
		a := l.act
		if a == nil || !a.Moved() {
			continue
		}
		lc, cc := a.Landing, a.Content
		focused := a.FocusRelation == audit.RelTarget || a.FocusRelation == audit.RelInside
		if focused && lc.Points > 0 && lc.Covered == lc.Points {
			pass.Report(l.node, fmt.Sprintf("after the jump from %s, the focused element <%s> is entirely covered by %s, which stays on screen",
				l.words(p, true), lc.Tag, coverer(&lc)))
			continue
		}
		if cc.Points > 0 && 2*cc.Covered >= cc.Points {
			what := "the first text"
			if (cc.Node != audit.NoNode && isHeading(p, cc.Node)) || headingTag.MatchString(cc.Tag) {
				what = "the heading"
			}
			pass.Report(l.node, fmt.Sprintf("after the jump from %s, %s %q is hidden under %s (%d of %d points covered); scroll-padding-top on the page would keep it clear",
				l.words(p, true), what, audit.Truncate(cc.Text, 60), coverer(&cc), cc.Covered, cc.Points), audit.AsReview(), audit.WithSeverity(audit.Minor))
		}
	}
	return nil
}

// headingTag matches the description of an h1-h6 element.
var headingTag = regexp.MustCompile(`^h[1-6]([#.]|$)`)

// isHeading reports whether an element is exposed as a heading.
func isHeading(p *audit.Page, id audit.NodeID) bool {
	if ax := p.Node(id).AX; ax != nil {
		return ax.Role == "heading"
	}
	return false
}
