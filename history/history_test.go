package history

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/store"
	"github.com/newsa11y/newsa11y/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// nightStarts are the start times the recorded nights are given: three
// nightly runs at 02:00 UTC.
var nightStarts = []time.Time{
	time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC),
	time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC),
	time.Date(2026, 11, 4, 2, 0, 0, 0, time.UTC),
}

// readNight reads the JSON report newsa11y wrote of night n's pages
// (testdata/runs/night-N.json, recorded from testdata/nights/N: see
// testdata/README.md).
func readNight(t *testing.T, n int) *audit.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "runs", nightID(n)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("night %d: %v", n, err)
	}
	return &rep
}

// nightIdentity is a recorded page's canonical identity: its path within
// the night's folder, which newsa11y served it from ("1/world/a.html" is
// "world/a.html").
func nightIdentity(input string) string {
	_, rest, _ := strings.Cut(filepath.ToSlash(input), "/")
	return rest
}

// recordOf turns a recorded report into the record Build reads, as the
// store would give it back.
func recordOf(id string, started time.Time, rep *audit.Report) RunRecord {
	r := RunRecord{ID: id, Started: started}
	for _, p := range rep.Pages {
		pr := PageRecord{URL: p.URL, Page: nightIdentity(p.URL), Site: p.Site, Failed: p.Failed()}
		for _, f := range p.Findings {
			pr.Findings = append(pr.Findings, FindingRecord{
				Fingerprint: f.Fingerprint, Rule: f.Rule, Outcome: f.Outcome, Severity: f.Severity,
				Region: f.Region, Key: f.Key, Selector: f.Selector, Message: f.Message,
			})
		}
		r.Pages = append(r.Pages, pr)
	}
	return r
}

// nights returns the three recorded nights as records.
func nights(t *testing.T) ([]RunRecord, map[string]audit.RuleInfo) {
	t.Helper()
	var runs []RunRecord
	rules := map[string]audit.RuleInfo{}
	for n := 1; n <= 3; n++ {
		rep := readNight(t, n)
		runs = append(runs, recordOf(nightID(n), nightStarts[n-1], rep))
		for _, ri := range rep.Rules {
			rules[ri.ID] = ri
		}
	}
	return runs, rules
}

// golden compares got with testdata/golden-NAME, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden-"+name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./history -update)", err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			var gl, wl string
			if i < len(g) {
				gl = g[i]
			}
			if i < len(w) {
				wl = w[i]
			}
			if gl != wl {
				t.Errorf("%s differs from the golden file at line %d:\ngot:  %q\nwant: %q\n(go test ./history -update rewrites it; review the diff)", name, i+1, gl, wl)
				return
			}
		}
	}
}

// fillStore records the three nights into a new SQLite store through the
// store's own write API, as an audit with --store would, and returns it
// open.
func fillStore(t *testing.T, dsn string) (*store.Store, map[string]audit.RuleInfo) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rules := map[string]audit.RuleInfo{}
	for n := 1; n <= 3; n++ {
		rep := readNight(t, n)
		for _, ri := range rep.Rules {
			rules[ri.ID] = ri
		}
		w, err := s.StartRun(ctx, store.RunInfo{ID: nightID(n), Started: nightStarts[n-1], ToolVersion: rep.Tool.Version, Host: "test", Request: map[string]any{"targets": []string{fmt.Sprint(n)}}})
		if err != nil {
			t.Fatal(err)
		}
		identity := map[string]string{}
		for _, p := range rep.Pages {
			identity[p.URL] = nightIdentity(p.URL)
			if err := w.Page(ctx, p, identity[p.URL]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(ctx, store.StatusDone, rep.Pages, identity); err != nil {
			t.Fatal(err)
		}
	}
	return s, rules
}

// nightID is the run id the tests give night n.
func nightID(n int) string { return fmt.Sprintf("night-%d", n) }

// TestWritersGolden writes the history of the recorded nights, read back
// from a SQLite store and from a PostgreSQL one, in every format, and
// compares each with its golden file: both engines give the same bytes.
func TestWritersGolden(t *testing.T) {
	for _, engine := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "history.db") }},
		{"postgres", func(t *testing.T) string { return storetest.PostgresDSN(t) }},
	} {
		t.Run(engine.name, func(t *testing.T) { testWritersGolden(t, engine.dsn(t)) })
	}
}

func testWritersGolden(t *testing.T, dsn string) {
	s, rules := fillStore(t, dsn)
	opts := Options{Rules: rules, Tool: audit.Tool{Name: "newsa11y", Version: "test"}}
	runs, err := Load(context.Background(), s, opts)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(runs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range Formats() {
		w, err := ForFormat(format)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := w.Write(&b, rep); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var again bytes.Buffer
		if err := w.Write(&again, rep); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), again.Bytes()) {
			t.Errorf("%s: two writes of one history differ", format)
		}
		ext := map[string]string{"text": "txt"}[format]
		if ext == "" {
			ext = format
		}
		golden(t, "history."+ext, b.Bytes())
	}
}
