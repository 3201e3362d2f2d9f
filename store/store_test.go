package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// samplePage returns a page result with n findings, story and template,
// one of them carrying another it absorbed, and a thumbnail the store
// must drop.
func samplePage(url string, index, n int) audit.PageResult {
	p := audit.PageResult{
		URL: url, Index: index, FinalURL: url, Status: 200, Title: "Story " + url, Site: "news.example",
		Skipped:  []audit.SkippedRule{{Rule: "focus-trap", Reason: "no keyboard walk"}},
		Retries:  []string{"net::ERR_CONNECTION_RESET"},
		Ignored:  1,
		Timings:  audit.Timings{{Step: "load", MS: 812.5}},
		Findings: []audit.Finding{},
	}
	for i := range n {
		f := audit.Finding{
			Rule: "image-alt-caption", Outcome: audit.Violation, Severity: audit.Serious, BaseSeverity: audit.Moderate,
			SeverityReasons: []string{"the story's lead photo"},
			Selector:        fmt.Sprintf("figure:nth-of-type(%d) > img", i+1), Snippet: `<img alt="x">`,
			Message: fmt.Sprintf("alt text repeats caption %d", i), WCAG: []string{"1.1.1"},
			Key: fmt.Sprintf("img:photo-%d.jpg", i), Fingerprint: fmt.Sprintf("fp-%s-%d", url, i),
			Region: "story", Thumbnail: "data:image/jpeg;base64,AAAA",
		}
		if i%2 == 1 {
			f.Outcome, f.Region, f.Severity, f.BaseSeverity = audit.Review, "template", audit.Minor, audit.Minor
		}
		if i == 0 {
			f.Also = []audit.RelatedFinding{{Rule: "image-alt-headline", Outcome: audit.Violation, Severity: audit.Serious,
				Selector: f.Selector, Message: "also the headline", Fingerprint: "fp-also-" + url}}
		}
		p.Findings = append(p.Findings, f)
	}
	return p
}

func TestMigrationsAreIdempotent(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		for i := range 3 {
			s, err := Open(ctx, dsn)
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			v, err := s.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v != SchemaVersion {
				t.Errorf("open #%d: schema version %d, want %d", i+1, v, SchemaVersion)
			}
			var n int
			if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(migrations) {
				t.Errorf("open #%d: %d rows in schema_migrations, want %d", i+1, n, len(migrations))
			}
			s.Close()
		}
	})
}

func TestNewerSchemaIsRefused(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		if _, err := s.DB().ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)`), SchemaVersion+1, "future", 1); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, dsn)
		if err == nil || !strings.Contains(err.Error(), "newer than this newsa11y") {
			t.Errorf("opening a newer schema: %v, want a refusal", err)
		}
	})
}

func TestRunRoundTrips(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		started := time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
		w := startRunT(t, s, RunInfo{ID: "night-1", Started: started, ToolVersion: "1.2.3", Request: map[string]any{"targets": []string{"https://news.example/"}}, Host: "box"})
		pages := []audit.PageResult{samplePage("https://news.example/a", 0, 3), samplePage("https://news.example/b", 1, 0)}
		failed := audit.PageResult{URL: "https://news.example/c", Index: 2, Error: "timeout after 30s", ErrorCause: "timeout", Findings: []audit.Finding{}}
		for _, p := range append(pages, failed) {
			if err := w.Page(ctx, p, strings.TrimPrefix(p.URL, "https://")); err != nil {
				t.Fatal(err)
			}
		}
		r, err := s.Run(ctx, "night-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusRunning || !r.Finished.IsZero() {
			t.Errorf("before Finish: status %q finished %v, want running and zero", r.Status, r.Finished)
		}
		if err := w.Finish(ctx, StatusDone, nil, nil); err != nil {
			t.Fatal(err)
		}
		r, err = s.Run(ctx, "night-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusDone || r.Pages != 3 || r.Failed != 1 || r.Violations != 2 || r.Reviews != 1 || !r.Started.Equal(started) || r.ToolVersion != "1.2.3" || r.Finished.IsZero() {
			t.Errorf("run = %+v", r)
		}
		if !reflect.DeepEqual(r.Sites, []string{"news.example"}) || len(r.Parts) != 1 || r.Parts[0].Host != "box" {
			t.Errorf("sites %v parts %+v", r.Sites, r.Parts)
		}
		var req map[string][]string
		if err := json.Unmarshal(r.Request, &req); err != nil || req["targets"][0] != "https://news.example/" {
			t.Errorf("request %s (%v)", r.Request, err)
		}
		rep, err := s.Report(ctx, "night-1")
		if err != nil {
			t.Fatal(err)
		}
		want := append(pages, failed)
		// A failed page is filed under the site its address names.
		want[2].Site = "news.example"
		for i := range want {
			for j := range want[i].Findings {
				want[i].Findings[j].Thumbnail = ""
			}
		}
		if !reflect.DeepEqual(rep.Pages, want) {
			got, _ := json.MarshalIndent(rep.Pages, "", " ")
			exp, _ := json.MarshalIndent(want, "", " ")
			t.Errorf("pages read back differ:\n got %s\nwant %s", got, exp)
		}
		if rep.Tool.Version != "1.2.3" {
			t.Errorf("tool %+v", rep.Tool)
		}
		stored, err := s.Pages(ctx, "night-1", PageFilter{URL: "https://news.example/a"})
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != 1 || stored[0].Page != "news.example/a" || stored[0].Processed || len(stored[0].Result.Findings) != 3 {
			t.Errorf("page a: %+v", stored)
		}
		if _, err := s.Run(ctx, "nope"); !errors.Is(err, ErrNoRun) {
			t.Errorf("Run(nope) = %v, want ErrNoRun", err)
		}
	})
}

func TestBaselineOfARunIsTheFileBaseline(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "r1", ToolVersion: "1"})
		pages := []audit.PageResult{samplePage("pages/a.html", 0, 2), samplePage("pages/b.html", 1, 1)}
		identity := map[string]string{"pages/a.html": "a.html", "pages/b.html": "b.html"}
		for _, p := range pages {
			if err := w.Page(ctx, p, identity[p.URL]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(ctx, StatusDone, pages, identity); err != nil {
			t.Fatal(err)
		}
		got, err := s.Baseline(ctx, "r1")
		if err != nil {
			t.Fatal(err)
		}
		want := audit.BaselineFrom(&audit.Report{Tool: audit.Tool{Name: "newsa11y", Version: "1"}, Pages: pages})
		want.SetPages(identity)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("baseline\n got %+v\nwant %+v", got, want)
		}
		if len(got.Findings) != 5 || got.Findings[0].Page == "" {
			t.Errorf("baseline holds %d findings (%+v), want 5 with page identities", len(got.Findings), got.Findings)
		}
	})
}

func TestFinishReplacesStreamedPages(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "r", ToolVersion: "1"})
		raw := samplePage("https://news.example/a", 0, 4)
		if err := w.Page(ctx, raw, "news.example/a"); err != nil {
			t.Fatal(err)
		}
		processed := raw
		processed.Findings = []audit.Finding{raw.Findings[0], raw.Findings[2]}
		processed.Findings[0].Baseline = audit.BaselineKnown
		processed.Findings[1].Baseline = audit.BaselineNew
		processed.Ignored = 2
		if err := w.Finish(ctx, StatusInterrupted, []audit.PageResult{processed}, map[string]string{}); err != nil {
			t.Fatal(err)
		}
		pages, err := s.Pages(ctx, "r", PageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) != 1 || !pages[0].Processed || len(pages[0].Result.Findings) != 2 || pages[0].Result.Ignored != 2 ||
			pages[0].Result.Findings[0].Baseline != audit.BaselineKnown || pages[0].Page != "news.example/a" {
			// The identity map lacks the page: it keeps the identity it
			// was streamed with.
			t.Fatalf("after Finish: %+v", pages)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM findings WHERE run_id = ? AND baseline = ?`), "r", "new").Scan(&n); err != nil || n != 1 {
			t.Errorf("findings marked new: %d (%v), want 1", n, err)
		}
		r, err := s.Run(ctx, "r")
		if err != nil || r.Status != StatusInterrupted {
			t.Errorf("status %q (%v), want interrupted", r.Status, err)
		}
	})
}

func TestShardsMeetInOneRun(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
		w2 := startRunT(t, s, RunInfo{ID: "ci-7", Shard: "2/3", Shards: 3, Started: t0.Add(time.Minute), ToolVersion: "1"})
		w1 := startRunT(t, s, RunInfo{ID: "ci-7", Shard: "1/3", Shards: 3, Started: t0, ToolVersion: "1"})
		if _, err := s.StartRun(ctx, RunInfo{ID: "ci-7", Shard: "", Shards: 0, ToolVersion: "1"}); err == nil || !strings.Contains(err.Error(), "--run-id") {
			t.Errorf("joining with another shard count: %v, want an error naming --run-id", err)
		}
		if err := w1.Page(ctx, samplePage("https://news.example/1", 0, 1), "1"); err != nil {
			t.Fatal(err)
		}
		if err := w2.Page(ctx, samplePage("https://news.example/2", 0, 2), "2"); err != nil {
			t.Fatal(err)
		}
		for _, w := range []*Writer{w1, w2} {
			if err := w.Finish(ctx, StatusDone, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		r, err := s.Run(ctx, "ci-7")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusIncomplete || r.Pages != 2 || !r.Started.Equal(t0) || len(r.Parts) != 2 {
			t.Errorf("two of three shards: %+v, want incomplete, 2 pages, started at the first shard's start", r)
		}
		pages, err := s.Pages(ctx, "ci-7", PageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		shards := map[string]string{}
		for _, p := range pages {
			shards[p.Result.URL] = p.Shard
		}
		if shards["https://news.example/1"] != "1/3" || shards["https://news.example/2"] != "2/3" {
			t.Errorf("shard of each page: %v", shards)
		}
		w3 := startRunT(t, s, RunInfo{ID: "ci-7", Shard: "3/3", Shards: 3, ToolVersion: "1"})
		if err := w3.Finish(ctx, StatusDone, nil, nil); err != nil {
			t.Fatal(err)
		}
		if r, err := s.Latest(ctx, "news.example"); err != nil || r.ID != "ci-7" {
			t.Errorf("Latest = %+v, %v; want ci-7 once its three shards are done", r, err)
		}
	})
}

func TestRunsFilter(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		day := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
		for i, site := range []string{"a.example", "b.example", "a.example", "a.example"} {
			id := fmt.Sprintf("run-%d", i)
			w := startRunT(t, s, RunInfo{ID: id, Started: day.AddDate(0, 0, i), ToolVersion: "1"})
			p := samplePage("https://"+site+"/story", 0, 1)
			p.Site = site
			if err := w.Page(ctx, p, p.URL); err != nil {
				t.Fatal(err)
			}
			if i < 3 {
				if err := w.Finish(ctx, StatusDone, nil, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		ids := func(runs []Run) []string {
			var out []string
			for _, r := range runs {
				out = append(out, r.ID)
			}
			return out
		}
		for _, c := range []struct {
			f    RunFilter
			want []string
		}{
			{RunFilter{}, []string{"run-0", "run-1", "run-2", "run-3"}},
			{RunFilter{Site: "a.example"}, []string{"run-0", "run-2", "run-3"}},
			{RunFilter{Site: "a.example", Since: day.AddDate(0, 0, 1)}, []string{"run-2", "run-3"}},
			{RunFilter{Until: day.AddDate(0, 0, 2)}, []string{"run-0", "run-1"}},
			{RunFilter{Status: StatusDone, Limit: 2}, []string{"run-1", "run-2"}},
			{RunFilter{Site: "c.example"}, nil},
		} {
			runs, err := s.Runs(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(runs); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Runs(%+v) = %v, want %v", c.f, got, c.want)
			}
		}
		if r, err := s.Latest(ctx, "a.example"); err != nil || r.ID != "run-2" {
			t.Errorf("Latest(a.example) = %s, %v; want run-2, the newest done one", r.ID, err)
		}
		if _, err := s.Latest(ctx, "c.example"); !errors.Is(err, ErrNoRun) {
			t.Errorf("Latest(c.example) = %v, want ErrNoRun", err)
		}
	})
}

func TestOpenRefusesUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "runs", "sqlite:x.db?cache=shared", "sqlite:x.db?busy_timeout=soon"} {
		if _, err := Open(context.Background(), dsn); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", dsn)
		}
	}
	if got := redactDSN("postgres://u:secret@h/db"); strings.Contains(got, "secret") {
		t.Errorf("redactDSN kept the password: %s", got)
	}
	if got := withExecMode("postgres://h/db?sslmode=disable"); !strings.Contains(got, "default_query_exec_mode=exec") || !strings.Contains(got, "sslmode=disable") {
		t.Errorf("withExecMode = %s, want exec mode added and sslmode kept", got)
	}
	if got := withExecMode("postgres://h/db?default_query_exec_mode=simple_protocol"); strings.Contains(got, "=exec") {
		t.Errorf("withExecMode overrode the DSN's own mode: %s", got)
	}
}

// TestManyFindingsRoundTripInOrder stores a page with more findings than
// one INSERT carries: all come back, in order.
func TestManyFindingsRoundTripInOrder(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "big", ToolVersion: "1"})
		n := 2*findingsPerInsert + 57
		p := samplePage("https://news.example/big", 0, n)
		if err := w.Page(ctx, p, p.URL); err != nil {
			t.Fatal(err)
		}
		pages, err := s.Pages(ctx, "big", PageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) != 1 || len(pages[0].Result.Findings) != n {
			t.Fatalf("read back %d pages, want 1 with %d findings", len(pages), n)
		}
		for i, f := range pages[0].Result.Findings {
			if f.Fingerprint != p.Findings[i].Fingerprint {
				t.Fatalf("finding %d is %s, want %s", i, f.Fingerprint, p.Findings[i].Fingerprint)
			}
		}
	})
}

// TestDetailLeavesOutTheColumns holds what the detail column holds: the
// finding without the fields of the other columns, nor its thumbnail.
func TestDetailLeavesOutTheColumns(t *testing.T) {
	f := samplePage("https://news.example/a", 0, 1).Findings[0]
	f.Baseline = audit.BaselineNew
	d, err := findingDetail(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(d), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rule", "outcome", "severity", "base_severity", "region", "fingerprint", "key", "selector", "message", "baseline", "thumbnail"} {
		if _, ok := m[k]; ok {
			t.Errorf("detail holds %q: %s", k, d)
		}
	}
	for _, k := range []string{"snippet", "wcag", "help", "severity_reasons", "also"} {
		if _, ok := m[k]; !ok {
			t.Errorf("detail lacks %q: %s", k, d)
		}
	}
}
