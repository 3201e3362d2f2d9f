package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/sitegen"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// writeSite generates a local news site of n article pages in a
// temporary folder and returns the folder.
func writeSite(t testing.TB, n int) string {
	t.Helper()
	dir := t.TempDir()
	if err := sitegen.Write(dir, n); err != nil {
		t.Fatal(err)
	}
	return dir
}

// siteSize is the generated site's size: small in the regular test run,
// 1,000 pages with NEWSA11Y_LONG_TESTS=1.
func siteSize() int {
	if os.Getenv("NEWSA11Y_LONG_TESTS") == "1" {
		return 1000
	}
	return 24
}

func streamURLs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var urls []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var p struct{ URL string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("stream line %q: %v", sc.Text(), err)
		}
		urls = append(urls, p.URL)
	}
	return urls
}

// TestKillAndResume kills a run with SIGKILL once part of the site is done,
// resumes it, and checks that the stream holds every page exactly once.
func TestKillAndResume(t *testing.T) {
	needChrome(t)
	n := siteSize()
	site := writeSite(t, n)
	stream := filepath.Join(t.TempDir(), "run.jsonl")
	cmd := exec.Command(binary, "audit", "--no-config", "--report", "jsonl="+stream, "--report", "json="+filepath.Join(site, "ignored.json"), site)
	// A run killed with SIGKILL cannot remove its browser profile: keep
	// it in the test's own temporary folder, which the test removes.
	cmd.Env = binaryEnv(t, "TMPDIR="+t.TempDir())
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testtime.Bound(5 * time.Minute))
	for {
		data, _ := os.ReadFile(stream)
		if bytes.Count(data, []byte("\n")) >= n/2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the run did not get halfway in time\n%s", errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before := streamURLs(t, stream)
	if len(before) >= n {
		t.Fatalf("the run finished before it was killed (%d pages)", len(before))
	}

	r := run(t, "", nil, "audit", "--no-config", "--resume", stream, "--report", "json="+filepath.Join(t.TempDir(), "final.json"), site)
	if r.code != 2 {
		t.Fatalf("resumed run: exit %d, want 2\n%s", r.code, r.stderr)
	}
	after := streamURLs(t, stream)
	counts := map[string]int{}
	for _, u := range after {
		counts[u]++
	}
	if len(after) != n || len(counts) != n {
		t.Errorf("after resuming the stream has %d lines for %d distinct pages; want %d of each", len(after), len(counts), n)
	}
	for u, c := range counts {
		if c != 1 {
			t.Errorf("%s appears %d times", u, c)
		}
	}
	if !strings.Contains(r.stderr, "pages") && n > 1 {
		t.Logf("progress on stderr:\n%s", r.stderr)
	}
}

// TestShardsMergeToTheUnshardedRun audits a site whole and in two shards,
// merges the shards, and compares finding for finding.
func TestShardsMergeToTheUnshardedRun(t *testing.T) {
	needChrome(t)
	site := writeSite(t, 9)
	out := t.TempDir()
	whole := filepath.Join(out, "whole.json")
	if r := run(t, "", nil, "audit", "--no-config", "--quiet", "--report", "json="+whole, site); r.code != 2 {
		t.Fatalf("whole run: exit %d\n%s", r.code, r.stderr)
	}
	var shards []string
	total := 0
	for i := 1; i <= 2; i++ {
		path := filepath.Join(out, "shard-"+strconv.Itoa(i)+".json")
		shards = append(shards, path)
		r := run(t, "", nil, "audit", "--no-config", "--quiet", "--shard", fmt.Sprintf("%d/2", i), "--report", "json="+path, site)
		if r.code != 2 && r.code != 0 {
			t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
		}
		var rep struct{ Pages []json.RawMessage }
		json.Unmarshal(read(t, path), &rep)
		if len(rep.Pages) == 0 || len(rep.Pages) == 9 {
			t.Errorf("shard %d has %d of the 9 pages; the hash should split them", i, len(rep.Pages))
		}
		total += len(rep.Pages)
	}
	if total != 9 {
		t.Errorf("the shards hold %d pages together, want 9 (no overlap, nothing missed)", total)
	}
	merged := filepath.Join(out, "merged.json")
	if r := run(t, "", nil, append([]string{"merge", "--report", "json=" + merged}, shards...)...); r.code != 2 {
		t.Fatalf("merge: exit %d\n%s", r.code, r.stderr)
	}
	// Thumbnails are screenshots and may differ by a few bytes between
	// runs; everything else must be identical.
	normalize := func(data []byte) string {
		var v map[string]any
		json.Unmarshal(data, &v)
		for _, p := range v["pages"].([]any) {
			for _, f := range p.(map[string]any)["findings"].([]any) {
				delete(f.(map[string]any), "thumbnail")
			}
		}
		out, _ := json.MarshalIndent(v, "", " ")
		return string(out)
	}
	if a, b := normalize(read(t, whole)), normalize(read(t, merged)); a != b {
		t.Errorf("the merged shards differ from the whole run\nwhole:\n%.2000s\nmerged:\n%.2000s", a, b)
	}
}

// TestNewsSitemapSince serves a sitemap index with a news sitemap and audits
// only the pages published in the window.
func TestNewsSitemapSince(t *testing.T) {
	needChrome(t)
	site := writeSite(t, 4)
	files := http.FileServer(http.Dir(site))
	var srv *httptest.Server
	now := time.Now().UTC()
	mux := http.NewServeMux()
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s/news.xml</loc></sitemap></sitemapindex>`, srv.URL)
	})
	mux.HandleFunc("/news.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`)
		for i, age := range []time.Duration{2 * time.Hour, 20 * time.Hour, 50 * time.Hour, 200 * time.Hour} {
			fmt.Fprintf(w, `<url><loc>%s/story-%04d.html</loc><news:news><news:publication_date>%s</news:publication_date></news:news></url>`,
				srv.URL, i+1, now.Add(-age).Format(time.RFC3339))
		}
		fmt.Fprint(w, `</urlset>`)
	})
	mux.Handle("/", files)
	srv = httptest.NewServer(mux)
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "out.json")
	r := run(t, "", nil, "audit", "--no-config", "--sitemap", srv.URL+"/sitemap.xml", "--since", "24h", "--report", "json="+out)
	if r.code != 2 && r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var rep struct{ Pages []struct{ URL string } }
	json.Unmarshal(read(t, out), &rep)
	var got []string
	for _, p := range rep.Pages {
		got = append(got, strings.TrimPrefix(p.URL, srv.URL))
	}
	if strings.Join(got, " ") != "/story-0001.html /story-0002.html" {
		t.Errorf("audited %v, want the two pages published in the last 24 hours", got)
	}
}

// TestURLListAndMaxPages reads URLs from standard input, drops duplicates
// keeping order, and stops at --max-pages.
func TestURLListAndMaxPages(t *testing.T) {
	needChrome(t)
	site := writeSite(t, 4)
	list := fmt.Sprintf("# pages\n%[1]s/story-0002.html\n%[1]s/story-0001.html\n%[1]s/story-0002.html\n%[1]s/story-0003.html\n", site)
	out := filepath.Join(t.TempDir(), "out.json")
	r := run(t, list, nil, "audit", "--no-config", "--urls", "-", "--max-pages", "2", "--report", "json="+out)
	if r.code != 2 && r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var rep struct{ Pages []struct{ URL string } }
	json.Unmarshal(read(t, out), &rep)
	if len(rep.Pages) != 2 || !strings.HasSuffix(rep.Pages[0].URL, "story-0002.html") || !strings.HasSuffix(rep.Pages[1].URL, "story-0001.html") {
		t.Errorf("pages %+v, want story 2 then story 1", rep.Pages)
	}
}

// TestInterruptWritesReportsAndExits130 sends SIGINT mid-run: the run
// finishes the line being written, writes its reports for the pages done
// and exits 130.
func TestInterruptWritesReportsAndExits130(t *testing.T) {
	needChrome(t)
	site := writeSite(t, 16)
	out := t.TempDir()
	stream, report := filepath.Join(out, "run.jsonl"), filepath.Join(out, "run.json")
	cmd := exec.Command(binary, "audit", "--no-config", "--report", "jsonl="+stream, "--report", "json="+report, site)
	cmd.Env = binaryEnv(t)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testtime.Bound(2 * time.Minute))
	for {
		data, _ := os.ReadFile(stream)
		if bytes.Count(data, []byte("\n")) >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130", err)
	}
	var rep struct{ Pages []struct{ URL, Error string } }
	if err := json.Unmarshal(read(t, report), &rep); err != nil {
		t.Fatal(err)
	}
	streamed := streamURLs(t, stream)
	if len(rep.Pages) != len(streamed) || len(rep.Pages) == 0 || len(rep.Pages) == 16 {
		t.Errorf("report has %d pages, the stream %d; want the same, some but not all", len(rep.Pages), len(streamed))
	}
	for _, p := range rep.Pages {
		if p.Error != "" {
			t.Errorf("an interrupted page reached the report: %s: %s", p.URL, p.Error)
		}
	}
}
