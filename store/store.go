// Package store persists audit runs in a SQL database, so that runs can be
// compared over time: an embedded SQLite file (sqlite:PATH) or a shared
// PostgreSQL server (postgres://…). One schema, applied by versioned
// migrations when the store is opened, serves both, and so do the same
// queries: they are written with ? placeholders, which become $1, $2… on
// PostgreSQL.
//
// A run is written page by page as pages finish, each page in its own
// transaction (see Writer), so a run that is killed keeps every page it
// had finished. Shards of one run, each its own process, share a run id
// and write into one run.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	// The PostgreSQL driver, registered as "pgx".
	_ "github.com/jackc/pgx/v5/stdlib"
	// The SQLite driver, registered as "sqlite3"; no cgo.
	"github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/driver"
)

// DefaultDSN is the store used when --store is given an empty path: a
// SQLite file in the current folder.
const DefaultDSN = "sqlite:newsa11y.db"

// DefaultBusyTimeout is how long a SQLite writer waits for another
// writer's lock before it gives up with ErrLocked.
const DefaultBusyTimeout = 30 * time.Second

// ErrLocked is returned (wrapped) when a SQLite store stayed locked by
// another writer for longer than its busy timeout.
var ErrLocked = errors.New("the SQLite database stayed locked by another writer")

// An Engine is the database engine behind a store.
type Engine string

const (
	// SQLite is an embedded database file.
	SQLite Engine = "sqlite"
	// Postgres is a PostgreSQL server.
	Postgres Engine = "postgres"
)

// A Store is an open results store.
type Store struct {
	db     *sql.DB
	engine Engine
	// name is the DSN with any password removed, for messages.
	name string
	// busy is the SQLite busy timeout, for the locked error's message.
	busy time.Duration
	// readOnly is set for a SQLite file opened with mode=ro: it is
	// neither switched to write-ahead logging nor migrated.
	readOnly bool
}

// Open opens the store a DSN names, creating the database file (SQLite)
// or the tables (both) when missing, and applies the migrations it lacks.
//
// DSNs:
//
//   - sqlite:PATH: a SQLite file; sqlite: alone is newsa11y.db. A query
//     string may set busy_timeout (a duration, default 30s), how long a
//     writer waits for another's lock: sqlite:runs.db?busy_timeout=5s;
//     and mode=ro, which opens the file read-only (for history: the
//     file must exist with the current schema).
//   - PATH ending in .db, .sqlite or .sqlite3: the same as sqlite:PATH.
//   - postgres://… or postgresql://…: a PostgreSQL database, as pgx reads
//     such a URL.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store %s: connect: %w", s.name, s.wrap(err))
	}
	if s.engine == SQLite && !s.readOnly {
		if err := s.useWAL(ctx); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("store %s: set write-ahead logging: %w", s.name, s.wrap(err))
		}
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// open parses the DSN and opens the database handle, without connecting.
func open(dsn string) (*Store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err := sql.Open("pgx", withExecMode(dsn))
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", redactDSN(dsn), err)
		}
		return &Store{db: db, engine: Postgres, name: redactDSN(dsn)}, nil
	}
	if rest, ok := sqliteRest(dsn); ok {
		return openSQLite(dsn, rest)
	}
	return nil, fmt.Errorf("store %q: unknown kind of database; want sqlite:PATH, a PATH ending in .db, or postgres://USER@HOST/DATABASE", redactDSN(dsn))
}

// withExecMode sets pgx's default_query_exec_mode to exec unless the DSN
// sets it: each statement then goes in one round trip, unprepared. The
// store's statements are many and short-lived (an INSERT's text changes
// with its number of rows), so pgx's default, which prepares and caches
// each new text first, made writes three to five times slower.
func withExecMode(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // pgx reports it
	}
	q := u.Query()
	if q.Has("default_query_exec_mode") {
		return dsn
	}
	q.Set("default_query_exec_mode", "exec")
	u.RawQuery = q.Encode()
	return u.String()
}

// sqliteRest returns what follows the kind in a SQLite DSN, PATH with an
// optional ?query: the rest of sqlite:PATH, or a bare PATH (no
// scheme://) ending in .db, .sqlite or .sqlite3. It reports false for
// any other DSN.
func sqliteRest(dsn string) (string, bool) {
	if rest, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return rest, true
	}
	return dsn, !strings.Contains(dsn, "://") && hasSQLiteExt(dsn)
}

// SQLitePath returns the file a SQLite DSN names, as Open reads it
// (sqlite: alone names newsa11y.db), and false for a DSN of another
// kind.
func SQLitePath(dsn string) (string, bool) {
	rest, ok := sqliteRest(dsn)
	if !ok {
		return "", false
	}
	path, _, _ := strings.Cut(rest, "?")
	if path == "" {
		path = strings.TrimPrefix(DefaultDSN, "sqlite:")
	}
	return path, true
}

// hasSQLiteExt reports whether a bare path names a SQLite file by its
// extension.
func hasSQLiteExt(path string) bool {
	path, _, _ = strings.Cut(path, "?")
	for _, ext := range []string{".db", ".sqlite", ".sqlite3"} {
		if strings.HasSuffix(path, ext) {
			return true
		}
	}
	return false
}

// openSQLite opens the SQLite file at rest (PATH[?busy_timeout=D]) in WAL
// mode, with writes that take the database's write lock when their
// transaction begins, waiting up to the busy timeout for it.
func openSQLite(dsn, rest string) (*Store, error) {
	path, _ := SQLitePath(dsn)
	_, query, _ := strings.Cut(rest, "?")
	busy := DefaultBusyTimeout
	readOnly := false
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", dsn, err)
		}
		for k, v := range q {
			switch k {
			case "busy_timeout":
				if busy, err = time.ParseDuration(v[0]); err != nil || busy < 0 {
					return nil, fmt.Errorf("store %s: busy_timeout %q: want a duration such as 30s", dsn, v[0])
				}
			case "mode":
				if v[0] != "ro" {
					return nil, fmt.Errorf("store %s: mode %q: want mode=ro (read-only) or no mode", dsn, v[0])
				}
				readOnly = true
			default:
				return nil, fmt.Errorf("store %s: unknown option %q; want busy_timeout or mode=ro", dsn, k)
			}
		}
	}
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath()}
	params := url.Values{}
	if readOnly {
		params.Set("mode", "ro")
	}
	params.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	params.Add("_pragma", "synchronous(normal)")
	params.Add("_pragma", "foreign_keys(on)")
	params.Set("_txlock", "immediate")
	u.RawQuery = params.Encode()
	db, err := sql.Open("sqlite3", u.String())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", dsn, err)
	}
	return &Store{db: db, engine: SQLite, name: "sqlite:" + path, busy: busy, readOnly: readOnly}, nil
}

// useWAL puts the SQLite file in write-ahead-logging mode, which it keeps
// for every later connection: readers then never block the writer. The
// switch takes an exclusive lock without waiting on the busy timeout, so
// processes opening a new file at once retry it until the busy timeout.
func (s *Store) useWAL(ctx context.Context) error {
	deadline := time.Now().Add(s.busy)
	for {
		var mode string
		err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode=wal`).Scan(&mode)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// redactDSN returns a DSN fit for messages: a URL's userinfo password
// and the values of its query options whose names hold "password",
// "secret" or "token" (password, sslpassword…) become xxxxx. A DSN that
// does not parse as a URL, but names a scheme and a host, shows those
// only; any other DSN that does not parse shows as a placeholder.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		scheme, rest, ok := strings.Cut(dsn, "://")
		if !ok || scheme == "" || strings.ContainsAny(scheme, "/?@") {
			return "(a DSN that does not parse)"
		}
		// The host follows the userinfo, which may hold any bytes.
		rest, _, _ = strings.Cut(rest, "/")
		rest, _, _ = strings.Cut(rest, "?")
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			rest = rest[i+1:]
		}
		return scheme + "://" + rest + "/… (the rest of a DSN that does not parse)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			u.RawQuery = "…"
		} else {
			for k, vs := range q {
				if secretKey(k) {
					for i := range vs {
						vs[i] = "xxxxx"
					}
				}
			}
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// secretKey reports whether a DSN option's name says it holds a secret.
func secretKey(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "password") || strings.Contains(k, "secret") || strings.Contains(k, "token")
}

// Engine returns the store's database engine.
func (s *Store) Engine() Engine { return s.engine }

// String names the store: its DSN without a password.
func (s *Store) String() string { return s.name }

// DB returns the database handle, for queries the read API does not
// offer. The caller must not close it.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// q rewrites a query written with ? placeholders for the store's engine:
// $1, $2… on PostgreSQL. Queries hold no ? inside string literals.
func (s *Store) q(query string) string {
	if s.engine != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrap turns SQLite's busy error into ErrLocked, with what to do about it.
func (s *Store) wrap(err error) error {
	if err == nil || s.engine != SQLite {
		return err
	}
	if isBusy(err) {
		return fmt.Errorf("%w for more than %s (%v); several processes writing at once to one SQLite file wait for each other: raise ?busy_timeout=, or give concurrent shards a PostgreSQL store", ErrLocked, s.busy, err)
	}
	return err
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	return errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.LOCKED)
}

// tx runs fn in a transaction, committed when fn returns nil and rolled
// back otherwise. On SQLite the transaction takes the write lock at once,
// so concurrent writers queue for it (up to the busy timeout) instead of
// failing midway.
func (s *Store) tx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store %s: %s: begin: %w", s.name, what, s.wrap(err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("store %s: %s: %w", s.name, what, s.wrap(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store %s: %s: commit: %w", s.name, what, s.wrap(err))
	}
	return nil
}

// millis returns t as milliseconds since the Unix epoch, the form every
// time is stored in; 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMillis returns the time ms milliseconds after the epoch, in UTC;
// the zero time for 0.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
