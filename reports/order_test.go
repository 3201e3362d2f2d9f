package reports

import (
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

func TestByImportanceAndCollapse(t *testing.T) {
	fs := []audit.Finding{
		{Rule: "heading-level-skip", Outcome: audit.Review, Severity: audit.Moderate, Key: "heading:a", Region: "story"},
		{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Critical, Key: "img:ad.png", Region: "template"},
		{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Critical, Key: "img:lead.jpg", Region: "story"},
		{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Critical, Key: "img:ad.png", Region: "template"},
		{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Critical, Key: "img-alt:", Region: "template"},
		{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Critical, Key: "img-alt:", Region: "template"},
		{Rule: "img-alt-filename", Outcome: audit.Violation, Severity: audit.Serious, Key: "img:x.jpg", Region: "story"},
	}
	groups := collapse(byImportance(fs))
	var got []string
	for _, g := range groups {
		got = append(got, g.First.Key+"×"+string(rune('0'+g.Count)))
	}
	want := []string{"img:lead.jpg×1", "img:x.jpg×1", "img:ad.png×2", "img-alt:×1", "img-alt:×1", "heading:a×1"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q: the story's violations first, worst first, then the template's, identical ad images as one, keyless images never merged, reviews last", got, want)
		}
	}
}

func TestRestates(t *testing.T) {
	help := `Add an alt attribute in the CMS: describe what the photo shows in a short sentence, or use alt="" if the image is purely decorative.`
	if !restates(`Add an alt attribute that says what the photo shows, or alt="" if it is decoration.`, help) {
		t.Error("a restatement of the help was not recognised")
	}
	if restates(`Describe what the photo shows (who, where, what is happening); the caption already says "French President Emmanuel Macron meets Vladimir Putin in Moscow"`, help) {
		t.Error("advice quoting the photo's own caption was taken for a restatement")
	}
	if restates("", help) {
		t.Error("empty advice restates nothing")
	}
}
