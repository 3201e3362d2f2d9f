package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// Shard statuses, as run_shards records them.
const (
	// StatusRunning marks a shard that is writing pages, or that was
	// killed before it could say otherwise.
	StatusRunning = "running"
	// StatusDone marks a shard that finished.
	StatusDone = "done"
	// StatusInterrupted marks a shard that was interrupted (Ctrl-C,
	// SIGTERM) and stopped in order: it kept the pages it finished.
	StatusInterrupted = "interrupted"
	// StatusIncomplete marks a sharded run some of whose shards never
	// started; only runs have it (see Run.Status).
	StatusIncomplete = "incomplete"
)

// RunInfo describes a run, or one shard of it, as it starts.
type RunInfo struct {
	// ID is the run's id: shards of one run give the same one.
	ID string
	// Shard is "I/N" for the shard --shard I/N, "" for a run that is not
	// sharded.
	Shard string
	// Shards is N for a sharded run, 0 otherwise.
	Shards int
	// Started is when this process started the run.
	Started time.Time
	// ToolVersion is newsa11y's version.
	ToolVersion string
	// Request is what was asked (targets, sources, settings), stored as
	// JSON: the first shard to start records it.
	Request any
	// Host names the machine; empty means os.Hostname.
	Host string
}

// A Writer records one process's part of a run: its pages as they
// finish, then its end. Its methods may be called from several
// goroutines at once.
type Writer struct {
	s     *Store
	run   string
	shard string
}

// StartRun records that a run, or one shard of it, started, and returns
// the writer of its pages. A run id already in the store is joined, not
// replaced: that is how shards of one run meet. Joining it with another
// shard count is an error. A shard that starts again (a retried job)
// keeps the pages it stored before and is marked running.
func (s *Store) StartRun(ctx context.Context, info RunInfo) (*Writer, error) {
	if info.ID == "" {
		return nil, fmt.Errorf("store %s: start run: no run id", s.name)
	}
	req, err := json.Marshal(info.Request)
	if err != nil {
		return nil, fmt.Errorf("store %s: start run %s: encode request: %w", s.name, info.ID, err)
	}
	if info.Host == "" {
		info.Host, _ = os.Hostname()
	}
	if info.Started.IsZero() {
		info.Started = time.Now()
	}
	err = s.tx(ctx, "start run "+info.ID, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO runs (id, started_ms, tool_version, shards, request)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			info.ID, millis(info.Started), info.ToolVersion, info.Shards, string(req)); err != nil {
			return err
		}
		var shards int
		var started int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT shards, started_ms FROM runs WHERE id = ?`), info.ID).Scan(&shards, &started); err != nil {
			return err
		}
		if shards != info.Shards {
			return fmt.Errorf("the store's run %s has %d shard(s), and this process is shard %q of %d: give each run its own --run-id", info.ID, shards, info.Shard, info.Shards)
		}
		// The run started when its first shard did.
		if ms := millis(info.Started); ms < started {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE runs SET started_ms = ? WHERE id = ?`), ms, info.ID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO run_shards (run_id, shard, started_ms, finished_ms, status, host)
			VALUES (?, ?, ?, 0, ?, ?)
			ON CONFLICT (run_id, shard) DO UPDATE SET started_ms = excluded.started_ms,
				finished_ms = 0, status = excluded.status, host = excluded.host`),
			info.ID, info.Shard, millis(info.Started), StatusRunning, info.Host)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Writer{s: s, run: info.ID, shard: info.Shard}, nil
}

// RunID returns the id of the run the writer writes.
func (w *Writer) RunID() string { return w.run }

// Page stores one finished page with its findings, in one transaction,
// as the run's stream has them; page is its canonical identity (see
// audit.BaselineEntry.Page). A page the run stored before (a resumed or
// retried shard) is replaced.
func (w *Writer) Page(ctx context.Context, p audit.PageResult, page string) error {
	return w.s.tx(ctx, "store page "+p.URL, func(tx *sql.Tx) error {
		return w.s.putPage(ctx, tx, w.run, w.shard, p, page, false)
	})
}

// Finish records the end of the writer's part of the run: status is
// StatusDone or StatusInterrupted. pages, when not nil, are the run's
// pages after its post-processing (ignores applied, findings merged,
// baseline marks set), which replace the pages as streamed, in one
// transaction with the status; identity maps each page's URL to its
// canonical identity.
func (w *Writer) Finish(ctx context.Context, status string, pages []audit.PageResult, identity map[string]string) error {
	return w.s.tx(ctx, "finish run "+w.run, func(tx *sql.Tx) error {
		for _, p := range pages {
			if p.ErrorCause == string(audit.CauseInterrupted) {
				continue
			}
			page := identity[p.URL]
			if page == "" {
				page = p.URL
			}
			if err := w.s.putPage(ctx, tx, w.run, w.shard, p, page, true); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, w.s.q(`UPDATE run_shards SET status = ?, finished_ms = ? WHERE run_id = ? AND shard = ?`),
			status, time.Now().UnixMilli(), w.run, w.shard)
		return err
	})
}

// putPage replaces the page's row and findings within tx.
func (s *Store) putPage(ctx context.Context, tx *sql.Tx, run, shard string, p audit.PageResult, page string, processed bool) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM findings WHERE run_id = ? AND url = ?`), run, p.URL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM pages WHERE run_id = ? AND url = ?`), run, p.URL); err != nil {
		return err
	}
	status := "ok"
	if p.Failed() {
		status = "failed"
	}
	var violations, reviews, story, template, whole int
	for _, f := range p.Findings {
		if f.Outcome == audit.Violation {
			violations++
		} else {
			reviews++
		}
		switch f.Region {
		case "template":
			template++
		case "page":
			whole++
		default:
			story++
		}
	}
	site := p.Site
	if site == "" && !p.Failed() {
		site = p.SiteKey()
	}
	proc := 0
	if processed {
		proc = 1
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO pages (run_id, url, idx, shard, page, site, final_url, http_status, title,
			status, error, error_cause, finished_ms, violations, reviews, story_findings, template_findings,
			page_findings, ignored, processed, retries, skipped, rule_errors, timings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		run, p.URL, p.Index, shard, page, site, p.FinalURL, p.Status, p.Title,
		status, p.Error, p.ErrorCause, time.Now().UnixMilli(), violations, reviews, story, template,
		whole, p.Ignored, proc, jsonText(p.Retries), jsonText(p.Skipped), jsonText(p.RuleErrors), jsonText(p.Timings))
	if err != nil {
		return fmt.Errorf("insert page: %w", err)
	}
	// The findings go in statements of up to findingsPerInsert rows: on
	// a distant PostgreSQL server every statement is a round trip.
	const cols = `(run_id, url, seq, rule, outcome, severity, base_severity,
		region, fingerprint, element_key, selector, message, baseline, detail)`
	for start := 0; start < len(p.Findings); start += findingsPerInsert {
		end := min(start+findingsPerInsert, len(p.Findings))
		var q strings.Builder
		q.WriteString(`INSERT INTO findings ` + cols + ` VALUES `)
		args := make([]any, 0, (end-start)*14)
		for i := start; i < end; i++ {
			f := p.Findings[i]
			detail, err := findingDetail(f)
			if err != nil {
				return fmt.Errorf("encode finding %s: %w", f.Fingerprint, err)
			}
			base := ""
			if f.BaseSeverity != 0 {
				base = f.BaseSeverity.String()
			}
			if i > start {
				q.WriteString(", ")
			}
			q.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			args = append(args, run, p.URL, i, f.Rule, string(f.Outcome), f.Severity.String(), base,
				f.Region, f.Fingerprint, f.Key, f.Selector, f.Message, f.Baseline, string(detail))
		}
		if _, err := tx.ExecContext(ctx, s.q(q.String()), args...); err != nil {
			return fmt.Errorf("insert findings: %w", err)
		}
	}
	return nil
}

// findingsPerInsert bounds the rows of one INSERT: 14 parameters a row
// stay well under SQLite's and PostgreSQL's limits on parameters.
const findingsPerInsert = 200

// detailJSON is a finding as its detail column holds it: the fields its
// other columns hold, and its thumbnail, are shadowed by empty fields
// that encoding/json leaves out (a shallower field wins over the
// embedded one of the same name), so the finding is encoded once.
type detailJSON struct {
	audit.Finding
	Rule         string `json:"rule,omitempty"`
	Outcome      string `json:"outcome,omitempty"`
	Severity     string `json:"severity,omitempty"`
	BaseSeverity string `json:"base_severity,omitempty"`
	Region       string `json:"region,omitempty"`
	Fingerprint  string `json:"fingerprint,omitempty"`
	Key          string `json:"key,omitempty"`
	Selector     string `json:"selector,omitempty"`
	Message      string `json:"message,omitempty"`
	Baseline     string `json:"baseline,omitempty"`
	Thumbnail    string `json:"thumbnail,omitempty"`
}

// findingDetail returns the finding as JSON without the fields its
// columns hold (a third of its size), nor its thumbnail; reading puts
// the columns back.
func findingDetail(f audit.Finding) (string, error) {
	b, err := json.Marshal(detailJSON{Finding: f})
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// jsonText returns v as JSON text; "null" for nil slices.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}
