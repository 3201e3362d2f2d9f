package imagealt

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// decorativePhotos returns the page's images marked decorative (alt="" or
// role none/presentation with no alt text) that are rendered, not hidden
// with aria-hidden and not in a template, with their descriptions.
func decorativePhotos(p *audit.Page) []*photo {
	var out []*photo
	for _, id := range p.ElementsByTag("img") {
		n := p.Node(id)
		alt, hasAlt := n.Attr("alt")
		decorative := hasAlt && alt == "" || presentational(n) && audit.IsBlank(alt)
		if !decorative || !p.Rendered(id) || inTemplate(p, id) || a11y.AriaHidden(p, id) {
			continue
		}
		ph := newPhoto(p, id)
		if ph.named() {
			continue // aria-label or title names it after all
		}
		out = append(out, ph)
	}
	return out
}

// sizeText gives a photo's rendered size for a message.
func sizeText(ph *photo) string {
	b := ph.box()
	return fmt.Sprintf("%.0f×%.0f", b.W, b.H)
}

func checkCaptionedEmptyAlt(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range decorativePhotos(p) {
		if !ph.large() {
			continue // never loaded, or small: its size says nothing
		}
		fig := caption.Figcaption(p, ph.id)
		if fig == audit.NoNode {
			continue
		}
		c := caption.Read(p, fig, caption.FromFigcaption)
		if c.Text == "" {
			continue
		}
		ev := withCaption(ph.evidence(), c)
		ev.Fix = fmt.Sprintf("Add a short alt text that says what the photo shows beyond the caption, which says %s", quote(c.Text, 100))
		ph.report(pass, fmt.Sprintf("image %s (%s) is marked decorative with alt=\"\" but has a caption (%s): screen readers skip the photo and read the caption alone, and some skip such figures entirely",
			ph.fileName(), sizeText(ph), quote(c.Text, 100)), ev, audit.AsReview())
	}
	return nil
}

func checkInformativeEmptyAlt(pass *audit.Pass) error {
	p := pass.Page
	lead := leadPhoto(p)
	for _, ph := range decorativePhotos(p) {
		if !ph.large() || !a11y.InStory(p, ph.id) {
			continue
		}
		if inControl(p, ph.id) || len(caption.ForImage(p, ph.id)) > 0 || ph.node.HasAttr("aria-describedby") {
			continue // a teaser's link text or a caption carries it
		}
		what := "a large photo in the story"
		switch {
		case sharedImage(p, ph.currentSrc()):
			what = "the page's share image (og:image), its lead photo"
		case ph.id == lead:
			what = "the story's first large photo, its lead"
		}
		ev := ph.evidence()
		ev.Fix = "Say what the photo shows in its alt text; alt=\"\" is for images that add nothing to the story."
		ph.report(pass, fmt.Sprintf("image %s (%s) is %s, yet it is marked decorative with alt=\"\" and has no caption: screen readers skip it entirely",
			ph.fileName(), sizeText(ph), what), ev, audit.AsReview())
	}
	return nil
}

// leadPhoto returns the first large image of the story, decorative or
// not, or NoNode.
func leadPhoto(p *audit.Page) audit.NodeID {
	for _, id := range p.ElementsByTag("img") {
		if !p.Rendered(id) || inTemplate(p, id) {
			continue
		}
		if ph := newPhoto(p, id); ph.large() && a11y.InStory(p, id) {
			return id
		}
	}
	return audit.NoNode
}

// inControl reports whether an element is inside a link or a button.
func inControl(p *audit.Page, id audit.NodeID) bool {
	return p.ClosestFunc(id, func(_ audit.NodeID, n *audit.Node) bool {
		return n.Is("a") && n.HasAttr("href") || n.Is("button") || n.Role() == "link" || n.Role() == "button"
	}) != audit.NoNode
}

// sizeSuffix matches the size a CMS appends to a file name: "-1020x680".
var sizeSuffix = regexp.MustCompile(`[-_]\d{2,5}x\d{2,5}(\.\w+)$`)

// sharedImage reports whether a source is the page's og:image or a
// JSON-LD article image, allowing for a different size or query string.
func sharedImage(p *audit.Page, src string) bool {
	if src == "" {
		return false
	}
	key := imageKey(src)
	if key == "" {
		return false
	}
	for _, s := range append([]string{p.Facts.OGImage}, p.Facts.Images...) {
		if s != "" && imageKey(s) == key {
			return true
		}
	}
	return false
}

// imageKey reduces an image URL to what stays the same across sizes: the
// path without a size suffix.
func imageKey(src string) string {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || u.Path == "" || u.Path == "/" {
		return ""
	}
	return sizeSuffix.ReplaceAllString(u.Path, "$1")
}
