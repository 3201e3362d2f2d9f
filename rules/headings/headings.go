// Package headings holds the rules on heading structure and the headline:
// the headline is the page's level-one heading, levels go down one at a
// time, headings are not empty, misused or generic, and text that looks
// like a heading is marked up as one. Its Summarize puts the page's heading
// outline in the report.
//
// Each rule is declared, with its check, in a file named by its id; the
// helpers several rules share are in outline.go (the heading outline),
// region.go (where a heading sits: landmark, frame, ad), text.go (what a
// heading's text is: byline, date, credit) and content.go (what a heading
// heads: content, teasers, a kicker or a standfirst). Summarize is in
// summary.go.
package headings

import (
	_ "embed"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed doc.md
var docText string

// Family is the family of the rules on heading structure and the
// headline. Each of its rules is built with Family.Rule and documented in
// doc.md.
var Family = audit.NewFamily("headings", "Heading structure and the headline", docText)

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{
	HeadlineIsH1, PageHasH1, H1Multiple, H1MatchesTitle, LevelSkip, Empty,
	Misused, Possible, StandfirstOrKicker, RegionHasHeading, Generic,
}
