package caption

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

// Parts is a caption's text taken apart: the visually hidden label before
// it, what it says, and the photo credit after it.
type Parts struct {
	// Prefix is a visually hidden label such as "Image caption, ", or "".
	Prefix string
	// Body is what the caption says, without label and credit.
	Body string
	// Credit is the photo credit, or "".
	Credit string
}

// maxCreditWords bounds a credit introduced by a label ("Photograph:"):
// longer text after the label is a sentence, not a credit.
const maxCreditWords = 10

// maxTailWords bounds a credit recognised only by its shape (an agency or
// "Name/Agency" after a full stop or a dash).
const maxTailWords = 8

// Split takes a caption's text apart. It strips one visually hidden label
// from the start ("Image caption, ", "Legenda da foto, ") and splits off
// trailing credits: a segment introduced by a credit label ("Photograph:
// NASA/AFP/Getty Images", "Foto: dpa", "© Reuters", "via Getty Images"), a
// parenthesis that names an agency or holds a slash ("(Photo Prakash
// Mathema. AFP)", "(Ellen M. Banner / The Seattle Times)"), and a short
// segment after a full stop or a dash that names an agency or reads
// "Name/Organisation" ("REUTERS/Benoit Tessier", "- Heinrich
// Aikawa/Instituto Lula"). Several credits in a row are all split off, in
// the order they appear.
func Split(text string) Parts {
	splitMemo.Lock()
	p, ok := splitMemo.m[text]
	splitMemo.Unlock()
	if ok {
		return p
	}
	p = split(text)
	splitMemo.Lock()
	if len(splitMemo.m) >= splitMemoSize {
		clear(splitMemo.m)
	}
	splitMemo.m[text] = p
	splitMemo.Unlock()
	return p
}

// splitMemo remembers recent results of Split: the image rules split the
// same alt texts and captions many times over on one page.
var splitMemo = struct {
	sync.Mutex
	m map[string]Parts
}{m: map[string]Parts{}}

// splitMemoSize bounds splitMemo; it starts afresh when full.
const splitMemoSize = 4096

func split(text string) Parts {
	lex := lexicon.Default()
	t := audit.CollapseSpace(text)
	var parts Parts
	parts.Prefix, t = lex.HiddenPrefix(t)
	body := t
	for range 4 {
		cut := creditStart(lex, body)
		if cut < 0 {
			break
		}
		body = body[:cut]
	}
	if len(body) == len(t) && wholeTextIsCredit(lex, t) {
		body = ""
	}
	parts.Credit = trimSeparators(t[len(body):])
	parts.Body = trimSeparators(body)
	return parts
}

// creditStart returns where a trailing credit starts in t, or -1.
func creditStart(lex *lexicon.Lexicon, t string) int {
	best := -1
	consider := func(i int) {
		if i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	consider(parentheticalCredit(lex, t))
	if best >= 0 {
		return best // a closing parenthesis ends the text: it is the last credit
	}
	consider(markedCredit(lex, t))
	consider(separatedCredit(lex, t))
	return best
}

// parentheticalCredit finds a credit in brackets at the very end of t.
func parentheticalCredit(lex *lexicon.Lexicon, t string) int {
	t = strings.TrimRight(t, " .")
	if !strings.HasSuffix(t, ")") && !strings.HasSuffix(t, "]") {
		return -1
	}
	closeBr := t[len(t)-1]
	openBr := byte('(')
	if closeBr == ']' {
		openBr = '['
	}
	depth := 0
	for i := len(t) - 1; i >= 0; i-- {
		switch t[i] {
		case closeBr:
			depth++
		case openBr:
			depth--
			if depth == 0 {
				inner := strings.TrimSpace(t[i+1 : len(t)-1])
				if looksLikeCredit(lex, inner, maxCreditWords+2) || startsWithCreditWord(inner) {
					return i
				}
				return -1
			}
		}
	}
	return -1
}

// creditWords open a credit in brackets without a colon: "(Photo Prakash
// Mathema. AFP)", "(Foto Jane Doe)". They are the credit labels of one
// word.
var creditWords = lexicon.Default().CreditWords()

func startsWithCreditWord(s string) bool {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return unicode.IsSpace(r) || r == ':' })
	return len(f) > 1 && len(f) <= maxCreditWords+2 && creditWords.Has(f[0])
}

// markedCredit finds the last credit label in t whose tail reads as a
// credit.
func markedCredit(lex *lexicon.Lexicon, t string) int {
	best := -1
	lower := strings.ToLower(t)
	for _, m := range lex.Markers() {
		if !m.MayMatch(lower) {
			continue
		}
		for from := 0; from < len(t); {
			s, e := m.Find(t, from)
			if s < 0 {
				break
			}
			from = e
			if s <= best {
				continue
			}
			tail := strings.TrimSpace(t[e:])
			if tail == "" {
				continue
			}
			_, hasAgency := lex.Agency(tail)
			if m.NeedsAgency && !hasAgency {
				continue
			}
			// "via" names the distributor after the photographer's own
			// credit: "Jane Doe/AFP via Getty Images" is one credit.
			if m.NeedsAgency {
				s = expandVia(lex, t, s)
			}
			if hasAgency || hasNameSlash(tail) || !m.NeedsAgency && nameLike(tail) {
				best = s
			}
		}
	}
	return best
}

// connectors are the small words credits put between names: "Adrian
// Malloch for the Guardian", "Agência de Notícias".
var connectors = lexicon.Default().List(lexicon.CreditConnector)

// nameLike reports whether a text after a credit label reads as names: at
// most maxCreditWords words, each capitalised, a connector, or holding a
// digit ("© 2019"). "Adrian Malloch for the Guardian" does; "the new
// stadium at night" does not.
func nameLike(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > maxCreditWords {
		return false
	}
	for i, w := range f {
		w = strings.Trim(w, ".,;:()[]«»\"'“”")
		if w == "" {
			continue
		}
		r, _ := firstRune(w)
		switch {
		case unicode.IsUpper(r), unicode.IsDigit(r), r == '©':
		case i > 0 && connectors.Has(strings.ToLower(w)):
		default:
			return false
		}
	}
	return true
}

// expandVia extends a "via Agency" credit to the agency or name just
// before it: "AFP via Getty Images", "Jane Doe/AFP via Getty Images".
func expandVia(lex *lexicon.Lexicon, t string, via int) int {
	before := strings.TrimRight(t[:via], " ")
	cut := max(lastSeparator(before), 0)
	seg := trimSeparators(before[cut:])
	if seg == "" {
		return via
	}
	if _, ok := lex.Agency(seg); ok || hasNameSlash(seg) {
		if wordCount(seg) <= maxTailWords {
			return cut
		}
	}
	return via
}

// separatedCredit finds a short final segment, after a sentence end or a
// dash, that names an agency or reads "Name/Organisation".
func separatedCredit(lex *lexicon.Lexicon, t string) int {
	cut := lastSeparator(t)
	if cut <= 0 {
		return -1
	}
	tail := trimSeparators(t[cut:])
	if tail == "" || wordCount(tail) > maxTailWords {
		return -1
	}
	if r, _ := firstRune(tail); !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return -1
	}
	if _, ok := lex.Agency(tail); ok || hasNameSlash(tail) {
		return cut
	}
	return -1
}

// separators end a caption's sentence before a credit.
var separators = []string{". ", "! ", "? ", " - ", " – ", " — ", " | ", "; ", "\u00a0- ", " -\u00a0"}

// lastSeparator returns the index just inside the last separator of t (so
// that t[i:] starts with the separator), or -1.
func lastSeparator(t string) int {
	best := -1
	for _, sep := range separators {
		if i := strings.LastIndex(t, sep); i > best {
			best = i
			if sep[0] == '.' || sep[0] == '!' || sep[0] == '?' {
				best = i + 1 // keep the full stop with the sentence
			}
		}
	}
	return best
}

// nameSlash matches "Name/Organisation": a word, a slash, a capitalised
// word, as credits write it.
var nameSlash = regexp.MustCompile(`\p{L}[\p{L}.'’]*\s*/\s*\p{Lu}`)

// hasNameSlash reports whether s has a slash between words, not in a URL.
func hasNameSlash(s string) bool {
	if strings.Contains(s, "://") || strings.Contains(strings.ToLower(s), "www.") {
		return false
	}
	return nameSlash.MatchString(s)
}

// looksLikeCredit reports whether s, at most maxWords words long, names an
// agency, holds a "Name/Organisation" slash or starts with a credit label.
func looksLikeCredit(lex *lexicon.Lexicon, s string, maxWords int) bool {
	if s == "" || wordCount(s) > maxWords {
		return false
	}
	if _, ok := lex.Agency(s); ok {
		return true
	}
	if hasNameSlash(s) {
		return true
	}
	for _, m := range lex.Markers() {
		if start, _ := m.Find(s, 0); start == 0 && !m.NeedsAgency {
			return true
		}
	}
	return false
}

// wholeTextIsCredit reports whether a short text with no other content is
// a credit: agencies alone ("Getty Images", "AFP via Getty Images"), or a
// person's name and an organisation ("Devindra Hardawar/AOL", "Jane
// Doe/AP").
func wholeTextIsCredit(lex *lexicon.Lexicon, t string) bool {
	t = strings.TrimSpace(t)
	if t == "" || wordCount(t) > maxTailWords {
		return false
	}
	if lex.OnlyAgencies(t) {
		return true
	}
	if wordCount(t) > 6 || !hasNameSlash(t) {
		return false
	}
	if _, ok := lex.Agency(t); ok {
		return true
	}
	// The part before the first slash must read as a person's name: two
	// or three capitalised words.
	name, _, _ := strings.Cut(t, "/")
	f := strings.Fields(name)
	if len(f) < 2 || len(f) > 3 {
		return false
	}
	for _, w := range f {
		if r, _ := firstRune(w); !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// IsCredit reports whether the whole text is a photo credit and nothing
// else: "Getty Images", "AFP via Getty Images", "Photo: Jane Doe/AP", "©
// Reuters", "Illustration: Anaïs Mims/Guardian Design", "(AP Photo/Evan
// Vucci)", "Image source, Getty Images".
func IsCredit(text string) bool {
	t := audit.CollapseSpace(text)
	if t == "" {
		return false
	}
	p := Split(t)
	if p.Body == "" && p.Credit != "" {
		return true
	}
	inner := strings.TrimSpace(strings.Trim(t, "()[]"))
	return inner != t && IsCredit(inner)
}

// trimSeparators trims white space and the punctuation that joined a
// caption to its credit: "…Libertadores - " becomes "…Libertadores".
func trimSeparators(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("-–—|;,:", r)
	})
}

func wordCount(s string) int { return len(strings.Fields(s)) }

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}
