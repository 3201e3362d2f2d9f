// Package headline finds a news page's headline: the text its metadata
// gives (og:title, twitter:title, the JSON-LD headline, the <title> without
// the site name) and the rendered element that carries it. Rules on
// headings, skip links and images all ask where the headline is.
package headline

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// A Candidate is one statement of the headline in the page's metadata.
type Candidate struct {
	// Source is where it came from: "og:title", "twitter:title",
	// "json-ld headline" or "title".
	Source string
	// Text is the headline text: the statement without the site name and,
	// for a <title>, without section or author parts.
	Text string
	// Alternatives are other readings of the same statement that an
	// element may carry instead, such as the whole <title> when the
	// headline itself holds a separator ("Review - the new phone").
	Alternatives []string
}

// MinScore is the similarity an element's text needs with a candidate to
// count as the rendered headline.
const MinScore = 0.8

// titleSeparators split a <title> into the headline, the section and the
// site name: a bar, dash, bullet or guillemet between spaces, a bar or an
// underscore (common in Chinese titles) with or without spaces. A colon is
// not one: it belongs to many headlines ("Xbox One X review: …") and French
// typography puts a space before it.
var titleSeparators = regexp.MustCompile(`\s+[–—\-·•»/]\s+|\s*\|\s*|\s*_\s*`)

// Candidates returns the headline as the metadata states it, most
// trustworthy first, without duplicates.
func Candidates(p *audit.Page) []Candidate {
	f := p.Facts
	var out []Candidate
	add := func(src string, c Candidate) {
		c.Source = src
		c.Text = audit.CollapseSpace(c.Text)
		if c.Text == "" || textmatch.Normalize(c.Text) == "" {
			return
		}
		for _, o := range out {
			if textmatch.Equal(o.Text, c.Text) {
				return
			}
		}
		out = append(out, c)
	}
	for _, h := range f.Headlines {
		add("json-ld headline", Candidate{Text: h})
	}
	add("og:title", stripSiteName(f.OGTitle, f.OGSiteName, false))
	add("twitter:title", stripSiteName(f.TwitterTitle, f.OGSiteName, false))
	add("title", stripSiteName(f.Title, f.OGSiteName, true))
	return out
}

// TitleCandidate returns the headline as the page's <title> states it,
// with the site name removed. Its Text is empty when the title is only the
// site's name or there is no title.
func TitleCandidate(p *audit.Page) Candidate {
	c := stripSiteName(p.Facts.Title, p.Facts.OGSiteName, true)
	c.Source = "title"
	return c
}

// OGTitleCandidate returns the headline as og:title states it, with the
// site name removed.
func OGTitleCandidate(p *audit.Page) Candidate {
	c := stripSiteName(p.Facts.OGTitle, p.Facts.OGSiteName, false)
	c.Source = "og:title"
	return c
}

// stripSiteName removes the site's name from a title such as "Headline |
// Site" or "Site: Headline". When the site name is one of the title's
// parts, the headline is what comes before it, or after it when it comes
// first. What remains of a <title> (isTitle) may still hold a section or an
// author ("Headline - Author - Section", "Opinion | Headline"): the
// headline is then its first part, or its longest when the first is a
// short label, and the whole remainder an alternative. Other statements (og:title)
// rarely carry more than the headline, so without a known site name they
// are kept whole.
func stripSiteName(title, site string, isTitle bool) Candidate {
	title = audit.CollapseSpace(title)
	if title == "" {
		return Candidate{}
	}
	if site != "" {
		// "Site: Headline" and "Site : Headline".
		if head, rest, ok := strings.Cut(title, ":"); ok && textmatch.Equal(head, site) {
			title = strings.TrimSpace(rest)
		}
	}
	parts := titleSeparators.Split(title, -1)
	seps := titleSeparators.FindAllString(title, -1)
	kept := parts
	if site != "" {
		for i, part := range parts {
			if !textmatch.Equal(part, site) {
				continue
			}
			switch {
			case i > 0:
				kept = parts[:i]
			case len(parts) > 1:
				kept = parts[1:]
				seps = seps[1:]
			default:
				return Candidate{}
			}
			break
		}
	}
	if len(kept) == len(parts) && !isTitle {
		return Candidate{Text: title}
	}
	joined := join(kept, seps)
	if len(kept) == 1 || !isTitle {
		c := Candidate{Text: joined}
		if joined != title {
			c.Alternatives = []string{title}
		}
		return c
	}
	// The headline usually comes first ("Headline - Section - Site"); a
	// first part of one or two short words is a section label ("Opinion |
	// Headline"), and the longest part is then the headline.
	head := kept[0]
	if len(strings.Fields(head)) <= 2 && utf8.RuneCountInString(head) < 20 {
		for _, part := range kept[1:] {
			if utf8.RuneCountInString(part) > utf8.RuneCountInString(head) {
				head = part
			}
		}
	}
	c := Candidate{Text: head, Alternatives: []string{joined}}
	if joined != title {
		c.Alternatives = append(c.Alternatives, title)
	}
	return c
}

// join puts parts back together with the separators that stood between
// them.
func join(parts, seps []string) string {
	var b strings.Builder
	for i, part := range parts {
		if i > 0 {
			if i-1 < len(seps) {
				b.WriteString(seps[i-1])
			} else {
				b.WriteString(" - ")
			}
		}
		b.WriteString(part)
	}
	return strings.TrimSpace(b.String())
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
	// Level is the heading level of the element, or of the heading that
	// contains it, as assistive technology gets it; 0 when neither is a
	// heading.
	Level int
	// Heading is the heading element whose level Level is: Node itself or
	// the heading that contains it; NoNode when Level is 0.
	Heading audit.NodeID
}

// Find returns the rendered element that best matches a headline
// candidate. Among equally good matches it prefers headings, then elements
// inside main or article, and it ranks elements in navigation, asides and
// footers (teasers of other stories) below the rest; then the earlier one.
// It reports false when the page has no candidate or no rendered element
// matches well enough.
func Find(p *audit.Page) (Match, bool) { return remembered(p, true) }

// FindUnrendered returns the element that best matches a headline
// candidate among the elements that are not rendered: the headline of a
// page whose body was hidden, or kept for a breakpoint the page was not
// laid out at. Callers use it to explain why Find found nothing.
func FindUnrendered(p *audit.Page) (Match, bool) { return remembered(p, false) }

// memoKey keys the answers of Find and FindUnrendered in a page's memo:
// every heading rule, the skip-link family and the outline ask for the
// headline of the same page in turn.
type memoKey struct{ rendered bool }

type answer struct {
	m  Match
	ok bool
}

func remembered(p *audit.Page, rendered bool) (Match, bool) {
	a := p.Memo(memoKey{rendered}, func() any {
		m, ok := find(p, rendered)
		return answer{m, ok}
	}).(answer)
	return a.m, a.ok
}

func find(p *audit.Page, rendered bool) (Match, bool) {
	cands := Candidates(p)
	if len(cands) == 0 {
		return Match{}, false
	}
	// Each reading of each candidate is normalised once; each element's
	// text once, and only when its length is in range.
	type reading struct {
		cand int
		text textmatch.Prepared
		// lo and hi bound the length of a text that can match this
		// reading, with room for punctuation and spacing that
		// normalisation drops.
		lo, hi float64
	}
	var readings []reading
	for i, c := range cands {
		for _, t := range append([]string{c.Text}, c.Alternatives...) {
			n := float64(utf8.RuneCountInString(t))
			readings = append(readings, reading{i, textmatch.Prepare(t), 0.6*n - 2, 1.7*n + 5})
		}
	}
	best := Match{Heading: audit.NoNode}
	bestRank := -1.0
	for id := range p.Elements() {
		n := p.Node(id)
		if n.Frame != 0 || !mayCarryText(p, id, rendered) {
			continue
		}
		var text string
		if rendered {
			text = p.VisibleText(id)
		} else {
			text = p.TextContent(id)
		}
		l := float64(utf8.RuneCountInString(text))
		var prepared textmatch.Prepared
		ready := false
		score, cand := 0.0, -1
		for _, r := range readings {
			if l == 0 || l < r.lo || l > r.hi {
				continue
			}
			if !ready {
				prepared, ready = textmatch.Prepare(text), true
			}
			if s := prepared.SimilarityAtLeast(r.text, MinScore); s >= MinScore && s > score {
				score, cand = s, r.cand
			}
		}
		if cand < 0 {
			continue
		}
		heading, level := enclosingHeading(p, id)
		rank := score
		if level > 0 {
			rank += 0.5
		}
		switch region(p, id) {
		case inStory:
			rank += 0.2
		case inRail:
			rank -= 0.4
		}
		if rank > bestRank {
			bestRank = rank
			best = Match{Node: id, Text: text, Candidate: cands[cand], Score: score, Level: level, Heading: heading}
		}
	}
	return best, bestRank >= 0
}

// enclosingHeading returns the heading that is id or contains it, within
// a few levels, and its level; NoNode and 0 when there is none.
func enclosingHeading(p *audit.Page, id audit.NodeID) (audit.NodeID, int) {
	steps := 0
	for a := id; a != audit.NoNode && steps < 4; a = p.Node(a).Parent {
		if !p.Node(a).IsElement() {
			break
		}
		if lvl := a11y.HeadingLevel(p, a); lvl > 0 {
			return a, lvl
		}
		steps++
	}
	return audit.NoNode, 0
}

// mayCarryText reports whether an element is worth comparing with the
// headline: not a script or a form control, rendered (or, when rendered is
// false, not rendered), and holding text of its own or being a heading.
func mayCarryText(p *audit.Page, id audit.NodeID, rendered bool) bool {
	n := p.Node(id)
	switch n.Tag {
	case "html", "head", "body", "title", "script", "style", "template", "noscript", "meta", "option", "select", "textarea", "button", "svg":
		return false
	}
	if p.Rendered(id) != rendered {
		return false
	}
	if rendered && a11y.HeadingLevel(p, id) > 0 {
		return true
	}
	if !rendered && n.Is("h1", "h2", "h3", "h4", "h5", "h6") {
		return true
	}
	for _, c := range n.Children {
		if cn := p.Node(c); cn.Kind == audit.TextNode && !audit.IsBlank(cn.Data) {
			return true
		}
	}
	return false
}

// Where an element sits, for ranking matches.
const (
	inOther = iota
	// inStory is the main landmark or an article.
	inStory
	// inRail is navigation, a complementary aside or the footer, where
	// teasers of other stories live.
	inRail
)

func region(p *audit.Page, id audit.NodeID) int {
	_, role := a11y.Landmark(p, id)
	switch role {
	case a11y.Navigation, a11y.Complementary, a11y.ContentInfo:
		return inRail
	case a11y.Main:
		return inStory
	}
	if p.Closest(id, "article") != audit.NoNode {
		return inStory
	}
	return inOther
}
