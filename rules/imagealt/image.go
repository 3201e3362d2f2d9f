package imagealt

import (
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// A photo is an img element as the reader gets it.
type photo struct {
	page *audit.Page
	id   audit.NodeID
	node *audit.Node
	// name is the text alternative assistive technology gets: the
	// browser's accessible name, or without the tree the name HTML-AAM
	// gives (aria-labelledby, aria-label, alt, title). It keeps its white
	// space.
	name string
	// nameFrom says where name came from: "alt", "aria-label",
	// "aria-labelledby", "title", or "" when the image has none.
	nameFrom string
	// alt is the alt attribute and hasAlt whether it is present.
	alt    string
	hasAlt bool
	// collapsed is name with white space collapsed, computed once: the
	// rules ask for it many times, and a page can make it a megabyte.
	collapsed string
}

// newPhoto describes an img element.
func newPhoto(p *audit.Page, id audit.NodeID) *photo {
	n := p.Node(id)
	ph := &photo{page: p, id: id, node: n}
	ph.alt, ph.hasAlt = n.Attr("alt")
	ph.name, ph.nameFrom = textAlternative(p, id)
	ph.collapsed = audit.CollapseSpace(ph.name)
	return ph
}

// photos returns the page's img elements that assistive technology
// reaches, in document order: rendered, not hidden from the accessibility
// tree, not presentational, not in a template. Copies inside noscript are
// not elements once scripts run, and the static loader does not render
// them either.
func photos(p *audit.Page) []*photo {
	var out []*photo
	for _, id := range p.ElementsByTag("img") {
		if !p.Exposed(id) || inTemplate(p, id) || presentational(p, id) {
			continue
		}
		out = append(out, newPhoto(p, id))
	}
	return out
}

// presentational reports whether an image's role removes it from the
// accessibility tree. Role none or presentation does not when the image
// can take focus or carries a global ARIA attribute: ARIA's
// presentational roles conflict resolution then keeps its image role, and
// it needs a name like any image. With the accessibility tree the
// browser's role decides; without it, the markup does.
func presentational(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if r := n.Role(); r != "none" && r != "presentation" {
		return false
	}
	if n.AX != nil && p.Captured.Has(audit.CapAX) {
		return n.AX.Role == "none" || n.AX.Role == "presentation" || n.AX.Ignored
	}
	return !n.HasAttr("tabindex") && !hasGlobalARIA(n)
}

// globalARIA lists ARIA's global states and properties: any of them on an
// element with a presentational role keeps its native role.
var globalARIA = []string{
	"aria-atomic", "aria-braillelabel", "aria-brailleroledescription", "aria-busy",
	"aria-controls", "aria-current", "aria-describedby", "aria-description",
	"aria-details", "aria-dropeffect", "aria-flowto", "aria-grabbed",
	"aria-keyshortcuts", "aria-label", "aria-labelledby", "aria-live",
	"aria-owns", "aria-relevant", "aria-roledescription",
}

// hasGlobalARIA reports whether an element carries a global ARIA state
// or property.
func hasGlobalARIA(n *audit.Node) bool {
	for _, a := range globalARIA {
		if n.HasAttr(a) {
			return true
		}
	}
	return false
}

func inTemplate(p *audit.Page, id audit.NodeID) bool {
	return p.Closest(id, "template") != audit.NoNode
}

// textAlternative returns an image's text alternative and where it came
// from. With the accessibility tree, the browser decides; without it,
// HTML-AAM's order applies: aria-labelledby, aria-label, alt, title.
func textAlternative(p *audit.Page, id audit.NodeID) (string, string) {
	n := p.Node(id)
	if p.Captured.Has(audit.CapAX) && n.AX != nil {
		if n.AX.Name == "" {
			return "", ""
		}
		return n.AX.Name, n.AX.NameFrom
	}
	if refs := strings.Fields(n.AttrOr("aria-labelledby", "")); len(refs) > 0 {
		var parts []string
		for _, ref := range refs {
			if t := p.ElementByID(n.Frame, ref); t != audit.NoNode {
				parts = append(parts, p.TextContent(t))
			}
		}
		if s := audit.CollapseSpace(strings.Join(parts, " ")); s != "" {
			return s, "aria-labelledby"
		}
	}
	if v := n.AttrOr("aria-label", ""); !audit.IsBlank(v) {
		return v, "aria-label"
	}
	if v, ok := n.Attr("alt"); ok {
		if v == "" {
			return "", ""
		}
		return v, "alt"
	}
	if v := n.AttrOr("title", ""); !audit.IsBlank(v) {
		return v, "title"
	}
	return "", ""
}

// text returns the text alternative with white space collapsed.
func (ph *photo) text() string { return ph.collapsed }

// named reports whether the image has a text alternative with something
// in it.
func (ph *photo) named() bool { return ph.text() != "" }

// loaded reports the image's load state: whether its picture was
// decoded, and whether that is known at all (it is not without a
// browser). A lazy image still showing its placeholder has not loaded its
// picture, even if the placeholder itself decoded.
func (ph *photo) loaded() (loaded, known bool) {
	if ph.node.Image == nil {
		return false, false
	}
	if _, waiting := unresolvedLazy(ph); waiting {
		return false, true
	}
	return ph.node.Image.Loaded(), true
}

// sized reports whether the image's rendered size can be judged: it
// loaded, so its box is the picture's and not a broken-image icon or the
// width of its alt text.
func (ph *photo) sized() bool {
	l, known := ph.loaded()
	return known && l && ph.node.Layout != nil
}

// box returns the rendered box, zero without layout.
func (ph *photo) box() audit.Rect {
	if ph.node.Layout == nil {
		return audit.Rect{}
	}
	return ph.node.Layout.Box
}

// Size thresholds of a photo that carries content, in CSS pixels: the
// catalogue's 200×150.
const (
	largeWidth  = 200
	largeHeight = 150
)

// large reports whether the image loaded and is rendered at least
// largeWidth by largeHeight.
func (ph *photo) large() bool {
	b := ph.box()
	return ph.sized() && b.W >= largeWidth && b.H >= largeHeight
}

// currentSrc returns the source the browser shows, or "" without a
// browser or before any source was chosen.
func (ph *photo) currentSrc() string {
	if ph.node.Image == nil {
		return ""
	}
	return ph.node.Image.CurrentSrc
}

// fileName names the image for a message by the file name of what it
// shows: the current source, else the lazy source waiting in data-src,
// else src or srcset.
func (ph *photo) fileName() string {
	cands := []string{ph.currentSrc()}
	cands = append(cands, lazySources(ph.node)...)
	for _, attr := range []string{"src", "srcset"} {
		cands = append(cands, srcsetURLs(ph.node.AttrOr(attr, ""))...)
	}
	for _, c := range cands {
		if base := baseName(c); base != "" {
			return strconv.Quote(audit.Truncate(base, 60))
		}
	}
	for _, c := range cands {
		if strings.HasPrefix(strings.TrimSpace(c), "data:") {
			return "(a picture embedded as a data: address)"
		}
	}
	return "(no source)"
}

// baseName returns the file name of the first URL of a src or srcset
// value, or "" for data: URIs and empty values.
func baseName(v string) string {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "data:") {
		return ""
	}
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0]
	}
	if u, err := url.Parse(v); err == nil {
		v = u.Path
	} else if i := strings.IndexAny(v, "?#"); i >= 0 {
		v = v[:i]
	}
	base := path.Base(v)
	if base == "." || base == "/" {
		return ""
	}
	if dec, err := url.PathUnescape(base); err == nil {
		base = dec
	}
	return base
}

// minThumbnail is the smallest box, in CSS pixels, worth a picture in the
// report: smaller ones are icons and spacers, and each picture costs a
// screenshot.
const minThumbnail = 48

// thumbnailable reports whether an element has a box in the top document
// large enough to be worth a picture.
func thumbnailable(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	return n.Frame == 0 && n.Layout != nil && n.Layout.Box.W >= minThumbnail && n.Layout.Box.H >= minThumbnail
}

// evidence returns the photo's evidence for a finding, without caption.
func (ph *photo) evidence() *audit.ImageEvidence {
	ev := &audit.ImageEvidence{
		Alt: ph.text(), AltSource: ph.nameFrom, AltMissing: !ph.hasAlt && ph.nameFrom == "",
		CurrentSrc: ph.currentSrc(),
	}
	l, known := ph.loaded()
	if known {
		ev.Loaded = &l
	}
	// A broken image's box is its icon or the width of its alt text, not
	// the picture's: leave it out.
	if b := ph.box(); ph.node.Layout != nil && (l || !known) {
		ev.RenderedWidth, ev.RenderedHeight = int(math.Round(b.W)), int(math.Round(b.H))
	}
	return ev
}

// withCaption adds a caption to evidence.
func withCaption(ev *audit.ImageEvidence, c caption.Caption) *audit.ImageEvidence {
	ev.Caption, ev.CaptionSource, ev.Credit = c.Text, c.Source, c.Credit
	return ev
}

// withMatch adds a comparison to evidence.
func withMatch(ev *audit.ImageEvidence, m caption.Match, against string) *audit.ImageEvidence {
	ev.Match = &audit.TextMatch{Kind: m.Kind, Score: round2(m.Score), Against: against, AltNormalized: m.Alt, OtherNormalized: m.Other}
	return ev
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// report reports a finding at the photo with its evidence and, when it has
// a box, a thumbnail.
func (ph *photo) report(pass *audit.Pass, msg string, ev *audit.ImageEvidence, opts ...audit.ReportOption) {
	if ev == nil {
		ev = ph.evidence()
	}
	opts = append(opts, audit.WithImage(ev))
	// A picture of an image that never loaded would show a broken-image
	// icon; the report says it never loaded instead.
	if l, known := ph.loaded(); (l || !known) && thumbnailable(ph.page, ph.id) {
		opts = append(opts, audit.WithThumbnail())
	}
	pass.Report(ph.id, msg, opts...)
}

// quote quotes a page text for a message, collapsed and truncated.
func quote(s string, max int) string {
	return strconv.Quote(audit.Truncate(audit.CollapseSpace(s), max))
}

// sourceLabel names where a caption came from, for a message.
func sourceLabel(source string) string {
	switch source {
	case caption.FromFigcaption:
		return "figcaption"
	case caption.FromDescribedBy:
		return "description (aria-describedby)"
	case caption.FromAdjacent:
		return "text right beside it"
	}
	return "caption beside it"
}

// parseURL parses a URL, trimming the white space pages leave around it.
func parseURL(s string) (*url.URL, error) { return url.Parse(strings.TrimSpace(s)) }
