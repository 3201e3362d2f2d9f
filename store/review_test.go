package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// failInsertOf makes the database refuse, with a trigger, to insert the
// processed row of the page with the given URL: a real failure of the
// database midway through Finish.
func failInsertOf(t *testing.T, s *Store, url string) {
	t.Helper()
	var stmts []string
	if s.Engine() == Postgres {
		stmts = []string{
			`CREATE FUNCTION refuse_page() RETURNS trigger AS $$ BEGIN
				IF NEW.processed = 1 AND NEW.url = '` + url + `' THEN RAISE EXCEPTION 'refused by the test'; END IF;
				RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse BEFORE INSERT ON pages FOR EACH ROW EXECUTE FUNCTION refuse_page()`,
		}
	} else {
		stmts = []string{`CREATE TRIGGER refuse BEFORE INSERT ON pages
			WHEN NEW.processed = 1 AND NEW.url = '` + url + `'
			BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`}
	}
	for _, st := range stmts {
		if _, err := s.DB().Exec(st); err != nil {
			t.Fatalf("create the trigger: %v", err)
		}
	}
}

// processedPages counts the run's pages by their processed column.
func processedPages(t *testing.T, s *Store, run string) (processed, streamed int) {
	t.Helper()
	if err := s.DB().QueryRow(s.q(`SELECT COALESCE(SUM(processed), 0), COUNT(*) - COALESCE(SUM(processed), 0) FROM pages WHERE run_id = ?`), run).Scan(&processed, &streamed); err != nil {
		t.Fatal(err)
	}
	return processed, streamed
}

func TestFinishRewritesInBatchesAndWritesTheStatusLast(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "big", ToolVersion: "1"})
		n := 2*FinishBatch + 50
		var pages []audit.PageResult
		for i := range n {
			pages = append(pages, samplePage(fmt.Sprintf("https://news.example/p%03d", i), i, 1))
		}
		// The page that fails is in the second batch.
		failInsertOf(t, s, pages[FinishBatch+10].URL)
		err := w.Finish(ctx, StatusDone, pages, nil)
		if err == nil || !strings.Contains(err.Error(), "refused by the test") {
			t.Fatalf("Finish: %v, want the trigger's refusal", err)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("pages %d to %d of %d", FinishBatch+1, 2*FinishBatch, n)) {
			t.Errorf("Finish's error does not say which batch failed: %v", err)
		}
		if done, _ := processedPages(t, s, "big"); done != FinishBatch {
			t.Errorf("%d pages stored after a failure in the second batch, want the first batch's %d", done, FinishBatch)
		}
		r, err := s.Run(ctx, "big")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusRunning {
			t.Errorf("a run whose rewrite failed has status %q, want %q (the status is written last)", r.Status, StatusRunning)
		}
		if _, err := s.DB().Exec(`DROP TRIGGER refuse` + map[bool]string{true: ` ON pages`}[s.Engine() == Postgres]); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, StatusDone, pages, nil); err != nil {
			t.Fatal(err)
		}
		if done, streamed := processedPages(t, s, "big"); done != n || streamed != 0 {
			t.Errorf("after a second Finish: %d processed, %d streamed; want %d and 0", done, streamed, n)
		}
		if r, _ := s.Run(ctx, "big"); r.Status != StatusDone {
			t.Errorf("status %q after Finish, want done", r.Status)
		}
	})
}

func TestFinishKeepsEachPagesFinishTimeAndShard(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "n", Shard: "1/2", Shards: 2, ToolVersion: "1"})
		a := samplePage("https://news.example/a", 0, 2)
		if err := w.Page(ctx, a, a.URL); err != nil {
			t.Fatal(err)
		}
		before, err := s.Pages(ctx, "n", PageFilter{})
		if err != nil || len(before) != 1 {
			t.Fatalf("pages %v, %v", before, err)
		}
		time.Sleep(30 * time.Millisecond)
		if err := w.Finish(ctx, StatusDone, []audit.PageResult{a}, nil); err != nil {
			t.Fatal(err)
		}
		after, err := s.Pages(ctx, "n", PageFilter{})
		if err != nil || len(after) != 1 {
			t.Fatalf("pages %v, %v", after, err)
		}
		if !after[0].Finished.Equal(before[0].Finished) || !after[0].Processed || after[0].Shard != "1/2" {
			t.Errorf("after Finish: finished %v processed %v shard %q; want the streamed %v, true and 1/2",
				after[0].Finished, after[0].Processed, after[0].Shard, before[0].Finished)
		}
	})
}

func TestRedactDSN(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"postgres://a11y:s3cret@db/news", "postgres://a11y:xxxxx@db/news"},
		{"postgres://a11y@db/news?password=s3cret", "postgres://a11y@db/news?password=xxxxx"},
		{"postgres://a11y@db/news?sslmode=require&sslpassword=s3cret", "postgres://a11y@db/news?sslmode=require&sslpassword=xxxxx"},
		{"postgres://a11y@db/news?api_token=s3cret&client_secret=s3cret", "postgres://a11y@db/news?api_token=xxxxx&client_secret=xxxxx"},
		{"postgres://a11y:50%off@db/news", "postgres://db/… (the rest of a DSN that does not parse)"},
		{"postgres://a11y:s3cret@db:5432/news?password=%zz", "postgres://a11y:xxxxx@db:5432/news?…"},
		{"s3cret%zz", "(a DSN that does not parse)"},
		{"postgres://a11y@db/news?sslmode=disable", "postgres://a11y@db/news?sslmode=disable"},
	} {
		if got := redactDSN(c.dsn); got != c.want {
			t.Errorf("redactDSN(%q) = %q, want %q", c.dsn, got, c.want)
		}
	}
}

func TestMessagesHideSecrets(t *testing.T) {
	ctx := context.Background()
	// Port 1 on loopback refuses connections: Open fails to connect.
	for _, dsn := range []string{
		"postgres://a11y:s3cret@127.0.0.1:1/news?connect_timeout=5",
		"postgres://a11y@127.0.0.1:1/news?password=s3cret&connect_timeout=5",
		"postgres://a11y@127.0.0.1:1/news?sslpassword=s3cret&sslmode=disable&connect_timeout=5",
		"postgres://a11y:50%off-s3cret@127.0.0.1:1/news",
		"postgresql://a11y@127.0.0.1:1/news?password=s3cret&bogus_option=%zz",
	} {
		s, err := open(dsn)
		if err == nil {
			if strings.Contains(s.String(), "s3cret") {
				t.Errorf("Store.String() of %s shows the secret: %s", redactDSN(dsn), s)
			}
			_, err = Open(ctx, dsn)
			s.Close()
		}
		if err == nil {
			t.Errorf("Open(%s) connected to port 1", redactDSN(dsn))
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "off-") {
			t.Errorf("Open(%s)'s error shows the secret: %v", redactDSN(dsn), err)
		}
	}
}

func TestRunWhoseEveryPageFailedListsUnderItsSite(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "down", ToolVersion: "1"})
		var pages []audit.PageResult
		for i := range 3 {
			p := audit.PageResult{URL: fmt.Sprintf("https://www.news.example/world/%d.html", i), Index: i,
				Error: "net::ERR_CONNECTION_REFUSED", ErrorCause: "network", Findings: []audit.Finding{}}
			pages = append(pages, p)
			if err := w.Page(ctx, p, p.URL); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(ctx, StatusDone, pages, nil); err != nil {
			t.Fatal(err)
		}
		site := audit.SiteKey(pages[0].URL, nil)
		runs, err := s.Runs(ctx, RunFilter{Site: site})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].ID != "down" || runs[0].Failed != 3 || !reflect.DeepEqual(runs[0].Sites, []string{site}) {
			t.Fatalf("runs of site %s: %+v; want run down with its 3 failed pages", site, runs)
		}
		got, err := s.Pages(ctx, "down", PageFilter{Site: site})
		if err != nil || len(got) != 3 {
			t.Fatalf("pages of site %s: %d, %v; want the 3 failed ones", site, len(got), err)
		}
	})
}

func TestNULIsStoredAsReplacementCharacter(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "nul", ToolVersion: "1"})
		p := samplePage("https://news.example/a\x00b", 0, 2)
		p.Title = "Flood\x00 warning"
		p.Findings[0].Message = "alt text \"photo\x00\" repeats the caption"
		p.Findings[0].Selector = "img[alt='\x00']"
		p.Findings[0].Snippet = "<img alt=\"\x00\">"
		if err := w.Page(ctx, p, "news.example/a\x00b"); err != nil {
			t.Fatalf("a page with NUL in its text: %v", err)
		}
		if err := w.Finish(ctx, StatusDone, []audit.PageResult{p}, map[string]string{p.URL: "news.example/a\x00b"}); err != nil {
			t.Fatalf("Finish with NUL in the text: %v", err)
		}
		pages, err := s.Pages(ctx, "nul", PageFilter{})
		if err != nil || len(pages) != 1 {
			t.Fatalf("pages %v, %v", pages, err)
		}
		r := pages[0].Result
		if r.URL != "https://news.example/a\uFFFDb" || r.Title != "Flood\uFFFD warning" || pages[0].Page != "news.example/a\uFFFDb" {
			t.Errorf("url %q title %q page %q; want NUL replaced by U+FFFD", r.URL, r.Title, pages[0].Page)
		}
		if len(r.Findings) != 2 || r.Findings[0].Message != `alt text "photo`+"\uFFFD"+`" repeats the caption` || r.Findings[0].Selector != "img[alt='\uFFFD']" {
			t.Errorf("findings %+v; want both, NUL replaced", r.Findings)
		}
		// The snippet is in the detail's JSON, where NUL is escaped.
		if len(r.Findings) > 0 && r.Findings[0].Snippet != "<img alt=\"\x00\">" {
			t.Errorf("snippet %q, want it as given", r.Findings[0].Snippet)
		}
	})
}

// readOnlyDSN returns a DSN that reads the store at dsn without the
// right to write: a SQLite file made read-only and opened with mode=ro,
// or a PostgreSQL role that may only SELECT from the store's tables.
func readOnlyDSN(t *testing.T, s *Store, dsn string) string {
	t.Helper()
	if s.Engine() == SQLite {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		return dsn + "?mode=ro"
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	role := "ro_" + schema
	for _, st := range []string{
		`CREATE ROLE ` + role + ` LOGIN`,
		`GRANT USAGE ON SCHEMA ` + schema + ` TO ` + role,
		`GRANT SELECT ON ALL TABLES IN SCHEMA ` + schema + ` TO ` + role,
	} {
		if _, err := s.DB().Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP OWNED BY ` + role)
		db.Exec(`DROP ROLE ` + role)
	})
	u.User = url.User(role)
	return u.String()
}

func TestReadOnlyStoreOpensForReading(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		w := startRunT(t, s, RunInfo{ID: "n1", ToolVersion: "1"})
		p := samplePage("https://news.example/a", 0, 2)
		if err := w.Page(ctx, p, p.URL); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, StatusDone, nil, nil); err != nil {
			t.Fatal(err)
		}
		ro := readOnlyDSN(t, s, dsn)
		s.Close()
		r, err := Open(ctx, ro)
		if err != nil {
			t.Fatalf("Open of a store that may only be read: %v", err)
		}
		defer r.Close()
		runs, err := r.Runs(ctx, RunFilter{})
		if err != nil || len(runs) != 1 || runs[0].Pages != 1 {
			t.Fatalf("runs %+v, %v; want n1 with its page", runs, err)
		}
		// And it is read-only indeed: a write fails.
		if _, err := r.StartRun(ctx, RunInfo{ID: "n2", ToolVersion: "1"}); err == nil {
			t.Errorf("StartRun on a read-only store succeeded")
		}
	})
}

func TestReadOnlyOpenOfAnEmptyStoreSaysWhy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	// An empty SQLite file: no tables.
	if err := os.WriteFile(path, nil, 0o444); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), "sqlite:"+path+"?mode=ro")
	if err == nil || !strings.Contains(err.Error(), "must hold newsa11y's tables already") {
		t.Errorf("Open read-only of an empty file: %v", err)
	}
}

func TestCompleteRunFinishesAnUnfinishedRun(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		var all []audit.PageResult
		for i := 1; i <= 2; i++ {
			w := startRunT(t, s, RunInfo{ID: "gh", Shard: fmt.Sprintf("%d/2", i), Shards: 2, ToolVersion: "1"})
			p := samplePage(fmt.Sprintf("https://news.example/%d", i), i, 1)
			all = append(all, p)
			if err := w.Page(ctx, p, p.URL); err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				if err := w.Finish(ctx, StatusDone, []audit.PageResult{p}, nil); err != nil {
					t.Fatal(err)
				}
			}
			// Shard 2 was killed: it stays running.
		}
		if r, _ := s.Run(ctx, "gh"); r.Status != StatusRunning {
			t.Fatalf("status %q before CompleteRun, want running", r.Status)
		}
		if err := s.CompleteRun(ctx, "gh", all, nil); err != nil {
			t.Fatal(err)
		}
		r, err := s.Run(ctx, "gh")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusDone || r.Pages != 2 {
			t.Errorf("after CompleteRun: status %q, %d pages; want done, 2", r.Status, r.Pages)
		}
		pages, err := s.Pages(ctx, "gh", PageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if !p.Processed || p.Shard != fmt.Sprintf("%d/2", p.Result.Index) {
				t.Errorf("page %s: processed %v shard %q; want processed, its shard kept", p.Result.URL, p.Processed, p.Shard)
			}
		}
	})
}

func TestListsSortBytewiseWhateverTheCollation(t *testing.T) {
	forEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openT(t, dsn)
		if s.Engine() == Postgres {
			// A team's server sorts text by a language's rules; the test
			// server's own default may be bytewise.
			for _, st := range []string{
				`ALTER TABLE runs ALTER COLUMN id TYPE TEXT COLLATE "en-x-icu"`,
				`ALTER TABLE run_shards ALTER COLUMN shard TYPE TEXT COLLATE "en-x-icu"`,
				`ALTER TABLE pages ALTER COLUMN site TYPE TEXT COLLATE "en-x-icu"`,
				`ALTER TABLE pages ALTER COLUMN url TYPE TEXT COLLATE "en-x-icu"`,
			} {
				if _, err := s.DB().Exec(st); err != nil {
					t.Skipf("the server has no ICU collation: %v", err)
				}
			}
		}
		at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
		ids := []string{"b-night", "B-night", "_night", "a-night"}
		for _, id := range ids {
			w := startRunT(t, s, RunInfo{ID: id, Started: at, ToolVersion: "1"})
			for _, site := range []string{"b.example", "B.example", "_x.example"} {
				p := samplePage("https://"+site+"/p", 0, 0)
				p.Site = site
				if err := w.Page(ctx, p, p.URL); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Finish(ctx, StatusDone, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		runs, err := s.Runs(ctx, RunFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range runs {
			got = append(got, r.ID)
		}
		if want := []string{"B-night", "_night", "a-night", "b-night"}; !reflect.DeepEqual(got, want) {
			t.Errorf("runs in order %v, want bytewise %v", got, want)
		}
		if want := []string{"B.example", "_x.example", "b.example"}; len(runs) > 0 && !reflect.DeepEqual(runs[0].Sites, want) {
			t.Errorf("sites in order %v, want bytewise %v", runs[0].Sites, want)
		}
		pages, err := s.Pages(ctx, "a-night", PageFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, p := range pages {
			got = append(got, p.Result.URL)
		}
		if want := []string{"https://B.example/p", "https://_x.example/p", "https://b.example/p"}; !reflect.DeepEqual(got, want) {
			t.Errorf("pages of equal index in order %v, want bytewise %v", got, want)
		}
	})
}
