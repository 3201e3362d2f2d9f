package lexicon

import "fmt"

// Section names of the data files. data/README.md says which rule reads
// which section.
const (
	// Placeholder holds alt texts that say nothing about a picture.
	Placeholder = "placeholder"
	// RedundantStart holds phrases that only announce a picture.
	RedundantStart = "redundant-start"
	// RedundantEnd holds words that only say a text is a picture.
	RedundantEnd = "redundant-end"
	// CreditLabel holds the labels that introduce a photo credit: the one
	// list behind Markers, CreditWords and List(CreditLabel).
	CreditLabel = "credit-label"
	// CaptionLabel holds the labels sites hide visually before a caption
	// ("Image caption, "): a reader hears them, and they are set aside.
	CaptionLabel = "caption-label"
	// SourceLabel holds the labels sites hide visually before a photo
	// credit ("Image source, "): what follows one is the credit.
	SourceLabel = "source-label"
	// Agency holds photo agencies and picture libraries.
	Agency = "agency"
	// AgencyJoiner holds the words allowed between agency names in a text
	// that names nothing else ("AFP via Getty Images").
	AgencyJoiner = "agency-joiner"
	// CreditConnector holds the small words credits put between names
	// ("Adrian Malloch for the Guardian").
	CreditConnector = "credit-connector"
	// Byline holds the words that open a byline ("By", "Par").
	Byline = "byline"
	// AdLabel holds advertising labels ("Advertisement", "Anzeige").
	AdLabel = "ad-label"
	// DateWord holds the words of dates and times.
	DateWord = "date-word"
	// Kicker holds the labels sites set above a headline ("Analysis").
	Kicker = "kicker"
	// GenericHeading holds heading texts that say nothing ("Read more").
	GenericHeading = "generic-heading"
	// Abbreviation holds words that end with a full stop inside a sentence
	// ("Mr", "Dr", "Jan").
	Abbreviation = "abbreviation"
	// SkipGeneric holds skip-link names that do not say where the link
	// leads ("Skip", "Click here").
	SkipGeneric = "skip-generic"
	// SkipContent holds the words that say a skip link leads to the story.
	SkipContent = "skip-content"
	// SkipNavigation holds the words that say a skip link is about the
	// navigation.
	SkipNavigation = "skip-navigation"
	// Rail holds the class and id words of repeated rails ("most read").
	Rail = "rail"
	// AdMarker holds the id, class, name and title words of ad slots.
	AdMarker = "ad-marker"
	// CaptionClass holds the parts of class names and ids of captions.
	CaptionClass = "caption-class"
	// CaptionItemprop holds the itemprop values of captions.
	CaptionItemprop = "caption-itemprop"
	// CreditClass holds the class-name words of credit elements.
	CreditClass = "credit-class"
	// CreditItemprop holds the schema.org properties of credits.
	CreditItemprop = "credit-itemprop"
	// HiddenClass holds the parts of class names of visually hidden text.
	HiddenClass = "hidden-class"
	// NotSubheadClass holds the class and id words of blocks that are
	// never subheads: quotes, captions, bylines, datelines.
	NotSubheadClass = "not-subhead-class"
)

// A Mode says how the entries of a section match a text.
type Mode string

// The match modes a section header may name: "[ad-label:start]".
const (
	// Whole matches the whole text.
	Whole Mode = "whole"
	// Start matches the first words of the text; an entry that ends with
	// a colon must be followed by a colon in the text.
	Start Mode = "start"
	// End matches the last words of the text.
	End Mode = "end"
	// Word matches one word of the text; an entry is a single word.
	Word Mode = "word"
	// Part matches any part of a word: a class name holding the entry.
	Part Mode = "part"
)

// A spec says what a section allows.
type spec struct {
	// modes are the modes a header may name, the default first. A
	// section without modes has its own matching, in this package's
	// methods, and a header may name none.
	modes []Mode
	// lower is set for sections whose entries are compared lower-cased as
	// written: words of class names, ids and attribute values, and words
	// the rules take from a text as written. Other sections are compared
	// normalised and accent-folded (textmatch.FoldAccents).
	lower bool
}

// specs lists every section a data file may hold.
var specs = map[string]spec{
	Placeholder:     {},
	RedundantStart:  {},
	RedundantEnd:    {},
	CreditLabel:     {},
	CaptionLabel:    {},
	SourceLabel:     {},
	Agency:          {},
	AgencyJoiner:    {modes: []Mode{Word}},
	CreditConnector: {modes: []Mode{Word}, lower: true},
	Byline:          {modes: []Mode{Start}},
	AdLabel:         {modes: []Mode{Whole, Start, End}},
	DateWord:        {modes: []Mode{Word}},
	Kicker:          {modes: []Mode{Whole}},
	GenericHeading:  {modes: []Mode{Whole}},
	Abbreviation:    {modes: []Mode{Word}, lower: true},
	SkipGeneric:     {modes: []Mode{Whole}},
	SkipContent:     {modes: []Mode{Word}},
	SkipNavigation:  {modes: []Mode{Word}},
	Rail:            {modes: []Mode{Whole}, lower: true},
	AdMarker:        {modes: []Mode{Word}, lower: true},
	CaptionClass:    {modes: []Mode{Part}, lower: true},
	CaptionItemprop: {modes: []Mode{Word}, lower: true},
	CreditClass:     {modes: []Mode{Word}, lower: true},
	CreditItemprop:  {modes: []Mode{Word}, lower: true},
	HiddenClass:     {modes: []Mode{Part}, lower: true},
	NotSubheadClass: {modes: []Mode{Word}, lower: true},
}

// mode returns the mode a header names for a section, or the section's
// default when it names none.
func (s spec) mode(section, named string) (Mode, error) {
	if named == "" {
		if len(s.modes) == 0 {
			return "", nil
		}
		return s.modes[0], nil
	}
	switch Mode(named) {
	case Whole, Start, End, Word, Part:
	default:
		return "", fmt.Errorf("unknown mode %q (want whole, start, end, word or part)", named)
	}
	for _, m := range s.modes {
		if m == Mode(named) {
			return m, nil
		}
	}
	if len(s.modes) == 0 {
		return "", fmt.Errorf("section %q takes no mode", section)
	}
	return "", fmt.Errorf("section %q does not take mode %q (want %v)", section, named, s.modes)
}
