package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/store"
	"github.com/newsa11y/newsa11y/store/storetest"
)

// storeEngines runs fn once per database the store supports, with the
// DSN of a fresh, empty store: a SQLite file, and a schema of its own on
// the PostgreSQL server of NEWSA11Y_TEST_POSTGRES (skipped when unset,
// failed when NEWSA11Y_REQUIRE_POSTGRES=1).
func storeEngines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "runs.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresDSN(t)) })
}

// openStore opens a store for the test to read, closed when it ends.
func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// findingsJSON returns a page's findings as JSON without thumbnails,
// which the store does not keep, for comparison.
func findingsJSON(t *testing.T, fs []audit.Finding) string {
	t.Helper()
	fs = append([]audit.Finding(nil), fs...)
	for i := range fs {
		fs[i].Thumbnail = ""
	}
	if fs == nil {
		fs = []audit.Finding{}
	}
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStoreShardsWriteOneRunAtOnce runs two shards of one run as two
// processes at the same moment, both writing to one store (statically,
// so no browser is needed): the store holds every page once, with the
// findings each shard's report has, and which shard wrote it; the run is
// done.
func TestStoreShardsWriteOneRunAtOnce(t *testing.T) {
	storeEngines(t, func(t *testing.T, dsn string) {
		const n = 30
		site := writeSite(t, n)
		out := t.TempDir()
		var wg sync.WaitGroup
		results := make([]result, 2)
		for i := range 2 {
			wg.Go(func() {
				results[i] = run(t, "", nil, "audit", "--no-config", "--static", "--quiet", "--store", dsn, "--run-id", "night-42",
					"--shard", fmt.Sprintf("%d/2", i+1), "--report", fmt.Sprintf("json=%s/shard-%d.json", out, i+1), site)
			})
		}
		wg.Wait()
		want := map[string]string{}
		wantShard := map[string]string{}
		for i, r := range results {
			if r.code != 0 && r.code != 2 {
				t.Fatalf("shard %d: exit %d\n%s", i+1, r.code, r.stderr)
			}
			rep, err := reports.ReadResults(fmt.Sprintf("%s/shard-%d.json", out, i+1))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range rep.Pages {
				want[p.URL] = findingsJSON(t, p.Findings)
				wantShard[p.URL] = fmt.Sprintf("%d/2", i+1)
			}
		}
		if len(want) != n {
			t.Fatalf("the shards' reports hold %d pages, want %d", len(want), n)
		}
		st := openStore(t, dsn)
		ctx := context.Background()
		r, err := st.Run(ctx, "night-42")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != store.StatusDone || r.Pages != n || r.Shards != 2 || len(r.Parts) != 2 {
			t.Errorf("run: status %s, %d pages, %d shards, %d parts; want done, %d, 2, 2", r.Status, r.Pages, r.Shards, len(r.Parts), n)
		}
		pages, err := st.Pages(ctx, "night-42", store.PageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if got := findingsJSON(t, p.Result.Findings); got != want[p.Result.URL] {
				t.Errorf("%s: stored findings differ from the shard's report\n got %s\nwant %s", p.Result.URL, got, want[p.Result.URL])
			}
			if p.Shard != wantShard[p.Result.URL] || !p.Processed {
				t.Errorf("%s: stored by shard %q (processed %v), want %q, processed", p.Result.URL, p.Shard, p.Processed, wantShard[p.Result.URL])
			}
		}
		if len(pages) != n {
			t.Errorf("the store holds %d pages, want %d", len(pages), n)
		}
	})
}

// TestStoreBaselineLatest audits a site twice into a store, the second
// time against --baseline store:LATEST: nothing is new, every finding
// known, and the run passes. The first run, with no earlier run to
// compare with, says so and counts everything new. A run id the store
// does not hold is an error.
func TestStoreBaselineLatest(t *testing.T) {
	storeEngines(t, func(t *testing.T, dsn string) {
		site := writeSite(t, 5)
		out := t.TempDir()
		args := func(id, report string, extra ...string) []string {
			a := []string{"audit", "--no-config", "--static", "--quiet", "--store", dsn, "--run-id", id, "--report", "json=" + filepath.Join(out, report)}
			return append(append(a, extra...), site)
		}
		first := run(t, "", nil, args("n1", "first.json", "--baseline", "store:LATEST")...)
		if first.code != 2 || !strings.Contains(first.stderr, "no finished run of these pages yet") {
			t.Fatalf("first run: exit %d, want 2 with a note on the empty store\n%s", first.code, first.stderr)
		}
		second := run(t, "", nil, args("n2", "second.json", "--baseline", "store:LATEST")...)
		if second.code != 0 {
			t.Fatalf("second identical run against store:LATEST: exit %d, want 0\n%s", second.code, second.stderr)
		}
		var rep struct{ Baseline audit.BaselineSummary }
		if err := json.Unmarshal(read(t, filepath.Join(out, "second.json")), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Baseline.New != 0 || rep.Baseline.Known == 0 || rep.Baseline.Fixed != 0 {
			t.Errorf("against store:LATEST: %+v, want 0 new, some known, 0 fixed", rep.Baseline)
		}
		byID := run(t, "", nil, args("n3", "third.json", "--baseline", "store:n1")...)
		if byID.code != 0 {
			t.Errorf("against store:n1: exit %d, want 0\n%s", byID.code, byID.stderr)
		}
		missing := run(t, "", nil, args("n4", "fourth.json", "--baseline", "store:nope")...)
		if missing.code != 1 || !strings.Contains(missing.stderr, `holds no run "nope"`) {
			t.Errorf("against store:nope: exit %d, want 1 naming the run\n%s", missing.code, missing.stderr)
		}
		noStore := run(t, "", nil, "audit", "--no-config", "--static", "--baseline", "store:LATEST", site)
		if noStore.code != 1 || !strings.Contains(noStore.stderr, "--store") {
			t.Errorf("store:LATEST without --store: exit %d, want 1 asking for --store\n%s", noStore.code, noStore.stderr)
		}
	})
}

// TestStoreImportsAMergeOnce merges two shards' streams with --store: the
// merged pages are imported as a run of their own; merging again under
// the same run id imports nothing.
func TestStoreImportsAMergeOnce(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "runs.db")
	site := writeSite(t, 6)
	out := t.TempDir()
	var streams []string
	for i := 1; i <= 2; i++ {
		path := fmt.Sprintf("%s/shard-%d.jsonl", out, i)
		streams = append(streams, path)
		if r := run(t, "", nil, "audit", "--no-config", "--static", "--quiet", "--shard", fmt.Sprintf("%d/2", i), "--report", "jsonl="+path, site); r.code != 0 && r.code != 2 {
			t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	merge := append([]string{"merge", "--store", dsn, "--run-id", "imported", "--report", "json=" + filepath.Join(out, "merged.json")}, streams...)
	r := run(t, "", nil, merge...)
	if r.code != 2 || !strings.Contains(r.stderr, "imported 6 pages as run imported") {
		t.Fatalf("merge --store: exit %d\n%s", r.code, r.stderr)
	}
	st := openStore(t, dsn)
	rep, err := st.Report(context.Background(), "imported")
	if err != nil {
		t.Fatal(err)
	}
	merged, err := reports.ReadResults(filepath.Join(out, "merged.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pages) != 6 {
		t.Fatalf("imported run holds %d pages, want 6", len(rep.Pages))
	}
	for i := range rep.Pages {
		if a, b := findingsJSON(t, rep.Pages[i].Findings), findingsJSON(t, merged.Pages[i].Findings); a != b {
			t.Errorf("%s: imported findings differ from the merged report\n got %s\nwant %s", rep.Pages[i].URL, a, b)
		}
	}
	again := run(t, "", nil, merge...)
	if !strings.Contains(again.stderr, "in the store already") {
		t.Errorf("merging again: %s, want a note that the run is stored already", again.stderr)
	}
	if runs, err := st.Runs(context.Background(), store.RunFilter{}); err != nil || len(runs) != 1 {
		t.Errorf("store holds %d runs (%v), want 1", len(runs), err)
	}
}

// TestStoreKeepsWhatAKilledRunStreamed audits a site in Chrome with a
// stream and a store, kills the process with SIGKILL once a few pages
// have streamed, and compares: every page the stream holds is in the
// store with the same findings, and the store holds at most the one page
// it was writing to the stream when killed. The run stays marked
// running. Resuming it under the same run id completes the run in the
// store.
func TestStoreKeepsWhatAKilledRunStreamed(t *testing.T) {
	needChrome(t)
	const n = 10
	site := writeSite(t, n)
	dir := t.TempDir()
	stream := filepath.Join(dir, "run.jsonl")
	dsn := "sqlite:" + filepath.Join(dir, "runs.db")
	cmd := exec.Command(binary, "audit", "--no-config", "--quiet", "--concurrency", "2", "--store", dsn, "--run-id", "killed",
		"--report", "jsonl="+stream, site)
	cmd.Env = binaryEnv(t, "TMPDIR="+t.TempDir())
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testtime.Bound(3 * time.Minute))
	for {
		data, _ := os.ReadFile(stream)
		if bytes.Count(data, []byte("\n")) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("three pages did not stream in time\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	f, err := os.Open(stream)
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := reports.ReadStream(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(streamed) >= n {
		t.Fatalf("the run finished (%d pages) before it was killed", len(streamed))
	}
	st := openStore(t, dsn)
	ctx := context.Background()
	stored, err := st.Pages(ctx, "killed", store.PageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]store.Page{}
	for _, p := range stored {
		byURL[p.Result.URL] = p
	}
	for _, p := range streamed {
		sp, ok := byURL[p.URL]
		if !ok {
			t.Errorf("%s is in the stream but not in the store", p.URL)
			continue
		}
		if a, b := findingsJSON(t, sp.Result.Findings), findingsJSON(t, p.Findings); a != b {
			t.Errorf("%s: stored findings differ from the stream's\n got %s\nwant %s", p.URL, a, b)
		}
		if sp.Processed || sp.Result.Error != p.Error || !reflect.DeepEqual(sp.Result.Skipped, p.Skipped) {
			t.Errorf("%s: stored page %+v, streamed %+v", p.URL, sp.Result, p)
		}
	}
	if extra := len(stored) - len(streamed); extra < 0 || extra > 1 {
		t.Errorf("the store holds %d pages and the stream %d; want the stream's, and at most the one in flight", len(stored), len(streamed))
	}
	r, err := st.Run(ctx, "killed")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != store.StatusRunning {
		t.Errorf("killed run's status %q, want running (nothing could mark it)", r.Status)
	}
	t.Logf("killed after %d streamed pages, %d stored", len(streamed), len(stored))

	res := run(t, "", nil, "audit", "--no-config", "--quiet", "--store", dsn, "--run-id", "killed", "--resume", stream, site)
	if res.code != 2 {
		t.Fatalf("resumed run: exit %d, want 2\n%s", res.code, res.stderr)
	}
	r, err = st.Run(ctx, "killed")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != store.StatusDone || r.Pages != n {
		t.Errorf("after the resume: status %s with %d pages, want done with %d", r.Status, r.Pages, n)
	}
}

// auditShards audits a site of n pages statically in two shards, one
// after the other, each writing a JSONL stream to out and, with a
// non-empty dsn, to that store, with env added to the environment. It
// returns the streams.
func auditShards(t *testing.T, site, out, dsn string, env []string, extra ...string) []string {
	t.Helper()
	var streams []string
	for i := 1; i <= 2; i++ {
		path := fmt.Sprintf("%s/shard-%d.jsonl", out, i)
		streams = append(streams, path)
		args := []string{"audit", "--no-config", "--static", "--quiet", "--shard", fmt.Sprintf("%d/2", i), "--report", "jsonl=" + path}
		if dsn != "" {
			args = append(args, "--store", dsn)
		}
		args = append(append(args, extra...), site)
		if r := run(t, "", env, args...); r.code != 0 && r.code != 2 {
			t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	return streams
}

// TestStoreMergeOfAStoredNightImportsNothing runs the night of the
// README outside CI: the shards write to the store under one --run-id,
// and the merge is given the store but no run id. It must not import the
// night again as a second run, which history would compare with the
// first; with --run-id it imports whatever the store holds.
func TestStoreMergeOfAStoredNightImportsNothing(t *testing.T) {
	storeEngines(t, func(t *testing.T, dsn string) {
		site := writeSite(t, 6)
		out := t.TempDir()
		noCI := []string{"GITHUB_RUN_ID=", "CI_PIPELINE_ID=", "NEWSA11Y_RUN_ID="}
		streams := auditShards(t, site, out, dsn, noCI, "--run-id", "night-1")
		merge := append([]string{"merge", "--store", dsn, "--report", "json=" + filepath.Join(out, "merged.json")}, streams...)
		r := run(t, "", noCI, merge...)
		if r.code != 2 || !strings.Contains(r.stderr, "run night-1 in the store holds these pages with these findings already") {
			t.Fatalf("merge --store without --run-id: exit %d, want 2 and a note naming night-1\n%s", r.code, r.stderr)
		}
		st := openStore(t, dsn)
		ctx := context.Background()
		if runs, err := st.Runs(ctx, store.RunFilter{}); err != nil || len(runs) != 1 {
			t.Fatalf("the store holds %d runs (%v), want night-1 alone", len(runs), err)
		}
		r = run(t, "", noCI, append([]string{"merge", "--store", dsn, "--run-id", "again", "--report", "json=" + filepath.Join(out, "merged.json")}, streams...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "imported 6 pages as run again") {
			t.Fatalf("merge --store --run-id again: exit %d\n%s", r.code, r.stderr)
		}
		if runs, err := st.Runs(ctx, store.RunFilter{}); err != nil || len(runs) != 2 {
			t.Errorf("the store holds %d runs (%v), want 2", len(runs), err)
		}
	})
}

// TestStoreGitHubRerunJoinsItsRun runs a GitHub matrix night whose second
// shard is re-run in a second attempt ("Re-run failed jobs"): the re-run
// joins the run of the first attempt, which ends done with both shards.
// A merge of a run whose shard was killed completes it.
func TestStoreGitHubRerunJoinsItsRun(t *testing.T) {
	storeEngines(t, func(t *testing.T, dsn string) {
		site := writeSite(t, 6)
		out := t.TempDir()
		attempt := func(n string) []string {
			return []string{"GITHUB_RUN_ID=8150", "GITHUB_RUN_ATTEMPT=" + n, "CI_PIPELINE_ID=", "NEWSA11Y_RUN_ID="}
		}
		streams := auditShards(t, site, out, dsn, attempt("1"))
		if r := run(t, "", attempt("2"), "audit", "--no-config", "--static", "--quiet", "--shard", "2/2", "--store", dsn, "--report", "jsonl="+streams[1], site); r.code != 0 && r.code != 2 {
			t.Fatalf("re-run of shard 2: exit %d\n%s", r.code, r.stderr)
		}
		st := openStore(t, dsn)
		ctx := context.Background()
		runs, err := st.Runs(ctx, store.RunFilter{})
		if err != nil || len(runs) != 1 || runs[0].ID != "github-8150" || runs[0].Status != store.StatusDone || len(runs[0].Parts) != 2 || runs[0].Pages != 6 {
			t.Fatalf("runs %+v (%v); want github-8150 alone, done, with 2 parts and 6 pages", runs, err)
		}
		// Shard 2 starts again and is killed: the run is running.
		if _, err := st.StartRun(ctx, store.RunInfo{ID: "github-8150", Shard: "2/2", Shards: 2, ToolVersion: "1"}); err != nil {
			t.Fatal(err)
		}
		r := run(t, "", attempt("3"), append([]string{"merge", "--store", dsn, "--report", "json=" + filepath.Join(out, "merged.json")}, streams...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "run github-8150 was running in the store") || !strings.Contains(r.stderr, "it is now done") {
			t.Fatalf("merge of a run left running: exit %d, want 2 and a note that it is done now\n%s", r.code, r.stderr)
		}
		if got, err := st.Run(ctx, "github-8150"); err != nil || got.Status != store.StatusDone || got.Pages != 6 {
			t.Errorf("after the merge: %+v (%v); want done with 6 pages", got, err)
		}
	})
}

// TestStoreOnePageRefusedDoesNotStopTheOthers audits a site into a store
// that refuses, with a trigger, to take one page as it is streamed: the
// failure is printed, the next pages are still stored, the run's end
// stores the refused page too, and the run is done with every page.
func TestStoreOnePageRefusedDoesNotStopTheOthers(t *testing.T) {
	storeEngines(t, func(t *testing.T, dsn string) {
		site := writeSite(t, 6)
		st := openStore(t, dsn)
		var stmts []string
		if st.Engine() == store.Postgres {
			stmts = []string{
				`CREATE FUNCTION refuse_page() RETURNS trigger AS $$ BEGIN
					IF NEW.processed = 0 AND NEW.url LIKE '%story-0002.html' THEN RAISE EXCEPTION 'refused by the test'; END IF;
					RETURN NEW; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER refuse BEFORE INSERT ON pages FOR EACH ROW EXECUTE FUNCTION refuse_page()`,
			}
		} else {
			stmts = []string{`CREATE TRIGGER refuse BEFORE INSERT ON pages
				WHEN NEW.processed = 0 AND NEW.url LIKE '%story-0002.html'
				BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`}
		}
		for _, s := range stmts {
			if _, err := st.DB().Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		r := run(t, "", nil, "audit", "--no-config", "--static", "--quiet", "--concurrency", "1", "--store", dsn, "--run-id", "n", site)
		if r.code != 0 && r.code != 2 {
			t.Fatalf("exit %d, want the audit's own 0 or 2\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "refused by the test") || !strings.Contains(r.stderr, "the store gets the next pages") ||
			!strings.Contains(r.stderr, "the 1 page whose write failed as it finished was stored at the run's end") {
			t.Errorf("stderr does not tell the failure and its repair:\n%s", r.stderr)
		}
		got, err := st.Run(context.Background(), "n")
		if err != nil || got.Status != store.StatusDone || got.Pages != 6 {
			t.Errorf("run %+v (%v); want done with 6 pages", got, err)
		}
	})
}

// TestStoreRunWhoseBrowserCannotStartIsFailed runs an audit into a store
// with no browser to start: the run is recorded (the store is opened
// first) and then marked failed, not interrupted, since nobody
// interrupted it.
func TestStoreRunWhoseBrowserCannotStartIsFailed(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "runs.db")
	r := runIn(t, "", "", noBrowser, "audit", "--store", dsn, clean(t))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (no browser)\n%s", r.code, r.stderr)
	}
	runs, err := openStore(t, dsn).Runs(context.Background(), store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != store.StatusFailed {
		t.Fatalf("runs %+v: want one, failed", runs)
	}
}
