package textmatch_test

import (
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/sitegen"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// within runs f and fails the test unless it returns within the bound d
// (stretched by testtime). A comparison that never ends is left running:
// the test binary ends with it.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	testtime.Log(t)
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		t.Logf("%s: %s", what, time.Since(start).Round(time.Millisecond))
	case <-time.After(testtime.Bound(d)):
		t.Fatalf("%s did not finish within %s", what, testtime.Bound(d))
	}
}

// TestLongTextsCompareInBoundedTime compares texts of a megabyte each,
// which a page can put in an alt text, a title or a heading: the
// comparisons must take time in proportion to the texts, not to their
// product (the edit distance of two such texts is 10^12 steps).
func TestLongTextsCompareInBoundedTime(t *testing.T) {
	const mb = 1 << 20
	a := sitegen.Words(mb, "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf")
	b := sitegen.Words(mb, "north", "south", "east", "west", "river", "valley", "harbour")
	within(t, 3*time.Second, "EditRatio of two 1 MB texts", func() {
		if r := textmatch.EditRatio(a, b); r > 0.5 {
			t.Errorf("EditRatio of unrelated texts = %.2f", r)
		}
	})
	within(t, 3*time.Second, "Similarity of two 1 MB texts", func() {
		if s := textmatch.Similarity(a, b); s > 0.5 {
			t.Errorf("Similarity of unrelated texts = %.2f", s)
		}
	})
	within(t, 3*time.Second, "Prepared.SimilarityAtLeast of two 1 MB texts", func() {
		pa, pb := textmatch.Prepare(a), textmatch.Prepare(b)
		if s := pa.SimilarityAtLeast(pb, 0.8); s >= 0.8 {
			t.Errorf("SimilarityAtLeast of unrelated texts = %.2f", s)
		}
	})
	// One letter changed in the middle: still a near duplicate.
	c := a[:mb/2] + "X" + a[mb/2+1:]
	within(t, 3*time.Second, "EditRatio of two 1 MB texts a letter apart", func() {
		if r := textmatch.EditRatio(a, c); r < 0.99 {
			t.Errorf("EditRatio of texts a letter apart = %.4f, want at least 0.99", r)
		}
	})
}

// TestLongTextEditRatio checks what the edit ratio says of texts past
// MaxEditRunes: equal texts are equal, texts that differ in one stretch
// score as they would letter by letter, and unrelated texts score low.
func TestLongTextEditRatio(t *testing.T) {
	base := sitegen.Words(3*textmatch.MaxEditRunes, "storm", "hits", "the", "coast", "overnight", "mayor", "speaks")
	mid := len(base) / 2
	for _, tc := range []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"equal", base, base, 1, 1},
		{"one letter changed", base, base[:mid] + "Q" + base[mid+1:], 0.998, 1},
		{"a word inserted", base, base[:mid] + " inserted " + base[mid:], 0.98, 1},
		{"the end cut off", base, base[:2*len(base)/3], 0.66, 0.67},
		{"unrelated", base, sitegen.Words(len(base), "north", "south", "east", "west"), 0, 0.5},
	} {
		if r := textmatch.EditRatio(tc.a, tc.b); r < tc.min || r > tc.max {
			t.Errorf("%s: EditRatio = %.4f, want %.4f to %.4f", tc.name, r, tc.min, tc.max)
		}
	}
}
