package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/store"
)

// historyStore records the three recorded nights of history/testdata (a
// small news site audited by newsa11y on three nights) into a new SQLite
// store through the store's write API, and returns its DSN.
func historyStore(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "runs.db")
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for n := 1; n <= 3; n++ {
		data, err := os.ReadFile(filepath.Join("..", "..", "history", "testdata", "runs", fmt.Sprintf("night-%d.json", n)))
		if err != nil {
			t.Fatal(err)
		}
		var rep audit.Report
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatal(err)
		}
		w, err := s.StartRun(ctx, store.RunInfo{ID: fmt.Sprintf("night-%d", n), Started: time.Date(2026, 11, 1+n, 2, 0, 0, 0, time.UTC), ToolVersion: rep.Tool.Version, Host: "test"})
		if err != nil {
			t.Fatal(err)
		}
		identity := map[string]string{}
		for _, p := range rep.Pages {
			// The night's folder was served: "1/world/a.html" is
			// "world/a.html" on the site.
			_, identity[p.URL], _ = strings.Cut(p.URL, "/")
			if err := w.Page(ctx, p, identity[p.URL]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(ctx, store.StatusDone, rep.Pages, identity); err != nil {
			t.Fatal(err)
		}
	}
	return dsn
}

func TestHistoryWritesTheStoredRuns(t *testing.T) {
	dsn := historyStore(t)
	r := run(t, "", nil, "history", "--store", dsn)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\nstderr: %s", r.code, r.stderr)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "history", "testdata", "golden-history.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("the text history differs from history/testdata/golden-history.txt:\n%s", r.stdout)
	}

	dir := t.TempDir()
	htmlPath := filepath.Join(dir, "out", "history.html")
	r = run(t, "", []string{"NEWSA11Y_STORE=" + dsn}, "history", "--site", "news.example", "--from", "night-1", "--to", "night-3",
		"--report", "html="+htmlPath, "--report", "json")
	if r.code != 0 {
		t.Fatalf("NEWSA11Y_STORE, --from, --to, two reports: exit %d, want 0\nstderr: %s", r.code, r.stderr)
	}
	var h struct {
		Sites []struct {
			Site string
			Diff struct {
				From, To       string
				New, Fixed     []struct{ Rule, Page string }
				Persisting     []struct{ Rule string }
				Unchecked      int
				UncheckedPages int `json:"unchecked_pages"`
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &h); err != nil {
		t.Fatalf("the JSON history: %v\n%s", err, r.stdout)
	}
	if len(h.Sites) != 1 || h.Sites[0].Site != "news.example" {
		t.Fatalf("sites %+v, want news.example alone", h.Sites)
	}
	d := h.Sites[0].Diff
	// From night 1 to night 3: the template's logo link (4 pages), the
	// floods caption and the festival page (not audited on night 3) are
	// gone; the gallery's two photos are new; the summit review stays.
	if d.From != "night-1" || d.To != "night-3" || len(d.New) != 2 || len(d.Fixed) != 4 || len(d.Persisting) != 1 || d.UncheckedPages != 1 {
		t.Errorf("diff from %s to %s: %d new, %d fixed, %d persisting, %d unchecked pages; want night-1 to night-3: 2, 4, 1, 1\n%s",
			d.From, d.To, len(d.New), len(d.Fixed), len(d.Persisting), d.UncheckedPages, r.stdout)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg class=\"chart chart-wide\"", "Content-Security-Policy", "Changes from run <code>night-1</code> to run <code>night-3</code>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the HTML history lacks %q", want)
		}
	}
}

func TestHistoryBadInputExitsOne(t *testing.T) {
	dsn := historyStore(t)
	empty := "sqlite:" + filepath.Join(t.TempDir(), "empty.db")
	s, err := store.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no store", []string{"history"}, "history needs a results store"},
		{"missing file", []string{"history", "--store", "sqlite:" + filepath.Join(t.TempDir(), "nothing.db")}, "no results store at"},
		{"empty store", []string{"history", "--store", empty}, "no runs: record audits into it"},
		{"unknown run", []string{"history", "--store", dsn, "--from", "night-9"}, `unknown run "night-9"`},
		{"unknown site", []string{"history", "--store", dsn, "--site", "other.example"}, `no runs of site "other.example"`},
		{"nothing since", []string{"history", "--store", dsn, "--since", "2027-01-01"}, "no runs since 2027-01-01"},
		{"bad since", []string{"history", "--store", dsn, "--since", "last week"}, `--since "last week"`},
		{"unknown format", []string{"history", "--store", dsn, "--report", "sarif"}, `unknown history format "sarif"`},
		{"two to stdout", []string{"history", "--store", dsn, "--report", "text", "--report", "json"}, "only one history can go to standard output"},
		{"an argument", []string{"history", "--store", dsn, "news.example"}, "history takes no arguments"},
		{"from after to", []string{"history", "--store", dsn, "--from", "night-3", "--to", "night-1"}, "--from names a later run than --to: run night-3 started"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", []string{"NEWSA11Y_STORE="}, c.args...)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, c.want)
			}
			if r.stdout != "" {
				t.Errorf("wrote to standard output on bad input:\n%s", r.stdout)
			}
		})
	}
}

// TestHistoryAfterStoredAudits audits the three nights of history/testdata
// into a store with the browser, as a newsroom's nightly job would, and
// checks that the history of the store compares the last two runs as
// the golden history of the recorded nights does: the recordings are
// still what newsa11y finds.
func TestHistoryAfterStoredAudits(t *testing.T) {
	needChrome(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "nights.db")
	nights, err := filepath.Abs(filepath.Join("..", "..", "history", "testdata", "nights"))
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 3; n++ {
		r := runIn(t, nights, "", nil, "audit", "-q", "--store", dsn, "--run-id", fmt.Sprintf("night-%d", n), "--report", "json="+filepath.Join(t.TempDir(), "out.json"), fmt.Sprint(n))
		if r.code != 2 {
			t.Fatalf("audit of night %d: exit %d, want 2\nstderr: %s", n, r.code, r.stderr)
		}
	}
	r := run(t, "", nil, "history", "--store", dsn, "--report", "json")
	if r.code != 0 {
		t.Fatalf("history: exit %d, want 0\nstderr: %s", r.code, r.stderr)
	}
	golden, err := os.ReadFile(filepath.Join("..", "..", "history", "testdata", "golden-history.json"))
	if err != nil {
		t.Fatal(err)
	}
	type change struct{ Page, Rule, Fingerprint string }
	type hist struct {
		Sites []struct {
			Site string
			Diff struct{ New, Fixed, Persisting []change }
		}
	}
	var got, want hist
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(golden, &want); err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("the stored audits' history differs from the recorded nights' (record history/testdata/runs again: see its README)\ngot:  %s\nwant: %s", g, w)
	}
}

// TestHistoryErrorsNameTheStoreOnceAndHideSecrets reads stores that fail
// in several ways: each message names the store once, and no message
// shows a password, whether in the DSN's user, in its options or in a
// DSN that does not parse.
func TestHistoryErrorsNameTheStoreOnceAndHideSecrets(t *testing.T) {
	dsn := historyStore(t)
	// A store that opens but whose pages cannot be read.
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`DROP TABLE findings`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`DROP TABLE pages`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r := run(t, "", []string{"NEWSA11Y_STORE="}, "history", "--store", dsn)
	if r.code != 1 || strings.Count(r.stderr, "store "+dsn) != 1 {
		t.Errorf("a store without its pages table: exit %d, stderr %q; want exit 1 naming the store once", r.code, r.stderr)
	}
	for _, bad := range []string{
		"postgres://a11y:s3cret@127.0.0.1:1/news?connect_timeout=5",
		"postgres://a11y@127.0.0.1:1/news?password=s3cret&connect_timeout=5",
		"postgres://a11y:50%off-s3cret@127.0.0.1:1/news",
	} {
		r := run(t, "", []string{"NEWSA11Y_STORE="}, "history", "--store", bad)
		if r.code != 1 || strings.Contains(r.stderr, "s3cret") || strings.Contains(r.stderr, "off-") {
			t.Errorf("history --store with a secret: exit %d, stderr %q; want exit 1 without the secret", r.code, r.stderr)
		}
		if strings.Count(r.stderr, "store postgres://") > 1 {
			t.Errorf("the store is named more than once: %q", r.stderr)
		}
	}
}

// TestHistoryReadsAReadOnlyStore runs history on a SQLite file that may
// only be read, opened read-only.
func TestHistoryReadsAReadOnlyStore(t *testing.T) {
	dsn := historyStore(t)
	if err := os.Chmod(strings.TrimPrefix(dsn, "sqlite:"), 0o444); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", []string{"NEWSA11Y_STORE="}, "history", "--store", dsn+"?mode=ro")
	if r.code != 0 || !strings.Contains(r.stdout, "night-3") {
		t.Fatalf("history of a read-only store: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}
