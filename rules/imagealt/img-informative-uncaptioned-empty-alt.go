package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/regions"
)

// InformativeEmptyAlt is the rule img-informative-uncaptioned-empty-alt.
var InformativeEmptyAlt = Family.Rule(audit.Rule{
	ID:       "img-informative-uncaptioned-empty-alt",
	Title:    "a lead or in-story photo without a caption should not be marked decorative",
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"news"},
	Severity: audit.Moderate,
	Needs:    needsLayout,
	Check:    checkInformativeEmptyAlt,
})

func checkInformativeEmptyAlt(pass *audit.Pass) error {
	p := pass.Page
	lead := leadPhoto(p)
	for _, ph := range decorativePhotos(p) {
		if !ph.large() || !regions.InStory(p, ph.id) {
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
		if ph := newPhoto(p, id); ph.large() && regions.InStory(p, id) {
			return id
		}
	}
	return audit.NoNode
}

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
