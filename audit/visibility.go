package audit

import "strings"

// Rendered reports whether the node is rendered. With layout captured, an
// element is rendered when it has a box and is not visibility:hidden, and a
// text node when it was laid out inside a visible element. Without layout
// (the static loader) it applies what the HTML alone says: no hidden
// attribute, no inline display:none or visibility:hidden, and not inside
// script, style, template, noscript or head.
func (p *Page) Rendered(id NodeID) bool {
	n := &p.Nodes[id]
	if p.Captured.Has(CapLayout) {
		switch n.Kind {
		case TextNode:
			if n.Layout == nil {
				return false
			}
			if par := p.ParentElement(id); par != NoNode {
				return p.Rendered(par)
			}
			return true
		case ElementNode:
			if n.Layout == nil {
				return false
			}
			if st := n.Layout.Style; st != nil && (st.Visibility == "hidden" || st.Visibility == "collapse") {
				return false
			}
			return true
		}
		return true
	}
	for a := id; a != NoNode; a = p.Nodes[a].Parent {
		an := &p.Nodes[a]
		if an.Kind == ElementNode && (nonRenderedTags[an.Tag] || staticHidden(an)) {
			return false
		}
	}
	return true
}

// Exposed reports whether assistive technology can reach the node. With the
// accessibility tree captured, that is the browser's verdict: the node has an
// entry that is not ignored. Without it, the node must be rendered and have
// no aria-hidden="true" ancestor.
func (p *Page) Exposed(id NodeID) bool {
	n := &p.Nodes[id]
	if p.Captured.Has(CapAX) {
		return n.AX != nil && !n.AX.Ignored
	}
	if !p.Rendered(id) {
		return false
	}
	for a := id; a != NoNode; a = p.Nodes[a].Parent {
		if v, ok := p.Nodes[a].Attr("aria-hidden"); ok && strings.EqualFold(strings.TrimSpace(v), "true") {
			return false
		}
	}
	return true
}

// staticHidden reports whether an element hides itself in its markup: the
// hidden attribute or an inline display:none or visibility:hidden.
func staticHidden(n *Node) bool {
	if v, ok := n.Attr("hidden"); ok && !strings.EqualFold(v, "until-found") {
		return true
	}
	if n.Tag == "input" && strings.EqualFold(n.AttrOr("type", ""), "hidden") {
		return true
	}
	style, ok := n.Attr("style")
	if !ok {
		return false
	}
	decls := InlineStyle(style)
	return decls["display"] == "none" || decls["visibility"] == "hidden" || decls["visibility"] == "collapse"
}

// InlineStyle parses a style attribute into lower-case property names and
// values, dropping "!important". Later declarations win, as in CSS.
func InlineStyle(style string) map[string]string {
	out := map[string]string{}
	for _, decl := range strings.Split(style, ";") {
		name, value, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.ToLower(strings.TrimSpace(value))
		value = strings.TrimSpace(strings.TrimSuffix(value, "!important"))
		if name != "" {
			out[name] = value
		}
	}
	return out
}
