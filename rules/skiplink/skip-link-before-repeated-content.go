package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// BeforeRepeatedContent is the rule skip-link-before-repeated-content.
var BeforeRepeatedContent = Family.Rule(audit.Rule{
	ID:       "skip-link-before-repeated-content",
	Title:    "the skip link should come before the navigation in tab order",
	WCAG:     []string{"2.4.1"},
	Severity: audit.Minor,
	Needs:    needsWalk,
	Check:    checkBeforeRepeatedContent,
})

func checkBeforeRepeatedContent(pass *audit.Pass) error {
	if nothingToBypass(pass.Page) {
		return nil // nothing to bypass, or the page did not render (applies.go)
	}
	p := pass.Page
	var first *link
	links := skipLinks(p)
	for i := range links {
		if l := &links[i]; l.stop >= 0 && (first == nil || l.stop < first.stop) {
			first = l
		}
	}
	if first == nil || first.stop == 0 {
		return nil
	}
	before := p.Walk.Stops[:first.stop]
	counted, nav := 0, audit.NoNode
	for _, s := range before {
		if inDialog(p, s.Node) {
			continue // a consent dialog may come first
		}
		counted++
		if nav == audit.NoNode && inNavigation(p, s.Node) {
			nav = s.Node
		}
	}
	name := linkName(p, first.node)
	switch {
	case nav != audit.NoNode:
		navEl := landmarkAncestor(p, nav, a11y.Navigation)
		pass.Report(first.node, fmt.Sprintf("skip link %q comes after the navigation %s in tab order: it is tab stop %d and %s",
			name, navLabel(p, navEl), first.stop+1, precedingWords(p, first.stop)), audit.AsReview())
	case counted > FirstStops:
		pass.Report(first.node, fmt.Sprintf("skip link %q is tab stop %d: %s", name, first.stop+1, precedingWords(p, first.stop)), audit.AsReview())
	}
	return nil
}

// navLabel names a navigation landmark: its accessible name, else its
// element.
func navLabel(p *audit.Page, id audit.NodeID) string {
	if id == audit.NoNode {
		return "landmark"
	}
	if name := a11y.Name(p, id); name != "" && p.Node(id).AX != nil && p.Node(id).AX.NameFrom != "contents" {
		return fmt.Sprintf("%q", audit.Truncate(name, 60))
	}
	return describe(p, id)
}
