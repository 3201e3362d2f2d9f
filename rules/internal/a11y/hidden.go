package a11y

import (
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// AriaHiddenBy returns the nearest element, from id itself up to but not
// including stop, whose aria-hidden attribute is "true" (white space and
// case ignored, as browsers read it), or audit.NoNode when none is: such
// an element hides itself and everything inside it from assistive
// technology. Pass audit.NoNode as stop to look up to the document.
func AriaHiddenBy(p *audit.Page, id, stop audit.NodeID) audit.NodeID {
	for a := id; a != audit.NoNode && a != stop; a = p.Node(a).Parent {
		if v, ok := p.Node(a).Attr("aria-hidden"); ok && strings.EqualFold(strings.TrimSpace(v), "true") {
			return a
		}
	}
	return audit.NoNode
}

// AriaHidden reports whether an element or an ancestor has
// aria-hidden="true".
func AriaHidden(p *audit.Page, id audit.NodeID) bool {
	return AriaHiddenBy(p, id, audit.NoNode) != audit.NoNode
}
