// Package rules lists every newsa11y rule, in one place, in the order
// reports present the families: skip links, images, headings.
package rules

import (
	"slices"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/headings"
	"github.com/newsa11y/newsa11y/rules/imagealt"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/skiplink"
)

// All returns every rule. The slice is new on each call; the rules are
// shared.
func All() []*audit.Rule {
	return slices.Concat(skiplink.Rules, imagealt.Rules, headings.Rules)
}

// ByID returns the rule with the id, or nil.
func ByID(id string) *audit.Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Summarizers returns the functions that add page-level evidence to page
// results (each finding's region; each family's outline or walk), in
// report order.
func Summarizers() []audit.Summarizer {
	return []audit.Summarizer{MarkRegions, skiplink.Summarize, headings.Summarize}
}

// MarkRegions sets each finding's region: "story" for the article itself,
// "template" for what repeats on every page, "page" for the document.
func MarkRegions(p *audit.Page, r *audit.PageResult) {
	for i := range r.Findings {
		r.Findings[i].Region = a11y.StoryOrTemplate(p, r.Findings[i].Node)
	}
}
