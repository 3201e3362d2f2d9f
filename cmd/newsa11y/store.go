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
	"os"
	"strings"
	"sync"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/store"
)

// storeWriteTime bounds one write to the store (a page, the run's end):
// longer than any lock wait a SQLite store allows by default.
const storeWriteTime = 2 * time.Minute

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
	return r
}

// pagesKey hashes the sources of a request's pages.
func pagesKey(r runRequest) string {
	src, _ := json.Marshal([]any{r.Targets, r.URLsFile, r.Sitemaps, r.Feeds, r.Sample})
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:8])
}

// runID returns the run's id: --run-id (NEWSA11Y_RUN_ID); else one the
// CI system gives every job of a pipeline run, so that its shards, each
// its own job, meet in one run: GitHub Actions' run id and attempt,
// GitLab's pipeline id; else a new one, made of the time and random
// letters.
func runID(given string, now time.Time) string {
	if given != "" {
		return given
	}
	if id := os.Getenv("GITHUB_RUN_ID"); id != "" {
		attempt := os.Getenv("GITHUB_RUN_ATTEMPT")
		if attempt == "" {
			attempt = "1"
		}
		return "github-" + id + "-" + attempt
	}
	if id := os.Getenv("CI_PIPELINE_ID"); id != "" {
		return "gitlab-" + id
	}
	var b [3]byte
	rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

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
	// err is the first failed write; later pages are not written.
	err error
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
	shard := ""
	if s.shards > 0 {
		shard = fmt.Sprintf("%d/%d", s.shard, s.shards)
	}
	w, err := st.StartRun(ctx, store.RunInfo{
		ID: s.runID, Shard: shard, Shards: s.shards, Started: time.Now(),
		ToolVersion: toolVersion(), Request: requestOf(s, pages),
	})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("--store: %w", err)
	}
	return &storeRecorder{st: st, w: w, identity: s.identity, stderr: stderr, timings: s.timings}, nil
}

// page stores a finished page, in its own transaction, unless an earlier
// write failed: the first failure is printed at once and ends the run
// with an error once its reports are written.
func (r *storeRecorder) page(p audit.PageResult) {
	if r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil || r.done {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeWriteTime)
	defer cancel()
	start := time.Now()
	if err := r.w.Page(ctx, p, r.pageID(p.URL)); err != nil {
		r.err = err
		fmt.Fprintf(r.stderr, "newsa11y: --store: %s; the store gets no more pages of this run\n", safeLine(err.Error()))
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

// finish records the end of the run: the pages after post-processing,
// which replace the pages as streamed, and done or interrupted. It
// returns the store's first error, if any write failed.
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
	if r.err != nil {
		return fmt.Errorf("--store: %w (run %s holds the pages stored before)", r.err, r.w.RunID())
	}
	status := store.StatusDone
	if interrupted {
		status = store.StatusInterrupted
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeWriteTime)
	defer cancel()
	var pages []audit.PageResult
	if rep != nil {
		pages = rep.Pages
	}
	start := time.Now()
	if err := r.w.Finish(ctx, status, pages, r.identity); err != nil {
		return fmt.Errorf("--store: %w", err)
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
// same pages (see runRequest.PagesKey); when there is none yet, the
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
			if req == nil || json.Unmarshal(runs[i].Request, &asked) == nil && asked.PagesKey == req.PagesKey {
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
// that run already (the shards of a CI pipeline wrote it as they ran,
// and the merge job derives the same run id). It says what it did on
// stderr.
func importResults(ctx context.Context, s *settings, command string, inputs []string, rep *audit.Report, stderr io.Writer) error {
	if s.store == "" {
		return nil
	}
	st, err := store.Open(ctx, s.store)
	if err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	defer st.Close()
	if _, err := st.Run(ctx, s.runID); err == nil {
		fmt.Fprintf(stderr, "newsa11y: --store: run %s is in the store already; not importing it again\n", safeLine(s.runID))
		return nil
	} else if !errors.Is(err, store.ErrNoRun) {
		return fmt.Errorf("--store: %w", err)
	}
	req := runRequest{Command: command, Targets: inputs, Pages: len(rep.Pages)}
	req.PagesKey = pagesKey(req)
	w, err := st.StartRun(ctx, store.RunInfo{ID: s.runID, ToolVersion: rep.Tool.Version, Request: req})
	if err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	if err := w.Finish(ctx, store.StatusDone, rep.Pages, nil); err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	fmt.Fprintf(stderr, "newsa11y: --store: imported %s as run %s\n", pagesWord(len(rep.Pages)), safeLine(s.runID))
	return nil
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
