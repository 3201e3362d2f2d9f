package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// ContentOutsideLandmarks is the rule content-outside-landmarks.
var ContentOutsideLandmarks = Family.Rule(audit.Rule{
	ID:       "content-outside-landmarks",
	Title:    "visible content should sit inside a landmark",
	Tags:     []string{"best-practice"},
	Severity: audit.Minor,
	Needs:    needsLayout,
	Check:    checkContentOutsideLandmarks,
})

// maxRegions bounds the content-outside-landmarks findings per page; the
// rest are counted in one more finding.
const maxRegions = 8

func checkContentOutsideLandmarks(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	body := p.Body()
	if body == audit.NoNode {
		return nil
	}
	holds := landmarkHolders(p)
	skip := map[audit.NodeID]bool{}
	for _, l := range skipLinks(p) {
		if l.target != audit.NoNode && hiddenTarget(p, l.target) == "" {
			skip[l.node] = true
		}
	}
	for _, c := range controls(p) {
		if c.bypasses(p) {
			skip[c.node] = true // a working skip button bypasses, as a skip link does
		}
	}
	var regions []region
	var visit func(id audit.NodeID)
	visit = func(id audit.NodeID) {
		loose := region{node: id}
		for _, c := range p.Node(id).Children {
			n := p.Node(c)
			if n.Frame != 0 {
				continue
			}
			switch {
			case n.Kind == audit.TextNode:
				loose.addText(p, c)
			case n.Kind != audit.ElementNode || a11y.LandmarkRole(p, c) != "":
			case holds[c]:
				visit(c)
			default:
				r := region{node: c}
				r.add(p, c, skip)
				if r.hasContent() {
					regions = append(regions, r)
				}
			}
		}
		if loose.hasContent() {
			regions = append(regions, loose)
		}
	}
	visit(body)
	for i, r := range regions {
		if i == maxRegions {
			pass.ReportPage(fmt.Sprintf("%d more blocks of content sit outside any landmark", len(regions)-maxRegions), audit.AsReview())
			break
		}
		pass.Report(r.node, "content outside any landmark: "+r.words(p), audit.AsReview())
	}
	return nil
}

// landmarkHolders marks the elements that are landmarks or hold one.
func landmarkHolders(p *audit.Page) []bool {
	holds := make([]bool, len(p.Nodes))
	for id := range p.Elements() {
		if p.Node(id).Frame != 0 || a11y.LandmarkRole(p, id) == "" {
			continue
		}
		for a := id; a != audit.NoNode && !holds[a]; a = p.Node(a).Parent {
			holds[a] = true
		}
	}
	return holds
}

// A region is a block of content outside any landmark.
type region struct {
	node                            audit.NodeID
	text                            []string
	links, images, controls, frames int
}

// addText adds a loose text node that was laid out with a size.
func (r *region) addText(p *audit.Page, id audit.NodeID) {
	if par := p.ParentElement(id); par != audit.NoNode && p.Rendered(id) && p.Exposed(par) && hasArea(p, id, 1) {
		r.text = append(r.text, p.Node(id).Data)
	}
}

// hasArea reports whether a node was laid out with at least min square
// CSS pixels: icon sprites, tracking pixels and empty boxes are no
// content.
func hasArea(p *audit.Page, id audit.NodeID, min float64) bool {
	l := p.Node(id).Layout
	return l != nil && l.Box.Area() >= min
}

// add adds the content of an element's subtree, leaving out skip links
// whose target exists.
func (r *region) add(p *audit.Page, id audit.NodeID, skip map[audit.NodeID]bool) {
	n := p.Node(id)
	if skip[id] || n.Frame != 0 {
		return
	}
	if n.Kind == audit.TextNode {
		r.addText(p, id)
		return
	}
	if n.Kind != audit.ElementNode || !p.Rendered(id) {
		return
	}
	if p.Exposed(id) {
		switch {
		case n.Is("a") && n.HasAttr("href") && hasArea(p, id, 1):
			r.links++
		case n.Is("img", "svg", "picture", "video", "canvas") && n.AX != nil && n.AX.Role != "none" && n.AX.Role != "presentation" && hasArea(p, id, 16):
			r.images++
		case n.Is("input", "select", "textarea", "button") && hasArea(p, id, 1):
			r.controls++
		}
	}
	if n.Is("iframe", "object", "embed") && hasArea(p, id, 16) {
		r.frames++
		return
	}
	for _, c := range n.Children {
		r.add(p, c, skip)
	}
}

// hasContent reports whether the region holds anything a user meets.
func (r *region) hasContent() bool {
	return !audit.IsBlank(strings.Join(r.text, " ")) || r.links+r.images+r.controls+r.frames > 0
}

// words sums the region up: where it is, the start of its text and what
// else it holds.
func (r *region) words(p *audit.Page) string {
	var parts []string
	if t := audit.CollapseSpace(strings.Join(r.text, " ")); t != "" {
		parts = append(parts, fmt.Sprintf("%q", audit.Truncate(t, 60)))
	}
	for _, c := range []struct {
		n         int
		one, many string
	}{{r.links, "link", "links"}, {r.images, "image", "images"}, {r.controls, "control", "controls"}, {r.frames, "embedded frame", "embedded frames"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.one, c.many))
		}
	}
	return describe(p, r.node) + " holds " + strings.Join(parts, ", ")
}
