package headings

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// Possible is the rule heading-possible.
var Possible = Family.Rule(audit.Rule{
	ID:       "heading-possible",
	Title:    "text that looks like a heading must be marked up as one",
	WCAG:     []string{"1.3.1"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM | audit.CapLayout,
	Check:    checkPossible,
})

// Thresholds of heading-possible.
const (
	// possibleMaxRunes bounds the text of a visual heading.
	possibleMaxRunes = 80
	// bodyParagraphRunes is the length from which a paragraph is body text.
	bodyParagraphRunes = 80
	// largerFactor is how much larger than the body text a visual heading's
	// type is.
	largerFactor = 1.2
	// boldWeight is the lightest weight that reads as bold.
	boldWeight = 600
)

func checkPossible(pass *audit.Pass) error {
	p := pass.Page
	scope := storyScope(p)
	if scope == audit.NoNode {
		return nil
	}
	paras := bodyParagraphs(p, scope)
	body := medianSize(p, paras)
	if body == 0 {
		return nil // no body paragraphs to compare with
	}
	hl := audit.NoNode
	if m, ok := headline.Find(p); ok {
		hl = m.Node
	}
	// What stands before the story's first body paragraph after the
	// headline is the headline's company: kicker, standfirst, byline,
	// date. Sites set them large or bold on purpose; they are not subheads.
	start := audit.NodeID(len(p.Nodes))
	for _, para := range paras {
		if hl == audit.NoNode || para > hl && !p.Contains(hl, para) {
			start = para
			break
		}
	}
	for d := range p.Descendants(scope) {
		if d < start || !p.Node(d).IsElement() || !isTextBlock(p, d) {
			continue
		}
		if hl != audit.NoNode && (p.Contains(d, hl) || p.Contains(hl, d)) {
			continue // headline-is-h1 reports a headline that is no heading
		}
		if look := headingLook(p, d, body); look != "" {
			pass.Report(d, fmt.Sprintf("%q looks like a subheading (%s) and is followed by body text, but is not marked up as a heading",
				audit.Truncate(p.VisibleText(d), 80), look), audit.AsReview())
		}
	}
	return nil
}

// storyScope returns the element that holds the story: the main landmark,
// else the first article, else the body.
func storyScope(p *audit.Page) audit.NodeID {
	for id := range p.Elements() {
		if p.Node(id).Frame == 0 && a11y.LandmarkRole(p, id) == a11y.Main && p.Rendered(id) {
			return id
		}
	}
	for _, id := range p.ElementsByTag("article") {
		if p.Node(id).Frame == 0 && p.Rendered(id) {
			return id
		}
	}
	return p.Body()
}

// bodyParagraphs returns the body paragraphs inside scope: rendered p
// elements of at least bodyParagraphRunes characters, in document order.
func bodyParagraphs(p *audit.Page, scope audit.NodeID) []audit.NodeID {
	var out []audit.NodeID
	for d := range p.Descendants(scope) {
		n := p.Node(d)
		if n.Is("p") && n.Layout != nil && n.Layout.Style != nil && p.Rendered(d) && textLength(p, d, bodyParagraphRunes) >= bodyParagraphRunes {
			out = append(out, d)
		}
	}
	return out
}

// medianSize returns the median font size of the paragraphs, 0 when there
// are fewer than two.
func medianSize(p *audit.Page, paras []audit.NodeID) float64 {
	if len(paras) < 2 {
		return 0
	}
	sizes := make([]float64, len(paras))
	for i, id := range paras {
		sizes[i] = p.Node(id).Layout.Style.FontSize
	}
	slices.Sort(sizes)
	return sizes[len(sizes)/2]
}

// textLength returns about how many characters of rendered text an
// element holds, with runs of white space counted as one, stopping once
// it reaches limit: a cheap test of length before building the text.
func textLength(p *audit.Page, id audit.NodeID, limit int) int {
	n := 0
	space := true
	for d := range p.Descendants(id) {
		dn := p.Node(d)
		if dn.Kind != audit.TextNode || !p.Rendered(d) {
			continue
		}
		for _, r := range dn.Data {
			if unicode.IsSpace(r) || r == 0xA0 {
				if !space {
					n++
					space = true
				}
				continue
			}
			n++
			space = false
		}
		if n >= limit {
			return n
		}
	}
	return n
}

// blockDisplays are the display values of elements that start a line.
var blockDisplays = map[string]bool{"block": true, "flex": true, "grid": true, "flow-root": true, "table-cell": true, "list-item": true}

func isBlock(n *audit.Node) bool {
	return n.Layout != nil && n.Layout.Style != nil && blockDisplays[n.Layout.Style.Display]
}

// notSubheadClasses are the class and id words of blocks that are never
// subheads: quotes, captions, bylines, datelines.
var notSubheadClasses = lexicon.Default().List(lexicon.NotSubheadClass)

// isTextBlock reports whether an element is a block of running text that
// could be a visual heading: a rendered block, not a heading or inside
// one, not a list item, quote, caption, figure, table, form, link or
// navigation, whose text is short, one sentence, all in inline content,
// and not a byline, date, credit or label.
func isTextBlock(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if !isBlock(n) || n.Is("li", "td", "th", "button", "summary", "legend", "label", "caption", "dt") || !p.Rendered(id) {
		return false
	}
	if a11y.HeadingLevel(p, id) > 0 || n.Is("h1", "h2", "h3", "h4", "h5", "h6") || n.Role() != "" && n.Role() != "paragraph" && n.Role() != "generic" {
		return false // a heading, possibly hidden from assistive technology
	}
	if l := textLength(p, id, possibleMaxRunes+2); l == 0 || l > possibleMaxRunes+1 {
		return false
	}
	for d := range p.Descendants(id) {
		dn := p.Node(d)
		if dn.IsElement() && (isBlock(dn) || dn.Is("br", "img", "svg", "video", "iframe", "input", "button", "select")) && hasText(p, d) {
			return false // the text is split across blocks or lines, or mixed with media
		}
	}
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		an := p.Node(a)
		if an.Is("blockquote", "figure", "figcaption", "table", "form", "nav", "aside", "header", "footer", "a", "button", "dialog", "ul", "ol", "dl", "address", "hgroup") ||
			an.AttrOr("aria-hidden", "") == "true" || a11y.HeadingLevel(p, a) > 0 ||
			hasClassWord(an, notSubheadClasses.Entries()...) {
			return false
		}
		if _, role := a11y.Landmark(p, a); role != "" && role != a11y.Main && role != a11y.Region {
			return false
		}
	}
	text := p.VisibleText(id)
	if text == "" || utf8.RuneCountInString(text) > possibleMaxRunes || sentences(text) > 1 || strings.HasSuffix(text, ":") {
		return false
	}
	return textKind(text) == "" && genericWords.MatchWhole(textmatch.FoldAccents(text)) == ""
}

// hasText reports whether an element holds non-blank text.
func hasText(p *audit.Page, id audit.NodeID) bool {
	for d := range p.Descendants(id) {
		if n := p.Node(d); n.Kind == audit.TextNode && !audit.IsBlank(n.Data) {
			return true
		}
	}
	return false
}

// hasClassWord reports whether a word of the element's class or id is one
// of words.
func hasClassWord(n *audit.Node, words ...string) bool {
	for _, w := range identifierWords(n.AttrOr("class", "") + " " + n.AttrOr("id", "")) {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// headingLook says how a text block looks like a heading compared with
// body text of size body: "in 24px type, 1.5 times the body text", "bold,
// at the body text size", "in capitals"; "" when it does not, or when no
// body paragraph follows it.
func headingLook(p *audit.Page, id audit.NodeID, body float64) string {
	size, weight, caps := 1e9, 1000, true
	linked := true
	for d := range p.Descendants(id) {
		n := p.Node(d)
		if n.Kind != audit.TextNode || audit.IsBlank(n.Data) || !p.Rendered(d) {
			continue
		}
		st := p.Node(p.ParentElement(d)).Layout.Style
		if st == nil {
			return ""
		}
		size = min(size, st.FontSize)
		weight = min(weight, st.FontWeight)
		caps = caps && (st.TextTransform == "uppercase" || allCaps(n.Data) || audit.IsBlank(strings.Map(dropNonLetters, n.Data)))
		if p.Closest(d, "a") == audit.NoNode {
			linked = false
		}
	}
	if size == 1e9 || linked {
		return "" // no text, or only a link (a "read more" line)
	}
	text := p.VisibleText(id)
	var look string
	switch {
	case size >= largerFactor*body:
		look = fmt.Sprintf("in %gpx type, %.1f times the %gpx body text", size, size/body, body)
	case weight >= boldWeight && size >= body-0.5:
		look = fmt.Sprintf("bold, at the %gpx body text size", body)
	case caps && allCaps(strings.ToUpper(text)) && size >= body-0.5 && words(text) >= 2:
		look = "in capitals, at the body text size"
	default:
		return ""
	}
	if !bodyFollows(p, id, body) {
		return ""
	}
	return look
}

func dropNonLetters(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && !strings.ContainsRune(" \u00a0", r) {
		return r
	}
	return -1
}

// bodyFollows reports whether the next text after an element is a body
// paragraph: a block of at least bodyParagraphRunes characters, set at
// about the body text size.
func bodyFollows(p *audit.Page, id audit.NodeID, body float64) bool {
	start := id + 1
	for d := range p.Descendants(id) {
		start = d + 1
	}
	for d := start; int(d) < len(p.Nodes); d++ {
		n := p.Node(d)
		if n.Kind != audit.TextNode || audit.IsBlank(n.Data) || !p.Rendered(d) {
			continue
		}
		block := p.ClosestFunc(d, func(_ audit.NodeID, a *audit.Node) bool { return a.IsElement() && isBlock(a) })
		if block == audit.NoNode || a11y.HeadingLevel(p, block) > 0 {
			return false
		}
		st := p.Node(block).Layout.Style
		return textLength(p, block, bodyParagraphRunes) >= bodyParagraphRunes && st.FontSize <= body*1.1
	}
	return false
}
