package imagealt

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// LazyUnresolved is the rule img-lazy-unresolved.
var LazyUnresolved = Family.Rule(audit.Rule{
	ID:       "img-lazy-unresolved",
	Title:    "lazy images should show their real source once scrolled into view",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Minor,
	Needs:    needsLayout,
	Check:    checkLazyUnresolved,
})

func checkLazyUnresolved(pass *audit.Pass) error {
	p := pass.Page
	for _, id := range p.ElementsByTag("img") {
		if !p.Rendered(id) || inTemplate(p, id) || a11y.AriaHidden(p, id) {
			continue
		}
		ph := newPhoto(p, id)
		waiting, ok := unresolvedLazy(ph)
		if !ok {
			continue
		}
		shown := "no source"
		switch cur := ph.currentSrc(); {
		case strings.HasPrefix(cur, "data:"):
			shown = "a data: placeholder"
		case baseName(cur) != "":
			shown = quote(baseName(cur), 60)
		}
		alt := ""
		if !ph.hasAlt && !ph.named() {
			alt = ", and it has no alt text yet"
			if v := strings.TrimSpace(ph.node.AttrOr("data-alt", "")); v != "" {
				alt = fmt.Sprintf(", and its alt text (%s) waits in data-alt too", quote(v, 60))
			}
		}
		ev := ph.evidence()
		ev.Fix = "Check that the lazy-loading script runs for every reader; give the img a real src (or use loading=\"lazy\") and its alt text in the HTML."
		ph.report(pass, fmt.Sprintf("lazy image still shows %s after the page was scrolled, while its real source %s waits in a data attribute%s; its size and picture could not be judged",
			shown, quote(baseName(waiting), 60), alt), ev, audit.AsReview())
	}
	return nil
}
