package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// DuplicatesCaption is the rule img-alt-duplicates-caption.
var DuplicatesCaption = Family.Rule(audit.Rule{
	ID:       "img-alt-duplicates-caption",
	Title:    "alt text must not repeat the image's caption",
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"news"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkDuplicatesCaption,
})

func checkDuplicatesCaption(pass *audit.Pass) error {
	for _, ph := range photos(pass.Page) {
		if err := pass.Err(); err != nil {
			return err
		}
		cm, ok := bestCaptionMatch(ph)
		if !ok {
			continue
		}
		c, m := cm.caption, cm.match
		ev := withMatch(withCaption(ph.evidence(), c), m, "caption")
		ev.Fix = fmt.Sprintf("Describe what the photo shows (who, where, what is happening); the caption already says %s", quote(c.Text, 100))
		credit := ""
		if c.Credit != "" {
			credit = fmt.Sprintf("; credit %s set aside", quote(c.Credit, 60))
		}
		label := sourceLabel(c.Source)
		if m.Kind == caption.Exact {
			ph.report(pass, fmt.Sprintf("alt text repeats the %s word for word, so screen readers read it twice: alt %s, caption %s (exact match after normalisation, score 1.00%s)",
				label, quote(ph.text(), 120), quote(c.Text, 120), credit), ev)
			continue
		}
		ph.report(pass, fmt.Sprintf("alt text nearly repeats the %s, so screen readers read most of it twice: alt %s, caption %s (%s; score %.2f%s)",
			label, quote(ph.text(), 120), quote(c.Text, 120), m.Describe("caption"), m.Score, credit), ev,
			audit.AsReview(), audit.WithSeverity(audit.Minor))
	}
	return nil
}
