// Package storetest gives tests of the results store a PostgreSQL
// database of their own, on the server NEWSA11Y_TEST_POSTGRES names
// (scripts/postgres.sh start gives one).
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresDSN returns a DSN on the test server whose search path is a new
// schema of its own, dropped when the test ends, so tests never see each
// other's tables. Without NEWSA11Y_TEST_POSTGRES it skips the test, or
// fails it when NEWSA11Y_REQUIRE_POSTGRES=1 (as CI sets).
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("NEWSA11Y_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("NEWSA11Y_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("NEWSA11Y_REQUIRE_POSTGRES=1 but NEWSA11Y_TEST_POSTGRES is not set: start one with scripts/postgres.sh start")
		}
		tb.Skip("NEWSA11Y_TEST_POSTGRES is not set: no PostgreSQL to test against (scripts/postgres.sh start gives one)")
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("NEWSA11Y_TEST_POSTGRES: %v", err)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("NEWSA11Y_TEST_POSTGRES: %v", err)
	}
	defer db.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema %s on the test PostgreSQL: %v", schema, err)
	}
	tb.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
