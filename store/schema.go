package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// A migration is one versioned step of the schema. The statements are
// portable: the same text runs on SQLite and PostgreSQL. Applied
// migrations are never edited; a change to the schema is a new migration.
type migration struct {
	version int
	// name says what the step does.
	name  string
	stmts []string
}

// migrations is the schema's history, in order.
//
// Times are milliseconds since the Unix epoch (BIGINT), JSON is TEXT,
// severities are their names ("serious"). Rows are keyed by the run id and
// the page's URL as given, so no engine-specific auto-increment is needed.
var migrations = []migration{
	{1, "runs, shards, pages and findings", []string{
		// A run is one audit of a set of pages, however many processes
		// (shards) it took. Its status is that of its shards: see Run.
		`CREATE TABLE runs (
			id TEXT PRIMARY KEY,
			started_ms BIGINT NOT NULL,
			tool_version TEXT NOT NULL,
			shards INTEGER NOT NULL,
			request TEXT NOT NULL
		)`,
		// A shard is one process's part of a run: "" for an unsharded
		// run, "I/N" for --shard I/N. status is running, done or
		// interrupted; a process that was killed leaves running.
		`CREATE TABLE run_shards (
			run_id TEXT NOT NULL REFERENCES runs(id),
			shard TEXT NOT NULL,
			started_ms BIGINT NOT NULL,
			finished_ms BIGINT NOT NULL,
			status TEXT NOT NULL,
			host TEXT NOT NULL,
			PRIMARY KEY (run_id, shard)
		)`,
		// A page is one audited target, stored when it finished. status
		// is ok or failed (error and error_cause say why). processed is 0
		// while its findings are as the run streamed them, 1 once the run
		// finished and its post-processing (ignores, merged findings,
		// baseline marks) was applied to them.
		`CREATE TABLE pages (
			run_id TEXT NOT NULL REFERENCES runs(id),
			url TEXT NOT NULL,
			idx INTEGER NOT NULL,
			shard TEXT NOT NULL,
			page TEXT NOT NULL,
			site TEXT NOT NULL,
			final_url TEXT NOT NULL,
			http_status INTEGER NOT NULL,
			title TEXT NOT NULL,
			status TEXT NOT NULL,
			error TEXT NOT NULL,
			error_cause TEXT NOT NULL,
			finished_ms BIGINT NOT NULL,
			violations INTEGER NOT NULL,
			reviews INTEGER NOT NULL,
			story_findings INTEGER NOT NULL,
			template_findings INTEGER NOT NULL,
			page_findings INTEGER NOT NULL,
			ignored INTEGER NOT NULL,
			processed INTEGER NOT NULL,
			retries TEXT NOT NULL,
			skipped TEXT NOT NULL,
			rule_errors TEXT NOT NULL,
			timings TEXT NOT NULL,
			PRIMARY KEY (run_id, url)
		)`,
		`CREATE INDEX pages_site ON pages (site, finished_ms)`,
		`CREATE INDEX pages_page ON pages (page)`,
		// A finding is one problem on one page, seq its place in the
		// page's findings. detail is the rest of the finding as the JSON
		// report has it (evidence, snippet, help, merged findings…): the
		// fields the other columns hold and the thumbnail are left out.
		`CREATE TABLE findings (
			run_id TEXT NOT NULL,
			url TEXT NOT NULL,
			seq INTEGER NOT NULL,
			rule TEXT NOT NULL,
			outcome TEXT NOT NULL,
			severity TEXT NOT NULL,
			base_severity TEXT NOT NULL,
			region TEXT NOT NULL,
			fingerprint TEXT NOT NULL,
			element_key TEXT NOT NULL,
			selector TEXT NOT NULL,
			message TEXT NOT NULL,
			baseline TEXT NOT NULL,
			detail TEXT NOT NULL,
			PRIMARY KEY (run_id, url, seq),
			FOREIGN KEY (run_id, url) REFERENCES pages (run_id, url)
		)`,
		`CREATE INDEX findings_fingerprint ON findings (fingerprint)`,
		`CREATE INDEX findings_rule ON findings (run_id, rule)`,
	}},
}

// SchemaVersion is the version of the newest migration: the schema an
// opened store has.
var SchemaVersion = migrations[len(migrations)-1].version

// migrate applies the migrations the database lacks, in one transaction,
// each with its record in schema_migrations. Processes opening
// one store at once apply each migration once: on PostgreSQL they queue
// on an advisory lock, on SQLite on the write lock.
//
// It reads the schema's version first, with a plain SELECT, and writes
// nothing when the schema is current: a role that may only read, or a
// read-only SQLite file, opens a current store.
func (s *Store) migrate(ctx context.Context) error {
	var have int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
	switch {
	case err == nil && have > SchemaVersion:
		return fmt.Errorf("store %s: the database has schema version %d, newer than this newsa11y's %d: use a newer newsa11y", s.name, have, SchemaVersion)
	case err == nil && have == SchemaVersion:
		return nil
	case s.readOnly && err != nil:
		return fmt.Errorf("store %s: read the schema version: %w (a store opened read-only must hold newsa11y's tables already)", s.name, s.wrap(err))
	case s.readOnly:
		return fmt.Errorf("store %s: the database has schema version %d, older than this newsa11y's %d, and is open read-only: open it once for writing to migrate it", s.name, have, SchemaVersion)
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_ms BIGINT NOT NULL
	)`
	return s.tx(ctx, "migrate", func(tx *sql.Tx) error {
		if s.engine == Postgres {
			// Held to the end of the transaction; the number is newsa11y's.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7310013118)`); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if have > SchemaVersion {
			return fmt.Errorf("the database has schema version %d, newer than this newsa11y's %d: use a newer newsa11y", have, SchemaVersion)
		}
		for _, m := range migrations {
			if m.version <= have {
				continue
			}
			for _, st := range m.stmts {
				if _, err := tx.ExecContext(ctx, st); err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)`), m.version, m.name, time.Now().UnixMilli()); err != nil {
				return fmt.Errorf("record migration %d: %w", m.version, err)
			}
		}
		return nil
	})
}

// Version returns the schema version the database has.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store %s: read schema version: %w", s.name, err)
	}
	return v, nil
}
