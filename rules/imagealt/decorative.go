package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// decorativePhotos returns the page's images marked decorative (alt="" or
// role none/presentation with no alt text) that are rendered, not hidden
// with aria-hidden and not in a template, with their descriptions.
func decorativePhotos(p *audit.Page) []*photo {
	var out []*photo
	for _, id := range p.ElementsByTag("img") {
		n := p.Node(id)
		alt, hasAlt := n.Attr("alt")
		decorative := hasAlt && alt == "" || presentational(p, id) && audit.IsBlank(alt)
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
