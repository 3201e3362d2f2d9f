package chrome_test

import (
	"context"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/rules"
)

// sampleTarget serves the embedded sample for the benchmark's lifetime.
func sampleTarget(b *testing.B) audit.Target {
	r := &target.Resolver{}
	b.Cleanup(func() { r.Close() })
	t, err := r.Sample()
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkCaptureAndRulesSample measures one page's whole audit in Chrome:
// a new tab and browser context, navigation, settling, scrolling, the
// capture, and every rule, on the embedded sample article.
func BenchmarkCaptureAndRulesSample(b *testing.B) {
	br := chrometest.Browser(b)
	t := sampleTarget(b)
	all := rules.All()
	needs := audit.Needs(all)
	b.ResetTimer()
	for b.Loop() {
		p, err := br.Load(context.Background(), t, needs)
		if err != nil {
			b.Fatal(err)
		}
		if fs, _, errs := audit.CheckPage(p, all); len(fs) == 0 || len(errs) > 0 {
			b.Fatalf("sample gave %d findings and rule errors %v", len(fs), errs)
		}
	}
}

// BenchmarkRulesSample measures the rules alone over a snapshot of the
// sample captured once.
func BenchmarkRulesSample(b *testing.B) {
	br := chrometest.Browser(b)
	p, err := br.Load(context.Background(), sampleTarget(b), audit.Needs(rules.All()))
	if err != nil {
		b.Fatal(err)
	}
	all := rules.All()
	b.ResetTimer()
	for b.Loop() {
		// A fresh copy per iteration, so the page's lazily built index is
		// part of what is measured, as in a real run.
		q := &audit.Page{URL: p.URL, FinalURL: p.FinalURL, Loader: p.Loader, Captured: p.Captured, Viewport: p.Viewport,
			Facts: p.Facts, Nodes: p.Nodes, Walk: p.Walk, Hidden: p.Hidden}
		if _, _, errs := audit.CheckPage(q, all); len(errs) > 0 {
			b.Fatalf("rule errors: %v", errs)
		}
	}
}

// BenchmarkSampleWalk measures the keyboard walk's cost on the embedded
// sample, side by side: the same load and capture with the walk and
// without it (what a run gets when no enabled rule needs the keyboard).
func BenchmarkSampleWalk(b *testing.B) {
	br := chrometest.Browser(b)
	t := sampleTarget(b)
	needs := audit.Needs(rules.All())
	for _, mode := range []struct {
		name  string
		needs audit.Capability
	}{{"walk", needs}, {"no-walk", needs &^ audit.CapKeyboard}} {
		b.Run(mode.name, func(b *testing.B) {
			var walkMillis int64
			for b.Loop() {
				p, err := br.Load(context.Background(), t, mode.needs)
				if err != nil {
					b.Fatal(err)
				}
				if (p.Walk != nil) != mode.needs.Has(audit.CapKeyboard) {
					b.Fatalf("walk %v with needs %s", p.Walk != nil, mode.needs)
				}
				if p.Walk != nil {
					walkMillis += p.Walk.Millis
				}
			}
			if mode.needs.Has(audit.CapKeyboard) {
				b.ReportMetric(float64(walkMillis)/float64(b.N), "walk-ms/op")
			}
		})
	}
}
