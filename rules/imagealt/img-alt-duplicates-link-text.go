package imagealt

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// DuplicatesLinkText is the rule img-alt-duplicates-link-text.
var DuplicatesLinkText = Family.Rule(audit.Rule{
	ID:       "img-alt-duplicates-link-text",
	Title:    "alt text should not repeat the text of its link",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Minor,
	Needs:    needsAX,
	Check:    checkDuplicatesLinkText,
})

// maxCardText bounds the text of a teaser card: a longer container is a
// story, not a card.
const maxCardText = 400

// maxCardDepth bounds how far up from an image a card container is looked
// for.
const maxCardDepth = 5

func checkDuplicatesLinkText(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range photos(p) {
		t := ph.text()
		if t == "" {
			continue
		}
		ev := ph.evidence()
		own := p.ClosestFunc(ph.id, func(_ audit.NodeID, n *audit.Node) bool { return isControl(n) })
		if own != audit.NoNode {
			if other := p.VisibleText(own); other != "" && textmatch.Equal(t, other) {
				ev.Match = &audit.TextMatch{Kind: "exact", Score: 1, Against: "link text", AltNormalized: textmatch.FoldAccents(t), OtherNormalized: textmatch.FoldAccents(other)}
				ev.Fix = "Use alt=\"\" on the image: the link's text already names where it goes, and screen readers would read it twice."
				ph.report(pass, fmt.Sprintf("alt text repeats the text of its own %s (%s), so screen readers read it twice", controlKind(p.Node(own)), quote(t, 100)), ev, audit.AsReview())
				continue
			}
		}
		if reportCard(pass, ph, own) {
			continue
		}
		if own == audit.NoNode || duplicatesACaption(ph) {
			continue // img-alt-duplicates-caption reports a caption
		}
		if reportInsideLink(pass, ph, own) {
			continue
		}
		reportTeaserLink(pass, ph, own)
	}
	return nil
}

// reportCard reports an image whose alt text repeats a heading or a link
// of the teaser card it belongs to.
func reportCard(pass *audit.Pass, ph *photo, own audit.NodeID) bool {
	p, t := pass.Page, ph.text()
	card := cardOf(p, ph.id)
	if card == audit.NoNode {
		return false
	}
	for d := range p.Descendants(card) {
		dn := p.Node(d)
		if d == own || !(isControl(dn) || isHeadingTag(dn)) || p.Contains(d, ph.id) || !p.Exposed(d) {
			continue
		}
		other := p.VisibleText(d)
		if other == "" || !textmatch.Equal(t, other) {
			continue
		}
		kind := "headline"
		if isControl(dn) || hasControl(p, d) {
			kind = "headline link"
		}
		ev := ph.evidence()
		ev.Match = &audit.TextMatch{Kind: "exact", Score: 1, Against: kind, AltNormalized: textmatch.FoldAccents(t), OtherNormalized: textmatch.FoldAccents(other)}
		ev.Fix = "Use alt=\"\" on the teaser image, or describe the photo: the " + kind + " already says " + quote(other, 80)
		ph.report(pass, fmt.Sprintf("alt text repeats the %s of its teaser (%s), so screen readers read the headline twice", kind, quote(t, 100)), ev, audit.AsReview())
		return true
	}
	return false
}

// maxLinkBlocks bounds how many elements of a link reportInsideLink
// looks at.
const maxLinkBlocks = 200

// reportInsideLink reports an image whose alt text is repeated inside its
// own link, next to other text: a teaser link that holds the photo, the
// headline, an excerpt, a date or a source, whose name a screen reader
// reads as the alt text, then the headline again, then the rest.
func reportInsideLink(pass *audit.Pass, ph *photo, own audit.NodeID) bool {
	p, t := pass.Page, ph.text()
	if !caption.ShortText(p, own, maxCardText) {
		return false
	}
	block, text := blockRepeating(p, own, ph.id, t)
	if block == audit.NoNode {
		return false
	}
	whole := p.VisibleText(own)
	kind := "text"
	if isHeadingTag(p.Node(block)) {
		kind = "heading"
	}
	ev := ph.evidence()
	ev.Match = &audit.TextMatch{Kind: "exact", Score: 1, Against: "text inside its own link", AltNormalized: textmatch.FoldAccents(t), OtherNormalized: textmatch.FoldAccents(text)}
	ev.Fix = "Use alt=\"\" on the image, or describe the photo: the link's " + kind + " already says " + quote(text, 80)
	ph.report(pass, fmt.Sprintf("alt text repeats the %s inside its own %s (%s), so screen readers read it twice: the link reads %s",
		kind, controlKind(p.Node(own)), quote(t, 100), quote(t+" "+whole, 160)), ev, audit.AsReview())
	return true
}

// blockRepeating returns the first element of root, root included, that
// says alt and nothing else, or NoNode: its whole text ("<h4>Headline</h4>"),
// or the text of its own, outside its child elements ("Headline
// <small>2 hours ago</small>"). Elements that hold img, and aria-hidden
// ones, are passed over; root's whole text is not compared.
func blockRepeating(p *audit.Page, root, img audit.NodeID, alt string) (audit.NodeID, string) {
	if text := ownText(p, root); text != "" && textmatch.Equal(alt, text) {
		return root, text
	}
	seen := 0
	for d := range p.Descendants(root) {
		dn := p.Node(d)
		if dn.Kind != audit.ElementNode {
			continue
		}
		if seen++; seen > maxLinkBlocks {
			break
		}
		if dn.Is("img", "svg", "script", "style", "template") || ariaHiddenWithin(p, d, root) {
			continue
		}
		if img == audit.NoNode || !p.Contains(d, img) {
			if text := p.VisibleText(d); text != "" && textmatch.Equal(alt, text) {
				return d, text
			}
		}
		if text := ownText(p, d); text != "" && textmatch.Equal(alt, text) {
			return d, text
		}
	}
	return audit.NoNode, ""
}

// ownText returns the rendered text of an element's own text nodes, not
// that of its child elements.
func ownText(p *audit.Page, id audit.NodeID) string {
	var b strings.Builder
	for _, c := range p.Node(id).Children {
		if n := p.Node(c); n.Kind == audit.TextNode && p.Rendered(c) {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
	}
	return audit.CollapseSpace(b.String())
}

// ariaHiddenWithin reports whether an element, or an ancestor of it up to
// top, is aria-hidden: its text is not part of the link's name. (A block's
// own place in the accessibility tree says nothing: Chrome leaves out
// generic elements whose text it still reads.)
func ariaHiddenWithin(p *audit.Page, id, top audit.NodeID) bool {
	for a := id; a != audit.NoNode; a = p.ParentElement(a) {
		if strings.EqualFold(strings.TrimSpace(p.Node(a).AttrOr("aria-hidden", "")), "true") {
			return true
		}
		if a == top {
			break
		}
	}
	return false
}

// maxTeaserDepth bounds how far up from an image link reportTeaserLink
// looks for the headline link beside it.
const maxTeaserDepth = 6

// maxTeaserText bounds the text of the block that holds a teaser's image
// link and headline link: a longer one is a story or a whole rail.
const maxTeaserText = 1000

// minNearTeaserScore is the least score of a near match between an alt
// text and the headline link beside it (the headline plus "(VIDEO)").
const minNearTeaserScore = 0.75

// minNearTeaserWords is the least number of words of an alt text that may
// nearly match a headline: two words in common are not a repeated
// headline.
const minNearTeaserWords = 3

// reportTeaserLink reports an image link whose alt text repeats the text
// of the link beside it that goes to the same page: the teaser's headline
// link. A screen reader meets two links to one story, named alike. It
// looks in the nearest block around the image link that holds another
// link to the same page, and no further.
func reportTeaserLink(pass *audit.Pass, ph *photo, own audit.NodeID) bool {
	p, t := pass.Page, ph.text()
	target := linkTarget(p, own)
	if target == "" {
		return false
	}
	block := own
	for range maxTeaserDepth {
		block = p.ParentElement(block)
		if block == audit.NoNode || p.Node(block).Is("body", "main") || !caption.ShortText(p, block, maxTeaserText) {
			return false
		}
		link := headlineLink(p, block, own, target)
		if link == audit.NoNode {
			continue
		}
		text, exact := repeatedIn(p, link, t)
		m := caption.Compare(t, text)
		if !exact && (!m.Found() || m.Score < minNearTeaserScore || len(textmatch.Tokens(t)) < minNearTeaserWords) {
			return false
		}
		ev := ph.evidence()
		ev.Fix = "Use alt=\"\" on the teaser image, or describe the photo, or make the image and the headline one link: the headline link already says " + quote(text, 80)
		if exact {
			ev.Match = &audit.TextMatch{Kind: "exact", Score: 1, Against: "headline link to the same page", AltNormalized: textmatch.FoldAccents(t), OtherNormalized: textmatch.FoldAccents(text)}
			ph.report(pass, fmt.Sprintf("alt text repeats the headline link beside it word for word (%s), and both links go to the same page, so screen readers read the headline twice",
				quote(text, 100)), ev, audit.AsReview())
			return true
		}
		ev.Match = &audit.TextMatch{Kind: m.Kind, Score: m.Score, Against: "headline link to the same page", AltNormalized: m.Alt, OtherNormalized: m.Other}
		ph.report(pass, fmt.Sprintf("alt text nearly repeats the headline link beside it (%s: %s), and both links go to the same page, so screen readers read most of the headline twice",
			quote(text, 100), m.Describe("headline")), ev, audit.AsReview())
		return true
	}
	return false
}

// maxTeaserElements bounds how many elements of a block headlineLink
// looks at.
const maxTeaserElements = 500

// headlineLink returns the first link in block, other than own, that goes
// to target and has text. It returns NoNode when block holds no such
// link, or too many elements to look at.
func headlineLink(p *audit.Page, block, own audit.NodeID, target string) audit.NodeID {
	seen := 0
	for d := range p.Descendants(block) {
		if seen++; seen > maxTeaserElements {
			return audit.NoNode
		}
		if d == own || !p.Node(d).Is("a") || p.Contains(own, d) || p.Contains(d, own) || linkTarget(p, d) != target || !p.Exposed(d) {
			continue
		}
		if caption.HasText(p, d) {
			return d
		}
	}
	return audit.NoNode
}

// repeatedIn returns the text of a headline link that an alt text is to
// be compared with, and whether the alt text repeats it exactly: the
// link's whole text, or the text of a heading or block inside it when the
// link also holds an excerpt, a date or a source ("Headline Excerpt
// 21.dez.2018").
func repeatedIn(p *audit.Page, link audit.NodeID, alt string) (string, bool) {
	whole := p.VisibleText(link)
	if textmatch.Equal(alt, whole) {
		return whole, true
	}
	if block, text := blockRepeating(p, link, audit.NoNode, alt); block != audit.NoNode {
		return text, true
	}
	return whole, false
}

// linkTarget returns the URL a link goes to, resolved against the page and
// without its fragment, or "" for a link to no other document (no href,
// "#…", javascript:).
func linkTarget(p *audit.Page, id audit.NodeID) string {
	n := p.Node(id)
	href, ok := n.Attr("href")
	if !ok || !n.Is("a") {
		return ""
	}
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base, err := url.Parse(p.FinalURL); err == nil {
		ref = base.ResolveReference(ref)
	}
	ref.Fragment, ref.RawFragment = "", ""
	return ref.String()
}

// hasControl reports whether an element holds a link or a button.
func hasControl(p *audit.Page, id audit.NodeID) bool {
	for d := range p.Descendants(id) {
		if isControl(p.Node(d)) {
			return true
		}
	}
	return false
}

func isHeadingTag(n *audit.Node) bool {
	return n.Is("h1", "h2", "h3", "h4", "h5", "h6") || n.Role() == "heading"
}

// cardOf returns the teaser card an image belongs to: the nearest article,
// list item or element whose class names a card, teaser, promo or story,
// provided its text is short. It returns NoNode for images in a story's
// body.
func cardOf(p *audit.Page, id audit.NodeID) audit.NodeID {
	a := id
	for range maxCardDepth {
		a = p.ParentElement(a)
		if a == audit.NoNode {
			return audit.NoNode
		}
		n := p.Node(a)
		if n.Is("main", "body", "figure") {
			return audit.NoNode
		}
		if n.Is("article", "li") || classNamesCard(n) {
			if !caption.ShortText(p, a, maxCardText) || len(p.VisibleText(a)) > maxCardText {
				return audit.NoNode
			}
			return a
		}
	}
	return audit.NoNode
}

// cardWords are parts of class names that mark a teaser card.
var cardWords = []string{"card", "teaser", "promo", "tile", "story", "item"}

func classNamesCard(n *audit.Node) bool {
	cls := strings.ToLower(n.AttrOr("class", ""))
	for _, w := range cardWords {
		if strings.Contains(cls, w) {
			return true
		}
	}
	return false
}
