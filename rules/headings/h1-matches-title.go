package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// H1MatchesTitle is the rule h1-matches-title.
var H1MatchesTitle = Family.Rule(audit.Rule{
	ID:       "h1-matches-title",
	Title:    "the level-one heading and the page title should name the same story",
	WCAG:     []string{"2.4.2"},
	Tags:     []string{"news", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkH1MatchesTitle,
})

// minTitleSimilarity is the similarity below which the h1 and the title
// are taken to name different things.
const minTitleSimilarity = 0.5

func checkH1MatchesTitle(pass *audit.Pass) error {
	p := pass.Page
	var h1s []entry
	for _, e := range outlineOf(p) {
		if e.Level == 1 && !e.place.foreign() && !audit.IsBlank(e.Text) {
			h1s = append(h1s, e)
		}
	}
	if len(h1s) == 0 {
		return nil // page-has-h1 reports it
	}
	type statement struct {
		name string
		raw  string
		c    headline.Candidate
	}
	var stmts []statement
	if t := p.Facts.Title; t != "" {
		stmts = append(stmts, statement{"the page title", t, headline.TitleCandidate(p)})
	}
	if t := p.Facts.OGTitle; t != "" {
		stmts = append(stmts, statement{"og:title", t, headline.OGTitleCandidate(p)})
	}
	best, bestScore := h1s[0], -1.0
	var parts []string
	for _, s := range stmts {
		if s.c.Text == "" {
			parts = append(parts, fmt.Sprintf("%s %q is only the site's name", s.name, audit.Truncate(s.raw, 80)))
			continue
		}
		score := 0.0
		for _, h := range h1s {
			if sc := titleSimilarity(h.Text, s.c); sc > score {
				score = sc
				if sc > bestScore {
					best, bestScore = h, sc
				}
			}
		}
		if score < minTitleSimilarity {
			parts = append(parts, fmt.Sprintf("%s %q shares little with it (similarity %.2f)", s.name, audit.Truncate(s.c.Text, 80), score))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	msg := fmt.Sprintf("the level-one heading is %q, but %s", audit.Truncate(best.Text, 80), parts[0])
	if len(parts) > 1 {
		msg += ", and " + parts[1]
	}
	pass.Report(best.Node, msg, audit.AsReview())
	return nil
}

// titleSimilarity returns how alike a heading and a title statement are:
// the best of their similarity, over the statement's readings, and full
// marks when one holds the other as whole words covering half of it.
func titleSimilarity(h string, c headline.Candidate) float64 {
	best := 0.0
	for _, t := range append([]string{c.Text}, c.Alternatives...) {
		best = max(best, textmatch.Similarity(h, t))
		if in, share := textmatch.Coverage(h, t); in && share >= 0.5 {
			return 1
		}
		if in, share := textmatch.Coverage(t, h); in && share >= 0.5 {
			return 1
		}
	}
	return best
}
