package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeShards writes one run as shards processes would: each shard its
// own store handle (its own connections), all starting, writing their
// pages and finishing at once. It returns each shard's error.
func writeShards(t *testing.T, dsn string, shards, pages, findings int) []error {
	t.Helper()
	ctx := context.Background()
	errs := make([]error, shards)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range shards {
		wg.Go(func() {
			<-start
			errs[i] = func() error {
				s, err := Open(ctx, dsn)
				if err != nil {
					return err
				}
				defer s.Close()
				w, err := s.StartRun(ctx, RunInfo{ID: "night", Shard: fmt.Sprintf("%d/%d", i+1, shards), Shards: shards, ToolVersion: "1"})
				if err != nil {
					return err
				}
				for p := range pages {
					url := fmt.Sprintf("https://news.example/s%d/p%d", i+1, p)
					if err := w.Page(ctx, samplePage(url, p, findings), url); err != nil {
						return err
					}
				}
				return w.Finish(ctx, StatusDone, nil, nil)
			}()
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// countRun returns the pages and findings the store holds for a run.
func countRun(t *testing.T, s *Store, run string) (pages, findings int) {
	t.Helper()
	ctx := context.Background()
	if err := s.DB().QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM pages WHERE run_id = ?`), run).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM findings WHERE run_id = ?`), run).Scan(&findings); err != nil {
		t.Fatal(err)
	}
	return pages, findings
}

// TestConcurrentShardsLoseNothing has four shards open a fresh store (so
// they race to migrate it too) and write one run at once: every page and
// finding lands, and the run is done. On SQLite the writers queue for the
// write lock; on PostgreSQL they write side by side.
func TestConcurrentShardsLoseNothing(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		const shards, pages, findings = 4, 40, 12
		for i, err := range writeShards(t, dsn, shards, pages, findings) {
			if err != nil {
				t.Errorf("shard %d: %v", i+1, err)
			}
		}
		s := openT(t, dsn)
		gotPages, gotFindings := countRun(t, s, "night")
		if gotPages != shards*pages || gotFindings != shards*pages*findings {
			t.Errorf("stored %d pages and %d findings, want %d and %d", gotPages, gotFindings, shards*pages, shards*pages*findings)
		}
		r, err := s.Run(context.Background(), "night")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusDone || len(r.Parts) != shards {
			t.Errorf("run status %q with %d parts, want done with %d", r.Status, len(r.Parts), shards)
		}
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations) {
			t.Errorf("schema_migrations holds %d rows (%v) after concurrent opens, want %d", n, err, len(migrations))
		}
	})
}

// TestSQLiteLockedWriterFailsClearly holds the SQLite write lock in one
// handle while another, with a short busy timeout, tries to store a page:
// it waits that long, then fails with ErrLocked and a message saying what
// to do, and stores nothing.
func TestSQLiteLockedWriterFailsClearly(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/locked.db"
	holder := openT(t, "sqlite:"+path)
	if _, err := holder.StartRun(ctx, RunInfo{ID: "r", ToolVersion: "1"}); err != nil {
		t.Fatal(err)
	}
	waiter := openT(t, "sqlite:"+path+"?busy_timeout=300ms")
	w, err := waiter.StartRun(ctx, RunInfo{ID: "r", ToolVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := holder.DB().BeginTx(ctx, nil) // immediate: takes the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE runs SET tool_version = 'held'`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = w.Page(ctx, samplePage("https://news.example/a", 0, 2), "a")
	waited := time.Since(start)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "busy_timeout") || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("write under a held lock: %v, want ErrLocked saying what to do", err)
	}
	if waited < 250*time.Millisecond {
		t.Errorf("gave up after %v, before its 300ms busy timeout", waited)
	}
	tx.Rollback()
	if err := w.Page(ctx, samplePage("https://news.example/a", 0, 2), "a"); err != nil {
		t.Errorf("write once the lock is free: %v", err)
	}
	if p, f := countRun(t, waiter, "r"); p != 1 || f != 2 {
		t.Errorf("stored %d pages and %d findings, want 1 and 2", p, f)
	}
}

// TestSQLiteWriterWaitsForTheLock holds the write lock for a while: a
// writer with the default busy timeout waits and then succeeds.
func TestSQLiteWriterWaitsForTheLock(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/wait.db"
	holder := openT(t, "sqlite:"+path)
	waiter := openT(t, "sqlite:"+path)
	w, err := waiter.StartRun(ctx, RunInfo{ID: "r", ToolVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := holder.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE runs SET tool_version = 'held'`); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(400 * time.Millisecond)
		tx.Commit()
	}()
	start := time.Now()
	if err := w.Page(ctx, samplePage("https://news.example/a", 0, 1), "a"); err != nil {
		t.Fatalf("write while another holds the lock for 400ms: %v", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("wrote after %v: it did not wait for the lock", waited)
	}
	var mode string
	if err := waiter.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
}
