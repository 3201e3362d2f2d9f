package imagealt_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/rules/imagealt"
)

func TestFixtures(t *testing.T) {
	audittest.Run(t, imagealt.Rules...)
}

// TestEvidence checks the photo evidence the rules attach in Chrome: the
// texts and match of a caption duplicate, the load state and size of a
// loaded image and of one that never loaded, and thumbnails asked only
// for pictures that can be shown.
func TestEvidence(t *testing.T) {
	p := audittest.Replay(t, audittest.Page(t, "rules/img-alt-duplicates-caption/evidence.html"))
	findings, _, errs := audit.CheckPage(p, imagealt.Rules)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	byNode := map[string]audit.Finding{}
	for _, f := range findings {
		byNode[f.Selector] = f
	}
	dup, ok := byNode["#loaded"]
	if !ok || dup.Image == nil {
		t.Fatalf("no evidence on #loaded: %+v", findings)
	}
	ev := dup.Image
	if ev.Alt != "Logan Rock, Cornwall" || ev.Caption != "Logan Rock, Cornwall." || ev.Credit != "Photograph: Jane Doe/Getty Images" || ev.CaptionSource != "figcaption" {
		t.Errorf("texts: %+v", ev)
	}
	if ev.Match == nil || ev.Match.Kind != "exact" || ev.Match.Score != 1 || ev.Match.AltNormalized != "logan rock cornwall" {
		t.Errorf("match: %+v", ev.Match)
	}
	if ev.Loaded == nil || !*ev.Loaded || ev.RenderedWidth != 400 || ev.RenderedHeight != 300 || !strings.HasSuffix(ev.CurrentSrc, "/photo.svg") {
		t.Errorf("load state: loaded %v, %dx%d, %q", ev.Loaded, ev.RenderedWidth, ev.RenderedHeight, ev.CurrentSrc)
	}
	if !dup.WantThumbnail || !strings.Contains(ev.Fix, `the caption already says "Logan Rock, Cornwall."`) {
		t.Errorf("thumbnail %v, fix %q", dup.WantThumbnail, ev.Fix)
	}
	broken, ok := byNode["#broken"]
	if !ok || broken.Image == nil {
		t.Fatalf("no evidence on #broken: %+v", findings)
	}
	if ev := broken.Image; ev.Loaded == nil || *ev.Loaded || ev.RenderedWidth != 0 || !ev.AltMissing || broken.WantThumbnail {
		t.Errorf("a never-loaded image: loaded %v, width %d, alt missing %v, thumbnail %v", ev.Loaded, ev.RenderedWidth, ev.AltMissing, broken.WantThumbnail)
	}
}
