// Package headline finds a news page's headline: the text its metadata
// gives (og:title, twitter:title, the JSON-LD headline, the <title> without
// the site name) and the rendered element that carries it. Rules on
// headings, skip links and images all ask where the headline is.
package headline

import (
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// A Candidate is one statement of the headline in the page's metadata.
type Candidate struct {
	// Source is where it came from: "og:title", "twitter:title",
	// "json-ld headline" or "title".
	Source string
	// Text is the headline text.
	Text string
}

// MinScore is the similarity an element's text needs with a candidate to
// count as the rendered headline.
const MinScore = 0.8

// titleSeparators split a <title> into the headline and the site name.
var titleSeparators = regexp.MustCompile(`\s+[|–—\-:·•»]\s+|\s*\|\s*`)

// Candidates returns the headline as the metadata states it, most
// trustworthy first, without duplicates.
func Candidates(p *audit.Page) []Candidate {
	f := p.Facts
	var out []Candidate
	add := func(src, text string) {
		text = audit.CollapseSpace(text)
		if text == "" || textmatch.Normalize(text) == "" {
			return
		}
		for _, c := range out {
			if textmatch.Equal(c.Text, text) {
				return
			}
		}
		out = append(out, Candidate{Source: src, Text: text})
	}
	for _, h := range f.Headlines {
		add("json-ld headline", h)
	}
	add("og:title", stripSiteName(f.OGTitle, f.OGSiteName))
	add("twitter:title", stripSiteName(f.TwitterTitle, f.OGSiteName))
	add("title", stripSiteName(f.Title, f.OGSiteName))
	return out
}

// stripSiteName removes the site's name from a title such as "Headline |
// Site - Section" or "Site: Headline". When the site name is one of the
// title's parts, the headline is what comes before it, or after it when it
// comes first; without a known site name it is the first part.
func stripSiteName(title, site string) string {
	parts := titleSeparators.Split(strings.TrimSpace(title), -1)
	if site != "" {
		for i, part := range parts {
			if !textmatch.Equal(part, site) {
				continue
			}
			switch {
			case i > 0:
				return strings.Join(parts[:i], " - ")
			case len(parts) > 1:
				return strings.Join(parts[1:], " - ")
			default:
				return ""
			}
		}
	}
	return parts[0]
}

// A Match is the rendered element that carries the headline.
type Match struct {
	// Node is the element.
	Node audit.NodeID
	// Text is the element's visible text.
	Text string
	// Candidate is the metadata statement it matched.
	Candidate Candidate
	// Score is the similarity of the two, MinScore to 1.
	Score float64
	// Level is the element's heading level as assistive technology gets
	// it, 0 when it is not a heading.
	Level int
}

// Find returns the rendered element that best matches a headline
// candidate. Among equally good matches it prefers headings, then elements
// inside main or article, then the earlier one. It reports false when the
// page has no candidate or no element matches well enough.
func Find(p *audit.Page) (Match, bool) {
	cands := Candidates(p)
	if len(cands) == 0 {
		return Match{}, false
	}
	minLen, maxLen := 1<<30, 0
	for _, c := range cands {
		n := len([]rune(c.Text))
		minLen, maxLen = min(minLen, n), max(maxLen, n)
	}
	var best Match
	bestRank := -1.0
	for id := range p.Elements() {
		n := p.Node(id)
		if n.Frame != 0 || !mayCarryText(p, id) {
			continue
		}
		text := p.VisibleText(id)
		l := len([]rune(text))
		if l == 0 || float64(l) < 0.5*float64(minLen) || float64(l) > 2*float64(maxLen)+10 {
			continue
		}
		for _, c := range cands {
			score := textmatch.Similarity(text, c.Text)
			if score < MinScore {
				continue
			}
			level := a11y.HeadingLevel(p, id)
			rank := score
			if level > 0 {
				rank += 0.5
			}
			if inMain(p, id) {
				rank += 0.2
			}
			if rank > bestRank {
				bestRank = rank
				best = Match{Node: id, Text: text, Candidate: c, Score: score, Level: level}
			}
		}
	}
	return best, bestRank >= 0
}

// mayCarryText reports whether an element is worth comparing with the
// headline: rendered, not a script or a form control, and holding text of
// its own or being a heading.
func mayCarryText(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	switch n.Tag {
	case "html", "head", "body", "title", "script", "style", "template", "noscript", "meta", "option", "select", "textarea", "button", "svg":
		return false
	}
	if !p.Rendered(id) {
		return false
	}
	if a11y.HeadingLevel(p, id) > 0 {
		return true
	}
	for _, c := range n.Children {
		if cn := p.Node(c); cn.Kind == audit.TextNode && !audit.IsBlank(cn.Data) {
			return true
		}
	}
	return false
}

// inMain reports whether the element sits in the main landmark or an
// article.
func inMain(p *audit.Page, id audit.NodeID) bool {
	if p.Closest(id, "article") != audit.NoNode {
		return true
	}
	_, role := a11y.Landmark(p, id)
	return role == a11y.Main
}
