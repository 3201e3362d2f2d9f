package skiplink

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

func checkFocusable(pass *audit.Pass) error {
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

// walkExtent words how far the walk went: "the page's 8 tab stops" or
// "the first 20 tab stops".
func walkExtent(w *audit.KeyboardWalk) string {
	switch {
	case w.Wrapped && len(w.Stops) == 1:
		return "the page's only tab stop"
	case w.Wrapped:
		return fmt.Sprintf("the page's %d tab stops", len(w.Stops))
	}
	return fmt.Sprintf("the first %d tab stops", len(w.Stops))
}

func checkVisibleOnFocus(pass *audit.Pass) error {
	p := pass.Page
	for _, l := range skipLinks(p) {
		if l.stop < 0 {
			continue
		}
		if why := hiddenWhileFocused(&p.Walk.Stops[l.stop]); why != "" {
			pass.Report(l.node, fmt.Sprintf("%s %s", l.words(p, true), why))
		}
	}
	return nil
}

// hiddenWhileFocused says why a sighted keyboard user cannot see a tab
// stop while it has focus, or "".
func hiddenWhileFocused(s *audit.TabStop) string {
	switch focusProblem(s) {
	case "clipped":
		return fmt.Sprintf("is clipped away while focused (%s)", s.Clip)
	case "empty":
		return fmt.Sprintf("has no size while focused (its box is %s), so there is nothing to see", size(s.Box))
	case "off-screen":
		return fmt.Sprintf("is off-screen while focused (its %s box is at x=%s, y=%s in a page scrolled to y=%s)",
			size(s.Box), num(s.Box.X), num(s.Box.Y), num(s.ScrollY))
	case "transparent":
		return fmt.Sprintf("is transparent while focused (opacity %s)", num(s.Opacity))
	case "invisible":
		return "is invisible while focused (visibility:" + s.Visibility + ")"
	case "covered":
		return fmt.Sprintf("is covered by %s while focused", hitWords(&s.Hit))
	case "not drawn":
		return "is not drawn while focused: at its centre the browser finds its container, so it is clipped or painted over"
	}
	return ""
}

// seenWords says in a few words why a tab stop could not be seen while
// focused, or "".
func seenWords(s *audit.TabStop) string {
	switch k := focusProblem(s); k {
	case "clipped":
		return "clipped away (" + s.Clip + ")"
	case "covered":
		return "covered by " + hitWords(&s.Hit)
	case "not drawn":
		return "not drawn (clipped or painted over)"
	case "empty":
		return "no size (" + size(s.Box) + ")"
	default:
		return k
	}
}

// focusProblem classifies why a focused tab stop cannot be seen: "",
// "clipped", "empty", "off-screen", "transparent", "invisible", "covered"
// or "not drawn".
func focusProblem(s *audit.TabStop) string {
	switch {
	case s.Clip != "" && !s.InViewport():
		return "clipped"
	case s.Box.W < 1 || s.Box.H < 1:
		return "empty"
	case !s.InViewport():
		return "off-screen"
	case s.Opacity < 0.05:
		return "transparent"
	case s.Visibility == "hidden" || s.Visibility == "collapse":
		return "invisible"
	case s.Hit.Relation == audit.HitOther:
		return "covered"
	case s.Hit.Relation == audit.HitAncestor:
		return "not drawn"
	}
	return ""
}

// hitWords names the element a hit test found.
func hitWords(h *audit.Hit) string {
	if h.Tag == "" {
		return "another element"
	}
	return "<" + h.Tag + ">"
}

// size words a box's size, e.g. "120×20".
func size(r audit.Rect) string { return num(r.W) + "×" + num(r.H) }

// num formats a CSS pixel value without noise: whole pixels, or one
// decimal under 10.
func num(v float64) string {
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

func checkMovesFocus(pass *audit.Pass) error {
	p := pass.Page
	for _, l := range skipLinks(p) {
		a := l.act
		if a == nil || !a.TargetFound || l.target == audit.NoNode || hiddenTarget(p, l.target) != "" {
			continue // skip-link-target-exists reports these
		}
		if a.Moved() {
			continue
		}
		var went string
		switch a.NextRelation {
		case audit.RelBefore:
			went = fmt.Sprintf("the next Tab went to %s, which comes before the target", label(p, a.Next, a.NextTag, a.NextName))
		default:
			went = "the next Tab left the page"
		}
		var why string
		switch {
		case a.HashAfter == a.HashBefore && a.ScrollAfter == a.ScrollBefore:
			why = "; the address did not change and the page did not scroll, so a script may cancel the link"
		case a.HashAfter != a.HashBefore:
			why = fmt.Sprintf("; the address changed to %q but focus stayed behind", a.HashAfter)
		}
		pass.Report(l.node, fmt.Sprintf("pressing Enter on %s did not move focus to \"#%s\": %s%s", l.words(p, false), l.frag, went, why))
	}
	return nil
}

func checkTargetNotObscured(pass *audit.Pass) error {
	p := pass.Page
	for _, l := range skipLinks(p) {
		a := l.act
		if a == nil || !a.Moved() {
			continue
		}
		lc, cc := a.Landing, a.Content
		focused := a.FocusRelation == audit.RelTarget || a.FocusRelation == audit.RelInside
		if focused && lc.Points > 0 && lc.Covered == lc.Points {
			pass.Report(l.node, fmt.Sprintf("after the jump from %s, the focused element <%s> is entirely covered by %s, which stays on screen",
				l.words(p, true), lc.Tag, coverer(&lc)))
			continue
		}
		if cc.Points > 0 && 2*cc.Covered >= cc.Points {
			what := "the first text"
			if (cc.Node != audit.NoNode && isHeading(p, cc.Node)) || headingTag.MatchString(cc.Tag) {
				what = "the heading"
			}
			pass.Report(l.node, fmt.Sprintf("after the jump from %s, %s %q is hidden under %s (%d of %d points covered); scroll-padding-top on the page would keep it clear",
				l.words(p, true), what, audit.Truncate(cc.Text, 60), coverer(&cc), cc.Covered, cc.Points), audit.AsReview(), audit.WithSeverity(audit.Minor))
		}
	}
	return nil
}

// coverer names the element on top.
func coverer(c *audit.Coverage) string {
	if c.ByTag == "" {
		return "fixed or sticky content"
	}
	return "<" + c.ByTag + ">"
}

// headingTag matches the description of an h1-h6 element.
var headingTag = regexp.MustCompile(`^h[1-6]([#.]|$)`)

// isHeading reports whether an element is exposed as a heading.
func isHeading(p *audit.Page, id audit.NodeID) bool {
	if ax := p.Node(id).AX; ax != nil {
		return ax.Role == "heading"
	}
	return false
}
