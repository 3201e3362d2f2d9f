package rules

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// Markdown renders the documentation of every rule, the text of
// docs/rules.md. Each rule's section is anchored by its id, which is what a
// finding's help URL points to.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# newsa11y rules\n\n")
	b.WriteString("Generated from the rules' own documentation by `go test ./rules -update`; do not edit by hand.\n")
	for _, f := range Families() {
		fmt.Fprintf(&b, "\n## %s\n", f.Title)
		for _, r := range f.Rules {
			writeRule(&b, r)
		}
	}
	return b.String()
}

// writeRule writes one rule's section of the documentation.
func writeRule(b *strings.Builder, r *audit.Rule) {
	fmt.Fprintf(b, "\n<a id=\"%s\"></a>\n### %s\n\n", r.ID, r.ID)
	fmt.Fprintf(b, "**%s**\n\n", sentence(r.Title))
	wcag := strings.Join(r.WCAG, ", ")
	if wcag == "" {
		wcag = "none (best practice)"
	}
	fmt.Fprintf(b, "Severity: %s · WCAG: %s · Tags: %s · Needs: %s\n\n", r.Severity, wcag, strings.Join(r.Tags, ", "), r.Needs.Describe())
	fmt.Fprintf(b, "%s\n\n", r.Doc.Summary)
	if r.Doc.Text != "" {
		fmt.Fprintf(b, "%s\n\n", r.Doc.Text)
	}
	fmt.Fprintf(b, "How to fix: %s\n\n", r.Doc.Fix)
	fmt.Fprintf(b, "Fails:\n\n```html\n%s\n```\n\nPasses:\n\n```html\n%s\n```\n", r.Doc.Bad, r.Doc.Good)
}

// sentence capitalises the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
