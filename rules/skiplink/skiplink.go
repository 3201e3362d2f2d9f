// Package skiplink holds the rules on skip links and bypass blocks.
package skiplink

import (
	_ "embed"
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

//go:embed doc.md
var docText string

var docs = audit.MustDocs(docText)

// TargetExists is the rule skip-link-target-exists.
var TargetExists = &audit.Rule{
	ID:       "skip-link-target-exists",
	Title:    "skip links must point to an element that exists and is shown",
	Doc:      docs["skip-link-target-exists"],
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkTargetExists,
}

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{TargetExists}

// candidates returns the page's skip-link candidates in the top document:
// in-page links that come before the first link to another document.
func candidates(p *audit.Page) []audit.NodeID {
	var out []audit.NodeID
	for id := range p.Elements() {
		n := p.Node(id)
		if n.Frame != 0 || !n.Is("a", "area") {
			continue
		}
		if a11y.IsLinkToOtherDocument(p, id) {
			break
		}
		if _, ok := a11y.Fragment(p, id); ok {
			out = append(out, id)
		}
	}
	return out
}

func checkTargetExists(pass *audit.Pass) error {
	p := pass.Page
	sev := audit.Moderate
	if !hasMainLandmark(p) {
		// With no main landmark the skip link is the page's only way past
		// the repeated blocks.
		sev = audit.Serious
	}
	for _, link := range candidates(p) {
		frag, _ := a11y.Fragment(p, link)
		name := a11y.Name(p, link)
		target := a11y.ResolveFragment(p, 0, frag)
		if target == audit.NoNode {
			pass.Report(link, fmt.Sprintf("skip link %q points to \"#%s\", which matches no id or anchor name on the page", name, frag), audit.WithSeverity(sev))
			continue
		}
		if why := hiddenTarget(p, target); why != "" {
			pass.Report(link, fmt.Sprintf("skip link %q points to \"#%s\", which is %s", name, frag, why), audit.WithSeverity(sev))
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
	for id := range p.Elements() {
		if a11y.LandmarkRole(p, id) == a11y.Main {
			return true
		}
	}
	return false
}
