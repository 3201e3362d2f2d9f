package caption

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

// VisuallyHidden reports whether an element is rendered for screen readers
// but not for the eye: clipped to nothing, a 1×1 box with hidden
// overflow, moved off the page, or transparent. These are the labels sites
// put before captions and credits ("Image caption, ", "Credit"). With
// layout captured the computed style and box decide; without it, the
// usual utility classes (visually-hidden, sr-only, off-screen…) and inline
// styles do.
func VisuallyHidden(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if n.Kind != audit.ElementNode {
		return false
	}
	if p.Captured.Has(audit.CapLayout) {
		if n.Layout == nil || n.Layout.Style == nil {
			return false
		}
		st, box := n.Layout.Style, n.Layout.Box
		switch {
		case clippedAway(st.Clip), clipPathAway(st.ClipPath):
			return true
		case box.W <= 1 && box.H <= 1 && (st.OverflowX == "hidden" || st.OverflowX == "clip"):
			return true
		case (st.Position == "absolute" || st.Position == "fixed") && (box.X+box.W <= 0 || box.Y+box.H <= 0):
			return true
		case st.Opacity == 0:
			return true
		}
		return false
	}
	for _, c := range strings.Fields(strings.ToLower(n.AttrOr("class", ""))) {
		if hiddenClasses.PartOf(c) != "" {
			return true
		}
	}
	decl := audit.InlineStyle(n.AttrOr("style", ""))
	if clippedAway(decl["clip"]) || clipPathAway(decl["clip-path"]) {
		return true
	}
	if decl["position"] == "absolute" {
		for _, side := range []string{"left", "top"} {
			if v, err := strconv.ParseFloat(strings.TrimSuffix(decl[side], "px"), 64); err == nil && v <= -999 {
				return true
			}
		}
	}
	return false
}

// hiddenClasses are parts of the class names sites give visually hidden
// text.
var hiddenClasses = lexicon.Default().List(lexicon.HiddenClass)

var rectValues = regexp.MustCompile(`-?[\d.]+`)

// clippedAway reports whether a computed or inline clip leaves at most one
// pixel: "rect(0px, 0px, 0px, 0px)", "rect(1px 1px 1px 1px)".
func clippedAway(clip string) bool {
	clip = strings.TrimSpace(clip)
	if !strings.HasPrefix(clip, "rect(") {
		return false
	}
	nums := rectValues.FindAllString(clip, -1)
	if len(nums) != 4 {
		return false
	}
	var v [4]float64
	for i, s := range nums {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return false
		}
		v[i] = f
	}
	top, right, bottom, left := v[0], v[1], v[2], v[3]
	return right-left <= 1 || bottom-top <= 1
}

// clipPathAway reports whether a clip-path hides the whole box:
// "inset(50%)", "circle(0px …)", a polygon of zeros.
func clipPathAway(cp string) bool {
	cp = strings.TrimSpace(cp)
	switch {
	case strings.HasPrefix(cp, "inset("):
		nums := rectValues.FindAllString(cp, 1)
		if len(nums) == 1 && strings.Contains(cp, "%") {
			f, err := strconv.ParseFloat(nums[0], 64)
			return err == nil && f >= 50
		}
	case strings.HasPrefix(cp, "circle(0"):
		return true
	case strings.HasPrefix(cp, "polygon("):
		for _, s := range rectValues.FindAllString(cp, -1) {
			if f, err := strconv.ParseFloat(s, 64); err != nil || f != 0 {
				return false
			}
		}
		return true
	}
	return false
}
