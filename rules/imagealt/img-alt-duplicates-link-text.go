package imagealt

import (
	"fmt"
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
		card := cardOf(p, ph.id)
		if card == audit.NoNode {
			continue
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
			ev.Match = &audit.TextMatch{Kind: "exact", Score: 1, Against: kind, AltNormalized: textmatch.FoldAccents(t), OtherNormalized: textmatch.FoldAccents(other)}
			ev.Fix = "Use alt=\"\" on the teaser image, or describe the photo: the " + kind + " already says " + quote(other, 80)
			ph.report(pass, fmt.Sprintf("alt text repeats the %s of its teaser (%s), so screen readers read the headline twice", kind, quote(t, 100)), ev, audit.AsReview())
			break
		}
	}
	return nil
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
