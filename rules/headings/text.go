package headings

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// The word lists the rules match heading texts against, from
// rules/internal/lexicon (data/README.md there says how each matches).
var (
	bylineWords  = lexicon.Default().List(lexicon.Byline)
	creditWords  = lexicon.Default().List(lexicon.CreditLabel)
	adWords      = lexicon.Default().List(lexicon.AdLabel)
	dateWords    = lexicon.Default().List(lexicon.DateWord)
	genericWords = lexicon.Default().List(lexicon.GenericHeading)
)

// What a heading's text says it is, when it is not a section heading.
const (
	kindByline  = "a byline"
	kindDate    = "a date"
	kindCredit  = "a photo credit"
	kindAdLabel = "an advertising label"
)

// textKind returns what a short text is when it is a byline, a date, a
// credit or an advertising label, and "" otherwise.
func textKind(text string) string {
	norm := textmatch.FoldAccents(text)
	if norm == "" {
		return ""
	}
	switch {
	case adWords.Match(text, norm) != "":
		return kindAdLabel
	case creditWords.Match(text, norm) != "":
		return kindCredit
	case isByline(text):
		return kindByline
	case isDate(norm):
		return kindDate
	}
	return ""
}

// maxBylineWords bounds the name after "By".
const maxBylineWords = 8

// isByline reports whether text is a byline: optional date words, a byline
// word ("By", "Par", "Von"), then a short name starting with a capital
// letter, as in "By Joshua Sokol" or "2/26/2015 7:11 AM PST BY TMZ STAFF".
func isByline(text string) bool {
	if utf8.RuneCountInString(text) > 100 {
		return false
	}
	words := strings.Fields(text)
	i := 0
	for i < len(words) {
		if ok, _ := dateTokens(textmatch.FoldAccents(words[i])); !ok {
			break
		}
		i++
	}
	rest := words[i:]
	k := bylineWords.PrefixWords(textmatch.FoldAccents(strings.Join(rest, " ")))
	if k == 0 || len(rest) <= k || len(rest)-k > maxBylineWords {
		return false
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest[k], `"'“‘«(`))
	return unicode.IsUpper(first)
}

// ordinal matches a number as dates write it: "28", "1st", "1er", "3rd",
// and times written "14h05".
var ordinal = regexp.MustCompile(`^[0-9]+(st|nd|rd|th|er|e|eme|o|a|h[0-9]*)?$`)

// isDate reports whether a normalised text is a date or a time: words that
// are numbers or date words only, with at least one number ("april 28 2019
// at 6 01 am").
func isDate(norm string) bool {
	ok, numbers := dateTokens(norm)
	return ok && numbers > 0
}

// dateTokens reports whether every word of a normalised text is a number
// or a date word, and how many are numbers.
func dateTokens(norm string) (ok bool, numbers int) {
	tokens := strings.Fields(norm)
	if len(tokens) == 0 {
		return false, 0
	}
	for _, t := range tokens {
		switch {
		case ordinal.MatchString(t):
			numbers++
		case dateWords.Has(t):
		default:
			return false, 0
		}
	}
	return true, numbers
}

// sentenceEnd finds the end of a sentence: terminal punctuation, closing
// quotes, then white space or the end; or CJK terminal punctuation.
var sentenceEnd = regexp.MustCompile(`[.!?…]+["'”’»)\]]*\s+|[。！？]+`)

// sentences returns the number of sentences in text: a sentence ends at
// terminal punctuation followed by a capital letter, a digit or a quote,
// but not after an abbreviation or an initial ("U.S.", "Dr.", "J.").
func sentences(text string) int {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0
	}
	n := 1
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		if loc[1] >= len(text) {
			break
		}
		next, _ := utf8.DecodeRuneInString(text[loc[1]:])
		if strings.ContainsAny(text[loc[0]:loc[1]], "。！？") {
			n++
			continue
		}
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune(`"“‘«¿¡`, next) {
			continue
		}
		if isAbbreviation(lastWord(text[:loc[0]])) {
			continue
		}
		n++
	}
	return n
}

// lastWord returns the last run of letters and dots of s.
func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
	if i < 0 {
		return s
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[i+size:]
}

// abbreviations are words that end with a period inside a sentence.
var abbreviations = lexicon.Default().List(lexicon.Abbreviation)

func isAbbreviation(w string) bool {
	w = strings.Trim(w, ".")
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 || strings.Contains(w, ".") {
		return true // an initial or "U.S"
	}
	return abbreviations.Has(strings.ToLower(w))
}

// allCaps reports whether text is written in capitals: at least four
// letters, none of them lower case.
func allCaps(text string) bool {
	letters := 0
	for _, r := range text {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= 4
}

// words returns the number of words in text; a run of CJK characters counts
// one word per two characters, since those scripts do not separate words.
func words(text string) int {
	n := 0
	for _, f := range strings.Fields(text) {
		cjk := 0
		for _, r := range f {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
				cjk++
			}
		}
		if cjk > 0 {
			n += (cjk + 1) / 2
		} else {
			n++
		}
	}
	return n
}
