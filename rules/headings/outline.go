package headings

import (
	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// An entry is one heading of the page's outline: every heading exposed to
// assistive technology, in flat-tree order (open shadow trees in place,
// same-origin iframes spliced in where the iframe is), with where it sits.
type entry struct {
	a11y.Heading
	place place
}

// outlineOf returns the page's outline.
func outlineOf(p *audit.Page) []entry {
	hs := a11y.Headings(p)
	out := make([]entry, len(hs))
	for i, h := range hs {
		out[i] = entry{Heading: h, place: placeOf(p, h.Node)}
	}
	return out
}

// A skip is a heading whose level is more than one below the heading
// before it.
type skip struct {
	// prev and cur index the outline.
	prev, cur int
}

// levelSkips returns the outline's level skips. Headings of the page and
// of its own iframes form one sequence. A heading in an ad or third-party
// iframe is compared with the heading before it in the same frame, or with
// the page's heading before the frame; the page's headings after the frame
// are compared with the page's heading before it, so that a frame the
// authors do not control neither causes nor hides a skip in their outline.
func levelSkips(out []entry) []skip {
	var skips []skip
	lastOwn := -1
	lastIn := map[audit.NodeID]int{} // per foreign frame, its last heading
	for i, e := range out {
		prev := lastOwn
		if e.place.foreign() {
			if j, ok := lastIn[e.place.frame]; ok {
				prev = j
			}
			lastIn[e.place.frame] = i
		} else {
			lastOwn = i
		}
		if prev >= 0 && e.Level > out[prev].Level+1 {
			skips = append(skips, skip{prev: prev, cur: i})
		}
	}
	return skips
}

// contentBetween reports whether anything a reader meets lies between the
// end of element a and the start of element b in document order: rendered
// text that is not hidden from assistive technology, an image, a media
// element, a form control or an embedded frame.
func contentBetween(p *audit.Page, a, b audit.NodeID) bool {
	start := a + 1
	for d := range p.Descendants(a) {
		start = d + 1
	}
	for id := start; id < b; id++ {
		if p.Contains(id, b) {
			continue // an ancestor of b opens before it
		}
		if isContent(p, id) {
			return true
		}
	}
	return false
}

// isContent reports whether a node is something a reader meets: rendered,
// non-blank text or a rendered image, media element, control or frame,
// outside any aria-hidden subtree.
func isContent(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	switch {
	case n.Kind == audit.TextNode:
		if audit.IsBlank(n.Data) || !p.Rendered(id) {
			return false
		}
	case n.Is("img", "svg", "video", "audio", "iframe", "canvas", "input", "select", "textarea", "button", "picture", "object", "embed"):
		if !p.Rendered(id) {
			return false
		}
		if l := n.Layout; l != nil && l.Box.Area() < 4 {
			return false // tracking pixels and collapsed slots
		}
	default:
		return false
	}
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		if p.Node(a).AttrOr("aria-hidden", "") == "true" {
			return false
		}
	}
	return true
}
