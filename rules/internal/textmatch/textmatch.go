// Package textmatch compares short texts the way a reader would: after
// Unicode normalisation, case folding and dropping punctuation, so that
// "Mayor speaks at rally." and "mayor speaks at rally" are the same text.
// Rules use it to compare alt text with captions and headlines with titles.
package textmatch

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in NFKC form, case-folded, with punctuation, symbols,
// quotes and dashes turned into spaces, white space (no-break spaces
// included) collapsed, and trimmed. Accents are kept; see FoldAccents.
func Normalize(s string) string {
	if isASCII(s) {
		return normalizeASCII(s)
	}
	// A Caser keeps state between calls, so each call makes its own: rules
	// run on several pages at once.
	s = cases.Fold().String(norm.NFKC.String(s))
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// isASCII reports whether s is plain ASCII, which NFKC and case folding
// leave alone but for upper-case letters.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// normalizeASCII is Normalize for ASCII text: lower-case letters and
// digits, every other run of characters one space.
func normalizeASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
			continue
		}
		b = append(b, c)
		space = false
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// accentRemover returns a transformer that drops combining marks after
// canonical decomposition. A chain keeps state between calls, so each
// call gets its own.
func accentRemover() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// FoldAccents returns the normalised form of s without diacritics, so that
// "Népalais" and "Nepalais" compare equal.
func FoldAccents(s string) string {
	n := Normalize(s)
	if isASCII(n) {
		return n // nothing to fold
	}
	out, _, err := transform.String(accentRemover(), n)
	if err != nil {
		return Normalize(s)
	}
	// A mark standing alone between spaces leaves two spaces, or one at
	// the end, once removed.
	if strings.Contains(out, "  ") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
		out = strings.Join(strings.Fields(out), " ")
	}
	return out
}

// Tokens returns the words of the accent-folded, normalised form of s.
func Tokens(s string) []string { return strings.Fields(FoldAccents(s)) }

// Equal reports whether a and b are the same text once normalised and
// accent-folded.
func Equal(a, b string) bool { return FoldAccents(a) == FoldAccents(b) }

// Dice returns the Sørensen–Dice coefficient of the two texts' word sets:
// twice the shared words over the sum of the set sizes, 0 to 1.
func Dice(a, b string) float64 {
	return diceOfSets(set(Tokens(a)), set(Tokens(b)))
}

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// MaxEditRunes is the longest text, in runes once normalised, that the
// edit ratio compares letter by letter. The edit distance takes time in
// proportion to the product of the two lengths, and a page can make its
// title, a heading or an alt text a megabyte long; past this length the
// ratio is taken from the texts' common start and end instead (see
// EditRatio), in time proportional to their length.
const MaxEditRunes = 400

// EditRatio returns 1 minus the Levenshtein distance between the two
// normalised, accent-folded texts over the longer one's length in runes:
// 1 for equal texts, near 0 for unrelated ones. When the longer text is
// over MaxEditRunes, the distance is not computed: the ratio is then the
// share of the longer text that the two have in common at their start
// and at their end, which never exceeds the true ratio and equals it when
// the texts differ in one stretch (a word changed, inserted or cut off).
// Texts that long are compared by their words too (Dice), which the
// callers take the larger of.
func EditRatio(a, b string) float64 {
	return editRatioRunes([]rune(FoldAccents(a)), []rune(FoldAccents(b)))
}

// editRatioRunes is EditRatio on normalised texts.
func editRatioRunes(a, b []rune) float64 {
	longest := max(len(a), len(b))
	if longest == 0 {
		return 1
	}
	if longest <= MaxEditRunes {
		return 1 - float64(levenshtein(a, b))/float64(longest)
	}
	// Keeping the common start and end and rewriting the middle costs
	// longest-(start+end) edits: the distance is at most that.
	shortest := min(len(a), len(b))
	start := 0
	for start < shortest && a[start] == b[start] {
		start++
	}
	end := 0
	for end < shortest-start && a[len(a)-1-end] == b[len(b)-1-end] {
		end++
	}
	return float64(start+end) / float64(longest)
}

// levenshtein returns the edit distance between two rune slices, in
// O(len(a)·len(b)) time and O(len(b)) space; callers keep the slices
// under MaxEditRunes.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Coverage reports whether the normalised text part appears inside whole
// as a run of whole words, and what share of whole's characters it covers.
func Coverage(part, whole string) (inside bool, share float64) {
	p, w := FoldAccents(part), FoldAccents(whole)
	if p == "" || w == "" {
		return false, 0
	}
	if !strings.Contains(" "+w+" ", " "+p+" ") {
		return false, 0
	}
	return true, float64(len([]rune(p))) / float64(len([]rune(w)))
}

// Similarity returns the larger of Dice and EditRatio: how alike two short
// texts are, 0 to 1.
func Similarity(a, b string) float64 {
	return max(Dice(a, b), EditRatio(a, b))
}

// A Prepared text holds the normalised forms of a text that the
// similarity measures need, computed once, for comparing one text with
// many: a headline with every element of a page.
type Prepared struct {
	folded string
	runes  []rune
	tokens map[string]bool
}

// Prepare normalises s for repeated comparison.
func Prepare(s string) Prepared {
	f := FoldAccents(s)
	return Prepared{folded: f, runes: []rune(f), tokens: set(strings.Fields(f))}
}

// Empty reports whether the prepared text holds no letters or digits.
func (a Prepared) Empty() bool { return a.folded == "" }

// Similarity returns Similarity of the two texts the prepared forms stand
// for.
func (a Prepared) Similarity(b Prepared) float64 { return a.SimilarityAtLeast(b, 0) }

// SimilarityAtLeast returns the similarity of the two texts when it is at
// least floor, and some value below floor otherwise. It skips the edit
// distance when the lengths alone keep the edit ratio below floor or below
// the word overlap, which is most of the time when one text is compared
// with every element of a page.
func (a Prepared) SimilarityAtLeast(b Prepared, floor float64) float64 {
	dice := diceOfSets(a.tokens, b.tokens)
	la, lb := len(a.runes), len(b.runes)
	longest := max(la, lb)
	if longest == 0 {
		return 1
	}
	// The edit distance is at least the difference in length.
	bound := 1 - float64(max(la-lb, lb-la))/float64(longest)
	if bound <= dice || bound < floor {
		return dice
	}
	return max(dice, editRatioRunes(a.runes, b.runes))
}

func diceOfSets(sa, sb map[string]bool) float64 {
	if len(sa) == 0 && len(sb) == 0 {
		return 1
	}
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	shared := 0
	for w := range sa {
		if sb[w] {
			shared++
		}
	}
	return 2 * float64(shared) / float64(len(sa)+len(sb))
}
