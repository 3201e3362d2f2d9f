package imagealt

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// ContainsCredit is the rule img-alt-contains-credit.
var ContainsCredit = Family.Rule(audit.Rule{
	ID:       "img-alt-contains-credit",
	Title:    "alt text should not carry the photo credit",
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"news"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkContainsCredit,
})

// minCreditWords is how many words a caption's credit needs before the rule
// looks for it inside an alt text: "AP" alone is too common a word.
const minCreditWords = 2

func checkContainsCredit(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range photos(p) {
		t := ph.text()
		if t == "" || caption.IsCredit(t) {
			continue // all credit: img-alt-credit-only reports it
		}
		ev := ph.evidence()
		ev.Fix = "Take the credit out of the alt text; it belongs in the caption."
		if parts := caption.Split(t); parts.Body != "" && parts.Credit != "" {
			ev.Credit = parts.Credit
			ph.report(pass, fmt.Sprintf("alt text carries a photo credit (%s), which screen readers read as part of the picture's description: %s",
				quote(parts.Credit, 80), quote(t, 100)), ev, audit.AsReview())
			continue
		}
		norm := textmatch.FoldAccents(t)
		for _, c := range caption.ForImage(p, ph.id) {
			core := creditCore(c.Credit)
			if len(strings.Fields(core)) < minCreditWords || !strings.HasSuffix(norm, " "+core) {
				continue
			}
			withCaption(ev, c)
			ph.report(pass, fmt.Sprintf("alt text ends with the photo's credit as its %s gives it (%s), which screen readers read as part of the picture's description: %s",
				sourceLabel(c.Source), quote(c.Credit, 80), quote(t, 100)), ev, audit.AsReview())
			break
		}
	}
	return nil
}
