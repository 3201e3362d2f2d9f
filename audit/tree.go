package audit

import (
	"iter"
	"strings"
	"unicode/utf8"
)

// pageIndex holds lookups computed once per page on first use.
type pageIndex struct {
	// byTag lists element ids per tag, in document order.
	byTag map[string][]NodeID
	// idCount counts elements per id attribute value within each frame.
	idCount map[frameKey]int
	// byID maps an id to the first light-DOM element carrying it in each
	// frame, as getElementById finds it.
	byID map[frameKey]NodeID
	// byName maps a name to the first light-DOM a element carrying it.
	byName map[frameKey]NodeID
	// end holds, per node, the id just past its last descendant.
	end []NodeID
}

type frameKey struct {
	frame int
	key   string
}

func (p *Page) index() *pageIndex {
	p.indexOnce.Do(func() {
		ix := &pageIndex{
			byTag:   map[string][]NodeID{},
			idCount: map[frameKey]int{},
			byID:    map[frameKey]NodeID{},
			byName:  map[frameKey]NodeID{},
		}
		for i := range p.Nodes {
			n := &p.Nodes[i]
			if n.Kind != ElementNode {
				continue
			}
			id := NodeID(i)
			ix.byTag[n.Tag] = append(ix.byTag[n.Tag], id)
			if v, ok := n.Attr("id"); ok && v != "" {
				k := frameKey{n.Frame, v}
				ix.idCount[k]++
				if _, seen := ix.byID[k]; !seen && !n.InShadow {
					ix.byID[k] = id
				}
			}
			if n.Tag == "a" && !n.InShadow {
				if v, ok := n.Attr("name"); ok && v != "" {
					k := frameKey{n.Frame, v}
					if _, seen := ix.byName[k]; !seen {
						ix.byName[k] = id
					}
				}
			}
		}
		ix.end = make([]NodeID, len(p.Nodes))
		// Nodes are in pre-order, so children have larger ids than their
		// parent: walking backwards finishes every subtree before its root.
		for i := len(p.Nodes) - 1; i >= 0; i-- {
			kids := p.Nodes[i].Children
			if len(kids) == 0 {
				ix.end[i] = NodeID(i + 1)
			} else {
				ix.end[i] = ix.end[kids[len(kids)-1]]
			}
		}
		p.idx = ix
	})
	return p.idx
}

// ElementsByTag returns the elements with the tag in document order.
func (p *Page) ElementsByTag(tag string) []NodeID { return p.index().byTag[tag] }

// ElementByID returns the first light-DOM element of the frame whose id is
// id, as document.getElementById would, or NoNode.
func (p *Page) ElementByID(frame int, id string) NodeID {
	if n, ok := p.index().byID[frameKey{frame, id}]; ok {
		return n
	}
	return NoNode
}

// AnchorByName returns the first a element of the frame whose name is
// name, or NoNode.
func (p *Page) AnchorByName(frame int, name string) NodeID {
	if n, ok := p.index().byName[frameKey{frame, name}]; ok {
		return n
	}
	return NoNode
}

// IDIsUnique reports whether exactly one element of the frame carries id.
func (p *Page) IDIsUnique(frame int, id string) bool {
	return p.index().idCount[frameKey{frame, id}] == 1
}

// Elements iterates over every element in document order.
func (p *Page) Elements() iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		for i := range p.Nodes {
			if p.Nodes[i].Kind == ElementNode && !yield(NodeID(i)) {
				return
			}
		}
	}
}

// Ancestors iterates over the ancestors of id, nearest first, stopping at
// the top document. Iframe elements are ancestors of their documents.
func (p *Page) Ancestors(id NodeID) iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		for a := p.Nodes[id].Parent; a != NoNode; a = p.Nodes[a].Parent {
			if !yield(a) {
				return
			}
		}
	}
}

// Closest returns id itself or its nearest ancestor element with one of the
// tags, or NoNode. It stays within the node's own frame.
func (p *Page) Closest(id NodeID, tags ...string) NodeID {
	frame := p.Nodes[id].Frame
	for a := id; a != NoNode; a = p.Nodes[a].Parent {
		n := &p.Nodes[a]
		if n.Frame != frame {
			return NoNode
		}
		if n.Is(tags...) {
			return a
		}
	}
	return NoNode
}

// ClosestFunc returns id itself or its nearest ancestor for which match
// returns true, or NoNode.
func (p *Page) ClosestFunc(id NodeID, match func(NodeID, *Node) bool) NodeID {
	for a := id; a != NoNode; a = p.Nodes[a].Parent {
		if match(a, &p.Nodes[a]) {
			return a
		}
	}
	return NoNode
}

// Contains reports whether anc is id or one of its ancestors.
func (p *Page) Contains(anc, id NodeID) bool {
	for a := id; a != NoNode; a = p.Nodes[a].Parent {
		if a == anc {
			return true
		}
	}
	return false
}

// Descendants iterates over the descendants of id in document order, not
// including id itself.
func (p *Page) Descendants(id NodeID) iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		// Nodes are stored in pre-order, so a subtree is a contiguous run
		// that ends where a node outside the subtree starts.
		end := p.subtreeEnd(id)
		for i := id + 1; i < end; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

// subtreeEnd returns the id just past the last descendant of id.
func (p *Page) subtreeEnd(id NodeID) NodeID { return p.index().end[id] }

// ParentElement returns the nearest ancestor that is an element, or NoNode.
func (p *Page) ParentElement(id NodeID) NodeID {
	for a := p.Nodes[id].Parent; a != NoNode; a = p.Nodes[a].Parent {
		if p.Nodes[a].Kind == ElementNode {
			return a
		}
	}
	return NoNode
}

// ElementChildren returns the element children of id.
func (p *Page) ElementChildren(id NodeID) []NodeID {
	var out []NodeID
	for _, c := range p.Nodes[id].Children {
		if p.Nodes[c].Kind == ElementNode {
			out = append(out, c)
		}
	}
	return out
}

// NextElementSibling returns the next sibling of id that is an element, or
// NoNode.
func (p *Page) NextElementSibling(id NodeID) NodeID {
	par := p.Nodes[id].Parent
	if par == NoNode {
		return NoNode
	}
	seen := false
	for _, c := range p.Nodes[par].Children {
		if c == id {
			seen = true
			continue
		}
		if seen && p.Nodes[c].Kind == ElementNode {
			return c
		}
	}
	return NoNode
}

// DocumentElement returns the html element of the top document, or NoNode.
func (p *Page) DocumentElement() NodeID {
	if len(p.Nodes) == 0 {
		return NoNode
	}
	for _, c := range p.Nodes[0].Children {
		if p.Nodes[c].Is("html") {
			return c
		}
	}
	return NoNode
}

// Body returns the body element of the top document, or NoNode.
func (p *Page) Body() NodeID {
	html := p.DocumentElement()
	if html == NoNode {
		return NoNode
	}
	for _, c := range p.Nodes[html].Children {
		if p.Nodes[c].Is("body") {
			return c
		}
	}
	return NoNode
}

// nonRenderedTags are elements whose text is never rendered as page text.
var nonRenderedTags = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true,
	"head": true, "title": true, "meta": true, "link": true,
}

// TextContent returns the text of id and its descendants with whitespace
// collapsed, skipping script, style, template and similar elements. It
// ignores layout: hidden text counts.
func (p *Page) TextContent(id NodeID) string {
	var b strings.Builder
	p.collectText(&b, id, false)
	return CollapseSpace(b.String())
}

// VisibleText returns the text of id that the page renders, with whitespace
// collapsed. With layout captured it keeps only text nodes that were laid out
// and are not visibility:hidden; otherwise it applies the static hiding
// rules of Rendered.
func (p *Page) VisibleText(id NodeID) string {
	var b strings.Builder
	p.collectText(&b, id, true)
	return CollapseSpace(b.String())
}

func (p *Page) collectText(b *strings.Builder, id NodeID, visibleOnly bool) {
	n := &p.Nodes[id]
	switch n.Kind {
	case TextNode:
		if visibleOnly && !p.Rendered(id) {
			return
		}
		b.WriteString(n.Data)
		return
	case CommentNode:
		return
	case ElementNode:
		if nonRenderedTags[n.Tag] {
			return
		}
		if visibleOnly && !p.Captured.Has(CapLayout) && staticHidden(n) {
			return
		}
		if isBlockish(n.Tag) {
			b.WriteByte(' ')
		}
	}
	for _, c := range n.Children {
		p.collectText(b, c, visibleOnly)
	}
	if n.Kind == ElementNode && isBlockish(n.Tag) {
		b.WriteByte(' ')
	}
}

// isBlockish reports whether an element separates words from its
// neighbours when text is joined.
func isBlockish(tag string) bool {
	switch tag {
	case "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i",
		"kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
		"time", "u", "var", "font", "label":
		return false
	}
	return true
}

// CollapseSpace trims s and replaces each run of white space, including
// no-break spaces, with one space.
func CollapseSpace(s string) string {
	if isCollapsed(s) {
		return s // the common case, without copying what may be a megabyte
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether CollapseSpace would return s as it is:
// valid UTF-8, no white space but single ASCII spaces between other
// characters.
func isCollapsed(s string) bool {
	space := true // a leading space is not collapsed
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
		}
		i += size
		switch {
		case r == ' ' && !space:
			space = true
		case isSpace(r):
			return false
		default:
			space = false
		}
	}
	return !space || s == ""
}

// isSpace reports whether r is white space for text comparison: ASCII
// space, Unicode spaces including no-break and zero-width ones.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
		0x202F, 0x205F, 0x3000, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// IsBlank reports whether s holds nothing but white space as CollapseSpace
// defines it.
func IsBlank(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}
