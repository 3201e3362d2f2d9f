// Package headings holds the rules on heading structure and the headline:
// the headline is the page's level-one heading, levels go down one at a
// time, headings are not empty, misused or generic, and text that looks
// like a heading is marked up as one. Its Summarize puts the page's heading
// outline in the report.
package headings

import (
	_ "embed"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed doc.md
var docText string

var docs = audit.MustDocs(docText)

// HeadlineIsH1 is the rule headline-is-h1.
var HeadlineIsH1 = &audit.Rule{
	ID:       "headline-is-h1",
	Title:    "the headline must be marked up as the level-one heading",
	Doc:      docs["headline-is-h1"],
	WCAG:     []string{"1.3.1", "2.4.6"},
	Tags:     []string{"headings", "news"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkHeadlineIsH1,
}

// PageHasH1 is the rule page-has-h1.
var PageHasH1 = &audit.Rule{
	ID:       "page-has-h1",
	Title:    "the page should have a level-one heading",
	Doc:      docs["page-has-h1"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkPageHasH1,
}

// H1Multiple is the rule h1-multiple.
var H1Multiple = &audit.Rule{
	ID:       "h1-multiple",
	Title:    "the page should expose one level-one heading",
	Doc:      docs["h1-multiple"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkH1Multiple,
}

// H1MatchesTitle is the rule h1-matches-title.
var H1MatchesTitle = &audit.Rule{
	ID:       "h1-matches-title",
	Title:    "the level-one heading and the page title should name the same story",
	Doc:      docs["h1-matches-title"],
	WCAG:     []string{"2.4.2"},
	Tags:     []string{"headings", "news", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkH1MatchesTitle,
}

// LevelSkip is the rule heading-level-skip.
var LevelSkip = &audit.Rule{
	ID:       "heading-level-skip",
	Title:    "heading levels should go down one level at a time",
	Doc:      docs["heading-level-skip"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkLevelSkip,
}

// Empty is the rule heading-empty.
var Empty = &audit.Rule{
	ID:       "heading-empty",
	Title:    "headings must have an accessible name",
	Doc:      docs["heading-empty"],
	WCAG:     []string{"1.3.1", "2.4.6"},
	Tags:     []string{"headings"},
	Severity: audit.Moderate,
	// Without the browser's accessibility tree an icon font or generated
	// content would look empty.
	Needs: audit.CapDOM | audit.CapAX,
	Check: checkEmpty,
}

// Misused is the rule heading-misused.
var Misused = &audit.Rule{
	ID:       "heading-misused",
	Title:    "heading markup must only mark up section headings",
	Doc:      docs["heading-misused"],
	WCAG:     []string{"1.3.1", "2.4.6"},
	Tags:     []string{"headings", "news"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM,
	Check:    checkMisused,
}

// Possible is the rule heading-possible.
var Possible = &audit.Rule{
	ID:       "heading-possible",
	Title:    "text that looks like a heading must be marked up as one",
	Doc:      docs["heading-possible"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings"},
	Severity: audit.Moderate,
	Needs:    audit.CapDOM | audit.CapLayout,
	Check:    checkPossible,
}

// StandfirstOrKicker is the rule heading-standfirst-or-kicker.
var StandfirstOrKicker = &audit.Rule{
	ID:       "heading-standfirst-or-kicker",
	Title:    "standfirsts and kickers should not be marked up as headings",
	Doc:      docs["heading-standfirst-or-kicker"],
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"headings", "news", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkStandfirstOrKicker,
}

// RegionHasHeading is the rule heading-region-has-heading.
var RegionHasHeading = &audit.Rule{
	ID:       "heading-region-has-heading",
	Title:    "asides, navigation and story rails should start with a heading or have a name",
	Doc:      docs["heading-region-has-heading"],
	WCAG:     []string{"2.4.10"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkRegionHasHeading,
}

// Generic is the rule heading-generic.
var Generic = &audit.Rule{
	ID:       "heading-generic",
	Title:    "headings should say what their section holds",
	Doc:      docs["heading-generic"],
	WCAG:     []string{"2.4.6"},
	Tags:     []string{"headings", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkGeneric,
}

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{
	HeadlineIsH1, PageHasH1, H1Multiple, H1MatchesTitle, LevelSkip, Empty,
	Misused, Possible, StandfirstOrKicker, RegionHasHeading, Generic,
}
