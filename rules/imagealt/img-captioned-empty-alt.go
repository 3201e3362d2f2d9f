package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// CaptionedEmptyAlt is the rule img-captioned-empty-alt.
var CaptionedEmptyAlt = Family.Rule(audit.Rule{
	ID:       "img-captioned-empty-alt",
	Title:    "a captioned photo should not be marked decorative",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Minor,
	Needs:    needsLayout | audit.CapAX,
	Check:    checkCaptionedEmptyAlt,
})

func checkCaptionedEmptyAlt(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range decorativePhotos(p) {
		if ph.sized() && !ph.large() {
			continue // a small picture, such as an icon, may well be decoration
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
		size := "not loaded"
		if ph.sized() {
			size = sizeText(ph)
		}
		ph.report(pass, fmt.Sprintf("image %s (%s) is marked decorative with alt=\"\" but has a caption (%s): screen readers skip the photo and read the caption alone, and some skip such figures entirely",
			ph.fileName(), size, quote(c.Text, 100)), ev, audit.AsReview())
	}
	return nil
}
