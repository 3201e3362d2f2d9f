package caption_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// longText returns about n bytes of words in an irregular order.
func longText(n int, vocab ...string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[(i*5+i/4)%len(vocab)])
	}
	return b.String()[:n]
}

// TestLongAltAndCaptionCompareInBoundedTime: a page can give ten images
// one alt text of a megabyte, and a caption as long. Splitting off the
// credit and comparing must take time in proportion to the texts.
func TestLongAltAndCaptionCompareInBoundedTime(t *testing.T) {
	testtime.Log(t)
	const mb = 1 << 20
	body := longText(mb, "crowds", "gather", "outside", "the", "parliament", "in", "Kyiv")
	alt := body + ". Photograph: AP"
	other := longText(mb, "rescue", "teams", "search", "rubble", "after", "quake")
	// The caption a letter apart from the alt text without its credit.
	same := body[:mb/2] + "x" + body[mb/2+1:]
	for _, tc := range []struct {
		name, alt, other string
		found            bool
	}{
		{"unrelated", alt, other, false},
		{"a letter apart", alt, same, true},
		{"equal", alt, alt, true},
	} {
		done := make(chan caption.Match, 1)
		start := time.Now()
		go func() { done <- caption.Compare(tc.alt, tc.other) }()
		bound := testtime.Bound(3 * time.Second)
		select {
		case m := <-done:
			t.Logf("%s: %s, kind %q", tc.name, time.Since(start).Round(time.Millisecond), m.Kind)
			if m.Found() != tc.found {
				t.Errorf("%s: Compare found %q, want a match: %v", tc.name, m.Kind, tc.found)
			}
		case <-time.After(bound):
			t.Fatalf("%s: Compare of two 1 MB texts did not finish within %s", tc.name, bound)
		}
	}
}
