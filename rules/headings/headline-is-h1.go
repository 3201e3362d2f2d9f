package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

func checkHeadlineIsH1(pass *audit.Pass) error {
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

func checkH1Multiple(pass *audit.Pass) error {
	p := pass.Page
	out := outlineOf(p)
	var h1s []int
	for i, e := range out {
		if e.Level == 1 && !e.place.foreign() && !audit.IsBlank(e.Text) {
			h1s = append(h1s, i)
		}
	}
	if len(h1s) < 2 {
		return nil
	}
	primary := h1s[0]
	if m, ok := headline.Find(p); ok && m.Level == 1 {
		for _, i := range h1s {
			if out[i].Node == m.Heading {
				primary = i
			}
		}
	} else {
		for _, i := range h1s {
			if out[i].place.landmark == "main" {
				primary = i
				break
			}
		}
	}
	ctx := newContext(p, out)
	head := out[primary]
	for _, i := range h1s {
		e := out[i]
		if i == primary || ctx.misuse(i) != "" {
			continue // heading-misused reports headings that head nothing
		}
		what := fmt.Sprintf("is one of %d level-one headings; %q is the main one", len(h1s), audit.Truncate(head.Text, 60))
		switch {
		case isSiteName(p, e):
			what = "is the site's name or logo; keep the level-one heading for the story's headline"
		case textmatch.Similarity(e.Text, head.Text) >= 0.9:
			what = fmt.Sprintf("repeats the level-one heading %q, %s; if one copy is for another screen size, hide it with display:none at this one", audit.Truncate(head.Text, 60), head.place.where())
		}
		pass.Report(e.Node, fmt.Sprintf("another level-one heading: %q, %s, %s", audit.Truncate(e.Text, 80), e.place.where(), what), audit.AsReview())
	}
	return nil
}

// isSiteName reports whether a heading holds the site's name: its text is
// og:site_name or the alt text of the logo it holds, or it sits in the
// banner and holds only a linked image.
func isSiteName(p *audit.Page, e entry) bool {
	if site := p.Facts.OGSiteName; site != "" && (textmatch.Equal(e.Text, site) || textmatch.Similarity(e.Text, site) >= 0.8) {
		return true
	}
	if e.place.landmark != "banner" {
		return false
	}
	for d := range p.Descendants(e.Node) {
		if n := p.Node(d); n.Is("img", "svg") || n.ClassContains("logo") {
			return true
		}
	}
	return p.Node(e.Node).ClassContains("logo") || words(e.Text) <= 3
}

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
