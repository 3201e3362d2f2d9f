package headings

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// A pageContext holds what the content rules share about one page: the
// outline, the headline and the headings right before and after it.
type pageContext struct {
	p   *audit.Page
	out []entry
	// headline is the outline index of the heading that carries the
	// headline, or of the page's first level-one heading when no heading
	// carries it; -1 when there is neither.
	headline int
	// kicker and standfirst index the headings that are the headline's
	// kicker and standfirst, -1 when there are none.
	kicker, standfirst int
	// captions holds the page's figure captions, prepared for comparison.
	captions []textmatch.Prepared
}

func newContext(p *audit.Page, out []entry) *pageContext {
	c := &pageContext{p: p, out: out, headline: -1, kicker: -1, standfirst: -1}
	if m, ok := headline.Find(p); ok && m.Level > 0 {
		for i, e := range out {
			if e.Node == m.Heading {
				c.headline = i
			}
		}
	}
	if c.headline < 0 {
		for i, e := range out {
			if e.Level == 1 && !e.place.foreign() {
				c.headline = i
				break
			}
		}
	}
	if c.headline >= 0 {
		c.kicker, c.standfirst = c.findKickerAndStandfirst()
	}
	for _, id := range p.ElementsByTag("figcaption") {
		if t := textmatch.Prepare(p.VisibleText(id)); !t.Empty() {
			c.captions = append(c.captions, t)
		}
	}
	return c
}

// maxHeadingRunes and maxHeadingSentences bound a section heading's text.
const (
	maxHeadingRunes     = 160
	maxHeadingSentences = 2
)

// misuse says why heading i of the outline is not a section heading, or
// returns "". Empty headings are left to heading-empty, and the
// headline's kicker and standfirst to heading-standfirst-or-kicker.
func (c *pageContext) misuse(i int) string {
	p, e := c.p, c.out[i]
	if audit.IsBlank(e.Text) || i == c.kicker || i == c.standfirst {
		return ""
	}
	text := audit.Truncate(e.Text, 80)
	if k := textKind(e.Text); k != "" {
		return fmt.Sprintf("its text %q is %s", text, k)
	}
	if p.Closest(e.Node, "figcaption") != audit.NoNode {
		return fmt.Sprintf("it sits in a figure caption (%q)", text)
	}
	if len(c.captions) > 0 {
		h := textmatch.Prepare(e.Text)
		for _, cap := range c.captions {
			// Short texts ("Reuters") match a caption by chance.
			if cap.Similarity(h) == 1 || utf8.RuneCountInString(e.Text) > 30 && cap.SimilarityAtLeast(h, 0.9) >= 0.9 {
				return fmt.Sprintf("its text repeats a figure caption (%q)", text)
			}
		}
	}
	if i != c.headline {
		if n := utf8.RuneCountInString(e.Text); n > maxHeadingRunes {
			return fmt.Sprintf("its text is %d characters long (%q), more than a heading", n, text)
		}
		if n := sentences(e.Text); n > maxHeadingSentences {
			return fmt.Sprintf("its text has %d sentences (%q), more than a heading", n, text)
		}
	}
	// The heading right before the headline heads nothing because the
	// story starts there: it is a kicker or a site name, which
	// heading-standfirst-or-kicker and h1-multiple describe better.
	if next := c.next(i); next >= 0 && next != c.headline && c.out[next].Level <= e.Level && !contentBetween(p, e.Node, c.out[next].Node) && !c.isTeaser(i) {
		n := c.out[next]
		return fmt.Sprintf("it heads no content: the level-%d heading %q follows it with nothing between", n.Level, audit.Truncate(n.Text, 60))
	}
	return ""
}

// next returns the outline index of the heading after i in the same
// document, or -1.
func (c *pageContext) next(i int) int {
	if i+1 < len(c.out) && c.out[i+1].place.frame == c.out[i].place.frame {
		return i + 1
	}
	return -1
}

// isTeaser reports whether heading i is a story teaser: its text is a link
// to another page, as in a list of related stories, where a heading per
// story is a fine way to let readers skim.
func (c *pageContext) isTeaser(i int) bool {
	p, id := c.p, c.out[i].Node
	if a := p.Closest(id, "a"); a != audit.NoNode && p.Node(a).HasAttr("href") {
		return true
	}
	linked := 0
	for d := range p.Descendants(id) {
		n := p.Node(d)
		if n.Kind == audit.TextNode && !audit.IsBlank(n.Data) {
			if a := p.Closest(d, "a"); a == audit.NoNode || !p.Contains(id, a) {
				return false
			}
			linked++
		}
	}
	return linked > 0
}

// standfirstMinWords is the length from which a heading after the headline
// reads as a standfirst rather than a section heading.
const standfirstMinWords = 8

// kickerWords are the labels sites set above a headline ("Analysis").
var kickerWords = lexicon.Default().List(lexicon.Kicker)

// findKickerAndStandfirst finds the headings around the headline that are
// its kicker (a label above it: "Analysis", a section name) and its
// standfirst (the summary under it), with no content between them and the
// headline.
func (c *pageContext) findKickerAndStandfirst() (kicker, standfirst int) {
	kicker, standfirst = -1, -1
	p, h := c.p, c.out[c.headline]
	prev := c.headline - 1
	for prev >= 0 && audit.IsBlank(c.out[prev].Text) {
		prev-- // an empty slot between the kicker and the headline
	}
	if prev >= 0 {
		e := c.out[prev]
		norm := textmatch.FoldAccents(e.Text)
		if norm != "" && e.place.frame == h.place.frame && e.Level > h.Level && e.place.landmark == h.place.landmark &&
			!contentBetween(p, e.Node, h.Node) &&
			(kickerWords.MatchWhole(norm) != "" || words(e.Text) <= 4 && !strings.ContainsAny(e.Text, ".?!")) {
			kicker = prev
		}
	}
	if next := c.headline + 1; next < len(c.out) {
		e := c.out[next]
		norm := textmatch.FoldAccents(e.Text)
		switch {
		case norm == "" || e.place.frame != h.place.frame || e.Level <= h.Level || contentBetween(p, h.Node, e.Node):
		case kickerWords.MatchWhole(norm) != "":
			kicker = next
		case words(e.Text) >= standfirstMinWords || strings.ContainsAny(strings.TrimSpace(e.Text)[len(strings.TrimSpace(e.Text))-1:], ".!?…"):
			standfirst = next
		}
	}
	return kicker, standfirst
}
