package textmatch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalize checks the normaliser's promises on any text: valid UTF-8
// in gives valid UTF-8 out, single spaces, no space at either end, a second
// pass changes nothing, and the scores stay in [0, 1] with a text equal to
// itself.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Mayor speaks at rally.", "  Café\u00a0crème — «le» ", "ＦＵＬＬ　ＷＩＤＴＨ", "İstanbul ǅ ß ﬁ", "a\u0301", "",
		"Photo: AP/Reuters", "\u200b\u200d\ufeff", "東京の街", "x\x00y", "\xff\xfe",
	} {
		f.Add(s, "mayor speaks")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n := Normalize(a)
		if utf8.ValidString(a) && !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", a, n)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q has stray spaces", a, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q", a, n, again)
		}
		folded := FoldAccents(a)
		if again := FoldAccents(folded); again != folded {
			t.Fatalf("FoldAccents is not idempotent: %q -> %q -> %q", a, folded, again)
		}
		for name, score := range map[string]float64{"Dice": Dice(a, b), "EditRatio": EditRatio(a, b), "Similarity": Similarity(a, b)} {
			if score < 0 || score > 1 || score != score {
				t.Fatalf("%s(%q, %q) = %v, outside [0, 1]", name, a, b, score)
			}
		}
		if folded != "" && Similarity(a, a) != 1 {
			t.Fatalf("Similarity(%q, itself) = %v", a, Similarity(a, a))
		}
		if Dice(a, b) != Dice(b, a) {
			t.Fatalf("Dice is not symmetric on %q, %q", a, b)
		}
	})
}
