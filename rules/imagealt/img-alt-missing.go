package imagealt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// Missing is the rule img-alt-missing.
var Missing = Family.Rule(audit.Rule{
	ID:       "img-alt-missing",
	Title:    "images must have a text alternative",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Critical,
	Needs:    audit.CapDOM,
	Subsumes: []string{"img-lazy-unresolved"},
	Check:    checkMissing,
})

func checkMissing(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range photos(p) {
		if ph.hasAlt || ph.nameFrom != "" || ph.named() || isTrackingPixel(ph) {
			continue
		}
		src := ph.fileName()
		ev := ph.evidence()
		ev.Fix = "Add an alt attribute that says what the photo shows, or alt=\"\" if it is decoration."
		fig := caption.Figcaption(p, ph.id)
		if fig != audit.NoNode && soleImageInFigure(p, ph.id, fig) {
			c := caption.Read(p, fig, caption.FromFigcaption)
			withCaption(ev, c)
			switch {
			case c.Text != "":
				ev.Fix = fmt.Sprintf("Add alt text that says what the photo shows; the caption already says %s", quote(c.Text, 80))
				ph.report(pass, fmt.Sprintf("image %s has no alt attribute; HTML allows this when a figure's caption (%s) stands in for it, but Chrome exposes the image with no name, so screen readers announce an unlabelled image",
					src, quote(c.Text, 80)), ev, audit.AsReview(), audit.WithSeverity(audit.Serious))
				continue
			case c.Credit != "":
				ph.report(pass, fmt.Sprintf("image %s has no alt attribute, and its figure's caption holds only a credit (%s), which cannot stand in for it",
					src, quote(c.Credit, 60)), ev)
				continue
			}
		}
		ph.report(pass, fmt.Sprintf("image %s has no alt attribute and no other text alternative", src), ev)
	}
	return nil
}

// isTrackingPixel reports whether an image is a beacon rather than a
// picture: sized 0, or at most 1×1, in its attributes or inline style, or
// loaded and drawn at most 1×1 pixel from a source of its own. An image
// that never loaded is judged on its markup alone: its box is a broken
// image's, not the picture's. A lazy image still waiting for its source is
// drawn that small too, from a 1×1 data: placeholder, but it is a picture,
// not a beacon: a data: URI cannot track anyone.
func isTrackingPixel(ph *photo) bool {
	n := ph.node
	decl := audit.InlineStyle(n.AttrOr("style", ""))
	w, wok := dimension(n.AttrOr("width", ""))
	h, hok := dimension(n.AttrOr("height", ""))
	if sw, ok := dimension(decl["width"]); ok {
		w, wok = sw, true
	}
	if sh, ok := dimension(decl["height"]); ok {
		h, hok = sh, true
	}
	if (wok && w == 0) || (hok && h == 0) || (wok && hok && w <= 1 && h <= 1) {
		return true
	}
	if !ph.sized() {
		return false // never loaded, or a lazy image on its placeholder
	}
	src := ph.currentSrc()
	if src == "" {
		src = strings.TrimSpace(n.AttrOr("src", ""))
	}
	box := n.Layout.Box
	return box.W <= 1 && box.H <= 1 && src != "" && !strings.HasPrefix(src, "data:")
}

// dimension parses a width or height as HTML and inline styles write it:
// a number, optionally followed by "px".
func dimension(v string) (float64, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "px"))
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}

// soleImageInFigure reports whether the image is the only content of its
// figure besides the figcaption, which is when HTML lets the caption stand
// in for alt. A picture wrapping the image counts as the image.
func soleImageInFigure(p *audit.Page, img, figcaption audit.NodeID) bool {
	fig := p.Node(figcaption).Parent
	for d := range p.Descendants(fig) {
		if p.Contains(figcaption, d) || d == img {
			continue
		}
		n := p.Node(d)
		switch n.Kind {
		case audit.TextNode:
			if !audit.IsBlank(n.Data) {
				return false
			}
		case audit.ElementNode:
			if n.Is("source") || n.Is("picture") && p.Contains(d, img) {
				continue
			}
			return false
		}
	}
	return true
}
