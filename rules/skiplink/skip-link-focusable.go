package skiplink

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// Focusable is the rule skip-link-focusable.
var Focusable = Family.Rule(audit.Rule{
	ID:       "skip-link-focusable",
	Title:    "skip links must be reachable with the Tab key",
	WCAG:     []string{"2.1.1", "2.4.1"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkFocusable,
})

func checkFocusable(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	links := skipLinks(p)
	reached := map[string]bool{}
	for _, l := range links {
		if l.stop >= 0 {
			reached[l.frag] = true
		}
	}
	for _, l := range links {
		if l.stop >= 0 {
			if why := ariaHiddenWhere(p, l.node); why != "" {
				pass.Report(l.node, fmt.Sprintf("%s takes focus but sits %s, so screen readers do not announce it", l.words(p, true), why))
			}
			continue
		}
		if reached[l.frag] && p.Node(l.node).Layout == nil {
			continue // a copy for another layout; the one in use was reached
		}
		why := unfocusable(p, l.node)
		if why == "" {
			if !walkPassed(p, l.node) {
				continue // the walk ended before it got this far
			}
			why = fmt.Sprintf("never took focus among %s", walkExtent(p.Walk))
		}
		pass.Report(l.node, fmt.Sprintf("%s cannot be reached with the Tab key: it %s", l.words(p, true), why))
	}
	return nil
}

// unfocusable says why the page keeps an element out of the tab order:
// display:none, visibility:hidden, the hidden attribute, inert, a
// negative tabindex. It returns "" when none of these applies.
func unfocusable(p *audit.Page, id audit.NodeID) string {
	n := p.Node(id)
	if v, ok := n.Attr("tabindex"); ok {
		if t, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && t < 0 {
			return fmt.Sprintf("has tabindex=%q", v)
		}
	}
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		an := p.Node(a)
		if an.Kind != audit.ElementNode {
			continue
		}
		at := ""
		if a != id {
			at = " on " + describe(p, a)
		}
		if an.HasAttr("inert") {
			return "is inert (the inert attribute" + at + ")"
		}
		if v, ok := an.Attr("hidden"); ok && !strings.EqualFold(v, "until-found") {
			return "is hidden (the hidden attribute" + at + ")"
		}
	}
	if p.Captured.Has(audit.CapLayout) {
		if n.Layout == nil {
			return "is not displayed (display:none" + displayNoneAt(p, id) + ")"
		}
		if st := n.Layout.Style; st != nil && (st.Visibility == "hidden" || st.Visibility == "collapse") {
			return "is invisible (visibility:" + st.Visibility + ")"
		}
	}
	return ""
}

// displayNoneAt names the outermost ancestor that is not displayed, when
// it is not the element itself.
func displayNoneAt(p *audit.Page, id audit.NodeID) string {
	top := id
	for a := p.ParentElement(id); a != audit.NoNode; a = p.ParentElement(a) {
		if p.Node(a).Layout != nil {
			break
		}
		top = a
	}
	if top == id {
		return ""
	}
	return " on " + describe(p, top)
}

// ariaHiddenWhere says where an aria-hidden="true" ancestor hides the element,
// or "".
func ariaHiddenWhere(p *audit.Page, id audit.NodeID) string {
	switch a := a11y.AriaHiddenBy(p, id, audit.NoNode); a {
	case audit.NoNode:
		return ""
	case id:
		return "under aria-hidden=\"true\""
	default:
		return "inside " + describe(p, a) + " with aria-hidden=\"true\""
	}
}

// walkPassed reports whether the keyboard walk got past an element in
// tree order: it saw the whole tab order, or focused something after it.
func walkPassed(p *audit.Page, id audit.NodeID) bool {
	w := p.Walk
	if w == nil {
		return false
	}
	if w.Wrapped {
		return true
	}
	for _, s := range w.Stops {
		if s.Node != audit.NoNode && s.Node > id {
			return true
		}
	}
	return false
}
