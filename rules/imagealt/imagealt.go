// Package imagealt holds the rules on image text alternatives and their
// captions: the news photo's alt text, caption and credit.
package imagealt

import (
	_ "embed"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

//go:embed doc.md
var docText string

var docs = audit.MustDocs(docText)

// Missing is the rule img-alt-missing.
var Missing = &audit.Rule{
	ID:       "img-alt-missing",
	Title:    "images must have a text alternative",
	Doc:      docs["img-alt-missing"],
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"images"},
	Severity: audit.Critical,
	Needs:    audit.CapDOM,
	Check:    checkMissing,
}

// DuplicatesCaption is the rule img-alt-duplicates-caption.
var DuplicatesCaption = &audit.Rule{
	ID:       "img-alt-duplicates-caption",
	Title:    "alt text must not repeat the image's caption",
	Doc:      docs["img-alt-duplicates-caption"],
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"images", "news"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkDuplicatesCaption,
}

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{Missing, DuplicatesCaption}

func checkMissing(pass *audit.Pass) error {
	p := pass.Page
	for _, id := range p.ElementsByTag("img") {
		n := p.Node(id)
		if !p.Exposed(id) || isTrackingPixel(p, id) || inTemplate(p, id) {
			continue
		}
		if n.HasAttr("alt") {
			continue
		}
		if r := n.Role(); r == "none" || r == "presentation" {
			continue
		}
		if hasOtherName(p, id) {
			continue
		}
		src := sourceName(n)
		if fig, ok := soleImageInCaptionedFigure(p, id); ok {
			pass.Report(id, fmt.Sprintf("image %s has no alt attribute; HTML allows this when a figure's caption (%q) stands in for it, but Chrome exposes the image with no name, so screen readers announce an unlabelled image",
				src, audit.Truncate(p.VisibleText(fig), 80)), audit.AsReview(), audit.WithSeverity(audit.Serious))
			continue
		}
		pass.Report(id, fmt.Sprintf("image %s has no alt attribute and no other text alternative", src))
	}
	return nil
}

// hasOtherName reports whether an image without alt gets a name from
// aria-label, aria-labelledby or title. With the accessibility tree the
// browser's computed name decides.
func hasOtherName(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if p.Captured.Has(audit.CapAX) && n.AX != nil {
		return !audit.IsBlank(n.AX.Name)
	}
	return a11y.Name(p, id) != ""
}

// isTrackingPixel reports whether an image is a 1×1 (or smaller) beacon:
// rendered that small, or sized 0 in its attributes.
func isTrackingPixel(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	w, wok := dimension(n.AttrOr("width", ""))
	h, hok := dimension(n.AttrOr("height", ""))
	if (wok && w == 0) || (hok && h == 0) {
		return true
	}
	if n.Layout != nil {
		return n.Layout.Box.W <= 1 && n.Layout.Box.H <= 1
	}
	return wok && hok && w <= 1 && h <= 1
}

// dimension parses a width or height attribute as HTML does: leading
// digits, optionally followed by "px".
func dimension(v string) (float64, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "px"))
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}

func inTemplate(p *audit.Page, id audit.NodeID) bool {
	return p.Closest(id, "template") != audit.NoNode
}

// sourceName names an image for a message by the file name of its source.
func sourceName(n *audit.Node) string {
	// A lazy image's real source is in data-src while src holds a
	// placeholder, so data-src names it better.
	for _, attr := range []string{"data-src", "src", "data-srcset", "srcset"} {
		v := strings.TrimSpace(n.AttrOr(attr, ""))
		if v == "" || strings.HasPrefix(v, "data:") {
			continue
		}
		if f := strings.Fields(v); len(f) > 0 {
			v = f[0]
		}
		if i := strings.IndexAny(v, "?#"); i >= 0 {
			v = v[:i]
		}
		if base := path.Base(v); base != "" && base != "." && base != "/" {
			return strconv.Quote(audit.Truncate(base, 60))
		}
	}
	return "(no source)"
}

// soleImageInCaptionedFigure reports whether the image is the only content
// of a figure, besides a figcaption with text, which is when HTML lets the
// caption stand in for alt. A picture wrapping the image counts as the
// image.
func soleImageInCaptionedFigure(p *audit.Page, id audit.NodeID) (audit.NodeID, bool) {
	fig := p.Closest(id, "figure")
	if fig == audit.NoNode {
		return audit.NoNode, false
	}
	caption := figcaptionOf(p, fig)
	if caption == audit.NoNode || p.VisibleText(caption) == "" {
		return audit.NoNode, false
	}
	for d := range p.Descendants(fig) {
		if p.Contains(caption, d) || d == id {
			continue
		}
		n := p.Node(d)
		switch n.Kind {
		case audit.TextNode:
			if !audit.IsBlank(n.Data) {
				return audit.NoNode, false
			}
		case audit.ElementNode:
			if n.Is("source") || n.Is("picture") && p.Contains(d, id) {
				continue
			}
			return audit.NoNode, false
		}
	}
	return caption, true
}

// figcaptionOf returns the first figcaption child of a figure.
func figcaptionOf(p *audit.Page, fig audit.NodeID) audit.NodeID {
	for _, c := range p.ElementChildren(fig) {
		if p.Node(c).Is("figcaption") {
			return c
		}
	}
	return audit.NoNode
}

func checkDuplicatesCaption(pass *audit.Pass) error {
	p := pass.Page
	for _, id := range p.ElementsByTag("img") {
		n := p.Node(id)
		alt, ok := n.Attr("alt")
		if !ok || audit.IsBlank(alt) || !p.Exposed(id) || inTemplate(p, id) {
			continue
		}
		for _, cap := range captionsOf(p, id) {
			text := p.VisibleText(cap)
			if text == "" {
				continue
			}
			if normalize(alt) == normalize(text) {
				pass.Report(id, fmt.Sprintf("alt text repeats the caption word for word (%q), so screen readers read it twice",
					audit.Truncate(audit.CollapseSpace(alt), 120)))
				break
			}
		}
	}
	return nil
}

// captionsOf returns the caption elements of an image: its figure's
// figcaption and the elements its aria-describedby names.
func captionsOf(p *audit.Page, id audit.NodeID) []audit.NodeID {
	var out []audit.NodeID
	if fig := p.Closest(id, "figure"); fig != audit.NoNode {
		if c := figcaptionOf(p, fig); c != audit.NoNode {
			out = append(out, c)
		}
	}
	n := p.Node(id)
	for _, ref := range strings.Fields(n.AttrOr("aria-describedby", "")) {
		if c := p.ElementByID(n.Frame, ref); c != audit.NoNode && !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func contains(list []audit.NodeID, id audit.NodeID) bool {
	for _, e := range list {
		if e == id {
			return true
		}
	}
	return false
}

// normalize folds case, drops punctuation and symbols, and collapses white
// space, so that texts differing only in those compare equal.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return audit.CollapseSpace(b.String())
}
