//go:build unix

package target_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/internal/sitegen"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// getWithHost sends GET path to the server with the Host header host.
func getWithHost(t *testing.T, srv *target.Server, host, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeDirRefusesDotfiles: the audited page may fetch anything its
// folder server serves, and send it on; .env and .git/config must not be
// among it.
func TestServeDirRefusesDotfiles(t *testing.T) {
	site := t.TempDir()
	write(t, filepath.Join(site, "story.html"), "<p>story</p>")
	write(t, filepath.Join(site, ".env"), "SECRET=env")
	write(t, filepath.Join(site, ".git", "config"), "SECRET=git")
	write(t, filepath.Join(site, "assets", ".htpasswd"), "SECRET=htpasswd")
	write(t, filepath.Join(site, ".hidden", "index.html"), "SECRET=index")
	srv, err := target.ServeDir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, path := range []string{"/.env", "/.git/config", "/assets/.htpasswd", "/.hidden/", "/.hidden/index.html", "/%2eenv", "/assets/%2Ehtpasswd"} {
		code, body := getWithHost(t, srv, host, path)
		if code < 400 || code >= 500 || strings.Contains(body, "SECRET") {
			t.Errorf("GET %s = %d %q, want a 4xx without the file", path, code, body)
		}
	}
	if code, body := getWithHost(t, srv, host, "/story.html"); code != 200 || body != "<p>story</p>" {
		t.Errorf("GET /story.html = %d %q", code, body)
	}
}

// TestServersAnswerOnlyTheirOwnHost: a page can make the browser send
// requests to the loopback server under another name (DNS rebinding); the
// server answers only 127.0.0.1:PORT and localhost:PORT.
func TestServersAnswerOnlyTheirOwnHost(t *testing.T) {
	site := t.TempDir()
	write(t, filepath.Join(site, "story.html"), "<p>story</p>")
	dirSrv, err := target.ServeDir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer dirSrv.Close()
	docSrv, err := target.ServeDocument([]byte("<p>doc</p>"))
	if err != nil {
		t.Fatal(err)
	}
	defer docSrv.Close()
	for _, c := range []struct {
		srv  *target.Server
		path string
	}{{dirSrv, "/story.html"}, {docSrv, "/"}} {
		port := c.srv.URL[strings.LastIndex(c.srv.URL, ":")+1:]
		for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port} {
			if code, _ := getWithHost(t, c.srv, host, c.path); code != 200 {
				t.Errorf("Host %s: %d, want 200", host, code)
			}
		}
		for _, host := range []string{"attacker.example", "attacker.example:" + port, "127.0.0.1", "127.0.0.1:1", "localhost.attacker.example:" + port, "0.0.0.0:" + port} {
			if code, body := getWithHost(t, c.srv, host, c.path); code < 400 || code >= 500 {
				t.Errorf("Host %s: %d %q, want a 4xx", host, code, body)
			}
		}
	}
}

// TestServeDirRefusesFIFOs: a FIFO (or a device) in the folder is never
// opened; a request for it fails at once instead of hanging.
func TestServeDirRefusesFIFOs(t *testing.T) {
	site := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(site, "pipe.html"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(site, "zero.html")); err != nil {
		t.Fatal(err)
	}
	srv, err := target.ServeDir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, path := range []string{"/pipe.html", "/zero.html"} {
		done := make(chan int, 1)
		go func() {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		select {
		case code := <-done:
			if code < 400 || code >= 500 {
				t.Errorf("GET %s = %d, want a 4xx", path, code)
			}
		case <-time.After(testtime.Bound(5 * time.Second)):
			t.Fatalf("GET %s still waits after %s", path, testtime.Bound(5*time.Second))
		}
	}
}

// TestFIFOsAndDevicesAreNeverOpened names FIFOs and a device as
// sitemaps, as a local index's sitemap, as entries and as pages: each is
// refused at once, and nothing waits for a writer.
func TestFIFOsAndDevicesAreNeverOpened(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pipe.xml", "pipe.html"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "index.xml"), sitegen.SitemapIndex("pipe.xml"))
	write(t, filepath.Join(dir, "pages.xml"), sitegen.URLSet("pipe.html", "ok.html"))
	write(t, filepath.Join(dir, "ok.html"), "ok")
	if err := os.Symlink("/dev/null", filepath.Join(dir, "null.html")); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	timer := time.AfterFunc(testtime.Bound(10*time.Second), func() {
		select {
		case <-done:
		default:
			panic("a FIFO was opened: the test hangs")
		}
	})
	defer func() { close(done); timer.Stop() }()

	for _, src := range []string{filepath.Join(dir, "pipe.xml"), "/dev/null"} {
		f := &target.Fetcher{}
		err := f.ReadSitemap(context.Background(), src, func(target.Entry) bool { return true })
		if !errors.Is(err, target.ErrNotRegular) {
			t.Errorf("sitemap %s: %v, want ErrNotRegular", src, err)
		}
		err = f.ReadFeed(context.Background(), src, func(target.Entry) bool { return true })
		if !errors.Is(err, target.ErrNotRegular) {
			t.Errorf("feed %s: %v, want ErrNotRegular", src, err)
		}
	}
	_, notes, err := collect(t, target.Filter{}, nil, []string{filepath.Join(dir, "index.xml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantNotes(t, notes, map[string]string{"pipe.xml": "not a regular file but a FIFO"})
	got, notes, err := collect(t, target.Filter{}, nil, []string{filepath.Join(dir, "pages.xml")}, nil)
	if err != nil || len(got) != 1 || filepath.Base(got[0]) != "ok.html" {
		t.Errorf("collected %q, %v; want only ok.html", got, err)
	}
	wantNotes(t, notes, map[string]string{"pipe.html": "not a regular file but a FIFO"})

	if _, err := target.OpenRegular("/dev/null"); !errors.Is(err, target.ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
		t.Errorf("OpenRegular(/dev/null): %v", err)
	}
	r := &target.Resolver{}
	defer r.Close()
	ts, err := r.Resolve([]string{filepath.Join(dir, "pipe.html"), filepath.Join(dir, "null.html"), dir})
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, tg := range ts {
		inputs = append(inputs, filepath.Base(tg.Input))
		if tg.Input != dir+"/ok.html" && !errors.Is(tg.Err, target.ErrNotRegular) {
			t.Errorf("%s: %v, want ErrNotRegular", tg.Input, tg.Err)
		}
	}
	// The folder holds one page: its FIFO and device are not pages.
	if strings.Join(inputs, " ") != "pipe.html null.html ok.html" {
		t.Errorf("targets %q", inputs)
	}
}
