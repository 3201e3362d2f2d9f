package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// LevelSkip is the rule heading-level-skip.
var LevelSkip = Family.Rule(audit.Rule{
	ID:       "heading-level-skip",
	Title:    "heading levels should go down one level at a time",
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"best-practice"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkLevelSkip,
})

func checkLevelSkip(pass *audit.Pass) error {
	out := outlineOf(pass.Page)
	for _, s := range levelSkips(out) {
		prev, cur := out[s.prev], out[s.cur]
		msg := fmt.Sprintf("heading level jumps from %d to %d (%q after %q), %s",
			prev.Level, cur.Level, audit.Truncate(cur.Text, 80), audit.Truncate(prev.Text, 80), cur.place.where())
		opts := []audit.ReportOption{audit.AsReview()}
		if cur.place.foreign() {
			msg += "; the frame's content comes from elsewhere, so the fix is with its supplier"
			opts = append(opts, audit.WithSeverity(audit.Minor))
		}
		pass.Report(cur.Node, msg, opts...)
	}
	return nil
}
