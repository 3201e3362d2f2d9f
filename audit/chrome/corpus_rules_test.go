package chrome_test

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/rules/headings"
	"github.com/newsa11y/newsa11y/rules/imagealt"
)

// corpusPages captures every page of the saved news pages in
// $NEWSA11Y_CORPUS in Chrome, blocking other hosts as saved pages need,
// with what the rules need, and returns them by file name. Without the
// variable it skips.
func corpusPages(tb testing.TB, rs []*audit.Rule) map[string]*audit.Page {
	tb.Helper()
	b, targets := chrometest.Corpus(tb)
	pages := map[string]*audit.Page{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, tg := range targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			p, err := b.Load(context.Background(), tg, audit.Needs(rs)|audit.CapAX)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				tb.Logf("skipping %s: %v", tg.Input, err)
				return
			}
			pages[tg.Input] = p
		})
	}
	wg.Wait()
	if len(pages) == 0 {
		tb.Fatal("no corpus page could be captured")
	}
	return pages
}

// TestCorpusHeadline checks, on real news pages, that the headline their
// metadata states is found on every page that states one: rendered (the
// outline marks it, or headline-is-h1 reports the element that carries
// it), or in the page but hidden (and then explained), and that no heading
// rule fails.
//
//	NEWSA11Y_CORPUS=/path/to/news go test ./audit/chrome -run TestCorpusHeadline -v
func TestCorpusHeadline(t *testing.T) {
	pages := corpusPages(t, headings.Rules)
	names := slices.Sorted(maps.Keys(pages))
	found, hidden := 0, 0
	for _, name := range names {
		p := pages[name]
		var r audit.PageResult
		var errs []audit.RuleError
		r.Findings, _, errs = audit.CheckPage(p, headings.Rules)
		if len(errs) > 0 {
			t.Errorf("%s: rule errors %v", name, errs)
		}
		headings.Summarize(p, &r)
		verdict := ""
		if slices.ContainsFunc(r.Outline, func(e audit.OutlineEntry) bool { return e.Headline }) {
			verdict = "found"
		}
		for _, f := range r.Findings {
			switch {
			case f.Rule != "headline-is-h1":
			case strings.Contains(f.Message, "is in the page but not rendered"):
				verdict = "hidden"
			case strings.Contains(f.Message, "no rendered element carries the headline"):
				t.Errorf("%s: %s", name, f.Message)
			case verdict == "":
				verdict = "found"
			}
		}
		switch verdict {
		case "found":
			found++
		case "hidden":
			hidden++
		}
		t.Logf("%s: headline %s", name, cmp.Or(verdict, "not stated"))
	}
	t.Logf("%d pages: headline rendered on %d, hidden on %d", len(pages), found, hidden)
}

// benchmarkRulesCorpus measures a family's rules alone, and summarize
// when given, over every saved news page, captured once; it reports the
// time per page.
func benchmarkRulesCorpus(b *testing.B, rs []*audit.Rule, summarize audit.Summarizer) {
	pages := corpusPages(b, rs)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			// A fresh copy, so that lazily built indexes and remembered
			// facts such as the headline are part of what is measured.
			q := &audit.Page{URL: p.URL, FinalURL: p.FinalURL, Loader: p.Loader, Captured: p.Captured, Facts: p.Facts, Nodes: p.Nodes}
			r := audit.PageResult{}
			var errs []audit.RuleError
			r.Findings, _, errs = audit.CheckPage(q, rs)
			if len(errs) > 0 {
				b.Fatalf("%s: %v", p.URL, errs)
			}
			if summarize != nil {
				summarize(q, &r)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pages))/1000, "ms/page")
}

// BenchmarkHeadingRulesCorpus measures the heading rules and the outline
// over the saved news pages; one op is the whole corpus.
//
//	NEWSA11Y_CORPUS=/path/to/news go test ./audit/chrome -run '^$' -bench HeadingRulesCorpus -benchtime 20x
func BenchmarkHeadingRulesCorpus(b *testing.B) {
	benchmarkRulesCorpus(b, headings.Rules, headings.Summarize)
}

// BenchmarkImageRulesCorpus measures the image rules alone over the saved
// news pages; one op is the whole corpus.
//
//	NEWSA11Y_CORPUS=/path/to/news go test ./audit/chrome -run '^$' -bench ImageRulesCorpus -benchtime 20x
func BenchmarkImageRulesCorpus(b *testing.B) {
	benchmarkRulesCorpus(b, imagealt.Rules, nil)
}
