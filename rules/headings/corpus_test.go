package headings_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/rules/headings"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
)

// corpusPages captures every page of the saved news pages in
// $NEWSA11Y_CORPUS in Chrome, blocking other hosts as saved pages need,
// and returns them by file name. Without the variable it skips.
func corpusPages(t testing.TB) map[string]*audit.Page {
	t.Helper()
	b, targets := audittest.Corpus(t)
	pages := map[string]*audit.Page{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, tg := range targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			p, err := b.Load(context.Background(), tg, audit.Needs(headings.Rules)|audit.CapAX)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("%s: %v", tg.Input, err)
				return
			}
			pages[tg.Input] = p
		})
	}
	wg.Wait()
	return pages
}

// TestCorpusHeadline checks, on real news pages, that the headline their
// metadata states is found on every page that states one: rendered, or in
// the page but hidden (and then explained), and that no heading rule fails.
func TestCorpusHeadline(t *testing.T) {
	pages := corpusPages(t)
	names := slices.Sorted(maps.Keys(pages))
	found, hidden := 0, 0
	for _, name := range names {
		p := pages[name]
		if len(headline.Candidates(p)) == 0 {
			continue
		}
		if m, ok := headline.Find(p); ok {
			found++
			t.Logf("%s: <%s> level %d matches the %s (%.2f)", name, p.Node(m.Node).Tag, m.Level, m.Candidate.Source, m.Score)
		} else if _, ok := headline.FindUnrendered(p); ok {
			hidden++
			t.Logf("%s: the headline is in the page but not rendered", name)
		} else {
			t.Errorf("%s: no element carries the headline %+v", name, headline.Candidates(p))
		}
		if _, _, errs := audit.CheckPage(p, headings.Rules); len(errs) > 0 {
			t.Errorf("%s: rule errors %v", name, errs)
		}
	}
	t.Logf("%d pages: headline rendered on %d, hidden on %d", len(pages), found, hidden)
}

// BenchmarkHeadingRulesCorpus measures the heading rules and the outline
// over every saved news page, captured once; one op is the whole corpus.
func BenchmarkHeadingRulesCorpus(b *testing.B) {
	pages := corpusPages(b)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			// A fresh copy, so that lazily built indexes and the
			// remembered headline are part of what is measured.
			q := &audit.Page{URL: p.URL, FinalURL: p.FinalURL, Loader: p.Loader, Captured: p.Captured, Facts: p.Facts, Nodes: p.Nodes}
			r := audit.PageResult{}
			r.Findings, _, _ = audit.CheckPage(q, headings.Rules)
			headings.Summarize(q, &r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages))/1e6, "ms/page")
}
