package imagealt

import "github.com/newsa11y/newsa11y/audit"

// isControl reports whether an element is a link or a button.
func isControl(n *audit.Node) bool {
	switch {
	case n.Is("a") && n.HasAttr("href"), n.Is("button"):
		return true
	case n.Role() == "link", n.Role() == "button":
		return true
	}
	return false
}

// controlKind names a control for a message.
func controlKind(n *audit.Node) string {
	if n.Is("button") || n.Role() == "button" {
		return "button"
	}
	return "link"
}

// inControl reports whether an element is inside a link or a button.
func inControl(p *audit.Page, id audit.NodeID) bool {
	return p.ClosestFunc(id, func(_ audit.NodeID, n *audit.Node) bool {
		return n.Is("a") && n.HasAttr("href") || n.Is("button") || n.Role() == "link" || n.Role() == "button"
	}) != audit.NoNode
}
