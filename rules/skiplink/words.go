package skiplink

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

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
	case s.Hit.Covers():
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

// paintWords says what paints over a covered tab stop, e.g. ", whose
// background rgba(0, 0, 0, 0.6) paints over it", or "" when paint was not
// judged.
func paintWords(h *audit.Hit) string {
	if !h.Painted || h.Paints == "" {
		return ""
	}
	whose := "whose"
	if h.PaintTag != "" && h.PaintTag != h.Tag {
		whose = "where <" + h.PaintTag + ">'s"
	}
	what := h.Paints
	switch h.Paints {
	case "text":
		what = fmt.Sprintf("text %q", h.PaintValue)
	case "image", "background image", "generated content":
		if h.Paint == audit.PaintPixels {
			return fmt.Sprintf(", %s %s paints over it (its pixels differ with and without it)", whose, what)
		}
		what += " " + h.PaintValue
	default:
		what += " " + h.PaintValue
	}
	return fmt.Sprintf(", %s %s paints over it", whose, what)
}

// coverer names the element on top.
func coverer(c *audit.Coverage) string {
	if c.ByTag == "" {
		return "fixed or sticky content"
	}
	return "<" + c.ByTag + ">"
}

// precedingWords says what comes before tab stop i: how many stops, how
// many of them in a dialog or the navigation.
func precedingWords(p *audit.Page, i int) string {
	stops := p.Walk.Stops[:i]
	dialog, nav := 0, 0
	for _, s := range stops {
		switch {
		case inDialog(p, s.Node):
			dialog++
		case inNavigation(p, s.Node):
			nav++
		}
	}
	var parts []string
	if dialog > 0 {
		parts = append(parts, fmt.Sprintf("%d in a dialog", dialog))
	}
	if nav > 0 {
		parts = append(parts, fmt.Sprintf("%d in the navigation", nav))
	}
	s := fmt.Sprintf("%s come before it", plural(len(stops), "tab stop", "tab stops"))
	if len(stops) == 1 {
		s = "1 tab stop comes before it"
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// plural words a count of things: "1 link", "3 links".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
