package target_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/target"
)

func get(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestServeDirStaysInsideItsFolder(t *testing.T) {
	base := t.TempDir()
	site := filepath.Join(base, "site")
	write(t, filepath.Join(site, "story.html"), "<p>story</p>")
	write(t, filepath.Join(site, "assets", "a.css"), "p{}")
	write(t, filepath.Join(base, "secret.txt"), "secret")
	if err := os.Symlink(filepath.Join(base, "secret.txt"), filepath.Join(site, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(site, "assets", "a.css"), filepath.Join(site, "alias.css")); err != nil {
		t.Fatal(err)
	}
	srv, err := target.ServeDir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if u, _ := url.Parse(srv.URL); u.Hostname() != "127.0.0.1" {
		t.Errorf("server listens on %s, want 127.0.0.1", u.Host)
	}
	cases := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/story.html", 200, "<p>story</p>"},
		{"/assets/a.css", 200, "p{}"},
		{"/alias.css", 200, "p{}"},
		{"/leak.txt", 403, ""},
		{"/../secret.txt", 403, ""},
		{"/assets/../../secret.txt", 403, ""},
		{"/%2e%2e/secret.txt", 403, ""},
		{"/nothing.html", 404, ""},
	}
	for _, c := range cases {
		// Send the path raw, so that the client does not clean it first.
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.URL.Opaque = c.path
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.wantStatus || (c.wantBody != "" && string(body) != c.wantBody) {
			t.Errorf("GET %s = %d %q, want %d %q", c.path, resp.StatusCode, body, c.wantStatus, c.wantBody)
		}
		if strings.Contains(string(body), "secret") {
			t.Errorf("GET %s leaked a file outside the folder", c.path)
		}
	}
	if code, _, h := get(t, srv.URL+"/story.html"); code != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("story.html: %d %q", code, h.Get("Content-Type"))
	}
}

func TestLatin1HTMLIsNotLabelledUTF8(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "old.html"), "<meta charset=iso-8859-1><p>caf\xe9</p>")
	srv, err := target.ServeDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, _, h := get(t, srv.URL+"/old.html"); h.Get("Content-Type") != "text/html" {
		t.Errorf("Content-Type = %q, want text/html so the meta charset decides", h.Get("Content-Type"))
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "b.html"), "<p>b</p>")
	write(t, filepath.Join(dir, "a.html"), "<p>a</p>")
	write(t, filepath.Join(dir, "sub", "c.htm"), "<p>c</p>")
	write(t, filepath.Join(dir, "notes.txt"), "not html")
	write(t, filepath.Join(dir, ".git", "x.html"), "hidden folder")

	r := &target.Resolver{Stdin: strings.NewReader("<h1>from stdin</h1>")}
	defer r.Close()
	ts, err := r.Resolve([]string{
		dir,
		filepath.Join(dir, "a.html"), // duplicate of a folder entry
		"-",
		"https://example.test/story",
		filepath.Join(dir, "missing.html"),
		filepath.Join(dir, "notes.txt"),
		"ftp://example.test/x",
	})
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, tg := range ts {
		inputs = append(inputs, strings.TrimPrefix(tg.Input, dir))
	}
	want := "/a.html /b.html /sub/c.htm - https://example.test/story /missing.html /notes.txt ftp://example.test/x"
	if got := strings.Join(inputs, " "); got != want {
		t.Fatalf("inputs = %s\nwant     %s", got, want)
	}
	if _, body, _ := get(t, ts[2].URL); body != "<p>c</p>" {
		t.Errorf("sub/c.htm served %q", body)
	}
	if _, body, _ := get(t, ts[3].URL); body != "<h1>from stdin</h1>" {
		t.Errorf("stdin served %q", body)
	}
	for _, i := range []int{5, 6, 7} {
		var le *audit.LoadError
		if !errors.As(ts[i].Err, &le) || le.Cause != audit.CauseInput {
			t.Errorf("%s: Err = %v, want an input LoadError", ts[i].Input, ts[i].Err)
		}
	}
	if !strings.Contains(ts[5].Err.Error(), "no such file") {
		t.Errorf("missing file error: %v", ts[5].Err)
	}
}

func TestResolveSample(t *testing.T) {
	r := &target.Resolver{}
	defer r.Close()
	ts, err := r.Resolve(nil)
	if err != nil || len(ts) != 1 || ts[0].Input != target.SampleInput {
		t.Fatalf("Resolve(nil) = %+v, %v", ts, err)
	}
	code, body, _ := get(t, ts[0].URL)
	if code != 200 || !strings.Contains(body, "Macron, Putin Meeting on Ukraine Crisis") {
		t.Errorf("sample: %d, %d bytes", code, len(body))
	}
	if code, _, h := get(t, strings.Replace(ts[0].URL, "article.html", "photo.jpg", 1)); code != 200 || h.Get("Content-Type") != "image/jpeg" {
		t.Errorf("sample photo: %d %s", code, h.Get("Content-Type"))
	}
}
