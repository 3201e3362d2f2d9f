package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

func checkTargetExists(pass *audit.Pass) error {
	p := pass.Page
	sev := audit.Moderate
	if !hasMainLandmark(p) {
		// With no main landmark the skip link is the page's only way past
		// the repeated blocks.
		sev = audit.Serious
	}
	for _, l := range skipLinks(p) {
		if l.target == audit.NoNode {
			pass.Report(l.node, fmt.Sprintf("%s points to \"#%s\", which matches no id or anchor name on the page", l.words(p, false), l.frag), audit.WithSeverity(sev))
			continue
		}
		if why := hiddenTarget(p, l.target); why != "" {
			pass.Report(l.node, fmt.Sprintf("%s points to \"#%s\", which is %s", l.words(p, false), l.frag, why), audit.WithSeverity(sev))
			continue
		}
		if l.act != nil && !l.act.TargetFound {
			pass.Report(l.node, fmt.Sprintf("%s points to \"#%s\", which the page removed before the link was pressed", l.words(p, false), l.frag), audit.WithSeverity(sev))
		}
	}
	return nil
}

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

// hasMainLandmark reports whether the page exposes a main landmark.
func hasMainLandmark(p *audit.Page) bool {
	return len(mainLandmarks(p)) > 0
}

// mainLandmarks returns the top document's exposed main landmarks,
// computed once per page.
func mainLandmarks(p *audit.Page) []audit.NodeID {
	return p.Memo(mainsKey{}, func() any { return findMainLandmarks(p) }).([]audit.NodeID)
}

// findMainLandmarks computes mainLandmarks.
func findMainLandmarks(p *audit.Page) []audit.NodeID {
	var out []audit.NodeID
	for id := range p.Elements() {
		if p.Node(id).Frame == 0 && a11y.LandmarkRole(p, id) == a11y.Main && p.Exposed(id) {
			out = append(out, id)
		}
	}
	return out
}
