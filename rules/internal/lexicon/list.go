package lexicon

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// A List is one section's entries, ready to match in the modes the data
// files gave them. Its methods take text normalised the way the section
// compares it: accent-folded (textmatch.FoldAccents) for words of text,
// lower-cased as written for markup words and for the few sections that
// data/README.md marks so.
type List struct {
	section string
	lower   bool
	// whole, start, end and part hold the normalised entries of each
	// mode, in file order.
	whole, start, end, part []string
	// label holds the start entries written with a trailing colon,
	// without it: the text must have a colon right after them.
	label []string
	// rawStart holds start entries of symbols ("©", "(c)"), lower-cased,
	// matched on the text as written since normalisation drops symbols.
	rawStart []string
	words    map[string]bool
	// entries holds every normalised entry once, in file order.
	entries []string
	seen    map[string]bool
}

func newList(section string, lower bool) *List {
	return &List{section: section, lower: lower, words: map[string]bool{}, seen: map[string]bool{}}
}

// normalise returns an entry or a text as the list compares it.
func (l *List) normalise(s string) string {
	if l.lower {
		return strings.ToLower(strings.TrimSpace(s))
	}
	return textmatch.FoldAccents(s)
}

// add adds one entry of the data files in a mode. An entry given twice
// is kept once.
func (l *List) add(entry string, mode Mode) error {
	kind, norm := string(mode), l.normalise(entry)
	if mode == Start && !l.lower {
		if body, ok := strings.CutSuffix(entry, ":"); ok {
			kind, norm = "label", l.normalise(body)
		} else if symbolic(entry) {
			kind, norm = "raw", strings.ToLower(strings.TrimSpace(entry))
		}
	}
	if norm == "" {
		return fmt.Errorf("%s entry %q is empty once normalised", l.section, entry)
	}
	if mode == Word && strings.ContainsFunc(norm, unicode.IsSpace) {
		return fmt.Errorf("%s entry %q is not a single word", l.section, entry)
	}
	if l.seen[kind+"\x00"+norm] {
		return nil
	}
	l.seen[kind+"\x00"+norm] = true
	switch kind {
	case "label":
		l.label = append(l.label, norm)
	case "raw":
		l.rawStart = append(l.rawStart, norm)
	case string(Whole):
		l.whole = append(l.whole, norm)
	case string(Start):
		l.start = append(l.start, norm)
	case string(End):
		l.end = append(l.end, norm)
	case string(Part):
		l.part = append(l.part, norm)
	case string(Word):
		l.words[norm] = true
	default:
		return fmt.Errorf("%s takes no entries in mode %q", l.section, mode)
	}
	if !l.seen["\x00"+norm] {
		l.seen["\x00"+norm] = true
		l.entries = append(l.entries, norm)
	}
	return nil
}

// symbolic reports whether an entry holds characters other than letters,
// digits, white space, hyphens and apostrophes: "©", "(c)".
func symbolic(entry string) bool {
	return strings.ContainsFunc(entry, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) &&
			!unicode.IsSpace(r) && r != '-' && r != '\'' && r != '’'
	})
}

// Match returns the entry that text matches in any of the list's modes
// (whole, start, a start followed by a colon, end), or "". norm is the
// text normalised as the list compares it.
func (l *List) Match(text, norm string) string {
	if ph := l.MatchWhole(norm); ph != "" {
		return ph
	}
	for _, ph := range l.start {
		if norm == ph || strings.HasPrefix(norm, ph+" ") {
			return ph
		}
	}
	for _, ph := range l.end {
		if norm == ph || strings.HasSuffix(norm, " "+ph) {
			return ph
		}
	}
	if len(l.label) > 0 {
		if head, _, ok := strings.Cut(text, ":"); ok {
			h := l.normalise(head)
			for _, ph := range l.label {
				if h == ph {
					return ph
				}
			}
		}
	}
	if len(l.rawStart) > 0 {
		lower := strings.ToLower(strings.TrimSpace(text))
		for _, ph := range l.rawStart {
			if strings.HasPrefix(lower, ph) {
				return ph
			}
		}
	}
	return ""
}

// MatchWhole returns the whole-text entry that norm equals, or "".
func (l *List) MatchWhole(norm string) string {
	for _, ph := range l.whole {
		if norm == ph {
			return ph
		}
	}
	return ""
}

// PrefixWords returns the number of words of the longest start entry that
// opens norm, 0 when none does.
func (l *List) PrefixWords(norm string) int {
	best := 0
	for _, ph := range l.start {
		if norm == ph || strings.HasPrefix(norm, ph+" ") {
			best = max(best, len(strings.Fields(ph)))
		}
	}
	return best
}

// Has reports whether word is one of the list's single-word entries.
func (l *List) Has(word string) bool { return l.words[word] }

// PartOf returns the first part entry that s holds, or "".
func (l *List) PartOf(s string) string {
	for _, ph := range l.part {
		if strings.Contains(s, ph) {
			return ph
		}
	}
	return ""
}

// Entries returns every entry of the list once, normalised, in file order.
// The caller must not change the slice.
func (l *List) Entries() []string { return l.entries }
