package skiplink

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// Name is the rule skip-link-name.
var Name = Family.Rule(audit.Rule{
	ID:       "skip-link-name",
	Title:    "skip links must have a name that says where they lead",
	WCAG:     []string{"2.4.4"},
	Severity: audit.Moderate,
	Needs:    needsTree,
	Check:    checkName,
})

// genericNames are skip link names that do not say where the link leads,
// in the languages news sites most often use, matched accent-folded and
// lower-cased. The words only judge a name; they never decide what a skip
// link is.
var genericNames = lexicon.Default().List(lexicon.SkipGeneric)

// toNavigation matches a name that says the link leads to the navigation
// ("skip to navigation", "ir para o menu"), as opposed to one that skips
// past it ("skip navigation").
var toNavigation = regexp.MustCompile(`\b(to|para|a|al|ao|zur|zum|vers|alla)\s+(the\s+|o\s+|la\s+|el\s+|le\s+|die\s+)?(main\s+|site\s+)?(` +
	strings.Join(navWords.Entries(), "|") + `)\b`)

// contentWords say a name leads to the story or the main content.
var contentWords = lexicon.Default().List(lexicon.SkipContent)

// navWords say a name is about the navigation; toNavigation names them
// too.
var navWords = lexicon.Default().List(lexicon.SkipNavigation)

func checkName(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	for _, l := range skipLinks(p) {
		if !p.Exposed(l.node) {
			continue // skip-link-focusable reports links nobody can reach
		}
		name := audit.CollapseSpace(a11y.Name(p, l.node))
		if name == "" {
			pass.Report(l.node, fmt.Sprintf("skip link to \"#%s\" has no accessible name, so screen readers announce it as just \"link\"", l.frag))
			continue
		}
		folded := textmatch.FoldAccents(name)
		if genericNames.MatchWhole(folded) != "" || len([]rune(folded)) <= 1 {
			pass.Report(l.node, fmt.Sprintf("skip link name %q does not say where the link leads", name), audit.AsReview())
			continue
		}
		if why := contradiction(p, folded, l.target); why != "" {
			pass.Report(l.node, fmt.Sprintf("skip link name %q %s", name, why), audit.AsReview())
		}
	}
	return nil
}

// contradiction says how a name contradicts the link's target, or "".
func contradiction(p *audit.Page, folded string, target audit.NodeID) string {
	if target == audit.NoNode {
		return ""
	}
	words := strings.Fields(folded)
	hasAny := func(set *lexicon.List) bool {
		for _, w := range words {
			if set.Has(w) {
				return true
			}
		}
		return false
	}
	toNav := toNavigation.MatchString(folded)
	content := hasAny(contentWords)
	switch {
	case toNav && !content && storyish(p, target):
		return fmt.Sprintf("promises the navigation, but the link leads to %s in the main content", describe(p, target))
	case content && !hasAny(navWords) && inNavigation(p, target):
		return fmt.Sprintf("promises the content, but the link leads to %s in the navigation", describe(p, target))
	}
	return ""
}
