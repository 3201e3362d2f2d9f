package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

// Placeholder is the rule img-alt-placeholder.
var Placeholder = Family.Rule(audit.Rule{
	ID:       "img-alt-placeholder",
	Title:    "alt text must not be a placeholder word",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkPlaceholder,
})

func checkPlaceholder(pass *audit.Pass) error {
	lex := lexicon.Default()
	for _, ph := range photos(pass.Page) {
		t := ph.text()
		if t == "" || !lex.IsPlaceholder(t) {
			continue
		}
		ev := ph.evidence()
		ev.Fix = "Say what the photo shows, or use alt=\"\" if it is decoration."
		ph.report(pass, fmt.Sprintf("alt text %s is a placeholder that says nothing about image %s", quote(t, 60), ph.fileName()), ev)
	}
	return nil
}
