package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// Generic is the rule heading-generic.
var Generic = Family.Rule(audit.Rule{
	ID:       "heading-generic",
	Title:    "headings should say what their section holds",
	WCAG:     []string{"2.4.6"},
	Tags:     []string{"best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkGeneric,
})

func checkGeneric(pass *audit.Pass) error {
	c := newContext(pass.Page, outlineOf(pass.Page))
	type key struct {
		text  string
		level int
	}
	first := map[key]int{}
	for i, e := range c.out {
		norm := textmatch.FoldAccents(e.Text)
		if norm == "" || e.place.foreign() || adWords.Match(e.Text, norm) != "" {
			continue
		}
		if ph := genericWords.MatchWhole(norm); ph != "" {
			pass.Report(e.Node, fmt.Sprintf("heading %q, %s, does not say what its section holds", audit.Truncate(e.Text, 60), e.place.where()), audit.AsReview())
			continue
		}
		if e.Level == 1 || c.isTeaser(i) {
			continue // h1-multiple reports repeated level-one headings; a teaser repeated in two rails is still a link to one story
		}
		k := key{norm, e.Level}
		j, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		if prev := c.out[j]; prev.place.String() != e.place.String() {
			pass.Report(e.Node, fmt.Sprintf("heading %q, %s, repeats the level-%d heading %s, so the two sections cannot be told apart",
				audit.Truncate(e.Text, 60), e.place.where(), e.Level, prev.place.where()), audit.AsReview())
		}
	}
	return nil
}
