// Package a11y holds the accessibility helpers rules share: heading levels,
// landmarks, and link targets. Each helper prefers what the browser's
// accessibility tree says and falls back to what the HTML alone says when
// the snapshot has no tree (the static loader).
package a11y

import (
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// A Heading is one heading exposed to assistive technology.
type Heading struct {
	// Node is the heading element.
	Node audit.NodeID
	// Level is its level, 1 to 9 (role=heading without aria-level is 2).
	Level int
	// Text is its accessible name, or its visible text without a tree.
	Text string
}

// Headings returns the page's exposed headings in document order, across
// open shadow roots and same-origin iframes.
func Headings(p *audit.Page) []Heading {
	var out []Heading
	for id := range p.Elements() {
		if lvl := HeadingLevel(p, id); lvl > 0 {
			out = append(out, Heading{Node: id, Level: lvl, Text: Name(p, id)})
		}
	}
	return out
}

// HeadingLevel returns the heading level of an exposed heading element, 0
// for anything else. With the accessibility tree, the browser's role and
// level decide; otherwise h1-h6 and role=heading with aria-level do, and
// hidden elements are not headings.
func HeadingLevel(p *audit.Page, id audit.NodeID) int {
	n := p.Node(id)
	if n.Kind != audit.ElementNode {
		return 0
	}
	if p.Captured.Has(audit.CapAX) {
		if n.AX == nil || n.AX.Ignored || n.AX.Role != "heading" {
			return 0
		}
		if n.AX.Level > 0 {
			return n.AX.Level
		}
		return 2
	}
	if !p.Exposed(id) {
		return 0
	}
	role := n.Role()
	native := 0
	if len(n.Tag) == 2 && n.Tag[0] == 'h' && n.Tag[1] >= '1' && n.Tag[1] <= '6' {
		native = int(n.Tag[1] - '0')
	}
	switch {
	case role == "heading":
	case role == "" && native > 0:
	default:
		return 0
	}
	if v, ok := n.Attr("aria-level"); ok {
		if lvl, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && lvl >= 1 {
			return lvl
		}
	}
	if native > 0 {
		return native
	}
	return 2
}

// Name returns the accessible name of an element: the browser's when the
// tree was captured, else an approximation from aria-label, aria-labelledby,
// alt and the visible text.
func Name(p *audit.Page, id audit.NodeID) string {
	n := p.Node(id)
	if p.Captured.Has(audit.CapAX) && n.AX != nil {
		return audit.CollapseSpace(n.AX.Name)
	}
	if v := audit.CollapseSpace(n.AttrOr("aria-labelledby", "")); v != "" {
		var parts []string
		for _, ref := range strings.Fields(v) {
			if t := p.ElementByID(n.Frame, ref); t != audit.NoNode {
				parts = append(parts, p.TextContent(t))
			}
		}
		if s := audit.CollapseSpace(strings.Join(parts, " ")); s != "" {
			return s
		}
	}
	if v := audit.CollapseSpace(n.AttrOr("aria-label", "")); v != "" {
		return v
	}
	if n.Tag == "img" {
		if v, ok := n.Attr("alt"); ok {
			return audit.CollapseSpace(v)
		}
		return audit.CollapseSpace(n.AttrOr("title", ""))
	}
	var b strings.Builder
	for d := range p.Descendants(id) {
		dn := p.Node(d)
		if dn.Is("img") && p.Exposed(d) {
			b.WriteString(" " + dn.AttrOr("alt", "") + " ")
		}
		if dn.Kind == audit.TextNode && p.Rendered(d) && p.Exposed(p.ParentElement(d)) {
			b.WriteString(dn.Data)
		}
	}
	if s := audit.CollapseSpace(b.String()); s != "" {
		return s
	}
	return audit.CollapseSpace(n.AttrOr("title", ""))
}

// Landmark roles, as the accessibility tree names them.
const (
	Banner        = "banner"
	Navigation    = "navigation"
	Main          = "main"
	Complementary = "complementary"
	ContentInfo   = "contentinfo"
	Region        = "region"
	Search        = "search"
	Form          = "form"
)

// LandmarkRole returns the landmark role of an element, or "". With the
// tree it is the browser's role; without it, the HTML-AAM mapping of
// header, footer, nav, main, aside, search, section and form, and explicit
// roles.
func LandmarkRole(p *audit.Page, id audit.NodeID) string {
	n := p.Node(id)
	if n.Kind != audit.ElementNode {
		return ""
	}
	if p.Captured.Has(audit.CapAX) && n.AX != nil {
		if n.AX.Ignored {
			return ""
		}
		switch n.AX.Role {
		case Banner, Navigation, Main, Complementary, ContentInfo, Region, Search, Form:
			return n.AX.Role
		}
		return ""
	}
	switch r := n.Role(); r {
	case Banner, Navigation, Main, Complementary, ContentInfo, Search:
		return r
	case Region, Form:
		if hasLabel(n) {
			return r
		}
		return ""
	case "":
	default:
		return ""
	}
	switch n.Tag {
	case "nav":
		return Navigation
	case "main":
		return Main
	case "aside":
		return Complementary
	case "search":
		return Search
	case "header", "footer":
		if p.ClosestFunc(p.Node(id).Parent, func(_ audit.NodeID, a *audit.Node) bool {
			return a.Is("article", "aside", "main", "nav", "section") || a.Role() == Main || a.Role() == Navigation || a.Role() == Complementary
		}) != audit.NoNode {
			return ""
		}
		if n.Tag == "header" {
			return Banner
		}
		return ContentInfo
	case "section", "form":
		if hasLabel(n) {
			if n.Tag == "form" {
				return Form
			}
			return Region
		}
	}
	return ""
}

func hasLabel(n *audit.Node) bool {
	return strings.TrimSpace(n.AttrOr("aria-label", "")) != "" || strings.TrimSpace(n.AttrOr("aria-labelledby", "")) != ""
}

// Landmark returns the nearest landmark containing id (id itself
// included) and its role, or NoNode and "".
func Landmark(p *audit.Page, id audit.NodeID) (audit.NodeID, string) {
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		if r := LandmarkRole(p, a); r != "" {
			return a, r
		}
	}
	return audit.NoNode, ""
}

// RegionName describes where a node sits for a report: "main",
// "navigation", "banner" and so on, "an iframe" inside a frame document, or
// "outside any landmark".
func RegionName(p *audit.Page, id audit.NodeID) string {
	if p.Node(id).Frame > 0 {
		return "an iframe"
	}
	if _, r := Landmark(p, id); r != "" {
		return r
	}
	return "outside any landmark"
}
