package imagealt_test

import (
	"context"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/rules/imagealt"
)

// BenchmarkRulesCorpus measures the image rules alone over snapshots of
// the saved news pages in $NEWSA11Y_CORPUS, captured once in Chrome with
// third-party hosts blocked, as the CLI's --block-third-party does. One
// iteration runs every rule of the family over every page.
func BenchmarkRulesCorpus(b *testing.B) {
	br, targets := audittest.Corpus(b)
	var pages []*audit.Page
	for _, t := range targets {
		p, err := br.Load(context.Background(), t, audit.Needs(imagealt.Rules)|audit.CapAX)
		if err != nil {
			b.Logf("skipping %s: %v", t.Input, err)
			continue
		}
		pages = append(pages, p)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			q := &audit.Page{URL: p.URL, FinalURL: p.FinalURL, Loader: p.Loader, Captured: p.Captured, Facts: p.Facts, Nodes: p.Nodes}
			if _, _, errs := audit.CheckPage(q, imagealt.Rules); len(errs) > 0 {
				b.Fatalf("%s: %v", p.URL, errs)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pages))/1000, "ms/page")
}
