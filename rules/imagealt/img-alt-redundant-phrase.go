package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

// RedundantPhrase is the rule img-alt-redundant-phrase.
var RedundantPhrase = Family.Rule(audit.Rule{
	ID:       "img-alt-redundant-phrase",
	Title:    "alt text should not announce that it is an image",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkRedundantPhrase,
})

func checkRedundantPhrase(pass *audit.Pass) error {
	lex := lexicon.Default()
	for _, ph := range photos(pass.Page) {
		t := ph.text()
		if t == "" || lex.IsPlaceholder(t) || caption.IsCredit(t) {
			continue // the placeholder and credit rules say more
		}
		ev := ph.evidence()
		ev.Fix = "Drop the words that announce a picture; screen readers already say \"image\"."
		if start, ok := lex.RedundantStart(t); ok {
			ph.report(pass, fmt.Sprintf("alt text opens with %q (%s); screen readers already announce an image, so the words add nothing", start, quote(t, 80)), ev, audit.AsReview())
			continue
		}
		if end, ok := lex.RedundantEnd(t); ok {
			ph.report(pass, fmt.Sprintf("alt text ends with %q (%s); screen readers already announce an image, so the word adds nothing", end, quote(t, 80)), ev, audit.AsReview())
		}
	}
	return nil
}
