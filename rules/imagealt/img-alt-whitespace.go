package imagealt

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// Whitespace is the rule img-alt-whitespace.
var Whitespace = Family.Rule(audit.Rule{
	ID:       "img-alt-whitespace",
	Title:    "alt text must not be only white space",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkWhitespace,
})

func checkWhitespace(pass *audit.Pass) error {
	p := pass.Page
	for _, id := range p.ElementsByTag("img") {
		n := p.Node(id)
		alt, ok := n.Attr("alt")
		if !ok || alt == "" || !audit.IsBlank(alt) || !p.Rendered(id) || inTemplate(p, id) || a11y.AriaHidden(p, id) || presentational(p, id) {
			continue
		}
		ph := newPhoto(p, id)
		if ph.nameFrom != "" && ph.nameFrom != "alt" && ph.named() {
			continue // aria-label or aria-labelledby names the image instead
		}
		ev := ph.evidence()
		ev.Alt = alt
		ev.Fix = "Use alt=\"\" with nothing between the quotes if the image is decoration; otherwise say what it shows."
		what := "Chrome exposes it as an image with a blank name instead of skipping it"
		if !p.Exposed(id) {
			what = "browsers that do not trim it announce an unnamed image instead of skipping it"
		}
		ph.report(pass, fmt.Sprintf("alt text of image %s is only white space (%s); %s", ph.fileName(), codePoints(alt), what), ev)
	}
	return nil
}

// codePoints lists the characters of a short string as U+ codes.
func codePoints(s string) string {
	var parts []string
	for i, r := range s {
		if i >= 24 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("U+%04X", r))
	}
	return strings.Join(parts, " ")
}
