package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

func checkBypassMechanism(pass *audit.Pass) error {
	p := pass.Page
	if firstWorking(skipLinks(p)) != nil {
		return nil
	}
	ways := groupingMechanisms(p)
	if len(ways) > 0 {
		verb := "lets"
		if len(ways) > 1 {
			verb = "let"
		}
		pass.ReportPage(fmt.Sprintf("no skip link works; only %s %s users of assistive technology past the repeated blocks, and sighted keyboard users without it cannot use them",
			strings.Join(ways, " and "), verb), audit.AsReview(), audit.WithSeverity(audit.Minor))
		return nil
	}
	pass.ReportPage("no skip link works, no single main landmark holds the headline and no heading starts the story, so keyboard users must go through every repeated block")
	return nil
}

// groupingMechanisms lists the ways past the repeated blocks that need
// assistive technology: exactly one main landmark holding the headline,
// and a heading at the start of the story (ACT rules b40fd1 and 047fe0).
func groupingMechanisms(p *audit.Page) []string {
	var ways []string
	m, found := findHeadline(p)
	mains := mainLandmarks(p)
	if len(mains) == 1 && (!found || p.Contains(mains[0], m.Node)) {
		ways = append(ways, "the main landmark")
	}
	switch {
	case found && m.Level > 0:
		ways = append(ways, "the headline heading")
	case !found:
		// Without a headline to go by (metadata that names none, a title
		// the site name cannot be split from), a level-one heading or a
		// heading in the main landmark or an article starts the story.
		for _, h := range a11y.Headings(p) {
			if p.Node(h.Node).Frame == 0 && (h.Level == 1 || landmarkAncestor(p, h.Node, a11y.Main) != audit.NoNode || p.Closest(h.Node, "article") != audit.NoNode) {
				ways = append(ways, "a heading at the start of the story")
				break
			}
		}
	}
	return ways
}

func checkMainLandmark(pass *audit.Pass) error {
	p := pass.Page
	mains := mainLandmarks(p)
	switch len(mains) {
	case 0:
		pass.ReportPage("the page has no main landmark, so assistive technology cannot jump to the story", audit.AsReview())
		return nil
	case 1:
	default:
		for i, m := range mains[1:] {
			pass.Report(m, fmt.Sprintf("the page has %d main landmarks; this is number %d, and assistive technology cannot tell which holds the story", len(mains), i+2), audit.AsReview())
		}
	}
	inMain := func(id audit.NodeID) bool {
		for _, m := range mains {
			if p.Contains(m, id) {
				return true
			}
		}
		return false
	}
	if h, ok := findHeadline(p); ok && !inMain(h.Node) {
		pass.Report(h.Node, fmt.Sprintf("the headline %q is outside the main landmark, in %s", audit.Truncate(h.Text, 80), a11y.RegionName(p, h.Node)), audit.AsReview())
	}
	// One of the working skip links should land in the main landmark, on
	// it, on something that holds it, or just before it. Others may lead to
	// the navigation or a rail.
	var first *link
	links := skipLinks(p)
	for i := range links {
		l := &links[i]
		if !l.works() {
			continue
		}
		if inMain(l.target) || holdsOrPrecedes(p, l.target, mains) {
			return nil
		}
		if first == nil {
			first = l
		}
	}
	if first != nil {
		pass.Report(first.target, fmt.Sprintf("no working skip link lands in the main landmark; %s lands on %s",
			first.words(p, true), describe(p, first.target)), audit.AsReview())
	}
	return nil
}

// holdsOrPrecedes reports whether t holds one of the main landmarks, or
// is an empty element just before one with no content in between (an
// anchor before main, say).
func holdsOrPrecedes(p *audit.Page, t audit.NodeID, mains []audit.NodeID) bool {
	for _, m := range mains {
		if p.Contains(t, m) {
			return true
		}
		if t > m {
			continue
		}
		content := false
		for id := t + 1; id < m && !content; id++ {
			if p.Contains(id, m) {
				continue
			}
			n := p.Node(id)
			switch {
			case n.Kind == audit.TextNode:
				content = !audit.IsBlank(n.Data) && p.Rendered(id)
			case n.Kind == audit.ElementNode && n.Is("img", "iframe", "input", "select", "textarea", "button", "a", "video"):
				content = p.Rendered(id)
			}
		}
		if !content {
			return true
		}
	}
	return false
}

// maxRegions bounds the content-outside-landmarks findings per page; the
// rest are counted in one more finding.
const maxRegions = 8

func checkContentOutsideLandmarks(pass *audit.Pass) error {
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
	node                                  audit.NodeID
	text                                  []string
	links, images, controls, frames, misc int
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
