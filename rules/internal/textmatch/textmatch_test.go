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
