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

// accentRemover returns a transformer that drops combining marks after
// canonical decomposition. A chain keeps state between calls, so each
// call gets its own.
func accentRemover() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// FoldAccents returns the normalised form of s without diacritics, so that
// "Népalais" and "Nepalais" compare equal.
func FoldAccents(s string) string {
	out, _, err := transform.String(accentRemover(), Normalize(s))
	if err != nil {
		return Normalize(s)
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
	sa, sb := set(Tokens(a)), set(Tokens(b))
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

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// EditRatio returns 1 minus the Levenshtein distance between the two
// normalised, accent-folded texts over the longer one's length in runes:
// 1 for equal texts, near 0 for unrelated ones.
func EditRatio(a, b string) float64 {
	ra, rb := []rune(FoldAccents(a)), []rune(FoldAccents(b))
	longest := max(len(ra), len(rb))
	if longest == 0 {
		return 1
	}
	return 1 - float64(levenshtein(ra, rb))/float64(longest)
}

// levenshtein returns the edit distance between two rune slices, in
// O(len(a)·len(b)) time and O(len(b)) space.
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
