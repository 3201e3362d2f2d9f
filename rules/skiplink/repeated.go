package skiplink

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// A block is one block of repeated content: what a site puts on every page
// ahead of the story, which WCAG 2.4.1 asks a way past.
type block struct {
	// node is the block's element.
	node audit.NodeID
	// kind is the block's landmark role (banner, navigation, complementary
	// or contentinfo), or "links" for a block dense with links that is no
	// landmark.
	kind string
}

// words names the block for a message, e.g. `<aside.rail> (a
// complementary landmark)`.
func (b block) words(p *audit.Page) string {
	what := "a " + b.kind + " landmark"
	if b.kind == "links" {
		what = "a block made mostly of links"
	}
	return describe(p, b.node) + " (" + what + ")"
}

// repeated is what the family knows of a page's repeated content.
type repeated struct {
	// start is where the story starts (see storyBegins), NoNode when the
	// page does not say.
	start audit.NodeID
	// blocks are the blocks of repeated content before the story, in
	// document order; on a page whose story start is unknown, those
	// anywhere in the page.
	blocks []block
}

type repeatedKey struct{}

// repeatedContent returns the page's repeated content, computed once per
// page.
//
// newsa11y reads it from one page, so it goes by what a site repeats on
// every page in practice: the blocks before the story that are landmarks
// of the kinds templates make (banner, navigation, complementary,
// contentinfo) and have rendered content, and the blocks before the story
// that are no landmark but are made mostly of links (a bar of section
// links, a list of trending stories). The blocks before the story are the
// elements that come before it in document order and do not hold it: the
// earlier siblings of the story start and of each of its ancestors. A
// block that holds a main landmark, or sits in a dialog (a consent
// banner), is not repeated content, and neither is anything inside the
// main landmark or article that holds the story: the page marks it as
// part of the story. Where the story start is unknown, the same test runs
// over the body's children.
func repeatedContent(p *audit.Page) *repeated {
	return p.Memo(repeatedKey{}, func() any { return findRepeated(p) }).(*repeated)
}

// hasRepeatedContent reports whether the page has repeated content for a
// keyboard user to get past. The rules that assume repeated blocks
// (bypass-mechanism, skip-link-present, skip-link-before-repeated-content)
// do not apply to a page without: a page that is only text has nothing to
// bypass.
func hasRepeatedContent(p *audit.Page) bool {
	return len(repeatedContent(p).blocks) > 0
}

// findRepeated computes repeatedContent.
func findRepeated(p *audit.Page) *repeated {
	r := &repeated{start: storyBegins(p)}
	var cands []audit.NodeID
	if r.start != audit.NoNode {
		// The earlier siblings of the start and of its ancestors, outermost
		// first so that the blocks come in document order.
		var levels [][]audit.NodeID
		for c := r.start; c != audit.NoNode; c = p.Node(c).Parent {
			par := p.Node(c).Parent
			if par == audit.NoNode {
				break
			}
			var before []audit.NodeID
			for _, s := range p.ElementChildren(par) {
				if s >= c {
					break
				}
				before = append(before, s)
			}
			levels = append(levels, before)
		}
		for i := len(levels) - 1; i >= 0; i-- {
			cands = append(cands, levels[i]...)
		}
	} else if body := p.Body(); body != audit.NoNode {
		cands = p.ElementChildren(body)
	}
	story := audit.NoNode
	if r.start != audit.NoNode {
		story = storyContainer(p, r.start)
	}
	for _, c := range cands {
		if story != audit.NoNode && p.Contains(story, c) {
			continue // the page marks it as part of the story
		}
		r.blocks = append(r.blocks, blocksIn(p, c)...)
	}
	return r
}

// repeatedRoles are the landmark roles of the blocks templates repeat.
var repeatedRoles = map[string]bool{
	a11y.Banner: true, a11y.Navigation: true, a11y.Complementary: true, a11y.ContentInfo: true,
}

// blocksIn returns the repeated blocks an element before the story is or
// holds: itself when it is a repeated landmark, else the outermost
// repeated landmarks inside it, else itself when it is made mostly of
// links.
func blocksIn(p *audit.Page, id audit.NodeID) []block {
	n := p.Node(id)
	if n.Frame != 0 || !p.Rendered(id) || inDialog(p, id) {
		return nil
	}
	for _, m := range mainLandmarks(p) {
		if p.Contains(id, m) {
			return nil
		}
	}
	if r := a11y.LandmarkRole(p, id); repeatedRoles[r] {
		if hasContent(p, id) {
			return []block{{node: id, kind: r}}
		}
		return nil
	}
	var out []block
	end := audit.NoNode
	for d := range p.Descendants(id) {
		if end != audit.NoNode && p.Contains(end, d) {
			continue
		}
		end = audit.NoNode
		if r := a11y.LandmarkRole(p, d); repeatedRoles[r] && p.Node(d).Frame == 0 {
			end = d
			if p.Rendered(d) && hasContent(p, d) {
				out = append(out, block{node: d, kind: r})
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	if denseWithLinks(p, id) {
		return []block{{node: id, kind: "links"}}
	}
	return nil
}

// hasContent reports whether an element shows something: text, an image
// or a control.
func hasContent(p *audit.Page, id audit.NodeID) bool {
	if p.VisibleText(id) != "" {
		return true
	}
	for d := range p.Descendants(id) {
		if p.Node(d).Is("img", "svg", "input", "button", "select", "iframe", "video") && p.Rendered(d) {
			return true
		}
	}
	return false
}

// minDenseLinks is how many links a block that is no landmark needs to
// count as repeated content; a lone link (the site's logo) does not.
const minDenseLinks = 2

// denseWithLinks reports whether a block is made mostly of links: at
// least minDenseLinks rendered links, whose text is at least half of the
// block's.
func denseWithLinks(p *audit.Page, id audit.NodeID) bool {
	links, linkText := 0, 0
	end := audit.NoNode
	for d := range p.Descendants(id) {
		if end != audit.NoNode && p.Contains(end, d) {
			continue
		}
		end = audit.NoNode
		dn := p.Node(d)
		if dn.Frame == 0 && dn.Is("a", "area") && dn.HasAttr("href") && p.Rendered(d) {
			links++
			linkText += utf8.RuneCountInString(p.VisibleText(d))
			end = d
		}
	}
	if links < minDenseLinks {
		return false
	}
	return 2*linkText >= utf8.RuneCountInString(p.VisibleText(id))
}

// storyBegins returns the element where the story starts, for telling
// what comes before it: the headline, else the first main landmark, else
// the first article, else the first level-one heading, else NoNode.
func storyBegins(p *audit.Page) audit.NodeID {
	if m, ok := findHeadline(p); ok {
		return m.Node
	}
	if mains := mainLandmarks(p); len(mains) > 0 {
		return mains[0]
	}
	for _, a := range p.ElementsByTag("article") {
		if p.Node(a).Frame == 0 && p.Rendered(a) {
			return a
		}
	}
	for _, h := range a11y.Headings(p) {
		if h.Level == 1 && p.Node(h.Node).Frame == 0 {
			return h.Node
		}
	}
	return audit.NoNode
}

// skippedPast describes what a keyboard user who lands on target still
// meets before the story: the first repeated block that ends after the
// target and before the story start, and how many controls in repeated
// blocks come after the target. It returns a zero block and 0 when the
// target is at or after the story start, or nothing repeated follows it.
func skippedPast(p *audit.Page, target audit.NodeID) (block, int) {
	r := repeatedContent(p)
	if r.start == audit.NoNode || target >= r.start || p.Contains(target, r.start) {
		return block{}, 0
	}
	var first block
	count := 0
	for _, b := range r.blocks {
		n := 0
		for d := range p.Descendants(b.node) {
			if d > target && !p.Contains(d, target) && focusable(p, d) {
				n++
			}
		}
		if n > 0 && count == 0 {
			first = b
		}
		count += n
	}
	return first, count
}

// focusable reports whether an element takes focus with the Tab key, as
// far as the snapshot tells: a link with an address, a form control, a
// summary, an iframe or an element with a tabindex of zero or more; shown
// and not disabled.
func focusable(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if n.Kind != audit.ElementNode || n.Frame != 0 || !p.Rendered(id) {
		return false
	}
	if v, ok := n.Attr("tabindex"); ok {
		if t, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return t >= 0
		}
	}
	switch {
	case n.Is("a", "area"):
		return n.HasAttr("href")
	case n.Is("input"):
		return !n.HasAttr("disabled") && !strings.EqualFold(n.AttrOr("type", ""), "hidden")
	case n.Is("button", "select", "textarea"):
		return !n.HasAttr("disabled")
	case n.Is("summary", "iframe"):
		return true
	}
	return false
}

// countWords says "1 link or control" or "N links and controls".
func countWords(n int) string {
	if n == 1 {
		return "1 link or control"
	}
	return fmt.Sprintf("%d links and controls", n)
}
