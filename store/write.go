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
	// StatusFailed marks a shard that stopped without finishing: its
	// browser could not be launched, or a write to the store failed.
	StatusFailed = "failed"
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

// FinishBatch is how many pages Finish rewrites in one transaction. A
// transaction holds SQLite's write lock while it runs, so other writers
// wait no longer than one batch takes; on a distant PostgreSQL server a
// batch stays well inside any deadline a caller gives it.
const FinishBatch = 200

// Finish records the end of the writer's part of the run: status is
// StatusDone, StatusInterrupted or StatusFailed. pages, when not nil, are
// the run's pages after its post-processing (ignores applied, findings
// merged, baseline marks set), which replace the pages as streamed, in
// transactions of FinishBatch pages; identity maps each page's URL to
// its canonical identity. The status is written last, in a transaction
// of its own, so a part whose rewrite failed midway stays running.
func (w *Writer) Finish(ctx context.Context, status string, pages []audit.PageResult, identity map[string]string) error {
	if err := w.s.rewrite(ctx, w.run, w.shard, "finish run "+w.run, pages, identity); err != nil {
		return err
	}
	return w.s.tx(ctx, "finish run "+w.run, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, w.s.q(`UPDATE run_shards SET status = ?, finished_ms = ? WHERE run_id = ? AND shard = ?`),
			status, time.Now().UnixMilli(), w.run, w.shard)
		return err
	})
}

// rewrite replaces pages of a run with their post-processed results, in
// transactions of FinishBatch pages. A page the run already holds keeps
// its shard and the time it was stored, and its canonical identity when
// identity lacks it; a new one is filed under shard, with its URL as its
// identity when identity lacks it.
func (s *Store) rewrite(ctx context.Context, run, shard, what string, pages []audit.PageResult, identity map[string]string) error {
	var todo []audit.PageResult
	for _, p := range pages {
		if p.ErrorCause != string(audit.CauseInterrupted) {
			todo = append(todo, p)
		}
	}
	for start := 0; start < len(todo); start += FinishBatch {
		batch := todo[start:min(start+FinishBatch, len(todo))]
		err := s.tx(ctx, fmt.Sprintf("%s: pages %d to %d of %d", what, start+1, start+len(batch), len(todo)), func(tx *sql.Tx) error {
			for _, p := range batch {
				if err := s.putPage(ctx, tx, run, shard, p, identity[p.URL], true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// CompleteRun finishes a run the store holds but that is not done (a
// shard was killed, or a re-run never finished it) from results read
// back by merge or report: pages, post-processed, replace the pages as
// stored (in batches, as Finish does), and every part of the run that is
// not done is marked done. A part that never started stays missing, so
// a run that lacked shards stays incomplete.
func (s *Store) CompleteRun(ctx context.Context, id string, pages []audit.PageResult, identity map[string]string) error {
	if err := s.rewrite(ctx, id, "", "complete run "+id, pages, identity); err != nil {
		return err
	}
	return s.tx(ctx, "complete run "+id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE run_shards SET status = ?, finished_ms = ? WHERE run_id = ? AND status <> ?`),
			StatusDone, time.Now().UnixMilli(), id, StatusDone)
		return err
	})
}

// putPage replaces the page's row and findings within tx. A page written
// as streamed takes the time it is written as its finish time; a
// processed page the run holds already keeps its finish time and shard,
// and its identity when page is empty (unknown).
// Text is stored with its NUL characters replaced (see textArgs).
func (s *Store) putPage(ctx context.Context, tx *sql.Tx, run, shard string, p audit.PageResult, page string, processed bool) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM findings WHERE run_id = ? AND url = ?`), textArgs(run, p.URL)...); err != nil {
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
	// A failed page has no Site of its own: its address names it, so
	// that a night when the whole site was down still lists under it.
	site := p.SiteKey()
	proc := 0
	if processed {
		proc = 1
	}
	// On conflict the row is updated in place; a processed page keeps the
	// shard and finish time its streamed row had.
	keep := `shard = excluded.shard, finished_ms = excluded.finished_ms,`
	if processed {
		keep = ``
	}
	if page != "" || !processed {
		keep += ` page = excluded.page,`
	}
	if page == "" {
		page = p.URL
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO pages (run_id, url, idx, shard, page, site, final_url, http_status, title,
			status, error, error_cause, finished_ms, violations, reviews, story_findings, template_findings,
			page_findings, ignored, processed, retries, skipped, rule_errors, timings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (run_id, url) DO UPDATE SET `+keep+` idx = excluded.idx,
			site = excluded.site, final_url = excluded.final_url, http_status = excluded.http_status,
			title = excluded.title, status = excluded.status, error = excluded.error,
			error_cause = excluded.error_cause, violations = excluded.violations, reviews = excluded.reviews,
			story_findings = excluded.story_findings, template_findings = excluded.template_findings,
			page_findings = excluded.page_findings, ignored = excluded.ignored, processed = excluded.processed,
			retries = excluded.retries, skipped = excluded.skipped, rule_errors = excluded.rule_errors,
			timings = excluded.timings`),
		textArgs(run, p.URL, p.Index, shard, page, site, p.FinalURL, p.Status, p.Title,
			status, p.Error, p.ErrorCause, time.Now().UnixMilli(), violations, reviews, story, template,
			whole, p.Ignored, proc, jsonText(p.Retries), jsonText(p.Skipped), jsonText(p.RuleErrors), jsonText(p.Timings))...)
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
		if _, err := tx.ExecContext(ctx, s.q(q.String()), textArgs(args...)...); err != nil {
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

// textArgs returns a statement's arguments with every NUL character in
// their strings replaced by U+FFFD: PostgreSQL's text cannot hold NUL
// (SQLite's can), and a page whose title or alt text carries one must
// not stop the store. Every string a page writes goes through here, so
// both engines store the same text.
func textArgs(args ...any) []any {
	for i, a := range args {
		if v, ok := a.(string); ok && strings.ContainsRune(v, 0) {
			args[i] = strings.ReplaceAll(v, "\x00", "\uFFFD")
		}
	}
	return args
}

// jsonText returns v as JSON text; "null" for nil slices.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}
