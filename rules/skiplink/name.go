package skiplink

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// genericNames are skip link names that do not say where the link leads,
// accent-folded and lower-cased, in the languages news sites most often
// use. The words only judge a name; they never decide what a skip link
// is.
var genericNames = map[string]bool{
	"skip": true, "skip link": true, "jump": true, "click here": true, "here": true,
	"link": true, "go": true, "more": true, "top": true,
	"pular": true, "saltar": true, "ir": true, "aqui": true, "clique aqui": true, "haga clic aqui": true,
	"ici": true, "cliquez ici": true, "hier": true, "hier klicken": true, "uberspringen": true,
	"springen": true, "salta": true, "vai": true, "qui": true, "clicca qui": true,
}

// toNavigation matches a name that says the link leads to the navigation
// ("skip to navigation", "ir para o menu"), as opposed to one that skips
// past it ("skip navigation").
var toNavigation = regexp.MustCompile(`\b(to|para|a|al|ao|zur|zum|vers|alla)\s+(the\s+|o\s+|la\s+|el\s+|le\s+|die\s+)?(main\s+|site\s+)?(navigation|nav|menu|navegacao|navegacion|navigazione|hauptmenu)\b`)

// contentWords say a name leads to the story or the main content.
var contentWords = map[string]bool{
	"content": true, "main": true, "article": true, "story": true,
	"conteudo": true, "contenido": true, "contenu": true, "inhalt": true, "contenuto": true,
	"principal": true, "artigo": true, "articulo": true,
}

// navWords say a name is about the navigation.
var navWords = map[string]bool{
	"navigation": true, "nav": true, "menu": true, "navegacao": true, "navegacion": true,
	"navigazione": true, "hauptmenu": true,
}

func checkName(pass *audit.Pass) error {
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
		if genericNames[folded] || len([]rune(folded)) <= 1 {
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
	hasAny := func(set map[string]bool) bool {
		for _, w := range words {
			if set[w] {
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

// storyish reports whether an element is the story: the main landmark or
// an article, inside one, or holding the main landmark.
func storyish(p *audit.Page, id audit.NodeID) bool {
	if landmarkAncestor(p, id, a11y.Main) != audit.NoNode || p.Closest(id, "article") != audit.NoNode {
		return true
	}
	for _, m := range mainLandmarks(p) {
		if p.Contains(id, m) {
			return true
		}
	}
	return false
}
