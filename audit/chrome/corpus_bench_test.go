package chrome_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/rules"
)

// BenchmarkCorpusWalk audits every page of the folder NEWSA11Y_CORPUS
// names (saved news pages) with the keyboard walk and without it, one
// after the other for each page (in turn which goes first) so both modes
// see the same machine load, with third-party requests blocked. It reports the median time per page of
// each mode, the median difference per page, and the median time of the
// walk itself. It skips when NEWSA11Y_CORPUS is unset.
//
//	NEWSA11Y_CORPUS=/path/to/news go test ./audit/chrome -run '^$' -bench CorpusWalk -benchtime 1x
func BenchmarkCorpusWalk(b *testing.B) {
	br, targets := chrometest.Corpus(b)
	needs := audit.Needs(rules.All())
	var with, without, diff, walk []float64
	for b.Loop() {
		for i, t := range targets {
			ms := func(needs audit.Capability) (float64, *audit.Page) {
				start := time.Now()
				p, err := br.Load(context.Background(), t, needs)
				if err != nil {
					b.Logf("%s: %v", t.Input, err)
					return -1, nil
				}
				return float64(time.Since(start).Microseconds()) / 1000, p
			}
			// Alternate which mode loads first, so neither gains from
			// going second.
			var w, n float64
			var p *audit.Page
			if i%2 == 0 {
				w, p = ms(needs)
				n, _ = ms(needs &^ audit.CapKeyboard)
			} else {
				n, _ = ms(needs &^ audit.CapKeyboard)
				w, p = ms(needs)
			}
			if w < 0 || n < 0 {
				continue
			}
			with, without, diff = append(with, w), append(without, n), append(diff, w-n)
			walk = append(walk, float64(p.Walk.Millis))
		}
	}
	b.ReportMetric(median(with), "ms/page-with-walk")
	b.ReportMetric(median(without), "ms/page-without-walk")
	b.ReportMetric(median(diff), "ms/page-difference")
	b.ReportMetric(median(walk), "ms/page-walk-itself")
	b.ReportMetric(float64(len(with)/max(b.N, 1)), "pages")
}

// median returns the middle value, 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
