package audit

import (
	"fmt"
	"strings"
	"sync"
)

// A Page is an immutable snapshot of one loaded page. A loader captures it
// once; rules read it and never talk to the browser. A Page round-trips
// through JSON, so snapshots of real pages can be recorded and replayed.
type Page struct {
	// URL is the address the loader was asked to load.
	URL string `json:"url"`
	// FinalURL is the address of the document after redirects.
	FinalURL string `json:"final_url"`
	// Status is the HTTP status of the main document, 0 when unknown.
	Status int `json:"status"`
	// Loader names the loader that captured the page: "chrome" or "static".
	Loader string `json:"loader"`
	// Captured says which facts the loader captured.
	Captured Capability `json:"captured"`
	// Viewport is the size of the window the page was laid out in; zero for
	// the static loader.
	Viewport Viewport `json:"viewport"`
	// Facts are the page-level facts derived from the tree.
	Facts Facts `json:"facts"`
	// Nodes holds every node in flat-tree order: open shadow trees in place
	// of their hosts' children and same-origin iframe documents under their
	// iframe elements. A NodeID indexes this slice; Nodes[0] is the top
	// document.
	Nodes []Node `json:"nodes"`
	// Walk is the keyboard walk, nil unless Captured has CapKeyboard.
	Walk *KeyboardWalk `json:"keyboard_walk,omitempty"`
	// Hidden lists the elements removed before the capture at the user's
	// request (--hide-elements), per selector.
	Hidden []HiddenSelector `json:"hidden_elements,omitempty"`
	// Consent is the consent dialog the page opened with and what was
	// done with it; nil when there was none.
	Consent *ConsentDialog `json:"consent_dialog,omitempty"`
	// Timings records how long each capture step took.
	Timings Timings `json:"timings,omitempty"`
	// Retried lists the browsers of a pool that died under the page before
	// this capture was made on another; empty for a page captured at the
	// first try.
	Retried []EndpointRetry `json:"retried,omitempty"`

	indexOnce sync.Once
	idx       *pageIndex
	memo      sync.Map // key → *memoEntry
}

type memoEntry struct {
	once sync.Once
	v    any
}

// Memo returns the value compute gives for key on this page, computing it
// once: rules that need the same derived fact (the headline, the outline)
// share one computation per page. compute must read nothing but the page.
// A key should be a value of an unexported type of the package that
// computes it, as context keys are. Memo is safe for concurrent use, and
// compute may call Memo with other keys.
func (p *Page) Memo(key any, compute func() any) any {
	e, _ := p.memo.LoadOrStore(key, &memoEntry{})
	me := e.(*memoEntry)
	me.once.Do(func() { me.v = compute() })
	return me.v
}

// A Viewport is a window size in CSS pixels.
type Viewport struct {
	// Width is the layout width in CSS pixels.
	Width int `json:"width"`
	// Height is the layout height in CSS pixels.
	Height int `json:"height"`
	// Mobile is true when the page was emulated as a mobile device.
	Mobile bool `json:"mobile,omitempty"`
}

// MobileViewport is the phone-sized window --mobile adds: 390x844, emulated
// as a touch device.
var MobileViewport = Viewport{Width: 390, Height: 844, Mobile: true}

// Label names the viewport in reports: "mobile" or "desktop".
func (v Viewport) Label() string {
	if v.Mobile {
		return "mobile"
	}
	return "desktop"
}

// String returns the label and size, e.g. "desktop 1280x800".
func (v Viewport) String() string { return fmt.Sprintf("%s %dx%d", v.Label(), v.Width, v.Height) }

// A NodeID identifies a node of a Page: its index in Page.Nodes.
type NodeID int32

// NoNode is the NodeID of no node, such as the parent of the document.
const NoNode NodeID = -1

// A NodeKind says what kind of DOM node a Node is.
type NodeKind uint8

const (
	// DocumentNode is a document: the top one or an iframe's.
	DocumentNode NodeKind = iota
	// ElementNode is an element.
	ElementNode
	// TextNode is a text node.
	TextNode
	// CommentNode is a comment.
	CommentNode
)

// A Node is one DOM node of a snapshot.
type Node struct {
	// Kind says whether this is a document, element, text or comment node.
	Kind NodeKind `json:"k"`
	// Tag is the lower-case local name of an element.
	Tag string `json:"tag,omitempty"`
	// Attrs are the element's attributes in source order.
	Attrs []Attr `json:"attrs,omitempty"`
	// Data is the text of a text or comment node.
	Data string `json:"data,omitempty"`
	// Parent is the parent node, NoNode for the top document.
	Parent NodeID `json:"parent"`
	// Children are the child nodes in flat-tree order.
	Children []NodeID `json:"children,omitempty"`
	// Frame numbers the document the node belongs to: 0 for the top
	// document, 1 and up for iframe documents in capture order.
	Frame int `json:"frame,omitempty"`
	// InShadow is true for nodes inside a shadow tree.
	InShadow bool `json:"shadow,omitempty"`
	// Layout is the rendered box and computed style; nil when the node is
	// not rendered (display:none, inside one, or never laid out) and always
	// nil from the static loader.
	Layout *Layout `json:"layout,omitempty"`
	// AX is the node's accessibility-tree entry; nil when the tree was not
	// captured or the browser made no entry for the node.
	AX *AXNode `json:"ax,omitempty"`
	// Image is the load state of an img element, nil for other nodes and
	// from the static loader.
	Image *ImageState `json:"image,omitempty"`
}

// An Attr is one attribute of an element.
type Attr struct {
	// Name is the lower-case attribute name.
	Name string `json:"n"`
	// Value is the attribute value.
	Value string `json:"v"`
}

// A Rect is a box in CSS pixels, relative to the top-left corner of its
// document.
type Rect struct {
	// X is the left edge.
	X float64 `json:"x"`
	// Y is the top edge.
	Y float64 `json:"y"`
	// W is the width.
	W float64 `json:"w"`
	// H is the height.
	H float64 `json:"h"`
}

// Area returns the box's area in square CSS pixels.
func (r Rect) Area() float64 { return r.W * r.H }

// Center returns the centre point of the box.
func (r Rect) Center() (x, y float64) { return r.X + r.W/2, r.Y + r.H/2 }

// Intersects reports whether r and o overlap by a positive area.
func (r Rect) Intersects(o Rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// Layout is what the browser rendered for a node.
type Layout struct {
	// Box is the node's border box.
	Box Rect `json:"box"`
	// Style is the element's computed style; nil for text nodes.
	Style *Style `json:"style,omitempty"`
}

// Style holds the computed style properties rules read.
type Style struct {
	// Display is the computed display value.
	Display string `json:"display,omitempty"`
	// Visibility is visible, hidden or collapse.
	Visibility string `json:"visibility,omitempty"`
	// Opacity is the element's own opacity, 0 to 1.
	Opacity float64 `json:"opacity"`
	// Position is static, relative, absolute, fixed or sticky.
	Position string `json:"position,omitempty"`
	// Clip is the computed clip, "auto" when none.
	Clip string `json:"clip,omitempty"`
	// ClipPath is the computed clip-path, "none" when none.
	ClipPath string `json:"clip_path,omitempty"`
	// OverflowX is the computed overflow-x.
	OverflowX string `json:"overflow_x,omitempty"`
	// FontSize is the font size in CSS pixels.
	FontSize float64 `json:"font_size,omitempty"`
	// FontWeight is the numeric font weight, 400 for normal.
	FontWeight int `json:"font_weight,omitempty"`
	// TextTransform is the computed text-transform.
	TextTransform string `json:"text_transform,omitempty"`
	// BackgroundImage is the computed background-image, "none" when none.
	BackgroundImage string `json:"background_image,omitempty"`
}

// An AXNode is what the browser's accessibility tree says of a DOM node.
type AXNode struct {
	// Role is the computed role, e.g. "image", "heading", "link".
	Role string `json:"role"`
	// Name is the computed accessible name.
	Name string `json:"name,omitempty"`
	// NameFrom says where the name came from: "alt", "aria-label",
	// "aria-labelledby", "title", "contents", "figcaption" and so on.
	NameFrom string `json:"name_from,omitempty"`
	// Description is the computed accessible description.
	Description string `json:"description,omitempty"`
	// Ignored is true when the node is not exposed to assistive technology.
	Ignored bool `json:"ignored,omitempty"`
	// Level is the heading level, 0 for non-headings.
	Level int `json:"level,omitempty"`
	// Focusable is true when the browser says the node can take focus.
	Focusable bool `json:"focusable,omitempty"`
}

// ImageState is the load state of an img element after the page settled.
type ImageState struct {
	// CurrentSrc is the URL the browser chose to show.
	CurrentSrc string `json:"current_src,omitempty"`
	// NaturalWidth is the intrinsic width of the loaded image, 0 when none
	// loaded.
	NaturalWidth int `json:"natural_width"`
	// NaturalHeight is the intrinsic height of the loaded image.
	NaturalHeight int `json:"natural_height"`
	// Complete is the element's complete flag: loading finished, well or not.
	Complete bool `json:"complete"`
}

// Loaded reports whether an image was decoded and has a size.
func (s *ImageState) Loaded() bool { return s != nil && s.Complete && s.NaturalWidth > 0 }

// Node returns the node with the given id.
func (p *Page) Node(id NodeID) *Node { return &p.Nodes[id] }

// Valid reports whether id names a node of the page.
func (p *Page) Valid(id NodeID) bool { return id >= 0 && int(id) < len(p.Nodes) }

// IsElement reports whether the node is an element.
func (n *Node) IsElement() bool { return n.Kind == ElementNode }

// Is reports whether the node is an element with one of the given tags.
func (n *Node) Is(tags ...string) bool {
	if n.Kind != ElementNode {
		return false
	}
	for _, t := range tags {
		if n.Tag == t {
			return true
		}
	}
	return false
}

// Attr returns the value of the named attribute and whether it is present.
func (n *Node) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// AttrOr returns the value of the named attribute, or def when absent.
func (n *Node) AttrOr(name, def string) string {
	if v, ok := n.Attr(name); ok {
		return v
	}
	return def
}

// HasAttr reports whether the named attribute is present.
func (n *Node) HasAttr(name string) bool {
	_, ok := n.Attr(name)
	return ok
}

// Role returns the element's explicit role attribute, trimmed and
// lower-cased, using the first token as browsers do.
func (n *Node) Role() string {
	r, ok := n.Attr("role")
	if !ok {
		return ""
	}
	f := strings.Fields(strings.ToLower(r))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// HasClass reports whether the class attribute holds the class c.
func (n *Node) HasClass(c string) bool {
	for _, f := range strings.Fields(n.AttrOr("class", "")) {
		if f == c {
			return true
		}
	}
	return false
}

// ClassContains reports whether any class of the element contains sub,
// case-insensitively.
func (n *Node) ClassContains(sub string) bool {
	cls := strings.ToLower(n.AttrOr("class", ""))
	return strings.Contains(cls, sub)
}
