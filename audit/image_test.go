package audit_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

// TestImageEvidence checks that a rule's photo evidence reaches the
// finding and the JSON contract, and that an unknown load state stays out
// of the JSON rather than reading as "not loaded".
func TestImageEvidence(t *testing.T) {
	p, err := static.Parse(strings.NewReader(`<figure><img src="a.jpg" alt="Logan Rock"><figcaption>Logan Rock</figcaption></figure>`), "http://example.test/")
	if err != nil {
		t.Fatal(err)
	}
	loaded := true
	rule := &audit.Rule{
		ID: "test-photo", Title: "test", Doc: doc, Tags: []string{"images"}, WCAG: []string{"1.1.1"},
		Severity: audit.Moderate, Needs: audit.CapDOM,
		Check: func(ps *audit.Pass) error {
			for i, id := range ps.Page.ElementsByTag("img") {
				ev := &audit.ImageEvidence{Alt: "Logan Rock", AltSource: "alt", Caption: "Logan Rock", CaptionSource: "figcaption",
					Match: &audit.TextMatch{Kind: "prefix", Score: 0.724, Against: "caption"}}
				if i == 0 {
					ev.Loaded = &loaded
				}
				ps.Report(id, "seen", audit.WithImage(ev), audit.WithThumbnail())
			}
			return nil
		},
	}
	findings, _, errs := audit.CheckPage(p, []*audit.Rule{rule})
	if len(errs) != 0 || len(findings) != 1 {
		t.Fatalf("findings %v, errors %v", findings, errs)
	}
	f := findings[0]
	if f.Image == nil || f.Image.Caption != "Logan Rock" || !f.WantThumbnail {
		t.Fatalf("evidence not attached: %+v", f)
	}
	if got := f.Image.Match.Percent(); got != 72 {
		t.Errorf("Percent = %d, want 72", got)
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	img, ok := back["image"].(map[string]any)
	if !ok {
		t.Fatalf("no image object in %s", data)
	}
	for key, want := range map[string]any{"alt": "Logan Rock", "caption_source": "figcaption", "loaded": true} {
		if img[key] != want {
			t.Errorf("image.%s = %v, want %v", key, img[key], want)
		}
	}
	if m := img["match"].(map[string]any); m["kind"] != "prefix" {
		t.Errorf("match = %v", m)
	}

	f.Image.Loaded = nil
	data, _ = json.Marshal(f)
	if strings.Contains(string(data), `"loaded"`) {
		t.Errorf("an unknown load state is written: %s", data)
	}
}
