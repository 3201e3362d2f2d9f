package history

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/store"
)

func TestDiffMatchesFindingsMergedIntoOthers(t *testing.T) {
	day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	page := "https://news.example/world/a.html"
	absorbed := FindingRecord{Fingerprint: "fp-headline", Rule: "image-alt-headline", Outcome: audit.Violation, Severity: audit.Serious, Selector: "img"}
	runs := []RunRecord{
		// Night 1: the alt text repeats the caption and the headline; the
		// headline finding is merged into the caption one.
		{ID: "n1", Started: day, Pages: []PageRecord{{URL: page, Site: "news.example", Findings: []FindingRecord{
			{Fingerprint: "fp-caption", Rule: "image-alt-caption", Outcome: audit.Violation, Severity: audit.Serious, Selector: "img", Also: []string{"fp-headline"}},
		}}}},
		// Night 2: the caption changed; the headline finding stands alone.
		{ID: "n2", Started: day.AddDate(0, 0, 1), Pages: []PageRecord{{URL: page, Site: "news.example", Findings: []FindingRecord{absorbed}}}},
		// Night 3: the caption finding is back, absorbing the headline's.
		{ID: "n3", Started: day.AddDate(0, 0, 2), Pages: []PageRecord{{URL: page, Site: "news.example", Findings: []FindingRecord{
			{Fingerprint: "fp-caption", Rule: "image-alt-caption", Outcome: audit.Violation, Severity: audit.Serious, Selector: "img", Also: []string{"fp-headline"}},
		}}}},
	}
	_, d := diffOf(t, runs, Options{From: "n1", To: "n2"})
	if len(d.New) != 0 || len(d.Persisting) != 1 || d.Persisting[0].Fingerprint != "fp-headline" || len(d.Fixed) != 0 {
		t.Errorf("n1 to n2: new %+v, persisting %+v, fixed %+v; want the headline finding persisting, nothing new or fixed", d.New, d.Persisting, d.Fixed)
	}
	_, d = diffOf(t, runs, Options{From: "n2", To: "n3"})
	if len(d.New) != 0 || len(d.Persisting) != 1 || len(d.Fixed) != 0 {
		t.Errorf("n2 to n3: new %+v, persisting %+v, fixed %+v; want one persisting, nothing new or fixed", d.New, d.Persisting, d.Fixed)
	}
}

func TestFromAfterToIsRefused(t *testing.T) {
	runs, _ := nights(t)
	_, err := Build(runs, Options{From: "night-3", To: "night-1"})
	if !errors.Is(err, ErrFromAfterTo) || !strings.Contains(err.Error(), "run night-3 started") {
		t.Fatalf("Build with --from later than --to: %v, want ErrFromAfterTo naming the runs", err)
	}
	// --from alone, later than the last finished run: a note, no diff.
	runs[2].Status = "running"
	s, d := diffOf(t, runs, Options{From: "night-3"})
	if d != nil || len(s.Notes) == 0 || !strings.Contains(s.Notes[0], "started after") {
		t.Errorf("--from the newest, running run: diff %+v, notes %q; want no diff and a note", d, s.Notes)
	}
}

func TestFailedPageListsUnderTheSiteItsAuditFound(t *testing.T) {
	day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	// A page served from loopback claims its site; the night it failed,
	// the store filed it under the address's key.
	url := "http://127.0.0.1:8080/world/a.html"
	runs := []RunRecord{
		{ID: "n1", Started: day, Status: "done", Pages: []PageRecord{{URL: url, Site: "news.example", Findings: []FindingRecord{
			{Fingerprint: "fp", Rule: "image-alt-missing", Outcome: audit.Violation, Severity: audit.Critical},
		}}}},
		{ID: "n2", Started: day.AddDate(0, 0, 1), Status: "done", Pages: []PageRecord{{URL: url, Site: audit.SiteKey(url, nil), Failed: true}}},
	}
	rep, err := Build(runs, Options{Site: "news.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sites) != 1 || len(rep.Sites[0].Runs) != 2 || rep.Sites[0].Runs[1].Failed != 1 {
		t.Fatalf("sites %+v; want news.example with both runs, the second's page failed", rep.Sites)
	}
}

func TestLoadFromAStore(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "runs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	url := "https://news.example/world/a.html"
	ok := audit.PageResult{URL: url, Site: "news.example", Status: 200, Findings: []audit.Finding{{
		Rule: "image-alt-caption", Outcome: audit.Violation, Severity: audit.Serious, Fingerprint: "fp-caption",
		Also: []audit.RelatedFinding{{Rule: "image-alt-headline", Outcome: audit.Violation, Severity: audit.Serious, Fingerprint: "fp-headline"}},
	}}}
	// The second night the site was down: every page failed.
	down := audit.PageResult{URL: url, Error: "net::ERR_CONNECTION_REFUSED", ErrorCause: "network", Findings: []audit.Finding{}}
	for i, p := range []audit.PageResult{ok, down} {
		w, err := s.StartRun(ctx, store.RunInfo{ID: []string{"n1", "n2"}[i], Started: day.AddDate(0, 0, i), ToolVersion: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, store.StatusDone, []audit.PageResult{p}, nil); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := Load(ctx, s, Options{Site: "news.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[1].ID != "n2" || len(runs[1].Pages) != 1 || !runs[1].Pages[0].Failed {
		t.Fatalf("runs of news.example %+v; want n1 and n2, whose one page failed", runs)
	}
	if f := runs[0].Pages[0].Findings; len(f) != 1 || len(f[0].Also) != 1 || f[0].Also[0] != "fp-headline" {
		t.Errorf("n1's findings %+v; want the caption finding with the headline's fingerprint merged", f)
	}
	rep, err := Build(runs, Options{Site: "news.example"})
	if err != nil {
		t.Fatal(err)
	}
	if sums := rep.Sites[0].Runs; len(sums) != 2 || sums[1].Failed != 1 {
		t.Errorf("run summaries %+v; want n2 with its failed page", sums)
	}
}
