package imagealt

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/regions"
)

// BackgroundPhotoNoName is the rule img-background-photo-no-name. It reads
// the backgrounds and boxes only a browser computes, in the live DOM (lazy
// loaders set backgrounds by script), and the accessibility tree's
// landmarks to tell the story from the template.
var BackgroundPhotoNoName = Family.Rule(audit.Rule{
	ID:       "img-background-photo-no-name",
	Title:    "photos drawn as CSS backgrounds in the story should have a text alternative",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Moderate,
	Needs:    needsLayout | audit.CapAX,
	Check:    checkBackgroundPhotoNoName,
})

// Size over which a CSS background photo counts as content, in CSS pixels.
const (
	backgroundWidth  = 300
	backgroundHeight = 200
)

// photoURL matches a CSS background that is a photograph: a JPEG, WebP or
// AVIF file.
var photoURL = regexp.MustCompile(`(?i)url\(\s*["']?([^"')]+\.(?:jpe?g|webp|avif)(?:[?#][^"')]*)?)["']?\s*\)`)

// checkBackgroundPhotoNoName reports, for review, large photographs drawn
// as CSS backgrounds in the story with no text alternative (F3): hero
// images built from a div are invisible to screen readers.
func checkBackgroundPhotoNoName(pass *audit.Pass) error {
	p := pass.Page
	for id := range p.Elements() {
		if err := pass.Err(); err != nil {
			return err
		}
		n := p.Node(id)
		if n.Layout == nil || n.Layout.Style == nil || n.Is("img", "body", "html") || n.Role() == "img" {
			continue
		}
		m := photoURL.FindStringSubmatch(n.Layout.Style.BackgroundImage)
		if m == nil {
			continue
		}
		b := n.Layout.Box
		if b.W < backgroundWidth || b.H < backgroundHeight || !regions.InStory(p, id) || inControl(p, id) || a11y.AriaHidden(p, id) {
			continue
		}
		if p.VisibleText(id) != "" || strings.TrimSpace(n.AttrOr("aria-label", "")) != "" || strings.TrimSpace(n.AttrOr("title", "")) != "" {
			continue
		}
		ev := &audit.ImageEvidence{CurrentSrc: m[1], RenderedWidth: int(b.W + 0.5), RenderedHeight: int(b.H + 0.5),
			Fix: "If the photo matters to the story, give the element role=\"img\" and an aria-label that says what it shows; better, use an img with alt text."}
		opts := []audit.ReportOption{audit.AsReview(), audit.WithImage(ev)}
		if thumbnailable(p, id) {
			opts = append(opts, audit.WithThumbnail())
		}
		pass.Report(id, fmt.Sprintf("a %.0f×%.0f photo (%s) is drawn as a CSS background with no text alternative: if it carries content, screen readers never learn of it",
			b.W, b.H, quote(baseName(m[1]), 60)), opts...)
	}
	return nil
}
