package a11y

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

type unrenderedKey struct{}

// PageNotRendered says why the page shows nothing after it loaded and
// settled, or "" when it shows something. A page shows nothing when its
// html or body element is not displayed (and no element inside has a box,
// as display:contents would leave), is transparent (opacity 0, which no
// descendant can undo), or is visibility:hidden with no element inside
// made visible again. An anti-flicker style that a script never removed
// does this: sighted users see a blank page, and keyboard and screen
// reader users reach nothing, so the rules that judge focus, visibility
// or the accessibility tree would only report the blank page again. It
// needs layout; without it (the static loader) it returns "".
//
// The answer is computed once per page.
func PageNotRendered(p *audit.Page) string {
	return p.Memo(unrenderedKey{}, func() any { return pageNotRendered(p) }).(string)
}

// pageNotRendered computes PageNotRendered.
func pageNotRendered(p *audit.Page) string {
	if !p.Captured.Has(audit.CapLayout) {
		return ""
	}
	html, body := p.DocumentElement(), p.Body()
	for _, id := range []audit.NodeID{html, body} {
		if id == audit.NoNode {
			continue
		}
		n := p.Node(id)
		what := "<" + n.Tag + ">"
		if n.Layout == nil {
			if !anyBox(p, id) {
				return what + " is not displayed (display:none)"
			}
			continue
		}
		st := n.Layout.Style
		if st == nil {
			continue
		}
		if st.Opacity <= 0 {
			return what + " is transparent (opacity:0)"
		}
		if (st.Visibility == "hidden" || st.Visibility == "collapse") && !anyShown(p, id) {
			return fmt.Sprintf("%s is invisible (visibility:%s)", what, st.Visibility)
		}
	}
	return ""
}

// anyBox reports whether an element of the top document inside id was
// laid out.
func anyBox(p *audit.Page, id audit.NodeID) bool {
	for d := range p.Descendants(id) {
		if n := p.Node(d); n.Kind == audit.ElementNode && n.Frame == 0 && n.Layout != nil {
			return true
		}
	}
	return false
}

// anyShown reports whether an element of the top document inside id is
// rendered with a box of some size: made visible again under an
// invisible ancestor.
func anyShown(p *audit.Page, id audit.NodeID) bool {
	for d := range p.Descendants(id) {
		n := p.Node(d)
		if n.Kind == audit.ElementNode && n.Frame == 0 && p.Rendered(d) && n.Layout.Box.Area() > 0 {
			return true
		}
	}
	return false
}
