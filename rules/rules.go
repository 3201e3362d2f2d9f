// Package rules lists every newsa11y rule family, in one place, in the
// order reports and docs present them: skip links, images, headings. Each
// family's package declares the family (its tag, title and docs) and lists
// its rules; nothing else names a family.
package rules

import (
	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/headings"
	"github.com/newsa11y/newsa11y/rules/imagealt"
	"github.com/newsa11y/newsa11y/rules/internal/regions"
	"github.com/newsa11y/newsa11y/rules/skiplink"
	"github.com/newsa11y/newsa11y/rules/transcript"
)

// A Family is a family of rules with its list of rules, in catalogue
// order.
type Family struct {
	*audit.Family
	// Rules are the family's rules, as its package lists them.
	Rules []*audit.Rule
}

// Families returns the rule families in the order reports and docs
// present them.
func Families() []Family {
	return []Family{
		{Family: skiplink.Family, Rules: skiplink.Rules},
		{Family: imagealt.Family, Rules: imagealt.Rules},
		{Family: headings.Family, Rules: headings.Rules},
	}
}

// All returns every rule, family by family. The slice is new on each
// call; the rules are shared.
func All() []*audit.Rule {
	var all []*audit.Rule
	for _, f := range Families() {
		all = append(all, f.Rules...)
	}
	return all
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
// results (each finding's region; each family's outline or walk; what a
// screen reader hears), in report order. The transcript comes after the
// regions, which it reads to leave findings about the whole page unlinked.
func Summarizers() []audit.Summarizer {
	return []audit.Summarizer{MarkRegions, skiplink.Summarize, headings.Summarize, transcript.Summarize}
}

// MarkRegions sets each finding's region: "story" for the article itself,
// "template" for what repeats on every page, "page" for the document.
func MarkRegions(p *audit.Page, r *audit.PageResult) {
	for i := range r.Findings {
		r.Findings[i].Region = regions.Of(p, r.Findings[i].Node)
	}
}
