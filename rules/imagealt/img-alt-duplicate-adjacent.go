package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// DuplicateAdjacent is the rule img-alt-duplicate-adjacent.
var DuplicateAdjacent = Family.Rule(audit.Rule{
	ID:       "img-alt-duplicate-adjacent",
	Title:    "images next to each other should not share the same alt text",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Minor,
	Needs:    needsAX,
	Check:    checkDuplicateAdjacent,
})

// maxImagesBetween is how many images may separate two with the same alt
// text for them to count as neighbours (WAVE's alt_duplicate uses 2).
const maxImagesBetween = 2

func checkDuplicateAdjacent(pass *audit.Pass) error {
	lex := lexicon.Default()
	list := photos(pass.Page)
	for i, ph := range list {
		t := ph.text()
		if t == "" || lex.IsPlaceholder(t) {
			continue // the placeholder rule reports "image", "photo"
		}
		norm := textmatch.FoldAccents(t)
		for j := i - 1; j >= 0 && j >= i-1-maxImagesBetween; j-- {
			prev := list[j]
			if prev.page.Node(prev.id).Frame != ph.node.Frame || textmatch.FoldAccents(prev.text()) != norm {
				continue
			}
			ev := ph.evidence()
			ev.Match = &audit.TextMatch{Kind: "exact", Score: 1, Against: "alt text of a nearby image", AltNormalized: norm, OtherNormalized: norm}
			ev.Fix = "Give each image alt text that says what it shows, or alt=\"\" on copies of the same picture."
			between := i - j - 1
			ph.report(pass, fmt.Sprintf("alt text %s is the same as that of image %s, %s before it: screen readers read the same words twice in a row",
				quote(t, 100), prev.fileName(), imagesApart(between)), ev, audit.AsReview())
			break
		}
	}
	return nil
}

// imagesApart says how far back a neighbour is.
func imagesApart(between int) string {
	switch between {
	case 0:
		return "just"
	case 1:
		return "one image"
	}
	return fmt.Sprintf("%d images", between)
}
