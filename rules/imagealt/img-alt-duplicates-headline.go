package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
)

// DuplicatesHeadline is the rule img-alt-duplicates-headline.
var DuplicatesHeadline = Family.Rule(audit.Rule{
	ID:       "img-alt-duplicates-headline",
	Title:    "alt text must not repeat the story's headline",
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"news"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkDuplicatesHeadline,
})

func checkDuplicatesHeadline(pass *audit.Pass) error {
	p := pass.Page
	heads := headlineTexts(p)
	if len(heads) == 0 {
		return nil // no headline stated: not an article page
	}
	for _, ph := range photos(p) {
		if err := pass.Err(); err != nil {
			return err
		}
		t := ph.text()
		if t == "" || ph.nameFrom == "aria-labelledby" {
			continue // no alt text, or a label the page chose on purpose
		}
		if p.ClosestFunc(ph.id, func(id audit.NodeID, _ *audit.Node) bool { return a11y.HeadingLevel(p, id) > 0 }) != audit.NoNode {
			continue // an image of text in a heading is named by what it says
		}
		var best caption.Match
		var against string
		for _, h := range heads {
			m := caption.Compare(t, h)
			if m.Found() && (!best.Found() || m.Kind == caption.Exact && best.Kind != caption.Exact || m.Score > best.Score) {
				best, against = m, h
			}
		}
		if !best.Found() {
			continue
		}
		ev := withMatch(ph.evidence(), best, "headline")
		ev.Fix = "Describe what the photo shows (who, where, what is happening); the headline is already read out just above it."
		if best.Kind == caption.Exact {
			ph.report(pass, fmt.Sprintf("alt text of image %s repeats the story's headline word for word, so screen readers read the headline again and nothing of the photo: alt %s, headline %s",
				ph.fileName(), quote(t, 120), quote(against, 120)), ev)
			continue
		}
		ph.report(pass, fmt.Sprintf("alt text of image %s nearly repeats the story's headline, so screen readers read most of it again: alt %s, headline %s (%s; score %.2f)",
			ph.fileName(), quote(t, 120), quote(against, 120), best.Describe("headline"), best.Score), ev,
			audit.AsReview(), audit.WithSeverity(audit.Minor))
	}
	return nil
}

// headlineTexts returns the story's headline as the page renders it, then
// as its metadata states it, leaving out a bare <title>, which may name a
// section or the site rather than a story.
func headlineTexts(p *audit.Page) []string {
	var out []string
	if m, ok := headline.Find(p); ok {
		out = append(out, m.Text)
	}
	for _, c := range headline.Candidates(p) {
		if c.Source != "title" {
			out = append(out, c.Text)
		}
	}
	return out
}
