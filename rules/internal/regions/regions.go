// Package regions tells a news page's story from its template: which
// elements an editor changes in the CMS (the story) and which repeat on
// every page of the site (the template: masthead, search, navigation,
// rails, footer, embeds).
//
// # The model
//
// The story is anchored on the headline and the article body, never on
// the page's landmarks alone:
//
//   - The headline is the rendered element headline.Find picks from the
//     page's own metadata.
//   - The body is the element that holds the main run of paragraphs after
//     the headline: each paragraph that follows the headline in document
//     order, is rendered, holds at least minParagraph characters of which
//     at most half are link text, and is not inside a template block,
//     scores its length for its parent and half of it for its
//     grandparent; the best-scoring element, with at least minBody
//     characters, is the body.
//   - The story root is the smallest element that holds both. When an
//     article (element or role) holds that element, the innermost such
//     article is the root instead, so the lead photo and the byline
//     around the headline count too. When the root is neither an article
//     nor a main landmark, only part of it is story: its children from the
//     one that holds the headline to the one that holds the body, and
//     before those the siblings that directly precede the headline's
//     (a kicker, a lead photo) as long as none is a template block or
//     mostly links. A page that wraps masthead, headline and body in one
//     main thus gets only the headline-to-body run as its story.
//   - Template blocks are never story, wherever they sit, even inside
//     the root: banner, navigation, complementary, contentinfo, search and
//     labelled form landmarks; nav and aside elements; header and footer
//     elements, except those inside an article (the article's own header
//     and footer). A block that holds the headline is never a template
//     block.
//   - Elements in iframes are template (embeds and ads).
//
// A page with a headline but no body after it (a video, a gallery) has
// for its story the innermost article or main landmark that holds the
// headline. A page whose headline cannot be found, or that has no body and
// no such container, falls back to its markup: elements inside main or an
// article are story and the rest template; on a page that marks neither,
// everything outside template blocks is story.
//
// The model is computed once per page (audit.Page.Memo).
package regions

import (
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
)

// Regions of a page, as reports separate findings.
const (
	// Story is the article itself: what an editor can change in the
	// CMS.
	Story = "story"
	// Template is the masthead, navigation, rails, footer and
	// embeds that repeat on every page: what developers change once.
	Template = "template"
	// Page is the page as a whole (a finding about the document).
	Page = "page"
)

// Thresholds of the body finder, in characters of visible text.
const (
	// minParagraph is the text a paragraph needs to count as body text;
	// shorter ones are labels, captions and credits.
	minParagraph = 40
	// minBody is the paragraph text the body needs in all.
	minBody = 120
)

// Anchors say how a page's story was found.
const (
	// AnchorHeadline: from the headline and the body after it.
	AnchorHeadline = "headline"
	// AnchorMarkup: from main and article elements, for want of a headline
	// with a body.
	AnchorMarkup = "markup"
	// AnchorNone: the page has neither; everything outside template blocks
	// is story.
	AnchorNone = "none"
)

// Bounds is where a page's story lies.
type Bounds struct {
	// Anchor is how the story was found: AnchorHeadline, AnchorMarkup or
	// AnchorNone.
	Anchor string
	// Headline is the headline element, NoNode when none was found.
	Headline audit.NodeID
	// Body is the element that holds the body's paragraphs, NoNode when
	// none was found.
	Body audit.NodeID
	// Root is the story's container under AnchorHeadline, else NoNode.
	Root audit.NodeID
	// From and To, when only part of Root is story, bound that part in
	// document order: the story is the nodes from From to To, both
	// included. Both are NoNode when all of Root is story.
	From, To audit.NodeID
}

type memoKey struct{}

// FindStory returns where the page's story lies, computed once per page.
func FindStory(p *audit.Page) Bounds {
	return p.Memo(memoKey{}, func() any { return find(p) }).(Bounds)
}

func find(p *audit.Page) Bounds {
	b := Bounds{Anchor: AnchorNone, Headline: audit.NoNode, Body: audit.NoNode, Root: audit.NoNode, From: audit.NoNode, To: audit.NoNode}
	if m, ok := headline.Find(p); ok && p.Node(m.Node).Frame == 0 {
		b.Headline = m.Node
		b.Body = body(p, m.Node)
	}
	if b.Body == audit.NoNode && b.Headline != audit.NoNode {
		// A story with no paragraphs (a video, a gallery): the article or
		// main that holds the headline, when there is one.
		if c := p.ClosestFunc(b.Headline, func(a audit.NodeID, n *audit.Node) bool {
			return isArticle(n) || a11y.LandmarkRole(p, a) == a11y.Main
		}); c != audit.NoNode {
			b.Anchor, b.Root = AnchorHeadline, c
			return b
		}
	}
	if b.Body == audit.NoNode {
		if MarksStory(p) {
			b.Anchor = AnchorMarkup
		}
		return b
	}
	b.Anchor = AnchorHeadline
	root := commonAncestor(p, b.Headline, b.Body)
	if art := p.ClosestFunc(root, func(_ audit.NodeID, n *audit.Node) bool { return isArticle(n) }); art != audit.NoNode {
		b.Root = art
		return b
	}
	b.Root = root
	if root == b.Headline || root == b.Body || a11y.LandmarkRole(p, root) == a11y.Main {
		return b
	}
	kids := p.ElementChildren(root)
	first := -1
	for i, c := range kids {
		if p.Contains(c, b.Headline) {
			first = i
		}
	}
	if first < 0 || b.Body < b.Headline {
		return b
	}
	for n := 0; n < maxLeadIn && first > 0 && leadsIn(p, kids[first-1], b.Headline); n++ {
		first--
	}
	b.From, b.To = kids[first], lastDescendant(p, b.Body)
	return b
}

// maxLeadIn is how many blocks before the headline's the story may take
// in: a kicker, a lead photo, a dateline.
const maxLeadIn = 3

// leadsIn reports whether an element just before the headline's block
// belongs to the story: a kicker, a lead photo, a dateline. It does not
// when it is or holds a template block, an iframe (an ad slot) or more
// than one link, or when it has no text and no picture.
func leadsIn(p *audit.Page, id, headline audit.NodeID) bool {
	if templateBlock(p, id, headline) {
		return false
	}
	links, pictures := 0, 0
	for d := range p.Descendants(id) {
		n := p.Node(d)
		switch {
		case !n.IsElement():
		case templateBlock(p, d, headline) || n.Is("iframe"):
			return false
		case n.Is("a") && n.HasAttr("href"):
			links++
		case n.Is("img", "picture", "video", "figure"):
			pictures++
		}
	}
	return links <= 1 && (pictures > 0 || p.VisibleText(id) != "")
}

// lastDescendant returns the last node of id's subtree in document order.
func lastDescendant(p *audit.Page, id audit.NodeID) audit.NodeID {
	last := id
	for d := range p.Descendants(id) {
		last = d
	}
	return last
}

// body returns the element that holds the main run of paragraphs after
// the headline, or NoNode.
func body(p *audit.Page, headline audit.NodeID) audit.NodeID {
	score := map[audit.NodeID]int{}
	for _, id := range p.ElementsByTag("p") {
		n := p.Node(id)
		if id <= headline || n.Frame != 0 || !p.Rendered(id) || p.Contains(id, headline) {
			continue
		}
		l := utf8.RuneCountInString(p.VisibleText(id))
		if l < minParagraph || 2*linkText(p, id) > l || inTemplate(p, id, headline) {
			continue
		}
		parent := p.ParentElement(id)
		if parent == audit.NoNode {
			continue
		}
		score[parent] += 2 * l
		if gp := p.ParentElement(parent); gp != audit.NoNode {
			score[gp] += l
		}
	}
	best, bestScore := audit.NoNode, 0
	for id, s := range score {
		if s > bestScore || s == bestScore && id < best {
			best, bestScore = id, s
		}
	}
	if bestScore < 2*minBody {
		return audit.NoNode
	}
	return best
}

// linkText returns how many characters of an element's visible text are
// link text.
func linkText(p *audit.Page, id audit.NodeID) int {
	if a := p.Closest(id, "a"); a != audit.NoNode && p.Node(a).HasAttr("href") {
		return utf8.RuneCountInString(p.VisibleText(id))
	}
	n := 0
	for d := range p.Descendants(id) {
		if dn := p.Node(d); dn.Is("a") && dn.HasAttr("href") && p.Closest(dn.Parent, "a") == audit.NoNode {
			n += utf8.RuneCountInString(p.VisibleText(d))
		}
	}
	return n
}

// commonAncestor returns the nearest element that holds both a and b.
func commonAncestor(p *audit.Page, a, b audit.NodeID) audit.NodeID {
	for x := a; x != audit.NoNode; x = p.Node(x).Parent {
		if p.Contains(x, b) {
			return x
		}
	}
	return audit.NoNode
}

func isArticle(n *audit.Node) bool {
	return n.IsElement() && (n.Is("article") && n.AttrOr("role", "") == "" || n.Role() == "article")
}

// templateBlock reports whether an element is a block of the template
// (see the package comment). A block that holds the headline is not.
func templateBlock(p *audit.Page, id, headline audit.NodeID) bool {
	n := p.Node(id)
	if !n.IsElement() {
		return false
	}
	block := false
	switch a11y.LandmarkRole(p, id) {
	case a11y.Banner, a11y.Navigation, a11y.Complementary, a11y.ContentInfo, a11y.Search, a11y.Form:
		block = true
	}
	switch {
	case n.Is("nav", "aside"):
		block = true
	case n.Is("header", "footer"):
		if p.ClosestFunc(n.Parent, func(_ audit.NodeID, a *audit.Node) bool { return isArticle(a) }) == audit.NoNode {
			block = true
		}
	}
	return block && (headline == audit.NoNode || !p.Contains(id, headline))
}

// inTemplate reports whether an element is in a template block, itself
// included.
func inTemplate(p *audit.Page, id, headline audit.NodeID) bool {
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		if templateBlock(p, a, headline) {
			return true
		}
	}
	return false
}

// Of says whether an element belongs to the story (Story) or to
// the page template (Template), as the package comment describes;
// the document, html and body elements and what is not an element are
// Page.
func Of(p *audit.Page, id audit.NodeID) string {
	if !p.Valid(id) {
		return Page
	}
	n := p.Node(id)
	if n.Kind != audit.ElementNode || n.Tag == "html" || n.Tag == "body" {
		return Page
	}
	if n.Frame > 0 {
		return Template
	}
	b := FindStory(p)
	if inTemplate(p, id, b.Headline) {
		return Template
	}
	switch b.Anchor {
	case AnchorNone:
		return Story
	case AnchorMarkup:
		if p.ClosestFunc(id, func(a audit.NodeID, an *audit.Node) bool {
			return isArticle(an) || an.AttrOr("itemprop", "") == "articleBody" || a11y.LandmarkRole(p, a) == a11y.Main
		}) != audit.NoNode {
			return Story
		}
		return Template
	}
	if !p.Contains(b.Root, id) {
		// A container of the whole story holds the template too; only a
		// main landmark or an article counts as story.
		if p.Contains(id, b.Root) && (isArticle(n) || a11y.LandmarkRole(p, id) == a11y.Main) {
			return Story
		}
		return Template
	}
	if b.From == audit.NoNode || b.From <= id && id <= b.To {
		return Story
	}
	return Template
}

// InStory reports whether an element belongs to the story, as Of decides.
func InStory(p *audit.Page, id audit.NodeID) bool { return Of(p, id) == Story }

// MarksStory reports whether the page marks a story with a main landmark or an
// article at all. Rules that order the blocks before the story use it:
// where it is false, only the headline tells them apart.
func MarksStory(p *audit.Page) bool {
	return p.Memo(markedKey{}, func() any { return marked(p) }).(bool)
}

type markedKey struct{}

func marked(p *audit.Page) bool {
	if len(p.ElementsByTag("article")) > 0 || len(p.ElementsByTag("main")) > 0 {
		return true
	}
	for id := range p.Elements() {
		if r := p.Node(id).Role(); r == "main" || r == "article" {
			return true
		}
	}
	return false
}
