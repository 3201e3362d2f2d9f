package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// ErrNoRun is returned (wrapped) when the store holds no run that matches.
var ErrNoRun = errors.New("no such run in the store")

// A Run is one run as the store holds it, with its totals.
type Run struct {
	// ID is the run's id.
	ID string `json:"id"`
	// Started is when its first shard started.
	Started time.Time `json:"started"`
	// Finished is when its last shard finished; zero while a shard is
	// still running (or was killed).
	Finished time.Time `json:"finished,omitzero"`
	// Status is StatusDone when every shard finished, StatusRunning while
	// one is running (or when one was killed), StatusFailed when one
	// failed, else StatusInterrupted when one was interrupted, and
	// StatusIncomplete when the shards that started all finished but
	// fewer than Shards did.
	Status string `json:"status"`
	// ToolVersion is the version of the newsa11y that started it.
	ToolVersion string `json:"tool_version"`
	// Shards is the number of shards it was split into, 0 when none.
	Shards int `json:"shards"`
	// Parts are the processes that wrote it, one per shard.
	Parts []Shard `json:"parts"`
	// Request is what was asked, as JSON.
	Request json.RawMessage `json:"request"`
	// Pages counts its stored pages, Failed those that failed to load.
	Pages  int `json:"pages"`
	Failed int `json:"failed"`
	// Violations and Reviews count its findings.
	Violations int `json:"violations"`
	Reviews    int `json:"reviews"`
	// Sites are the sites of its pages, sorted.
	Sites []string `json:"sites"`
}

// A Shard is one process's part of a run.
type Shard struct {
	// Shard is "I/N", or "" for an unsharded run.
	Shard string `json:"shard"`
	// Started and Finished bound its work; Finished is zero while it runs.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// Status is StatusRunning, StatusDone, StatusInterrupted or
	// StatusFailed.
	Status string `json:"status"`
	// Host is the machine it ran on.
	Host string `json:"host"`
}

// A RunFilter selects runs. Its zero value selects every run.
type RunFilter struct {
	// Site keeps the runs with a page of this site (see audit.SiteKey).
	Site string
	// Since and Until keep the runs started in [Since, Until); zero
	// times do not bound.
	Since, Until time.Time
	// Status keeps the runs of this status.
	Status string
	// Limit keeps only the newest Limit runs; 0 keeps all.
	Limit int
}

// Runs returns the runs the filter selects, oldest first.
func (s *Store) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	var where []string
	var args []any
	if f.Site != "" {
		where = append(where, `EXISTS (SELECT 1 FROM pages p WHERE p.run_id = r.id AND p.site = ?)`)
		args = append(args, f.Site)
	}
	if !f.Since.IsZero() {
		where = append(where, `r.started_ms >= ?`)
		args = append(args, millis(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, `r.started_ms < ?`)
		args = append(args, millis(f.Until))
	}
	query := `SELECT r.id, r.started_ms, r.tool_version, r.shards, r.request,
		(SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id),
		(SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id AND p.status = 'failed'),
		(SELECT COALESCE(SUM(p.violations), 0) FROM pages p WHERE p.run_id = r.id),
		(SELECT COALESCE(SUM(p.reviews), 0) FROM pages p WHERE p.run_id = r.id)
		FROM runs r`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	// Text is ordered in Go, bytewise, not by the server's collation,
	// which differs between a team's PostgreSQL and SQLite.
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: list runs: %w", s.name, err)
	}
	var runs []Run
	for rows.Next() {
		var r Run
		var started int64
		var req string
		if err := rows.Scan(&r.ID, &started, &r.ToolVersion, &r.Shards, &req, &r.Pages, &r.Failed, &r.Violations, &r.Reviews); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store %s: list runs: %w", s.name, err)
		}
		r.Started, r.Request = fromMillis(started), json.RawMessage(req)
		runs = append(runs, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("store %s: list runs: %w", s.name, err)
	}
	slices.SortFunc(runs, func(a, b Run) int {
		return cmp.Or(a.Started.Compare(b.Started), strings.Compare(a.ID, b.ID))
	})
	for i := range runs {
		if err := s.fillRun(ctx, &runs[i]); err != nil {
			return nil, err
		}
	}
	if f.Status != "" {
		runs = slices.DeleteFunc(runs, func(r Run) bool { return r.Status != f.Status })
	}
	if f.Limit > 0 && len(runs) > f.Limit {
		runs = runs[len(runs)-f.Limit:]
	}
	return runs, nil
}

// fillRun reads a run's shards, status and sites.
func (s *Store) fillRun(ctx context.Context, r *Run) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT shard, started_ms, finished_ms, status, host FROM run_shards WHERE run_id = ?`), r.ID)
	if err != nil {
		return fmt.Errorf("store %s: read run %s: %w", s.name, r.ID, err)
	}
	r.Parts = []Shard{}
	for rows.Next() {
		var sh Shard
		var started, finished int64
		if err := rows.Scan(&sh.Shard, &started, &finished, &sh.Status, &sh.Host); err != nil {
			rows.Close()
			return fmt.Errorf("store %s: read run %s: %w", s.name, r.ID, err)
		}
		sh.Started, sh.Finished = fromMillis(started), fromMillis(finished)
		r.Parts = append(r.Parts, sh)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("store %s: read run %s: %w", s.name, r.ID, err)
	}
	slices.SortFunc(r.Parts, func(a, b Shard) int { return strings.Compare(a.Shard, b.Shard) })
	r.Status = runStatus(r.Shards, r.Parts)
	if r.Status != StatusRunning {
		for _, sh := range r.Parts {
			if sh.Finished.After(r.Finished) {
				r.Finished = sh.Finished
			}
		}
	}
	r.Sites = []string{}
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT DISTINCT site FROM pages WHERE run_id = ? AND site <> ''`), r.ID)
	if err != nil {
		return fmt.Errorf("store %s: read run %s: %w", s.name, r.ID, err)
	}
	for rows.Next() {
		var site string
		if err := rows.Scan(&site); err != nil {
			rows.Close()
			return fmt.Errorf("store %s: read run %s: %w", s.name, r.ID, err)
		}
		r.Sites = append(r.Sites, site)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("store %s: read run %s: %w", s.name, r.ID, err)
	}
	slices.Sort(r.Sites)
	return nil
}

// runStatus is a run's status from its shards' (see Run.Status).
func runStatus(shards int, parts []Shard) string {
	status := StatusDone
	for _, sh := range parts {
		switch sh.Status {
		case StatusRunning:
			return StatusRunning
		case StatusFailed:
			status = StatusFailed
		case StatusInterrupted:
			if status != StatusFailed {
				status = StatusInterrupted
			}
		}
	}
	if status == StatusDone && shards > 0 && len(parts) < shards {
		return StatusIncomplete
	}
	if len(parts) == 0 {
		return StatusRunning
	}
	return status
}

// Run returns the run with the given id; its error wraps ErrNoRun when
// there is none.
func (s *Store) Run(ctx context.Context, id string) (Run, error) {
	var r Run
	var started int64
	var req string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT r.id, r.started_ms, r.tool_version, r.shards, r.request,
		(SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id),
		(SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id AND p.status = 'failed'),
		(SELECT COALESCE(SUM(p.violations), 0) FROM pages p WHERE p.run_id = r.id),
		(SELECT COALESCE(SUM(p.reviews), 0) FROM pages p WHERE p.run_id = r.id)
		FROM runs r WHERE r.id = ?`), id).Scan(&r.ID, &started, &r.ToolVersion, &r.Shards, &req, &r.Pages, &r.Failed, &r.Violations, &r.Reviews)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("store %s: run %q: %w", s.name, id, ErrNoRun)
	}
	if err != nil {
		return Run{}, fmt.Errorf("store %s: read run %s: %w", s.name, id, err)
	}
	r.Started, r.Request = fromMillis(started), json.RawMessage(req)
	if err := s.fillRun(ctx, &r); err != nil {
		return Run{}, err
	}
	return r, nil
}

// Latest returns the newest run that is done, with a page of site when
// site is not empty; its error wraps ErrNoRun when there is none.
func (s *Store) Latest(ctx context.Context, site string) (Run, error) {
	runs, err := s.Runs(ctx, RunFilter{Site: site, Status: StatusDone})
	if err != nil {
		return Run{}, err
	}
	if len(runs) == 0 {
		where := ""
		if site != "" {
			where = " of site " + site
		}
		return Run{}, fmt.Errorf("store %s: no finished run%s: %w", s.name, where, ErrNoRun)
	}
	return runs[len(runs)-1], nil
}

// A Page is one page of a stored run.
type Page struct {
	// Result is the page's result as the run wrote it: its findings
	// (without thumbnails), error, skipped rules, rule errors, retries,
	// ignored count and timings. Outlines, keyboard walks, transcripts and
	// consent dialogs are not stored.
	Result audit.PageResult `json:"result"`
	// Page is its canonical identity (see audit.BaselineEntry.Page).
	Page string `json:"page"`
	// Shard is the shard that wrote it, "" when the run was not sharded.
	Shard string `json:"shard"`
	// Finished is when it was stored.
	Finished time.Time `json:"finished"`
	// Processed is true when its findings are those after the run's
	// post-processing (ignores, merged findings, baseline marks), false
	// when they are as the run streamed them (a run that was killed).
	Processed bool `json:"processed"`
}

// A PageFilter selects pages of a run. Its zero value selects all.
type PageFilter struct {
	// Site keeps the pages of this site.
	Site string
	// URL keeps the page with this URL as given.
	URL string
}

// Pages returns the pages of a run the filter selects, with their
// findings, in input order.
func (s *Store) Pages(ctx context.Context, runID string, f PageFilter) ([]Page, error) {
	query := `SELECT url, idx, shard, page, site, final_url, http_status, title, error, error_cause, finished_ms,
		ignored, processed, retries, skipped, rule_errors, timings FROM pages WHERE run_id = ?`
	args := []any{runID}
	if f.Site != "" {
		query += ` AND site = ?`
		args = append(args, f.Site)
	}
	if f.URL != "" {
		query += ` AND url = ?`
		args = append(args, f.URL)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: read pages of run %s: %w", s.name, runID, err)
	}
	var pages []Page
	byURL := map[string]int{}
	for rows.Next() {
		var p Page
		var finished int64
		var processed int
		var retries, skipped, ruleErrors, timings string
		r := &p.Result
		if err := rows.Scan(&r.URL, &r.Index, &p.Shard, &p.Page, &r.Site, &r.FinalURL, &r.Status, &r.Title, &r.Error, &r.ErrorCause,
			&finished, &r.Ignored, &processed, &retries, &skipped, &ruleErrors, &timings); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store %s: read pages of run %s: %w", s.name, runID, err)
		}
		p.Finished, p.Processed = fromMillis(finished), processed != 0
		for _, j := range []struct {
			text string
			v    any
		}{{retries, &r.Retries}, {skipped, &r.Skipped}, {ruleErrors, &r.RuleErrors}, {timings, &r.Timings}} {
			if err := json.Unmarshal([]byte(j.text), j.v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store %s: read page %s of run %s: %w", s.name, r.URL, runID, err)
			}
		}
		r.Findings = []audit.Finding{}
		pages = append(pages, p)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("store %s: read pages of run %s: %w", s.name, runID, err)
	}
	slices.SortFunc(pages, func(a, b Page) int {
		return cmp.Or(cmp.Compare(a.Result.Index, b.Result.Index), strings.Compare(a.Result.URL, b.Result.URL))
	})
	for i, p := range pages {
		byURL[p.Result.URL] = i
	}
	found, err := s.findings(ctx, runID, f)
	if err != nil {
		return nil, err
	}
	for _, sf := range found {
		if i, ok := byURL[sf.url]; ok {
			pages[i].Result.Findings = append(pages[i].Result.Findings, sf.f)
		}
	}
	return pages, nil
}

// storedFinding is a finding with the URL of its page.
type storedFinding struct {
	url string
	f   audit.Finding
}

// findings reads the findings of a run's pages the filter selects, in
// page and document order.
func (s *Store) findings(ctx context.Context, runID string, f PageFilter) ([]storedFinding, error) {
	query := `SELECT f.url, f.rule, f.outcome, f.severity, f.base_severity, f.region, f.fingerprint, f.element_key,
		f.selector, f.message, f.baseline, f.detail FROM findings f`
	args := []any{}
	if f.Site != "" {
		query += ` JOIN pages p ON p.run_id = f.run_id AND p.url = f.url AND p.site = ?`
		args = append(args, f.Site)
	}
	query += ` WHERE f.run_id = ?`
	args = append(args, runID)
	if f.URL != "" {
		query += ` AND f.url = ?`
		args = append(args, f.URL)
	}
	// Each page's findings in their order; the pages' order is Pages'.
	query += ` ORDER BY f.url, f.seq`
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: read findings of run %s: %w", s.name, runID, err)
	}
	defer rows.Close()
	var out []storedFinding
	for rows.Next() {
		var sf storedFinding
		var outcome, severity, base, detail string
		f := &sf.f
		if err := rows.Scan(&sf.url, &f.Rule, &outcome, &severity, &base, &f.Region, &f.Fingerprint, &f.Key,
			&f.Selector, &f.Message, &f.Baseline, &detail); err != nil {
			return nil, fmt.Errorf("store %s: read findings of run %s: %w", s.name, runID, err)
		}
		// The detail holds every other field (see findingDetail).
		if err := json.Unmarshal([]byte(detail), f); err != nil {
			return nil, fmt.Errorf("store %s: read a finding of %s in run %s: %w", s.name, sf.url, runID, err)
		}
		f.Outcome = audit.Outcome(outcome)
		var err error
		if f.Severity, err = audit.ParseSeverity(severity); err != nil {
			return nil, fmt.Errorf("store %s: read a finding of %s in run %s: %w", s.name, sf.url, runID, err)
		}
		if base != "" {
			if f.BaseSeverity, err = audit.ParseSeverity(base); err != nil {
				return nil, fmt.Errorf("store %s: read a finding of %s in run %s: %w", s.name, sf.url, runID, err)
			}
		}
		out = append(out, sf)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: read findings of run %s: %w", s.name, runID, err)
	}
	return out, nil
}

// Report returns a stored run as a report: its pages in input order,
// with what Page.Result holds, and the tool that wrote it. It has no
// rules, template findings or verdict: those are the reports' business.
func (s *Store) Report(ctx context.Context, runID string) (*audit.Report, error) {
	r, err := s.Run(ctx, runID)
	if err != nil {
		return nil, err
	}
	pages, err := s.Pages(ctx, runID, PageFilter{})
	if err != nil {
		return nil, err
	}
	rep := &audit.Report{SchemaVersion: audit.SchemaVersion, Tool: audit.Tool{Name: "newsa11y", Version: r.ToolVersion}, Pages: []audit.PageResult{}}
	for _, p := range pages {
		rep.Pages = append(rep.Pages, p.Result)
	}
	return rep, nil
}

// Baseline returns a stored run as a baseline, as --update-baseline would
// have written it from the run's report: every finding and every finding
// merged into another, with each page's canonical identity. A run that
// was killed gives its findings as streamed.
func (s *Store) Baseline(ctx context.Context, runID string) (*audit.Baseline, error) {
	pages, err := s.Pages(ctx, runID, PageFilter{})
	if err != nil {
		return nil, err
	}
	r, err := s.Run(ctx, runID)
	if err != nil {
		return nil, err
	}
	rep := &audit.Report{Tool: audit.Tool{Name: "newsa11y", Version: r.ToolVersion}}
	identity := map[string]string{}
	for _, p := range pages {
		rep.Pages = append(rep.Pages, p.Result)
		identity[p.Result.URL] = p.Page
	}
	b := audit.BaselineFrom(rep)
	b.SetPages(identity)
	return b, nil
}
