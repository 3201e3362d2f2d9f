package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
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
		{"postgres", postgresDSN},
	}
}

// postgresDSN returns a DSN on the test server whose search path is a
// new schema of its own, dropped when the test ends, so tests never see
// each other's tables.
func postgresDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("NEWSA11Y_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("NEWSA11Y_REQUIRE_POSTGRES") == "1" {
			t.Fatal("NEWSA11Y_REQUIRE_POSTGRES=1 but NEWSA11Y_TEST_POSTGRES is not set: start one with scripts/postgres.sh start")
		}
		t.Skip("NEWSA11Y_TEST_POSTGRES is not set: no PostgreSQL to test against (scripts/postgres.sh start gives one)")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", redactDSN(base), err)
	}
	defer db.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", redactDSN(base), err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("NEWSA11Y_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// forEngine runs fn as a subtest per engine, with a fresh store's DSN.
func forEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) { fn(t, e.dsn(t)) })
	}
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
