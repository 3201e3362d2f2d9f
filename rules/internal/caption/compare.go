package caption

import (
	"fmt"
	"math"
	"strings"

	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// Thresholds of a near duplicate, from the rule catalogue (RULES.md §6.2).
const (
	// MinCoverage is the share of the longer text the shorter must cover
	// when it is a prefix or a substring of it.
	MinCoverage = 0.6
	// MinDice is the Sørensen–Dice coefficient of the word sets.
	MinDice = 0.8
	// MinEditRatio is 1 minus the edit distance over the longer length.
	MinEditRatio = 0.9
)

// Match kinds, strongest first.
const (
	// Exact: the texts are equal once normalised.
	Exact = "exact"
	// Prefix: the alt text is the start of the other text.
	Prefix = "prefix"
	// Substring: the alt text is inside the other text.
	Substring = "substring"
	// Contains: the other text is inside the alt text.
	Contains = "contains"
	// TokenOverlap: the texts share most of their words.
	TokenOverlap = "token-overlap"
	// EditDistance: the texts differ by a few letters.
	EditDistance = "edit-distance"
)

// A Match is how an alt text compares with another text.
type Match struct {
	// Kind is one of the kinds above, or "" when the texts differ.
	Kind string
	// Score is how alike they are, 0 to 1 (see audit.TextMatch).
	Score float64
	// Alt is the alt text as compared: credit and phrases such as "photo
	// of" removed, normalised, accents folded.
	Alt string
	// Other is the other text as compared.
	Other string
}

// Found reports whether the texts match at all.
func (m Match) Found() bool { return m.Kind != "" }

// Near reports whether the match is a near duplicate rather than an
// exact one.
func (m Match) Near() bool { return m.Found() && m.Kind != Exact }

// ComparableAlt returns an alt text as the comparisons see it: credit split
// off, an opening such as "Photo of" dropped, normalised and accent-folded.
func ComparableAlt(alt string) string {
	body := Split(alt).Body
	if start, ok := lexicon.Default().RedundantStart(body); ok {
		norm := textmatch.FoldAccents(body)
		if rest := strings.TrimPrefix(norm, textmatch.FoldAccents(start)); rest != norm {
			return strings.TrimSpace(rest)
		}
	}
	return textmatch.FoldAccents(body)
}

// Compare compares an alt text with another text (a caption without its
// credit, a link's text): equal once normalised, the alt text a prefix or
// substring covering at least MinCoverage of the other (or the other
// inside the alt text, likewise), word sets with a Dice coefficient of at
// least MinDice, or an edit ratio of at least MinEditRatio. The alt text
// loses its credit and an opening such as "Photo of" first, so "Photo of
// the harbour. Photograph: AP" matches "The harbour".
func Compare(alt, other string) Match {
	a := ComparableAlt(alt)
	o := textmatch.FoldAccents(other)
	m := Match{Alt: a, Other: o}
	if a == "" || o == "" {
		return m
	}
	if a == o {
		m.Kind, m.Score = Exact, 1
		return m
	}
	if inside, share := textmatch.Coverage(a, o); inside && share >= MinCoverage {
		m.Kind, m.Score = Substring, share
		if strings.HasPrefix(o, a+" ") {
			m.Kind = Prefix
		}
		return m
	}
	if inside, share := textmatch.Coverage(o, a); inside && share >= MinCoverage {
		m.Kind, m.Score = Contains, share
		return m
	}
	if d := textmatch.Dice(a, o); d >= MinDice {
		m.Kind, m.Score = TokenOverlap, d
		return m
	}
	if r := textmatch.EditRatio(a, o); r >= MinEditRatio {
		m.Kind, m.Score = EditDistance, r
		return m
	}
	return m
}

// Describe says in words what the match found, for a message: "the alt
// text is the first 72% of the caption". other names the other text.
func (m Match) Describe(other string) string {
	pct := int(math.Round(m.Score * 100))
	switch m.Kind {
	case Exact:
		return "the same text once case, accents and punctuation are set aside"
	case Prefix:
		return fmt.Sprintf("the alt text is the first %d%% of the %s", pct, other)
	case Substring:
		return fmt.Sprintf("the alt text is %d%% of the %s, word for word", pct, other)
	case Contains:
		return fmt.Sprintf("the %s is %d%% of the alt text, word for word", other, pct)
	case TokenOverlap:
		return fmt.Sprintf("the two share most of their words (Dice %.2f)", m.Score)
	case EditDistance:
		return fmt.Sprintf("the two differ by a few letters (edit ratio %.2f)", m.Score)
	}
	return ""
}
