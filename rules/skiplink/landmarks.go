package skiplink

import (
	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// inNavigation reports whether an element sits in a navigation landmark.
func inNavigation(p *audit.Page, id audit.NodeID) bool {
	return id != audit.NoNode && landmarkAncestor(p, id, a11y.Navigation) != audit.NoNode
}

// landmarkAncestor returns id or its nearest ancestor that is a landmark
// with the role, or NoNode.
func landmarkAncestor(p *audit.Page, id audit.NodeID, role string) audit.NodeID {
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		if a11y.LandmarkRole(p, a) == role {
			return a
		}
	}
	return audit.NoNode
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

// storyish reports whether an element is the story: the main landmark or
// an article, inside one, or holding the main landmark.
func storyish(p *audit.Page, id audit.NodeID) bool {
	if landmarkAncestor(p, id, a11y.Main) != audit.NoNode || p.Closest(id, "article") != audit.NoNode {
		return true
	}
	for _, m := range mainLandmarks(p) {
		if p.Contains(id, m) {
			return true
		}
	}
	return false
}
