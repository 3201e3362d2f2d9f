package skiplink

import (
	"github.com/newsa11y/newsa11y/audit"
)

// hiddenTarget says why focus cannot move to the target, or "".
func hiddenTarget(p *audit.Page, id audit.NodeID) string {
	if p.Closest(id, "template") != audit.NoNode {
		return "inside a template"
	}
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		n := p.Node(a)
		if n.HasAttr("inert") {
			return "inert"
		}
		if n.Is("details") && !n.HasAttr("open") && a != id {
			if sum := firstSummary(p, a); sum == audit.NoNode || !p.Contains(sum, id) {
				return "inside a closed details element"
			}
		}
	}
	if !p.Rendered(id) {
		if p.Captured.Has(audit.CapLayout) && p.Node(id).Layout != nil {
			return "hidden with visibility:hidden"
		}
		return "hidden (display:none, the hidden attribute, or inside a hidden element)"
	}
	return ""
}

func firstSummary(p *audit.Page, details audit.NodeID) audit.NodeID {
	for _, c := range p.ElementChildren(details) {
		if p.Node(c).Is("summary") {
			return c
		}
	}
	return audit.NoNode
}
