package textmatch_test

import (
	"math"
	"sync"
	"testing"

	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mayor speaks at rally.", "mayor speaks at rally"},
		{"  «Macron»\u00a0meets — Putin…  ", "macron meets putin"},
		{"STRASSE Straße", "strasse strasse"},
		{"ﬁnal ①", "final 1"}, // NFKC: ligature and circled digit
		{"Un Népalais prie à Katmandou, le 30 avril 2015.", "un népalais prie à katmandou le 30 avril 2015"},
		{"“Quoted” 'text' (AP)", "quoted text ap"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := textmatch.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := textmatch.FoldAccents("Un Népalais prie à Katmandou"); got != "un nepalais prie a katmandou" {
		t.Errorf("FoldAccents = %q", got)
	}
}

func TestMeasures(t *testing.T) {
	near := func(got, want float64) bool { return math.Abs(got-want) < 0.005 }
	if !textmatch.Equal("Logan Rock, Cornwall", "logan rock cornwall.") {
		t.Error("Equal: punctuation and case should not matter")
	}
	// Guardian pairs from live pages: a near duplicate and a different text.
	if d := textmatch.Dice("Sign up to Moving the Goalposts", "Sign up for Moving the Goalposts."); !near(d, 0.833) {
		t.Errorf("Dice = %.3f, want 0.833", d)
	}
	if r := textmatch.EditRatio("kitten", "sitting"); !near(r, 1-3.0/7) {
		t.Errorf("EditRatio = %.3f, want %.3f", r, 1-3.0/7)
	}
	if s := textmatch.Similarity("Two men at a long table", "Leaders meet in Moscow"); s > 0.5 {
		t.Errorf("unrelated texts have similarity %.2f", s)
	}
	inside, share := textmatch.Coverage("Un Népalais prie à Katmandou, le 30 avril 2015.", "Un Népalais prie à Katmandou, le 30 avril 2015. (Photo Prakash Mathema. AFP)")
	if !inside || share < 0.6 {
		t.Errorf("Coverage = %v %.2f, want inside with share ≥ 0.6", inside, share)
	}
	if inside, _ := textmatch.Coverage("rally", "rallying cry"); inside {
		t.Error("Coverage matched part of a word")
	}
}

func TestPreparedAgreesWithSimilarity(t *testing.T) {
	pairs := [][2]string{
		{"Storm hits the coast overnight", "Storm hits the coast overnight."},
		{"Mayor speaks at rally", "The mayor speaks at a rally in Paris"},
		{"海外留学生看两会：出国前后关注点大不同", "海外留学生看两会"},
		{"Un Népalais prie à Katmandou", "Un Nepalais prie a Katmandou"},
		{"", "Storm"},
		{"", ""},
		{"Justin Lin, Global X investment strategist", "Headshot of Justin Lin, Global X Investment Strategist"},
	}
	for _, p := range pairs {
		a, b := textmatch.Prepare(p[0]), textmatch.Prepare(p[1])
		want := textmatch.Similarity(p[0], p[1])
		if got := a.Similarity(b); math.Abs(got-want) > 1e-9 {
			t.Errorf("Prepared.Similarity(%q, %q) = %v, want %v", p[0], p[1], got, want)
		}
		// Above the floor the value is exact; below it, it stays below.
		for _, floor := range []float64{0.5, 0.8, 0.95} {
			got := a.SimilarityAtLeast(b, floor)
			if want >= floor && math.Abs(got-want) > 1e-9 || want < floor && got >= floor {
				t.Errorf("SimilarityAtLeast(%q, %q, %v) = %v, similarity %v", p[0], p[1], floor, got, want)
			}
		}
	}
}

func TestASCIIFastPathAgrees(t *testing.T) {
	// The ASCII shortcut must give what the Unicode path gives: compare
	// with the same text plus a non-ASCII character that normalises to a
	// space.
	for _, s := range []string{"Mayor speaks at rally.", "  U.S. -- 21/12/2018 (AFP) ", "A|B_c", "", "!!!", "Tab\there\nNL", "MiXeD CaSe 123abc"} {
		got := textmatch.Normalize(s)
		want := textmatch.Normalize(s + "\u2014")
		if got != want {
			t.Errorf("Normalize(%q) = %q, the Unicode path gives %q", s, got, want)
		}
	}
}

// TestConcurrentUse runs the comparisons from several goroutines, as the
// runner does with several pages at once; go test -race checks it.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := textmatch.FoldAccents("Les Népalais à Paris"); got != "les nepalais a paris" {
					t.Errorf("FoldAccents = %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}
