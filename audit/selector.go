package audit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Selector returns a CSS selector that finds the element id in its document:
// "#id" when the element carries an id unique in its frame (and no longer
// than a few hundred characters), otherwise a
// child path from the nearest ancestor with such an id (or from html), using
// :nth-of-type where siblings share a tag. Steps into a shadow tree or an
// iframe document are joined by " >>> ", since CSS cannot cross them.
func Selector(p *Page, id NodeID) string {
	if !p.Valid(id) {
		return ""
	}
	if p.Nodes[id].Kind != ElementNode {
		if par := p.ParentElement(id); par != NoNode {
			id = par
		} else {
			return ""
		}
	}
	var scopes []string
	for cur := id; cur != NoNode; {
		var path string
		path, cur = scopePath(p, cur)
		scopes = append(scopes, path)
	}
	return joinReversed(scopes, " >>> ")
}

// scopePath returns the selector of id within its own scope (document or
// shadow tree) and the element just outside that scope, NoNode at the top.
func scopePath(p *Page, id NodeID) (string, NodeID) {
	var steps []string
	for cur := id; ; {
		n := &p.Nodes[cur]
		if v, ok := n.Attr("id"); ok && v != "" && len(v) <= maxSelectorID && p.IDIsUnique(n.Frame, v) {
			steps = append(steps, idSelector(v))
			return joinReversed(steps, " > "), scopeBoundary(p, cur)
		}
		steps = append(steps, n.Tag+nthOfType(p, cur))
		par, crossed := domParent(p, cur)
		if crossed || par == NoNode {
			return joinReversed(steps, " > "), par
		}
		cur = par
	}
}

// maxSelectorID is the longest id, in bytes, a selector uses; a page can
// make an id a megabyte long, and a selector is kept whole in every
// finding, so past it the element is found by its path instead.
const maxSelectorID = 200

// domParent returns the element that is the DOM parent of id for selector
// purposes and whether the step crosses into an outer scope (the host of a
// shadow tree or the iframe of a document).
func domParent(p *Page, id NodeID) (NodeID, bool) {
	n := &p.Nodes[id]
	par := n.Parent
	if par == NoNode {
		return NoNode, true
	}
	pn := &p.Nodes[par]
	if pn.Kind == DocumentNode {
		// The html element of an iframe document: the iframe element is
		// the document's parent.
		return pn.Parent, true
	}
	if n.InShadow && !pn.InShadow {
		return par, true
	}
	if !n.InShadow && pn.InShadow {
		// A slotted light child: its DOM parent is the shadow host, the
		// nearest ancestor outside the shadow tree.
		for a := par; a != NoNode; a = p.Nodes[a].Parent {
			if !p.Nodes[a].InShadow {
				return a, false
			}
		}
	}
	return par, false
}

// scopeBoundary returns the node just outside the scope of id: the shadow
// host or the iframe element, or NoNode at the top document.
func scopeBoundary(p *Page, id NodeID) NodeID {
	for cur := id; cur != NoNode; {
		par, crossed := domParent(p, cur)
		if crossed {
			return par
		}
		cur = par
	}
	return NoNode
}

// nthOfType returns ":nth-of-type(k)" when id has element siblings with the
// same tag, else "".
func nthOfType(p *Page, id NodeID) string {
	n := &p.Nodes[id]
	par := n.Parent
	if par == NoNode || n.Tag == "html" || n.Tag == "body" || n.Tag == "head" {
		return ""
	}
	var same, pos int
	if kids := p.Nodes[par].Children; len(kids) > scanSiblings {
		same, pos = p.Memo(typeOrderKey{par}, func() any { return newTypeOrder(p, kids) }).(*typeOrder).of(p, id)
	} else {
		same, pos = typePosition(p, kids, id)
	}
	if same <= 1 {
		return ""
	}
	return ":nth-of-type(" + strconv.Itoa(pos) + ")"
}

// scanSiblings is the most children nthOfType counts through for each
// selector; past it, a parent's children are counted once per page (see
// typeOrder), so that the selectors of a list of 20,000 items cost linear
// time instead of quadratic.
const scanSiblings = 64

// typePosition counts id's element siblings of its tag (and tree: light
// or shadow) among kids, and says where id comes among them (from 1).
func typePosition(p *Page, kids []NodeID, id NodeID) (same, pos int) {
	n := &p.Nodes[id]
	for _, c := range kids {
		cn := &p.Nodes[c]
		if cn.Kind == ElementNode && cn.Tag == n.Tag && cn.InShadow == n.InShadow {
			same++
			if c == id {
				pos = same
			}
		}
	}
	return same, pos
}

// typeOrderKey is the Memo key of one parent's typeOrder.
type typeOrderKey struct{ parent NodeID }

// A typeOrder holds, for the element children of one parent, each child's
// place among its siblings of the same tag and tree, and how many there
// are of each.
type typeOrder struct {
	pos   map[NodeID]int
	count map[siblingType]int
}

// siblingType is what nth-of-type counts siblings by.
type siblingType struct {
	tag      string
	inShadow bool
}

func newTypeOrder(p *Page, kids []NodeID) *typeOrder {
	o := &typeOrder{pos: make(map[NodeID]int, len(kids)), count: map[siblingType]int{}}
	for _, c := range kids {
		cn := &p.Nodes[c]
		if cn.Kind != ElementNode {
			continue
		}
		t := siblingType{cn.Tag, cn.InShadow}
		o.count[t]++
		o.pos[c] = o.count[t]
	}
	return o
}

// of returns what typePosition returns for id, from the table.
func (o *typeOrder) of(p *Page, id NodeID) (same, pos int) {
	n := &p.Nodes[id]
	return o.count[siblingType{n.Tag, n.InShadow}], o.pos[id]
}

var cssIdent = regexp.MustCompile(`^-?[A-Za-z_][A-Za-z0-9_-]*$`)

// idSelector returns "#id" for a plain identifier, or an attribute selector
// with the value quoted when the id needs escaping.
func idSelector(id string) string {
	if cssIdent.MatchString(id) {
		return "#" + id
	}
	return `[id="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\a `).Replace(id) + `"]`
}

func joinReversed(parts []string, sep string) string {
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
		if i > 0 {
			b.WriteString(sep)
		}
	}
	return b.String()
}

// SnippetLimit is the longest snippet, in characters, before truncation.
const SnippetLimit = 200

// attrValueLimit bounds each attribute value within a snippet.
const attrValueLimit = 100

// Snippet returns the opening tag of the element id, with whitespace in
// attribute values collapsed, long values shortened and the whole truncated
// to SnippetLimit characters with "…".
func Snippet(p *Page, id NodeID) string {
	if !p.Valid(id) || p.Nodes[id].Kind != ElementNode {
		return ""
	}
	n := &p.Nodes[id]
	var b strings.Builder
	b.WriteString("<")
	b.WriteString(n.Tag)
	for _, a := range n.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Name)
		b.WriteString(`="`)
		v := snippetValue(a.Value)
		if strings.HasPrefix(v, "data:") {
			v = Truncate(v, 30)
		}
		v = Truncate(v, attrValueLimit)
		b.WriteString(strings.ReplaceAll(v, `"`, "&quot;"))
		b.WriteByte('"')
	}
	b.WriteString(">")
	return Truncate(b.String(), SnippetLimit)
}

// snippetValue renders an attribute value for a snippet as the page has
// it, on one line: a value of white space only is kept character for
// character (spaces as they are, other white space as character
// references, so alt=" " never reads as alt=""); in any other value each
// run of white space becomes one space, kept at the start and the end too.
func snippetValue(v string) string {
	if v == "" {
		return ""
	}
	if IsBlank(v) {
		var b strings.Builder
		for _, r := range v {
			if r == ' ' {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "&#x%X;", r)
			}
		}
		return b.String()
	}
	out := CollapseSpace(v)
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	if isSpace(first) {
		out = " " + out
	}
	if isSpace(last) {
		out += " "
	}
	return out
}

// Truncate shortens s to at most max characters, ending with "…" when it
// cut anything.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// Describe names an element briefly, as messages and the keyboard walk
// do: its tag, id and first two classes, e.g. "header#masthead.sticky".
func Describe(p *Page, id NodeID) string {
	if !p.Valid(id) {
		return ""
	}
	n := p.Node(id)
	s := n.Tag
	if v := n.AttrOr("id", ""); v != "" {
		s += "#" + v
	}
	for i, c := range strings.Fields(n.AttrOr("class", "")) {
		if i == 2 {
			break
		}
		s += "." + c
	}
	return s
}
