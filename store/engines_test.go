package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsa11y/newsa11y/store/storetest"
)

// engine is a database a test runs against: a DSN for a fresh, empty
// store, made on demand.
type engine struct {
	name string
	// dsn returns the DSN of a new empty database for t.
	dsn func(t *testing.T) string
}

// engines returns the engines the store tests run against: a SQLite file
// always, and the PostgreSQL server NEWSA11Y_TEST_POSTGRES names when it
// is set. Without it the PostgreSQL runs are skipped, or fail when
// NEWSA11Y_REQUIRE_POSTGRES=1 (as CI sets).
func engines() []engine {
	return []engine{
		{"sqlite", func(t *testing.T) string {
			return "sqlite:" + filepath.Join(t.TempDir(), "store.db")
		}},
		{"postgres", func(t *testing.T) string { return storetest.PostgresDSN(t) }},
	}
}

// forEngine runs fn as a subtest per engine, with a fresh store's DSN.
func forEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) { fn(t, e.dsn(t)) })
	}
}

// startRunT starts a run's writer in the store, failing the test if it
// cannot.
func startRunT(t *testing.T, s *Store, info RunInfo) *Writer {
	t.Helper()
	w, err := s.StartRun(context.Background(), info)
	if err != nil {
		t.Fatalf("StartRun(%s): %v", info.ID, err)
	}
	return w
}

// openT opens the store at dsn, closed when the test ends.
func openT(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open(%s): %v", redactDSN(dsn), err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
