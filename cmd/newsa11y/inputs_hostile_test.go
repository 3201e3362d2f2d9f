//go:build unix

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
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/sitegen"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// These cases feed the binary hostile sitemaps, feeds and lists (issue
// 17, breaks 2, 4 and 8). They audit with --static, or fail before any
// page loads, so they need no browser and run in the fast tier.

// bounded is how a run that must not hang ended.
type bounded struct {
	result
	elapsed time.Duration
	// hung is set when the run was still going at its bound; sigint tells
	// whether SIGINT then ended it.
	hung, sigint bool
}

// runBounded runs the binary in dir with stdin and args, and gives it
// bound to end. A run still going then gets SIGINT, and 5 s more, then
// SIGKILL, so that a hang fails the test instead of stalling it.
func runBounded(t *testing.T, bound time.Duration, dir, stdin string, args ...string) bounded {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = binaryEnv(t)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var b bounded
	var err error
	select {
	case err = <-done:
	case <-time.After(testtime.Bound(bound)):
		b.hung = true
		cmd.Process.Signal(os.Interrupt)
		select {
		case err = <-done:
			b.sigint = true
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			err = <-done
		}
	}
	b.elapsed = time.Since(start)
	b.code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		b.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	b.stdout, b.stderr = out.String(), errOut.String()
	return b
}

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Pages []struct {
		URL, Title, Error string
		ErrorCause        string `json:"error_cause"`
	}
	Warnings []string
}

func readJSONReport(t *testing.T, path string) jsonReport {
	t.Helper()
	var rep jsonReport
	if err := json.Unmarshal(read(t, path), &rep); err != nil {
		t.Fatalf("report %s: %v", path, err)
	}
	return rep
}

// secretFolder writes a folder holding a page whose title must never
// reach a report, and returns the folder.
func secretFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	page := `<!DOCTYPE html><html lang="en"><title>SECRET-LOCAL</title><h1>SECRET-LOCAL</h1></html>`
	if err := os.WriteFile(filepath.Join(dir, "secret.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// webSite serves /ok.html, a page every case may audit, and the documents
// given by path.
func webSite(t *testing.T, docs map[string]func(base string) string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Web page</title><main><h1>Web page</h1></main></html>`)
	})
	for path, doc := range docs {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, doc(srv.URL))
		})
	}
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestRemoteSourcesNameOnlyWebPages serves sitemaps and a feed that name
// local folders, files, "." and "-": none of them is read or audited, each
// is listed as refused with its reason, and the web page next to them is
// audited.
func TestRemoteSourcesNameOnlyWebPages(t *testing.T) {
	secret := secretFolder(t)
	localSitemap := filepath.Join(secret, "sitemap.xml")
	if err := os.WriteFile(localSitemap, []byte(sitegen.URLSet(filepath.Join(secret, "secret.html"))), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, flag, doc string
	}{
		{"a local folder", "--sitemap", sitegen.URLSet(secret)},
		{"a file URL", "--sitemap", sitegen.URLSet("file://" + filepath.Join(secret, "secret.html"))},
		{"a local path", "--sitemap", sitegen.URLSet(filepath.Join(secret, "secret.html"))},
		{"the current folder", "--sitemap", sitegen.URLSet(".")},
		{"standard input", "--sitemap", sitegen.URLSet("-")},
		{"a child sitemap on disk", "--sitemap", sitegen.SitemapIndex(localSitemap)},
		{"a child sitemap as a file URL", "--sitemap", sitegen.SitemapIndex("file://" + localSitemap)},
		{"a feed link to standard input", "--feed", `<rss version="2.0"><channel><title>x</title><item><link>-</link></item><item><link>{base}/ok.html</link></item></channel></rss>`},
		{"an Atom link to a folder", "--feed", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="` + secret + `"/></entry><entry><link href="{base}/ok.html"/></entry></feed>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := webSite(t, map[string]func(string) string{
				"/source.xml": func(base string) string {
					doc := strings.ReplaceAll(c.doc, "{base}", base)
					if c.flag == "--sitemap" {
						// Every sitemap also lists the web page.
						doc = strings.Replace(doc, "</urlset>", "<url><loc>"+base+"/ok.html</loc></url></urlset>", 1)
						doc = strings.Replace(doc, "</sitemapindex>", "<sitemap><loc>"+base+"/pages.xml</loc></sitemap></sitemapindex>", 1)
					}
					return doc
				},
				"/pages.xml": func(base string) string { return sitegen.URLSet(base + "/ok.html") },
			})
			out := filepath.Join(t.TempDir(), "out.json")
			r := runBounded(t, 30*time.Second, secret, "<title>SECRET-STDIN</title><h1>SECRET-STDIN</h1>",
				"audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--report", "json="+out, c.flag, srv.URL+"/source.xml")
			t.Logf("exit %d in %s", r.code, r.elapsed.Round(time.Millisecond))
			if r.hung || r.code != 0 {
				t.Fatalf("exit %d (hung: %v), want 0\nstderr: %s", r.code, r.hung, r.stderr)
			}
			rep := readJSONReport(t, out)
			if len(rep.Pages) != 1 || rep.Pages[0].URL != srv.URL+"/ok.html" {
				t.Errorf("audited %+v, want only %s/ok.html", rep.Pages, srv.URL)
			}
			if data := string(read(t, out)); strings.Contains(data, "SECRET-") {
				t.Errorf("a local page's text reached the report")
			}
			if !strings.Contains(r.stderr, "refused") {
				t.Errorf("stderr does not list the refused entry:\n%s", r.stderr)
			}
			refused := 0
			for _, w := range rep.Warnings {
				if strings.Contains(w, "refused") {
					refused++
				}
			}
			if refused == 0 {
				t.Errorf("the report's warnings do not list the refused entry: %q", rep.Warnings)
			}
		})
	}
}

// TestLocalSitemapStaysInItsFolder reads a sitemap from disk: it may name
// the pages beside it and the web, but no file outside its folder.
func TestLocalSitemapStaysInItsFolder(t *testing.T) {
	outside := secretFolder(t)
	site := t.TempDir()
	page := `<!DOCTYPE html><html lang="en"><title>Inside</title><main><h1>Inside</h1></main></html>`
	if err := os.MkdirAll(filepath.Join(site, "news"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "news", "inside.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.html"), filepath.Join(site, "link.html")); err != nil {
		t.Fatal(err)
	}
	sitemap := filepath.Join(site, "sitemap.xml")
	doc := sitegen.URLSet("news/inside.html", filepath.Join(outside, "secret.html"), "../"+filepath.Base(outside)+"/secret.html", "link.html", "-", ".")
	if err := os.WriteFile(sitemap, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	// Run from the other folder: relative entries are the sitemap's.
	r := runBounded(t, 30*time.Second, outside, "<title>SECRET-STDIN</title>",
		"audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--report", "json="+out, "--sitemap", sitemap)
	t.Logf("exit %d in %s", r.code, r.elapsed.Round(time.Millisecond))
	if r.hung || r.code != 0 {
		t.Fatalf("exit %d (hung: %v), want 0\nstderr: %s", r.code, r.hung, r.stderr)
	}
	rep := readJSONReport(t, out)
	if len(rep.Pages) != 1 || rep.Pages[0].Title != "Inside" {
		t.Errorf("audited %+v, want only news/inside.html", rep.Pages)
	}
	if data := string(read(t, out)); strings.Contains(data, "SECRET-") {
		t.Errorf("the text of a page outside the sitemap's folder reached the report")
	}
	if n := strings.Count(r.stderr, "refused"); n < 5 {
		t.Errorf("stderr lists %d refused entries, want 5:\n%s", n, r.stderr)
	}
}

// TestFIFOsAreNeverOpened names a FIFO as a child sitemap (from a remote
// index and from a local one), as a sitemap, as a URL list and as a page.
// The run must end at once with the FIFO refused; before, opening it hung
// the run for ever, deaf to SIGINT and SIGTERM.
func TestFIFOsAreNeverOpened(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.xml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	fifoPage := filepath.Join(dir, "pipe.html")
	if err := syscall.Mkfifo(fifoPage, 0o600); err != nil {
		t.Fatal(err)
	}
	localIndex := filepath.Join(dir, "index.xml")
	if err := os.WriteFile(localIndex, []byte(sitegen.SitemapIndex("pipe.xml")), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := webSite(t, map[string]func(string) string{
		"/index.xml": func(base string) string { return sitegen.SitemapIndex(fifo, base+"/pages.xml") },
		"/pages.xml": func(base string) string { return sitegen.URLSet(base + "/ok.html") },
	})
	cases := []struct {
		name     string
		args     []string
		wantCode int
		// want is what standard error or the report says of the FIFO.
		want string
	}{
		{"a remote index's child", []string{"--sitemap", srv.URL + "/index.xml"}, 0, "refused"},
		{"a local index's child", []string{"--sitemap", localIndex, srv.URL + "/ok.html"}, 0, "not a regular file"},
		{"a sitemap", []string{"--sitemap", fifo}, 1, "not a regular file"},
		{"a feed", []string{"--feed", fifo}, 1, "not a regular file"},
		{"a URL list", []string{"--urls", fifo}, 1, "not a regular file"},
		{"a page", []string{fifoPage, srv.URL + "/ok.html"}, 1, "not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.json")
			args := append([]string{"audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--timeout", "60s", "--report", "json=" + out}, c.args...)
			r := runBounded(t, 15*time.Second, dir, "", args...)
			t.Logf("exit %d in %s", r.code, r.elapsed.Round(time.Millisecond))
			if r.hung {
				t.Fatalf("still running after %s; SIGINT ended it: %v\nstderr: %s", testtime.Bound(15*time.Second), r.sigint, r.stderr)
			}
			if r.code != c.wantCode {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, c.wantCode, r.stderr)
			}
			if !strings.Contains(r.stderr+string(readIfThere(out)), c.want) {
				t.Errorf("the FIFO is not named as refused:\nstderr: %s\nreport: %s", r.stderr, readIfThere(out))
			}
		})
	}
}

func readIfThere(path string) []byte {
	data, _ := os.ReadFile(path)
	return data
}

// TestInterruptWhileFetchingSitemapExits130 sends SIGINT while the
// sitemap is still arriving: the run is interrupted, not failed.
func TestInterruptWhileFetchingSitemapExits130(t *testing.T) {
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>`)
		w.(http.Flusher).Flush()
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	cmd := exec.Command(binary, "audit", "--no-config", "--static", "--quiet", "--sitemap", srv.URL+"/sitemap.xml")
	cmd.Env = binaryEnv(t)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-arrived:
	case err := <-done:
		t.Fatalf("the run ended before the sitemap was served: %v\n%s", err, errOut.String())
	case <-time.After(testtime.Bound(20 * time.Second)):
		cmd.Process.Kill()
		t.Fatal("the sitemap was never requested")
	}
	sent := time.Now()
	cmd.Process.Signal(os.Interrupt)
	var err error
	select {
	case err = <-done:
	case <-time.After(testtime.Bound(10 * time.Second)):
		cmd.Process.Kill()
		t.Fatalf("SIGINT did not end the run within %s", testtime.Bound(10*time.Second))
	}
	t.Logf("ended %s after SIGINT", time.Since(sent).Round(time.Millisecond))
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\nstderr: %s", err, errOut.String())
	}
}

// TestRefusedEntriesAreTerminalSafe lists an entry carrying C1
// control characters (U+009B is the 8-bit CSI) and a line break: the
// refusal printed on standard error holds neither.
func TestRefusedEntriesAreTerminalSafe(t *testing.T) {
	srv := webSite(t, map[string]func(string) string{
		"/sitemap.xml": func(base string) string {
			return sitegen.URLSet("/tmp/&#x9b;2J&#x9d;0;title&#x9c;&#10;newsa11y: forged line.html", base+"/ok.html")
		},
	})
	r := runBounded(t, 30*time.Second, t.TempDir(), "", "audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--report", "json="+filepath.Join(t.TempDir(), "out.json"), "--sitemap", srv.URL+"/sitemap.xml")
	t.Logf("exit %d in %s", r.code, r.elapsed.Round(time.Millisecond))
	if strings.ContainsAny(r.stderr, "\u009b\u009c\u009d") {
		t.Errorf("stderr carries C1 controls: %q", r.stderr)
	}
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "newsa11y: forged") {
			t.Errorf("a sitemap entry forged a line on stderr: %q", r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "refused") {
		t.Errorf("the entry is not listed as refused:\n%s", r.stderr)
	}
}

// bigIndex serves a sitemap index of children sitemaps of perChild URLs
// each, generated as they are sent, and /p/… pages. It counts the URL
// entries it sent.
func bigIndex(t *testing.T, children, perChild int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var sent atomic.Int64
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/index.xml", func(w http.ResponseWriter, r *http.Request) {
		var locs []string
		for i := range children {
			locs = append(locs, fmt.Sprintf("%s/child/%d", srv.URL, i))
		}
		fmt.Fprint(w, sitegen.SitemapIndex(locs...))
	})
	mux.HandleFunc("/child/{n}", func(w http.ResponseWriter, r *http.Request) {
		bw := bufio.NewWriterSize(w, 64<<10)
		fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		child := r.PathValue("n")
		for i := range perChild {
			if _, err := fmt.Fprintf(bw, "<url><loc>%s/p/%s-%07d.html</loc></url>\n", srv.URL, child, i); err != nil {
				return
			}
			sent.Add(1)
		}
		fmt.Fprint(bw, "</urlset>")
		bw.Flush()
	})
	mux.HandleFunc("/p/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Page</title><main><h1>Page</h1></main></html>`)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &sent
}

// peakRSS returns the peak resident memory of a finished process, in
// bytes.
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return -1
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}

// TestSitemapIndexMemoryIsFlat audits one page of an index of five
// sitemaps of 800,000 URLs each (issue 17: 2.1 GB before sitemaps were
// streamed). The run stops reading once it has its page, and its peak
// memory stays under 100 MB.
func TestSitemapIndexMemoryIsFlat(t *testing.T) {
	const children, perChild = 5, 800_000
	srv, sent := bigIndex(t, children, perChild)
	out := filepath.Join(t.TempDir(), "out.json")
	cmd := exec.Command(binary, "audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--max-pages", "1", "--report", "json="+out, "--sitemap", srv.URL+"/index.xml")
	cmd.Env = binaryEnv(t)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	rss := peakRSS(cmd.ProcessState)
	t.Logf("peak RSS %.1f MB, %s, %d URL entries sent of %d", float64(rss)/(1<<20), time.Since(start).Round(time.Millisecond), sent.Load(), children*perChild)
	if rss > 100<<20 {
		t.Errorf("peak RSS %.1f MB, want at most 100 MB", float64(rss)/(1<<20))
	}
	if rep := readJSONReport(t, out); len(rep.Pages) != 1 {
		t.Errorf("audited %d pages, want 1", len(rep.Pages))
	}
}
