package skiplink

import (
	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// The predicates below say when the family's rules do not apply to a page.
// Each rule they concern calls one of them first and returns at once when
// it holds, so that a page's state is judged once, by one rule, and not
// again as a cascade of findings derived from it.

// unrendered reports whether the page showed nothing after it loaded
// (a11y.PageNotRendered): page-not-rendered reports it, and every other
// rule of the family stays silent, since what it would see (nothing
// focusable, nothing visible, nothing exposed) follows from that one
// state.
func unrendered(p *audit.Page) bool {
	return a11y.PageNotRendered(p) != ""
}

// nothingToBypass reports whether the rules that assume repeated blocks
// (bypass-mechanism, skip-link-present, skip-link-before-repeated-content)
// do not apply: the page did not render, or it has no repeated content
// before the story (see repeatedContent).
func nothingToBypass(p *audit.Page) bool {
	return unrendered(p) || !hasRepeatedContent(p)
}
