package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// TargetAfterHeadline is the rule skip-target-after-headline.
var TargetAfterHeadline = Family.Rule(audit.Rule{
	ID:       "skip-target-after-headline",
	Title:    "the skip link should not jump past the headline",
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"news"},
	Severity: audit.Minor,
	Needs:    needsTree,
	Check:    checkTargetAfterHeadline,
})

func checkTargetAfterHeadline(pass *audit.Pass) error {
	p := pass.Page
	m, ok := findHeadline(p)
	if !ok {
		return nil
	}
	story := storyContainer(p, m.Node)
	// Only the first skip link into the story counts: later ones ("Skip
	// to key events") lead further on by design.
	for _, l := range skipLinks(p) {
		t := l.target
		if t == audit.NoNode {
			continue
		}
		if story != audit.NoNode && !p.Contains(story, t) && !p.Contains(t, story) {
			continue // leads elsewhere: the navigation, the footer
		}
		if _, role := a11y.Landmark(p, t); role != "" && role != a11y.Main {
			continue // leads to the navigation or a rail, not the story
		}
		if t > m.Node && !p.Contains(t, m.Node) {
			pass.Report(l.node, fmt.Sprintf("%s lands on %s, after the headline %q, so keyboard users who follow it miss the headline",
				l.words(p, true), describe(p, t), audit.Truncate(m.Text, 80)), audit.AsReview())
		}
		break
	}
	return nil
}

// storyContainer returns the main landmark or article that holds the
// headline, the main landmark when both do, or NoNode.
func storyContainer(p *audit.Page, h audit.NodeID) audit.NodeID {
	if mainEl := landmarkAncestor(p, h, a11y.Main); mainEl != audit.NoNode {
		return mainEl
	}
	return p.Closest(h, "article")
}
