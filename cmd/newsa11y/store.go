package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/store"
)

// storeWriteTime bounds one write to the store (a page, the run's
// start, its status at the end, or one batch of store.FinishBatch pages
// rewritten at the end): longer than any lock wait a SQLite store allows
// by default.
const storeWriteTime = 2 * time.Minute

// finishTime bounds the end of a run that rewrites n pages: one
// storeWriteTime for each batch of store.FinishBatch pages, and one for
// the status.
func finishTime(n int) time.Duration {
	batches := (n + store.FinishBatch - 1) / store.FinishBatch
	return time.Duration(batches+1) * storeWriteTime
}

// storeGiveUp is how many pages in a row must fail to be stored before
// the store gets no more pages of the run: one failure (a page the
// database refuses) does not stop the others, but a store that is gone
// must not cost every page a storeWriteTime.
const storeGiveUp = 3

// storeBaselinePrefix marks a --baseline read from the store:
// store:LATEST or store:RUNID.
const storeBaselinePrefix = "store:"

// runRequest is what a run asked for, as the store keeps it (the runs
// table's request column): enough to tell runs of one job apart from
// others, and to say later what a run covered.
type runRequest struct {
	// Command is audit, report or merge.
	Command string `json:"command"`
	// Targets are the command line's targets, addresses redacted.
	Targets []string `json:"targets,omitempty"`
	// URLsFile, Sitemaps and Feeds are the other sources of pages.
	URLsFile string   `json:"urls_file,omitempty"`
	Sitemaps []string `json:"sitemaps,omitempty"`
	Feeds    []string `json:"feeds,omitempty"`
	// Sample is set when the embedded sample was audited.
	Sample bool `json:"sample,omitempty"`
	// PagesKey identifies the pages asked for (targets, URL list,
	// sitemaps, feeds, sample), whatever the shard: --baseline
	// store:LATEST takes the newest run with the same key.
	PagesKey string `json:"pages_key"`
	// ViewKey identifies how the pages were seen (--static, --mobile,
	// the viewport): store:LATEST takes a run seen the same way. Runs
	// stored before it existed have none, and match any.
	ViewKey string `json:"view_key,omitempty"`
	// Pages counts the pages this process set out to audit.
	Pages int `json:"pages"`
	// The settings that change what is found.
	Static    bool   `json:"static,omitempty"`
	Mobile    bool   `json:"mobile,omitempty"`
	Viewport  string `json:"viewport,omitempty"`
	Isolation string `json:"isolation,omitempty"`
	Consent   string `json:"consent,omitempty"`
	MaxPages  int    `json:"max_pages,omitempty"`
	Since     string `json:"since,omitempty"`
	Baseline  string `json:"baseline,omitempty"`
	FailOn    string `json:"fail_on,omitempty"`
}

// requestOf describes what the audit settings ask for.
func requestOf(s *settings, pages int) runRequest {
	r := runRequest{
		Command: "audit", URLsFile: s.urlsFile, Sample: s.sample || s.noInputs(), Pages: pages,
		Static: s.static, Mobile: s.mobile, Isolation: string(s.isolation), Consent: s.consent,
		MaxPages: s.maxPages, Baseline: audit.Redact(s.baseline),
	}
	for _, t := range s.targets {
		r.Targets = append(r.Targets, audit.Redact(t))
	}
	for _, v := range s.sitemaps {
		r.Sitemaps = append(r.Sitemaps, audit.Redact(v))
	}
	for _, v := range s.feeds {
		r.Feeds = append(r.Feeds, audit.Redact(v))
	}
	if !s.static {
		r.Viewport = fmt.Sprintf("%dx%d", s.viewport.Width, s.viewport.Height)
	}
	if !s.filter.Since.IsZero() {
		r.Since = s.filter.Since.UTC().Format(time.RFC3339)
	}
	if s.gate != 0 {
		r.FailOn = s.gate.String()
	} else {
		r.FailOn = "none"
	}
	r.PagesKey = pagesKey(r)
	r.ViewKey = viewKey(r)
	return r
}

// viewKey hashes how a request's pages are seen: statically or in the
// browser, as a phone or not, at which viewport.
func viewKey(r runRequest) string {
	src, _ := json.Marshal([]any{r.Static, r.Mobile, r.Viewport})
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:8])
}

// pagesKey hashes the sources of a request's pages.
func pagesKey(r runRequest) string {
	src, _ := json.Marshal([]any{r.Targets, r.URLsFile, r.Sitemaps, r.Feeds, r.Sample})
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:8])
}

// runID returns the run's id: --run-id (NEWSA11Y_RUN_ID); else one the
// CI system gives every job of a pipeline run, so that its shards, each
// its own job, meet in one run: GitHub Actions' run id, GitLab's
// pipeline id; else a new one, made of the time and random letters (see
// madeRunID).
//
// GitHub's run attempt is left out: "Re-run failed jobs" starts a new
// attempt of the failed shards alone, which must join the run the
// others finished, each re-run shard taking up its own part again.
func runID(given string, now time.Time) string {
	if given != "" {
		return given
	}
	if id := os.Getenv("GITHUB_RUN_ID"); id != "" {
		return "github-" + id
	}
	if id := os.Getenv("CI_PIPELINE_ID"); id != "" {
		return "gitlab-" + id
	}
	var b [3]byte
	rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// madeRunID matches the run ids runID makes up when neither --run-id nor
// a CI system gives one.
var madeRunID = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$`)

// storeRecorder records an audit in the results store as its pages
// finish. Its zero value (no --store) records nothing.
type storeRecorder struct {
	st       *store.Store
	w        *store.Writer
	identity map[string]string
	stderr   io.Writer

	// timings asks finish to print what the writes cost (--timings).
	timings bool

	mu sync.Mutex
	// err is the first failed write; failed counts the pages whose write
	// failed, and inARow those of the last ones in a row.
	err            error
	failed, inARow int
	// stopped is set once storeGiveUp pages in a row failed: later pages
	// are not written.
	stopped bool
	// done is set once the run's end is recorded.
	done bool
	// pages and spent count the pages written as they finished and the
	// time their writes took.
	pages int
	spent time.Duration
}

// openRecorder opens the store of --store, when given, and records the
// start of the run (or of this shard of it) about to audit pages. It
// returns a recorder that records nothing without --store.
func openRecorder(ctx context.Context, s *settings, pages int, stderr io.Writer) (*storeRecorder, error) {
	if s.store == "" {
		return &storeRecorder{}, nil
	}
	st, err := store.Open(ctx, s.store)
	if err != nil {
		return nil, fmt.Errorf("--store: %w", err)
	}
	shard, shards := "", 0
	if s.shard != nil {
		shard, shards = fmt.Sprintf("%d/%d", s.shard.Index, s.shard.Count), s.shard.Count
	}
	w, err := st.StartRun(ctx, store.RunInfo{
		ID: s.runID, Shard: shard, Shards: shards, Started: time.Now(),
		ToolVersion: toolVersion(), Request: requestOf(s, pages),
	})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("--store: %w", err)
	}
	return &storeRecorder{st: st, w: w, identity: s.identity, stderr: stderr, timings: s.timings}, nil
}

// page stores a finished page, in its own transaction. A failure is
// printed at once and the next pages are still written, until
// storeGiveUp pages in a row failed: the store then gets no more pages
// of the run. The run's end writes every page again (see finish).
func (r *storeRecorder) page(p audit.PageResult) {
	if r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || r.done {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeWriteTime)
	defer cancel()
	start := time.Now()
	if err := r.w.Page(ctx, p, r.pageID(p.URL)); err != nil {
		if r.err == nil {
			r.err = err
		}
		r.failed++
		r.inARow++
		more := "the store gets the next pages"
		if r.inARow >= storeGiveUp {
			r.stopped = true
			more = fmt.Sprintf("%d pages in a row failed: the store gets no more pages of this run", r.inARow)
		}
		fmt.Fprintf(r.stderr, "newsa11y: --store: %s; %s\n", safeLine(err.Error()), more)
	} else {
		r.inARow = 0
	}
	r.spent += time.Since(start)
	r.pages++
}

// pageID returns a page's canonical identity, its URL when unknown.
func (r *storeRecorder) pageID(url string) string {
	if id := r.identity[url]; id != "" {
		return id
	}
	return url
}

// fail records that the run stopped on an error before its end (the
// browser could not start, the stream could not be written): its part
// is failed, not interrupted, and keeps the pages stored before.
func (r *storeRecorder) fail() {
	if r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return
	}
	defer r.st.Close()
	r.done = true
	ctx, cancel := context.WithTimeout(context.Background(), storeWriteTime)
	defer cancel()
	if err := r.w.Finish(ctx, store.StatusFailed, nil, nil); err != nil && r.stderr != nil {
		fmt.Fprintf(r.stderr, "newsa11y: --store: marking run %s failed: %v\n", r.w.RunID(), err)
	}
}

// finish records the end of the run: the pages after post-processing,
// which replace the pages as streamed (in batches, each with its own
// deadline), and done or interrupted. When the store had stopped taking
// pages, it records the part as failed instead and returns the first
// error. A page whose write failed while others went on gets a second
// chance here: when the end's writes succeed, the store holds every
// page, and the failures were only printed.
func (r *storeRecorder) finish(rep *audit.Report, interrupted bool) error {
	if r.w == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return nil
	}
	defer r.st.Close()
	r.done = true
	if r.stopped {
		ctx, cancel := context.WithTimeout(context.Background(), storeWriteTime)
		defer cancel()
		r.w.Finish(ctx, store.StatusFailed, nil, nil)
		return fmt.Errorf("--store: %w (run %s holds the pages stored before)", r.err, r.w.RunID())
	}
	status := store.StatusDone
	if interrupted {
		status = store.StatusInterrupted
	}
	var pages []audit.PageResult
	if rep != nil {
		pages = rep.Pages
	}
	ctx, cancel := context.WithTimeout(context.Background(), finishTime(len(pages)))
	defer cancel()
	start := time.Now()
	if err := r.w.Finish(ctx, status, pages, r.identity); err != nil {
		fctx, fcancel := context.WithTimeout(context.Background(), storeWriteTime)
		defer fcancel()
		r.w.Finish(fctx, store.StatusFailed, nil, nil)
		return fmt.Errorf("--store: %w", err)
	}
	if r.failed > 0 && rep != nil {
		fmt.Fprintf(r.stderr, "newsa11y: --store: the %s whose write failed as it finished %s stored at the run's end\n",
			pagesWord(r.failed), map[bool]string{true: "was", false: "were"}[r.failed == 1])
	}
	if r.timings && r.pages > 0 {
		end := time.Since(start)
		fmt.Fprintf(r.stderr, "store: %s: %d pages written as they finished in %s (%.1f ms a page), %d rewritten at the end in %s\n",
			r.st, r.pages, r.spent.Round(time.Millisecond), float64(r.spent.Microseconds())/1000/float64(r.pages), len(pages), end.Round(time.Millisecond))
	}
	return nil
}

// abandon records, as the process quits without finishing (a forced exit
// after an interrupt), that the run was interrupted, with the pages as
// streamed, within a short time.
func (r *storeRecorder) abandon() {
	if r.w == nil {
		return
	}
	if !r.mu.TryLock() {
		return // a write is stuck, or finish is under way
	}
	defer r.mu.Unlock()
	if r.done || r.err != nil {
		return
	}
	r.done = true
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r.w.Finish(ctx, store.StatusInterrupted, nil, nil)
}

// loadBaseline reads the baseline --baseline names: a file, or a run of
// the store (see storeBaseline), with the notes to add to the run's
// warnings. req is what the audit asks for; nil for report and merge.
func loadBaseline(ctx context.Context, s *settings, req *runRequest) (*audit.Baseline, []string, error) {
	if strings.HasPrefix(s.updateBaseline, storeBaselinePrefix) {
		return nil, nil, fmt.Errorf("--update-baseline %s: the store needs no baseline written: with --store every run is recorded, and --baseline store:LATEST compares with the newest", s.updateBaseline)
	}
	if strings.HasPrefix(s.baseline, storeBaselinePrefix) {
		return storeBaseline(ctx, s, req)
	}
	b, err := readBaseline(s.baseline)
	return b, nil, err
}

// storeBaseline reads --baseline store:LATEST or store:RUNID from the
// store of --store. LATEST is the newest finished run that asked for the
// same pages (see runRequest.PagesKey), seen the same way (ViewKey); when there is none yet, the
// baseline is empty and a note says so, so the first night of a job that
// compares each run with the one before does not fail. req is nil for
// report and merge, where LATEST is the newest finished run.
func storeBaseline(ctx context.Context, s *settings, req *runRequest) (*audit.Baseline, []string, error) {
	which := strings.TrimPrefix(s.baseline, storeBaselinePrefix)
	if s.store == "" {
		return nil, nil, fmt.Errorf("--baseline %s reads the results store: give --store DSN too", s.baseline)
	}
	if which == "" {
		return nil, nil, fmt.Errorf("--baseline %s: want store:LATEST or store:RUNID", s.baseline)
	}
	st, err := store.Open(ctx, s.store)
	if err != nil {
		return nil, nil, fmt.Errorf("--baseline %s: %w", s.baseline, err)
	}
	defer st.Close()
	id := which
	if which == "LATEST" {
		runs, err := st.Runs(ctx, store.RunFilter{Status: store.StatusDone})
		if err != nil {
			return nil, nil, fmt.Errorf("--baseline %s: %w", s.baseline, err)
		}
		id = ""
		for i := len(runs) - 1; i >= 0 && id == ""; i-- {
			if runs[i].ID == s.runID {
				continue
			}
			var asked runRequest
			if req == nil || json.Unmarshal(runs[i].Request, &asked) == nil && asked.PagesKey == req.PagesKey &&
				(asked.ViewKey == "" || asked.ViewKey == req.ViewKey) {
				id = runs[i].ID
			}
		}
		if id == "" {
			note := fmt.Sprintf("--baseline %s: the store holds no finished run of these pages yet; every finding counts as new", s.baseline)
			return &audit.Baseline{SchemaVersion: 1, Tool: tool(), Findings: []audit.BaselineEntry{}}, []string{note}, nil
		}
	}
	b, err := st.Baseline(ctx, id)
	if err != nil {
		if errors.Is(err, store.ErrNoRun) {
			return nil, nil, fmt.Errorf("--baseline %s: the store %s holds no run %q", s.baseline, st, id)
		}
		return nil, nil, fmt.Errorf("--baseline %s: %w", s.baseline, err)
	}
	return b, nil, nil
}

// importResults records the results a report or merge command read back
// into the store of --store, as a run of its own, unless the store holds
// them already. It says what it did on stderr.
//
//   - A run of the same id that is done (the shards of a CI pipeline
//     wrote it as they ran, and the merge job derives the same run id) is
//     left as it is.
//   - A run of the same id that is not done (a shard was killed, or a
//     re-run of failed jobs never finished it) is completed from the
//     results when they lack none of the run's pages: their pages
//     replace the stored ones, and its parts that started are marked
//     done.
//   - Without a run id given or derived from CI (the id is made up), a
//     run that holds the same pages with the same findings is these
//     results, recorded as the audit ran: they are not imported again
//     as a second run, which history would compare with the first.
//     Giving --run-id imports them whatever the store holds.
func importResults(ctx context.Context, s *settings, command string, inputs []string, rep *audit.Report, stderr io.Writer) error {
	if s.store == "" {
		return nil
	}
	st, err := store.Open(ctx, s.store)
	if err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	defer st.Close()
	run, err := st.Run(ctx, s.runID)
	switch {
	case err == nil && run.Status == store.StatusDone:
		fmt.Fprintf(stderr, "newsa11y: --store: run %s is in the store already; not importing it again\n", safeLine(s.runID))
		return nil
	case err == nil && s.lacking > 0:
		fmt.Fprintf(stderr, "newsa11y: --store: run %s is %s in the store, and these results lack %s of it: left as it is\n",
			safeLine(s.runID), run.Status, pagesWord(s.lacking))
		return nil
	case err == nil:
		wctx, cancel := context.WithTimeout(ctx, finishTime(len(rep.Pages)))
		defer cancel()
		if err := st.CompleteRun(wctx, s.runID, rep.Pages, nil); err != nil {
			return fmt.Errorf("--store: %w", err)
		}
		after, err := st.Run(ctx, s.runID)
		if err != nil {
			return fmt.Errorf("--store: %w", err)
		}
		fmt.Fprintf(stderr, "newsa11y: --store: run %s was %s in the store; its %s from these results replace the stored ones, and it is now %s\n",
			safeLine(s.runID), run.Status, pagesWord(len(rep.Pages)), after.Status)
		return nil
	case !errors.Is(err, store.ErrNoRun):
		return fmt.Errorf("--store: %w", err)
	}
	if madeRunID.MatchString(s.runID) {
		same, err := sameRun(ctx, st, rep)
		if err != nil {
			return fmt.Errorf("--store: %w", err)
		}
		if same != "" {
			fmt.Fprintf(stderr, "newsa11y: --store: run %s in the store holds these pages with these findings already; not importing them again as another run (give --run-id to import them anyway)\n", safeLine(same))
			return nil
		}
	}
	req := runRequest{Command: command, Targets: inputs, Pages: len(rep.Pages)}
	req.PagesKey = pagesKey(req)
	w, err := st.StartRun(ctx, store.RunInfo{ID: s.runID, ToolVersion: rep.Tool.Version, Request: req})
	if err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, finishTime(len(rep.Pages)))
	defer cancel()
	if err := w.Finish(wctx, store.StatusDone, rep.Pages, nil); err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	fmt.Fprintf(stderr, "newsa11y: --store: imported %s as run %s\n", pagesWord(len(rep.Pages)), safeLine(s.runID))
	return nil
}

// sameRun returns the id of the newest run in the store that holds
// exactly the report's pages, each with the same findings (fingerprints,
// those merged into others included, so that a run killed before its
// findings were merged still matches), or "" when there is none. Only
// runs with as many pages are read.
func sameRun(ctx context.Context, st *store.Store, rep *audit.Report) (string, error) {
	want := pageFingerprints(rep.Pages)
	runs, err := st.Runs(ctx, store.RunFilter{})
	if err != nil {
		return "", err
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Pages != len(want) {
			continue
		}
		pages, err := st.Pages(ctx, runs[i].ID, store.PageFilter{})
		if err != nil {
			return "", err
		}
		held := make([]audit.PageResult, len(pages))
		for j, p := range pages {
			held[j] = p.Result
		}
		if maps.EqualFunc(want, pageFingerprints(held), slices.Equal) {
			return runs[i].ID, nil
		}
	}
	return "", nil
}

// pageFingerprints maps each page's URL to its findings' fingerprints
// and those merged into them, sorted, with an "error" mark for a page
// that failed.
func pageFingerprints(pages []audit.PageResult) map[string][]string {
	m := make(map[string][]string, len(pages))
	for _, p := range pages {
		fps := []string{}
		if p.Failed() {
			fps = append(fps, "\x00failed")
		}
		for _, f := range p.Findings {
			fps = append(fps, f.Fingerprint)
			for _, a := range f.Also {
				fps = append(fps, a.Fingerprint)
			}
		}
		slices.Sort(fps)
		m[strings.ReplaceAll(p.URL, "\x00", "\uFFFD")] = fps
	}
	return m
}

// withStoreError combines a command's exit decision with the store's
// error: a run whose reports were written but whose store missed pages
// exits 1 (it did not do its whole job), unless it failed or was
// interrupted already, when the store's error is only printed.
func withStoreError(exit, storeErr error, stderr io.Writer) error {
	if storeErr == nil {
		return exit
	}
	var e *exitError
	if exit == nil || errors.As(exit, &e) && (e.code == ExitOK || e.code == ExitViolations) {
		return fault("%v", storeErr)
	}
	fmt.Fprintln(stderr, "newsa11y:", safeLines(storeErr.Error()))
	return exit
}
