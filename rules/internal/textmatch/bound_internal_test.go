package textmatch

import (
	"math/rand/v2"
	"testing"
)

// TestLongRatioIsALowerBound checks, on texts a little past the cap where
// the edit distance can still be computed, that the ratio long texts get
// never claims more likeness than the edit distance gives.
func TestLongRatioIsALowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 17))
	letters := []rune("abcdé ")
	for range 200 {
		a := make([]rune, MaxEditRunes+1+rng.IntN(100))
		for i := range a {
			a[i] = letters[rng.IntN(len(letters))]
		}
		b := append([]rune(nil), a...)
		for range rng.IntN(20) {
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[i] = letters[rng.IntN(len(letters))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i], append([]rune{'z'}, b[i:]...)...)
			}
		}
		exact := 1 - float64(levenshtein(a, b))/float64(max(len(a), len(b)))
		if got := editRatioRunes(a, b); got > exact+1e-9 {
			t.Fatalf("ratio %.4f of\n%q\n%q\nis above the exact %.4f", got, string(a), string(b), exact)
		}
	}
}
