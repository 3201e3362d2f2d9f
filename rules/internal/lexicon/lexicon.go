// Package lexicon holds the words the rules look for, in several
// languages: placeholder alt texts ("image", "Bild"), phrases that only
// announce a picture ("photo of"), labels that introduce a photo credit
// ("Photograph:", "Foto:", "©"), the visually hidden labels sites put
// before captions ("Image caption, "), photo agency names, bylines,
// advertising labels, date words, kickers, headings that say nothing,
// skip-link names, and the class names and ids of rails, captions,
// credits and ad slots.
//
// The words live in data files, one per language (data/*.txt, format in
// data/README.md), embedded in the binary: adding a language or a word is
// an edit to a text file, not to code. One parser reads them all; a
// section header names the kind of words and, optionally, how they match
// ("[ad-label:start]").
package lexicon

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

//go:embed data/*.txt
var dataFS embed.FS

// A Lexicon is the parsed content of a set of data files.
type Lexicon struct {
	// placeholders holds normalised placeholder alt texts.
	placeholders map[string]bool
	// starts holds normalised redundant opening phrases, longest first.
	starts []string
	// rawStarts holds redundant openings that end with a colon, lower
	// case, matched on the raw text.
	rawStarts []string
	// ends holds normalised redundant closing words.
	ends map[string]bool
	// markers are the credit labels, longest first.
	markers []Marker
	// prefixes are the hidden caption and source labels without their
	// trailing punctuation, longest first.
	prefixes []string
	// sourceLabels holds the normalised hidden source labels.
	sourceLabels map[string]bool
	// agencies are the agency names, longest first.
	agencies []agency
	// lists holds the sections that match in a mode, by name; the
	// credit labels' list matches them at the start of a text.
	lists map[string]*List
	// creditWords are the one-word credit labels without their colon,
	// lower-cased.
	creditWords *List
}

// A Marker is a label that introduces a photo credit.
type Marker struct {
	// Text is the label as the data file writes it: "Photograph:", "©".
	Text string
	// NeedsAgency is true for labels such as "via" that introduce a
	// credit only when an agency follows.
	NeedsAgency bool
	re          *regexp.Regexp
	// needle is the label's first word in lower case: a text without it
	// cannot hold the label, which spares the regular expression.
	needle string
}

// An agency is one agency name split into words.
type agency struct {
	name  string
	words []string
	// exact is true for short all-capital names that match only in
	// capitals.
	exact bool
}

var (
	defaultOnce sync.Once
	defaultLex  *Lexicon
)

// Default returns the lexicon of the embedded data files. It panics if
// they do not parse, which a test catches.
func Default() *Lexicon {
	defaultOnce.Do(func() {
		lex, err := Load(dataFS)
		if err != nil {
			panic(err)
		}
		defaultLex = lex
	})
	return defaultLex
}

// Load parses every data/*.txt file of fsys.
func Load(fsys fs.FS) (*Lexicon, error) {
	names, err := fs.Glob(fsys, "data/*.txt")
	if err != nil {
		return nil, fmt.Errorf("lexicon: list data files: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("lexicon: no data files")
	}
	lex := &Lexicon{
		placeholders: map[string]bool{},
		ends:         map[string]bool{},
		sourceLabels: map[string]bool{},
		lists:        map[string]*List{CreditLabel: newList(CreditLabel, false)},
		creditWords:  newList(CreditLabel, true),
	}
	for name, sp := range specs {
		if len(sp.modes) > 0 {
			lex.lists[name] = newList(name, sp.lower)
		}
	}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		err = lex.parse(name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	byLen := func(a, b string) int { return len(b) - len(a) }
	slices.SortStableFunc(lex.starts, byLen)
	slices.SortStableFunc(lex.rawStarts, byLen)
	slices.SortStableFunc(lex.prefixes, byLen)
	slices.SortStableFunc(lex.markers, func(a, b Marker) int { return len(b.Text) - len(a.Text) })
	slices.SortStableFunc(lex.agencies, func(a, b agency) int { return len(b.words) - len(a.words) })
	return lex, nil
}

func (lex *Lexicon) parse(name string, r fs.File) error {
	sc := bufio.NewScanner(r)
	section, mode := "", Mode("")
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		// A header has no space inside its brackets: "[object Object]" is
		// a placeholder entry.
		if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") && !strings.Contains(text, " ") {
			header, named, _ := strings.Cut(text[1:len(text)-1], ":")
			sp, ok := specs[header]
			if !ok {
				return fmt.Errorf("lexicon %s:%d: unknown section %q", name, line, header)
			}
			m, err := sp.mode(header, named)
			if err != nil {
				return fmt.Errorf("lexicon %s:%d: %w", name, line, err)
			}
			section, mode = header, m
			continue
		}
		if section == "" {
			return fmt.Errorf("lexicon %s:%d: entry %q before any [section]", name, line, text)
		}
		if err := lex.add(section, mode, text); err != nil {
			return fmt.Errorf("lexicon %s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read lexicon %s: %w", name, err)
	}
	return nil
}

func (lex *Lexicon) add(section string, mode Mode, entry string) error {
	if l, ok := lex.lists[section]; ok && section != CreditLabel {
		return l.add(entry, mode)
	}
	norm := textmatch.FoldAccents(entry)
	switch section {
	case Placeholder:
		// An entry of symbols only ("*") normalises to nothing; keep it raw.
		if norm == "" {
			norm = "raw:" + entry
		}
		lex.placeholders[norm] = true
	case RedundantStart:
		if strings.HasSuffix(entry, ":") {
			lex.rawStarts = append(lex.rawStarts, strings.ToLower(entry))
		} else if norm != "" {
			lex.starts = append(lex.starts, norm)
		}
	case RedundantEnd:
		lex.ends[norm] = true
	case CreditLabel:
		return lex.addCreditLabel(entry)
	case CaptionLabel:
		lex.prefixes = append(lex.prefixes, strings.TrimRight(entry, ",: "))
	case SourceLabel:
		lex.prefixes = append(lex.prefixes, strings.TrimRight(entry, ",: "))
		if norm == "" {
			return fmt.Errorf("source label %q has no words", entry)
		}
		lex.sourceLabels[norm] = true
	case Agency:
		words := words(entry)
		if len(words) == 0 {
			return fmt.Errorf("agency %q has no words", entry)
		}
		exact := len([]rune(entry)) <= 4 && strings.ToUpper(entry) == entry && !strings.ContainsFunc(entry, unicode.IsSpace)
		if !exact {
			for i := range words {
				words[i] = textmatch.FoldAccents(words[i])
			}
		}
		lex.agencies = append(lex.agencies, agency{name: entry, words: words, exact: exact})
	default:
		return fmt.Errorf("section %q has no reader", section)
	}
	return nil
}

// addCreditLabel adds a credit label to the three views of the one list:
// the markers captions are searched for, the labels a heading may start
// with, and the one-word labels that open a credit in brackets or a credit
// element without their colon. A label that needs an agency after it
// ("via") is a marker only.
func (lex *Lexicon) addCreditLabel(entry string) error {
	for _, m := range lex.markers {
		if m.Text == entry {
			return nil
		}
	}
	m, err := compileMarker(entry)
	if err != nil {
		return err
	}
	lex.markers = append(lex.markers, m)
	if m.NeedsAgency {
		return nil
	}
	if err := lex.lists[CreditLabel].add(entry, Start); err != nil {
		return err
	}
	if body := strings.TrimSpace(strings.TrimSuffix(entry, ":")); !strings.ContainsFunc(body, unicode.IsSpace) {
		return lex.creditWords.add(body, Word)
	}
	return nil
}

// compileMarker builds the pattern of a credit label: at the start of a
// word, case-insensitive, with optional white space before a colon. The
// label itself is the pattern's first group.
func compileMarker(entry string) (Marker, error) {
	m := Marker{Text: entry, NeedsAgency: strings.EqualFold(entry, "via")}
	body := strings.TrimSuffix(entry, ":")
	m.needle = strings.ToLower(strings.Fields(body + " ")[0])
	pat := strings.ReplaceAll(regexp.QuoteMeta(body), " ", `\s+`)
	if body != entry {
		pat += `\s*:`
	}
	pat = "(" + pat + ")"
	if last, _ := lastRune(body); body == entry && unicode.IsLetter(last) {
		pat += `(?:[^\p{L}\p{N}]|$)`
	}
	if first, _ := firstRune(body); unicode.IsLetter(first) || first == '(' {
		pat = `(?:^|[^\p{L}\p{N}])` + pat
	}
	re, err := regexp.Compile(`(?i)` + pat)
	if err != nil {
		return m, fmt.Errorf("credit marker %q: %w", entry, err)
	}
	m.re = re
	return m, nil
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

func lastRune(s string) (rune, bool) {
	r := []rune(s)
	if len(r) == 0 {
		return 0, false
	}
	return r[len(r)-1], true
}

// words splits s into runs of letters and digits, keeping their case.
// Apostrophes and hyphens inside a word split it, as normalisation does.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// IsPlaceholder reports whether the whole text is a placeholder that says
// nothing about the picture: "image", "photo 3", "Bild", "[object Object]",
// "*", or symbols alone.
func (lex *Lexicon) IsPlaceholder(text string) bool {
	raw := strings.TrimSpace(text)
	if raw == "" {
		return false
	}
	if lex.placeholders["raw:"+raw] {
		return true
	}
	norm := textmatch.FoldAccents(raw)
	if norm == "" {
		return true // only symbols and punctuation
	}
	if lex.placeholders[norm] {
		return true
	}
	// A placeholder followed by a number: "picture 1". Trimming the digits
	// takes time in proportion to them, where a pattern over the whole
	// text takes it in proportion to the text, which a page can make a
	// megabyte long.
	if head := strings.TrimRight(norm, "0123456789"); head != norm && head != "" {
		return lex.placeholders[strings.TrimSpace(head)]
	}
	return false
}

// RedundantStart returns the opening phrase of text that only announces a
// picture ("photo of", "Image:"), as the text writes it.
func (lex *Lexicon) RedundantStart(text string) (string, bool) {
	raw := strings.ToLower(strings.TrimSpace(text))
	for _, s := range lex.rawStarts {
		if strings.HasPrefix(raw, s) {
			return strings.TrimSpace(text)[:len(s)], true
		}
	}
	norm := textmatch.FoldAccents(text)
	for _, s := range lex.starts {
		if norm == s || strings.HasPrefix(norm, s+" ") {
			return s, true
		}
	}
	return "", false
}

// setApart matches a last word that punctuation or a bracket sets apart
// from the rest of the text: "(PHOTO)", "– image", ": photo".
var setApart = regexp.MustCompile(`[(\[{|:/–—-]\s*([\p{L}]+)\s*[)\]}]?\s*$`)

// RedundantEnd returns the closing word of text that only says it is a
// picture, when punctuation or a bracket sets it apart: "Kylie Jenner
// (PHOTO)".
func (lex *Lexicon) RedundantEnd(text string) (string, bool) {
	m := setApart.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return "", false
	}
	if lex.ends[textmatch.FoldAccents(m[1])] {
		return m[1], true
	}
	return "", false
}

// List returns the entries of a section that matches in a mode (every
// section but placeholder, redundant-start, redundant-end, caption-label,
// source-label and agency, which have methods of their own).
// List(CreditLabel) matches the credit labels at the start of a text:
// "Photograph: Jane Doe", "© Reuters". It panics on any other name, a mistake in the caller.
func (lex *Lexicon) List(section string) *List {
	l, ok := lex.lists[section]
	if !ok {
		panic(fmt.Sprintf("lexicon: section %q has no list", section))
	}
	return l
}

// CreditWords returns the credit labels of one word, without their colon
// and lower-cased ("photo", "foto", "©"), which open a credit in brackets
// or a credit element without a colon: "(Photo Prakash Mathema. AFP)",
// "Credit Kirsten Luce for The New York Times".
func (lex *Lexicon) CreditWords() *List { return lex.creditWords }

// Markers returns the credit labels, longest first.
func (lex *Lexicon) Markers() []Marker { return lex.markers }

// MayMatch reports whether a lower-cased text mentions the label's first
// word at all; a cheap test before Find.
func (m Marker) MayMatch(lower string) bool { return strings.Contains(lower, m.needle) }

// Find returns the start and end of the first occurrence of the marker in
// text at or after from, or -1, -1.
func (m Marker) Find(text string, from int) (start, end int) {
	if !strings.Contains(strings.ToLower(text[from:]), m.needle) {
		return -1, -1
	}
	for from <= len(text) {
		loc := m.re.FindStringSubmatchIndex(text[from:])
		if loc == nil {
			return -1, -1
		}
		start, end = loc[2]+from, loc[3]+from
		// A capitalised label must be capitalised in the text too:
		// "Source: AP" is a credit, "the main source: water" is not.
		if r, _ := firstRune(m.Text); !unicode.IsUpper(r) {
			return start, end
		}
		if r, _ := firstRune(text[start:]); unicode.IsUpper(r) {
			return start, end
		}
		from = end
	}
	return -1, -1
}

// HiddenPrefix strips one visually hidden label, of a caption ("Image
// caption, ", "Media caption") or of a source ("Image source, "), from the
// start of text, returning the label and the rest.
func (lex *Lexicon) HiddenPrefix(text string) (prefix, rest string) {
	t := strings.TrimSpace(text)
	for _, p := range lex.prefixes {
		if len(t) < len(p) || !strings.EqualFold(t[:len(p)], p) {
			continue
		}
		rest := t[len(p):]
		// The label must end at a word boundary.
		if r, _ := firstRune(rest); unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue
		}
		rest = strings.TrimLeft(rest, ",: \u00a0")
		return t[:len(t)-len(rest)], rest
	}
	return "", text
}

// IsSourceLabel reports whether text is only a label that introduces a
// photo credit: a hidden source label ("Image source, ", "Автор фото, ")
// or a credit label ("Photo:", "Credit", "©"). Sites hide such labels
// visually before the credit, so what follows one is the credit.
func (lex *Lexicon) IsSourceLabel(text string) bool {
	raw := strings.TrimRight(strings.TrimSpace(text), ",:\u00a0 ")
	norm := textmatch.FoldAccents(raw)
	if norm == "" {
		return raw != "" && slices.ContainsFunc(lex.markers, func(m Marker) bool {
			return strings.TrimRight(m.Text, ": ") == raw
		})
	}
	if lex.sourceLabels[norm] {
		return true
	}
	for _, m := range lex.markers {
		if !m.NeedsAgency && textmatch.FoldAccents(m.Text) == norm {
			return true
		}
	}
	return false
}

// Agency returns the first agency named in text, as the data file writes
// it.
func (lex *Lexicon) Agency(text string) (string, bool) {
	ws, folded := foldedWords(text)
	for i := range ws {
		for _, a := range lex.agencies {
			if a.matchAt(ws, folded, i) {
				return a.name, true
			}
		}
	}
	return "", false
}

// OnlyAgencies reports whether text names nothing but agencies, joined by
// slashes, commas, dashes, "via", "and" or "&": "Getty Images", "AFP via
// Getty Images", "EPA-EFE/Shutterstock".
func (lex *Lexicon) OnlyAgencies(text string) bool {
	ws, folded := foldedWords(text)
	if len(ws) == 0 {
		return false
	}
	found := false
	for i := 0; i < len(ws); {
		if lex.lists[AgencyJoiner].Has(folded[i]) {
			i++
			continue
		}
		matched := false
		for _, a := range lex.agencies {
			if a.matchAt(ws, folded, i) {
				i += len(a.words)
				matched, found = true, true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return found
}

// foldedWords returns the words of text as written and normalised with
// accents folded, word for word. Folding the whole text at once is much
// cheaper than word by word; in the rare case normalisation splits or
// joins words differently, each word is folded alone.
func foldedWords(text string) (raw, folded []string) {
	raw = words(text)
	folded = strings.Fields(textmatch.FoldAccents(text))
	if len(folded) == len(raw) {
		return raw, folded
	}
	folded = make([]string, len(raw))
	for i, w := range raw {
		folded[i] = textmatch.FoldAccents(w)
	}
	return raw, folded
}

// matchAt reports whether the agency's words start at word i.
func (a agency) matchAt(ws, folded []string, i int) bool {
	if i+len(a.words) > len(ws) {
		return false
	}
	for k, w := range a.words {
		if a.exact {
			if ws[i+k] != w {
				return false
			}
		} else if folded[i+k] != w {
			return false
		}
	}
	return true
}
