// Package caption reads a news photo's caption and credit the way a reader
// meets them, and compares them with the photo's alt text.
//
// A caption is the text of the image's figcaption, of the elements its
// aria-describedby names, or of a block the site puts beside the image:
// one whose class names a caption ("caption", "legende"…), or, whatever
// its class, a short block of text that marks itself as a caption by what
// it says (a labelled credit, a credit element, a hidden caption or source
// label), inside the image's own link too. Its text is what the page
// renders: visually hidden labels ("Image caption, ", "Credit") are set
// aside, detected from computed style and layout when captured and from a
// lexicon of labels otherwise, and what follows a hidden source label
// ("Image source, ") is the credit; the credit is also split off from
// credit elements (class credit, copyright, source; small, cite) and from
// the text itself (Split). Compare then matches an alt text against it
// after normalisation (textmatch).
package caption

import (
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

// Where a caption came from.
const (
	// FromFigcaption is the figcaption of the image's figure.
	FromFigcaption = "figcaption"
	// FromDescribedBy is an element the image's aria-describedby names.
	FromDescribedBy = "aria-describedby"
	// FromSibling is a caption element the site puts beside the image.
	FromSibling = "caption element"
	// FromAdjacent is a short block of text right next to the image, with
	// no caption markup: a paragraph or list after a figure.
	FromAdjacent = "adjacent text"
)

// A Caption is an image's caption as a reader meets it.
type Caption struct {
	// Node is the caption element.
	Node audit.NodeID
	// Source says where it came from: FromFigcaption, FromDescribedBy or
	// FromSibling.
	Source string
	// Text is what the caption says: rendered text, without visually
	// hidden labels and without the credit.
	Text string
	// Credit is the photo credit, from credit elements and the text.
	Credit string
	// Hidden holds the visually hidden text set aside, such as "Image
	// caption,".
	Hidden []string
}

// Empty reports whether the caption says nothing, not even a credit.
func (c Caption) Empty() bool { return c.Text == "" && c.Credit == "" }

// ForImage returns the captions of an image, nearest first: its figure's
// figcaption, the elements its aria-describedby names, and, when it has no
// figcaption, a caption the site puts beside it (siblingCaption). Empty
// captions are left out.
func ForImage(p *audit.Page, img audit.NodeID) []Caption {
	var out []Caption
	seen := map[audit.NodeID]bool{}
	add := func(node audit.NodeID, source string) {
		if node == audit.NoNode || seen[node] || p.Contains(node, img) {
			return
		}
		seen[node] = true
		if c := Read(p, node, source); !c.Empty() {
			out = append(out, c)
		}
	}
	fig := Figcaption(p, img)
	add(fig, FromFigcaption)
	n := p.Node(img)
	for _, ref := range strings.Fields(n.AttrOr("aria-describedby", "")) {
		add(p.ElementByID(n.Frame, ref), FromDescribedBy)
	}
	if fig == audit.NoNode {
		add(siblingCaption(p, img), FromSibling)
	}
	return out
}

// maxAdjacentText bounds the text of a block next to an image that may
// act as its caption; a longer block is body copy.
const maxAdjacentText = 300

// Adjacent returns the short text blocks right next to an image, or next
// to its figure or a wrapper that holds nothing but the image: the
// captions sites write as a plain paragraph or list (the Guardian's photo
// essays put theirs in a list after the figure). This is the text WAVE's
// alt_redundant compares with. Headings and links are left out (a
// teaser's headline is another rule's business), as are images inside
// links and buttons.
func Adjacent(p *audit.Page, img audit.NodeID) []Caption {
	if p.ClosestFunc(img, func(_ audit.NodeID, n *audit.Node) bool {
		return n.Is("a", "button") || n.Role() == "link" || n.Role() == "button"
	}) != audit.NoNode && p.Closest(img, "figure") == audit.NoNode {
		return nil
	}
	var out []Caption
	cur := img
	for range maxSiblingDepth + 2 {
		for _, sib := range []audit.NodeID{p.NextElementSibling(cur), previousElementSibling(p, cur)} {
			if sib == audit.NoNode || !adjacentText(p, sib) {
				continue
			}
			if c := Read(p, sib, FromAdjacent); c.Text != "" {
				out = append(out, c)
			}
		}
		par := p.Node(cur).Parent
		if par == audit.NoNode || p.Node(cur).Is("figure") || p.Node(par).Kind != audit.ElementNode {
			break
		}
		if !p.Node(par).Is("figure") && !onlyWraps(p, par, cur) {
			break
		}
		cur = par
	}
	return out
}

// adjacentText reports whether an element next to an image is a short
// block of text that could caption it.
func adjacentText(p *audit.Page, id audit.NodeID) bool {
	return blockOfText(p, id, maxAdjacentText)
}

// blockOfText reports whether an element is a block of at most max
// characters of text with no heading, link, control or picture in it.
func blockOfText(p *audit.Page, id audit.NodeID, max int) bool {
	n := p.Node(id)
	if !n.Is("p", "div", "span", "ul", "ol", "li", "small", "em", "i", "figcaption") || n.Role() == "heading" {
		return false
	}
	for d := range p.Descendants(id) {
		dn := p.Node(d)
		if dn.Is("img", "picture", "video", "iframe", "h1", "h2", "h3", "h4", "h5", "h6", "a", "button", "figure") ||
			dn.Role() == "heading" || dn.Role() == "link" || dn.Role() == "button" {
			return false
		}
	}
	if !ShortText(p, id, max) {
		return false
	}
	text := p.VisibleText(id)
	return text != "" && len(text) <= max
}

// HasText reports whether a node holds any rendered text, stopping at the
// first; cheaper than VisibleText on a large subtree.
func HasText(p *audit.Page, id audit.NodeID) bool {
	if n := p.Node(id); n.Kind == audit.TextNode {
		return !audit.IsBlank(n.Data) && p.Rendered(id)
	}
	for d := range p.Descendants(id) {
		if n := p.Node(d); n.Kind == audit.TextNode && !audit.IsBlank(n.Data) && p.Rendered(d) {
			return true
		}
	}
	return false
}

// ShortText reports whether the text under a node could be at most max
// characters once white space is collapsed: it gives up as soon as the
// non-space characters alone pass max, so a large subtree costs little.
func ShortText(p *audit.Page, id audit.NodeID, max int) bool {
	count := 0
	for d := range p.Descendants(id) {
		n := p.Node(d)
		if n.Kind != audit.TextNode {
			continue
		}
		for _, r := range n.Data {
			if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
				count++
			}
		}
		if count > max {
			return false
		}
	}
	return true
}

// Figcaption returns the figcaption of the figure an element is in, or
// NoNode. An element inside the figcaption itself has none.
func Figcaption(p *audit.Page, id audit.NodeID) audit.NodeID {
	fig := p.Closest(id, "figure")
	if fig == audit.NoNode || p.Closest(id, "figcaption") != audit.NoNode {
		return audit.NoNode
	}
	for _, c := range p.ElementChildren(fig) {
		if p.Node(c).Is("figcaption") {
			return c
		}
	}
	return audit.NoNode
}

// maxSiblingDepth bounds how many wrappers (picture, a link, a div holding
// only the image) siblingCaption climbs out of.
const maxSiblingDepth = 4

// siblingCaption finds a caption right next to the image, right next to a
// wrapper that holds nothing but the image (a picture, a link), or right
// next to its figure (Yahoo puts a p class="legend" after a figure with no
// figcaption): an element whose class names a caption, or a block that
// marks itself as one (markedCaption), below the picture or above it when
// nothing follows.
func siblingCaption(p *audit.Page, img audit.NodeID) audit.NodeID {
	cur := img
	for range maxSiblingDepth {
		par := p.Node(cur).Parent
		if par == audit.NoNode || p.Node(par).Kind != audit.ElementNode {
			return audit.NoNode
		}
		next, prev := p.NextElementSibling(cur), previousElementSibling(p, cur)
		for _, sib := range []audit.NodeID{next, prev} {
			if sib != audit.NoNode && isCaptionElement(p, sib) {
				return sib
			}
		}
		// A block marked as a caption by what it says, whatever its class:
		// below the picture, or above it when nothing follows.
		for _, sib := range []audit.NodeID{next, prev} {
			if sib != audit.NoNode && markedCaption(p, sib) {
				return sib
			}
			if next != audit.NoNode {
				break
			}
		}
		if p.Node(cur).Is("figure") {
			return audit.NoNode
		}
		if !p.Node(par).Is("figure") && !onlyWraps(p, par, cur) {
			return audit.NoNode
		}
		cur = par
	}
	return audit.NoNode
}

// maxMarkedCaption bounds the text of a block that markedCaption takes
// for a caption.
const maxMarkedCaption = 400

// markedCaption reports whether an element beside an image is a caption
// by what it says, whatever its class: a short block of text (no heading,
// link or picture in it) that names its credit with a label ("| Foto:
// Reuters", "Photograph: Jane Doe"), holds a credit element that names an
// agency or opens with a label, or carries a visually hidden caption or
// source label ("Image caption, "). A block
// with none of these next to a linked image is a teaser's text, which
// img-alt-duplicates-link-text judges.
func markedCaption(p *audit.Page, id audit.NodeID) bool {
	if !blockOfText(p, id, maxMarkedCaption) {
		return false
	}
	c, marked := read(p, id, FromSibling)
	return marked && c.Text != ""
}

// previousElementSibling returns the element just before id, or NoNode.
func previousElementSibling(p *audit.Page, id audit.NodeID) audit.NodeID {
	par := p.Node(id).Parent
	if par == audit.NoNode {
		return audit.NoNode
	}
	prev := audit.NoNode
	for _, c := range p.Node(par).Children {
		if c == id {
			return prev
		}
		if p.Node(c).Kind == audit.ElementNode {
			prev = c
		}
	}
	return audit.NoNode
}

// onlyWraps reports whether par holds nothing but child and elements
// without text (icons, overlays, placeholders).
func onlyWraps(p *audit.Page, par, child audit.NodeID) bool {
	if p.Node(par).Is("figure", "article", "main", "body", "section", "li") {
		return false
	}
	for _, c := range p.Node(par).Children {
		if c == child {
			continue
		}
		if p.Node(c).Kind == audit.CommentNode {
			continue
		}
		if HasText(p, c) {
			return false
		}
	}
	return true
}

// captionWords are parts of class names and ids that mark a caption.
var captionWords = lexicon.Default().List(lexicon.CaptionClass)

// captionItemprops are the itemprop values of a caption.
var captionItemprops = lexicon.Default().List(lexicon.CaptionItemprop)

// isCaptionElement reports whether an element is marked up as a caption
// and holds text and no image.
func isCaptionElement(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if n.Is("img", "picture", "figure", "script", "style", "button", "a") {
		return false
	}
	marked := captionItemprops.Has(strings.ToLower(n.AttrOr("itemprop", "")))
	names := strings.ToLower(n.AttrOr("class", "") + " " + n.AttrOr("id", ""))
	if captionWords.PartOf(names) != "" {
		marked = true
	}
	if !marked {
		return false
	}
	for d := range p.Descendants(id) {
		if p.Node(d).Is("img", "picture", "video", "iframe") {
			return false
		}
	}
	text := p.VisibleText(id)
	return text != "" && len(text) <= 1000
}

// Read returns the caption text of an element as a reader meets it. An
// element that is not rendered (an aria-describedby target can be hidden
// and still be read) is read from its whole text.
func Read(p *audit.Page, node audit.NodeID, source string) Caption {
	c, _ := read(p, node, source)
	return c
}

// read is Read, and also reports whether the caption marks itself as one:
// a credit introduced by a label, a credit element that names an agency
// or opens with a label, or a visually hidden caption or source label.
func read(p *audit.Page, node audit.NodeID, source string) (Caption, bool) {
	c := Caption{Node: node, Source: source}
	var r reader
	r.page, r.root = p, node
	if p.Rendered(node) {
		r.walk(node, &r.body)
	} else {
		r.body.WriteString(p.TextContent(node))
	}
	lex := lexicon.Default()
	parts := Split(r.body.String())
	c.Text = parts.Body
	if parts.Prefix != "" {
		c.Hidden = append(c.Hidden, strings.TrimSpace(parts.Prefix))
	}
	c.Hidden = append(c.Hidden, r.hidden...)
	var credits []string
	if parts.Credit != "" {
		credits = append(credits, parts.Credit)
	}
	if tail := trimSeparators(audit.CollapseSpace(r.tail.String())); tail != "" {
		credits = append(credits, tail)
	}
	for _, cr := range r.credits {
		label, rest := lex.HiddenPrefix(cr)
		if label != "" {
			c.Hidden = append(c.Hidden, strings.TrimSpace(label))
		}
		if rest = stripCreditLabel(trimSeparators(rest)); rest != "" {
			credits = append(credits, rest)
		}
	}
	c.Credit = strings.Join(credits, " ")
	marked := r.inTail || parts.Prefix != "" || labelledCredit(lex, parts.Credit)
	for _, cr := range r.credits {
		// A credit element counts when it reads as a credit: a date in a
		// small element does not make a teaser's text a caption.
		if _, agency := lex.Agency(cr); agency || labelledCredit(lex, cr) {
			marked = true
		}
	}
	for _, h := range r.hidden {
		if label, _ := lex.HiddenPrefix(h); label != "" || lex.IsSourceLabel(h) {
			marked = true
		}
	}
	return c, marked
}

// labelledCredit reports whether a credit opens with a credit label:
// "Foto: Reuters", "Photograph: Jane Doe", "(Photo Jane Doe. AFP)".
func labelledCredit(lex *lexicon.Lexicon, credit string) bool {
	credit = strings.TrimSpace(credit)
	if credit == "" {
		return false
	}
	for _, m := range lex.Markers() {
		if start, _ := m.Find(credit, 0); start == 0 && !m.NeedsAgency {
			return true
		}
	}
	inner := strings.TrimLeft(credit, "([")
	return inner != credit && startsWithCreditWord(inner)
}

// A reader collects a caption's text in three parts.
type reader struct {
	page *audit.Page
	root audit.NodeID
	body strings.Builder
	// credits are the texts of credit elements, one each.
	credits []string
	// hidden are the visually hidden texts, one per hidden element.
	hidden []string
	// tail is the caption's text after a visually hidden source label
	// ("Image source, "): the credit, which the label names as such.
	tail strings.Builder
	// inTail is set once such a label has been read.
	inTail bool
}

// skippedTags hold no caption text: scripts, media, form controls.
var skippedTags = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true, "svg": true,
	"button": true, "select": true, "input": true, "textarea": true, "img": true,
	"video": true, "audio": true, "iframe": true, "picture": true, "head": true,
}

// walk adds the text of id to sink: the caption body, or the credit or
// hidden element being read. Visually hidden elements and, in the body,
// credit elements get a sink of their own.
func (r *reader) walk(id audit.NodeID, sink *strings.Builder) {
	p := r.page
	n := p.Node(id)
	switch n.Kind {
	case audit.TextNode:
		if r.inTail && sink == &r.body {
			sink = &r.tail
		}
		if p.Rendered(id) {
			sink.WriteString(n.Data)
		}
		return
	case audit.CommentNode:
		return
	}
	if id != r.root {
		if skippedTags[n.Tag] || r.notRendered(id) {
			return
		}
		if strings.EqualFold(strings.TrimSpace(n.AttrOr("aria-hidden", "")), "true") {
			return
		}
		own := &r.hidden
		switch {
		case VisuallyHidden(p, id):
		case sink == &r.body && isCreditElement(p, id):
			own = &r.credits
		default:
			own = nil
		}
		if own != nil {
			var seg strings.Builder
			r.children(id, &seg)
			if text := audit.CollapseSpace(seg.String()); text != "" {
				*own = append(*own, text)
				if own == &r.hidden && sink == &r.body && lexicon.Default().IsSourceLabel(text) {
					r.inTail = true
				}
			}
			sink.WriteByte(' ') // the element separated the words around it
			return
		}
	}
	r.children(id, sink)
}

// children walks the children of an element, separating words at block
// boundaries.
func (r *reader) children(id audit.NodeID, sink *strings.Builder) {
	n := r.page.Node(id)
	// Credits are short runs of labels and names: every element boundary
	// separates words there ("<span>Credit</span><span>Jane Doe</span>").
	block := !inlineTags[n.Tag] || sink != &r.body
	if block {
		sink.WriteByte(' ')
	}
	for _, c := range n.Children {
		r.walk(c, sink)
	}
	if block {
		sink.WriteByte(' ')
	}
}

// notRendered reports whether an element is not rendered at all (display
// none, or hidden in its markup without layout). A visibility:hidden
// element is left to its text nodes, which may be visible again.
func (r *reader) notRendered(id audit.NodeID) bool {
	if r.page.Captured.Has(audit.CapLayout) {
		return r.page.Node(id).Layout == nil
	}
	return !r.page.Rendered(id)
}

// inlineTags do not separate words from their neighbours.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "i": true, "kbd": true, "mark": true, "q": true,
	"s": true, "samp": true, "small": true, "span": true, "strong": true, "sub": true,
	"sup": true, "time": true, "u": true, "var": true, "font": true, "label": true,
}

// creditClassWords are parts of class names that mark a credit element.
var creditClassWords = lexicon.Default().List(lexicon.CreditClass)

// creditItemprops are the schema.org properties of a credit.
var creditItemprops = lexicon.Default().List(lexicon.CreditItemprop)

// maxCreditElementWords bounds a credit element: a longer text in an
// element named "copy" or "source" is the caption itself.
const maxCreditElementWords = 12

// isCreditElement reports whether an element inside a caption holds its
// credit: small and cite elements, schema.org credit properties, and
// classes such as "credit", "copyright", "caption__source".
func isCreditElement(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	marked := n.Is("small", "cite")
	for _, prop := range strings.Fields(strings.ToLower(n.AttrOr("itemprop", ""))) {
		if creditItemprops.Has(prop) {
			marked = true
		}
	}
	for _, cls := range strings.Fields(strings.ToLower(n.AttrOr("class", ""))) {
		for _, part := range strings.FieldsFunc(cls, func(r rune) bool { return r == '-' || r == '_' }) {
			if creditClassWords.Has(part) {
				marked = true
			}
		}
	}
	return marked && wordCount(p.VisibleText(id)) <= maxCreditElementWords
}

// stripCreditLabel drops a label word that opens a credit element without
// a colon ("Credit Kirsten Luce for The New York Times"), which pages hide
// visually and the static loader cannot tell apart.
func stripCreditLabel(credit string) string {
	first, rest, ok := strings.Cut(credit, " ")
	if ok && creditWords.Has(strings.ToLower(first)) && wordCount(rest) >= 2 {
		return rest
	}
	return credit
}
