package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/reports"
)

// TestHTMLPhotoView checks the photo block of an image finding: the
// thumbnail beside the alt text, caption, credit and what to write, every
// page-derived text escaped, and nothing but an embedded picture accepted
// as the thumbnail.
func TestHTMLPhotoView(t *testing.T) {
	loaded, notLoaded := true, false
	finding := func(thumb string, ev *audit.ImageEvidence) audit.Finding {
		return audit.Finding{Rule: "img-alt-duplicates-caption", Outcome: audit.Violation, Severity: audit.Moderate,
			Selector: "#p", Snippet: "<img>", Message: "m", Help: "h", Thumbnail: thumb, Image: ev}
	}
	r := &audit.Report{SchemaVersion: 1, Tool: audit.Tool{Name: "newsa11y", Version: "test"}, Pages: []audit.PageResult{{
		URL: "story.html", Title: "Story",
		Findings: []audit.Finding{
			finding("data:image/jpeg;base64,/9j/AAAA", &audit.ImageEvidence{
				Alt: "Logan Rock, Cornwall", AltSource: "alt", Caption: "Logan Rock, Cornwall", CaptionSource: "figcaption",
				Credit: "Photograph: <script>x</script>", Match: &audit.TextMatch{Kind: "exact", Score: 1, Against: "caption"},
				RenderedWidth: 640, RenderedHeight: 480, Loaded: &loaded,
				Fix: `Describe what the photo shows; the caption already says "Logan Rock, Cornwall".`,
			}),
			finding("javascript:alert(1)", &audit.ImageEvidence{AltMissing: true, Loaded: &notLoaded, Fix: "Add alt text."}),
		},
	}}}
	w, err := reports.ForFormat("html")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<img class="thumb" src="data:image/jpeg;base64,/9j/AAAA"`,
		`<dt>Alt text</dt><dd><q>Logan Rock, Cornwall</q>`,
		`<dt>Caption</dt><dd><q>Logan Rock, Cornwall</q> <span class="photo-note">figcaption</span>`,
		`<dt>Credit</dt><dd>Photograph: &lt;script&gt;x&lt;/script&gt;</dd>`,
		`exact with the caption, 100% alike`,
		`the caption already says &#34;Logan Rock, Cornwall&#34;.`,
		`<em>none: no alt attribute</em>`,
		`<p class="thumb-none">The image never loaded</p>`,
		`never loaded, so its size was not judged`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(out, "javascript:") || strings.Contains(out, "ZgotmplZ") {
		t.Error("a thumbnail that is not an embedded picture reached the report")
	}
}
