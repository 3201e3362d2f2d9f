package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
)

// HeadlineIsH1 is the rule headline-is-h1.
var HeadlineIsH1 = Family.Rule(audit.Rule{
	ID:       "headline-is-h1",
	Title:    "the headline must be marked up as the level-one heading",
	WCAG:     []string{"1.3.1", "2.4.6"},
	Tags:     []string{"news"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkHeadlineIsH1,
})

func checkHeadlineIsH1(pass *audit.Pass) error {
	if a11y.PageNotRendered(pass.Page) != "" {
		// Nothing shows, so nothing is exposed: page-not-rendered says so
		// once, and the missing headings follow from it.
		return nil
	}
	p := pass.Page
	cands := headline.Candidates(p)
	if len(cands) == 0 {
		return nil // no metadata states a headline: not an article page
	}
	m, ok := headline.Find(p)
	if !ok {
		if h, hidden := headline.FindUnrendered(p); hidden {
			pass.Report(h.Node, fmt.Sprintf("the headline %q (%s) is in the page but not rendered: %s",
				audit.Truncate(h.Candidate.Text, 100), h.Candidate.Source, hiddenBy(p, h.Node)), audit.AsReview())
			return nil
		}
		for _, c := range cands {
			// A <title> alone does not say the page is an article: a
			// home or section page's title names the site, not a story.
			if c.Source != "title" {
				pass.ReportPage(fmt.Sprintf("no rendered element carries the headline %q (%s)",
					audit.Truncate(c.Text, 100), c.Source), audit.AsReview())
				return nil
			}
		}
		return nil
	}
	text := audit.Truncate(m.Text, 100)
	switch {
	case m.Level == 1:
		return nil
	case m.Level == 0:
		pass.Report(m.Node, fmt.Sprintf("the headline %q is a <%s>, not a heading (it matches the %s)",
			text, p.Node(m.Node).Tag, m.Candidate.Source), audit.WithThumbnail())
		return nil
	}
	others := 0
	var other entry
	for _, e := range outlineOf(p) {
		if e.Level == 1 && e.Node != m.Heading && !e.place.foreign() {
			if others == 0 {
				other = e
			}
			others++
		}
	}
	if others == 0 {
		pass.Report(m.Heading, fmt.Sprintf("the headline %q is a level-%d heading and the page has no level-one heading", text, m.Level),
			audit.AsReview(), audit.WithSeverity(audit.Moderate))
		return nil
	}
	pass.Report(m.Heading, fmt.Sprintf("the headline %q is a level-%d heading while %q, %s, is the level-one heading",
		text, m.Level, audit.Truncate(other.Text, 60), other.place.where()), audit.WithSeverity(audit.Moderate))
	return nil
}

// hiddenBy says which element keeps a node from being rendered.
func hiddenBy(p *audit.Page, id audit.NodeID) string {
	if !p.Captured.Has(audit.CapLayout) {
		return "its markup hides it"
	}
	// The outermost hidden ancestor is the one to fix.
	culprit, why := audit.NoNode, ""
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		n := p.Node(a)
		if !n.IsElement() {
			break
		}
		switch {
		case n.Layout == nil:
			culprit, why = a, "is not displayed"
		case n.Layout.Style != nil && (n.Layout.Style.Visibility == "hidden" || n.Layout.Style.Visibility == "collapse"):
			culprit, why = a, "has visibility:hidden"
		}
	}
	if culprit == audit.NoNode {
		return "it has no box"
	}
	return fmt.Sprintf("%s %s", audit.Snippet(p, culprit), why)
}
