package imagealt

import (
	"fmt"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
)

// TooLong is the rule img-alt-too-long.
var TooLong = Family.Rule(audit.Rule{
	ID:       "img-alt-too-long",
	Title:    "alt text should be short",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkTooLong,
})

// MaxAltLength is the length in characters over which alt text is
// reported as too long. WAVE uses 100; the catalogue 150.
var MaxAltLength = 150

func checkTooLong(pass *audit.Pass) error {
	for _, ph := range photos(pass.Page) {
		t := ph.text()
		n := utf8.RuneCountInString(t)
		if n <= MaxAltLength || duplicatesACaption(ph) {
			continue // a caption duplicate is reported, and fixed, as one
		}
		ev := ph.evidence()
		ev.Fix = "Keep the alt text to a sentence about what the photo shows; put the rest in the caption or the article."
		ph.report(pass, fmt.Sprintf("alt text is %d characters long (over %d), read in one go with no way to skim: %s", n, MaxAltLength, quote(t, 120)), ev, audit.AsReview())
	}
	return nil
}
