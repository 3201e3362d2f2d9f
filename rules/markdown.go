package rules

import (
	"fmt"
	"strings"
)

// familyTitles name the rule families in the documentation.
var familyTitles = map[string]string{
	"skip-links": "Skip links and bypass blocks",
	"images":     "Image alt text and captions",
	"headings":   "Heading structure and the headline",
}

// Markdown renders the documentation of every rule, the text of
// docs/rules.md. Each rule's section is anchored by its id, which is what a
// finding's help URL points to.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# newsa11y rules\n\n")
	b.WriteString("Generated from the rules' own documentation by `go test ./rules -update`; do not edit by hand.\n")
	family := ""
	for _, r := range All() {
		if f := r.Family(); f != family {
			family = f
			fmt.Fprintf(&b, "\n## %s\n", familyTitles[f])
		}
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n### %s\n\n", r.ID, r.ID)
		fmt.Fprintf(&b, "**%s**\n\n", sentence(r.Title))
		wcag := strings.Join(r.WCAG, ", ")
		if wcag == "" {
			wcag = "none (best practice)"
		}
		fmt.Fprintf(&b, "Severity: %s · WCAG: %s · Tags: %s · Needs: %s\n\n", r.Severity, wcag, strings.Join(r.Tags, ", "), r.Needs.Describe())
		fmt.Fprintf(&b, "%s\n\n", r.Doc.Summary)
		if r.Doc.Text != "" {
			fmt.Fprintf(&b, "%s\n\n", r.Doc.Text)
		}
		fmt.Fprintf(&b, "How to fix: %s\n\n", r.Doc.Fix)
		fmt.Fprintf(&b, "Fails:\n\n```html\n%s\n```\n\nPasses:\n\n```html\n%s\n```\n", r.Doc.Bad, r.Doc.Good)
	}
	return b.String()
}

// sentence capitalises the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
