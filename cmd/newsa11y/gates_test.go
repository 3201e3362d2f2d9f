package main_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The secrets of the gated site. Each is distinctive, so that finding it
// in an output can only mean it leaked.
const (
	gateUser       = "editor"
	gatePassword   = "Pw-Basic-7731-zq"
	gateCookie     = "Ck-Session-4412-zq"
	gateStorage    = "Ls-Token-9090-zq"
	gateHeader     = "Hd-Token-5521-zq"
	gateHeaderName = "X-Preview-Token"
)

// gatedPage is an article that passes the rules, with its own headline.
func gatedPage(title, extra string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + `</title></head>
<body><main><article><h1>` + title + `</h1>` + extra + `
<p>The story behind the gate, which only a reader who got through can see.</p></article></main></body></html>`
}

// A gatedSite serves a page behind each gate on loopback, and a second
// origin (localhost instead of 127.0.0.1) that records what it was sent:
// the gates' secrets must never reach it.
type gatedSite struct {
	*httptest.Server
	third *httptest.Server
	mu    sync.Mutex
	// leaked lists what the third party was sent that it must not get;
	// hits counts its requests, so that a test knows it was asked.
	leaked []string
	hits   int
}

func newGatedSite(t *testing.T) *gatedSite {
	t.Helper()
	s := &gatedSite{}
	s.third = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits++
		if r.Header.Get(gateHeaderName) != "" {
			s.leaked = append(s.leaked, "the header")
		}
		if r.Header.Get("Authorization") != "" {
			s.leaked = append(s.leaked, "the basic-auth credentials")
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`)
	}))
	t.Cleanup(s.third.Close)
	// The third party is the same loopback server under another name, so
	// another origin.
	thirdURL := strings.Replace(s.third.URL, "127.0.0.1", "localhost", 1)
	img := `<p><img src="` + thirdURL + `/pixel.svg" alt="A pixel from another site"></p>`
	mux := http.NewServeMux()
	mux.HandleFunc("/basic/story", func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != gateUser || pass != gatePassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="staging"`)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, gatedPage("Login required", ""))
			return
		}
		// An image without alt text gives the baseline a finding.
		fmt.Fprint(w, gatedPage("Staff story behind basic auth", img+`<p><img src="`+thirdURL+`/photo.svg" width="200" height="100"></p>`))
	})
	mux.HandleFunc("/cookie/story", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("sid"); err != nil || c.Value != gateCookie {
			// A paywall answers 200 with its sign-in page.
			fmt.Fprint(w, gatedPage("Sign in to read", ""))
			return
		}
		// The headline says whether local storage was filled before
		// the page's scripts ran.
		fmt.Fprint(w, gatedPage("Subscriber story", `<p id="storage">no token</p>
<script>if (localStorage.getItem("token") === "`+gateStorage+`") { document.querySelector("h1").textContent += " with storage"; document.title += " with storage"; }</script>`))
	})
	mux.HandleFunc("/header/story", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(gateHeaderName) != gateHeader {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, gatedPage("Preview forbidden", ""))
			return
		}
		fmt.Fprint(w, gatedPage("Preview story behind a header", img))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// gateOutputs returns --report flags writing every format and a stream
// into dir.
func gateOutputs(dir string) []string {
	return append(allFormats(dir), "--report", "jsonl="+filepath.Join(dir, "a11y.jsonl"), "--report", "text")
}

// gatePages reads the JSON report's pages.
func gatePages(t *testing.T, dir string) []struct {
	URL, Title, Error string
	Cause             string `json:"error_cause"`
} {
	t.Helper()
	var rep struct {
		Pages []struct {
			URL, Title, Error string
			Cause             string `json:"error_cause"`
		}
	}
	if err := json.Unmarshal(read(t, filepath.Join(dir, "a11y.json")), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Pages
}

// noSecrets fails when any secret, or the basic-auth credentials in any
// encoding, appears in a file of dir, on standard output or on standard
// error.
func noSecrets(t *testing.T, dir string, r result) {
	t.Helper()
	secrets := []string{gatePassword, gateCookie, gateStorage, gateHeader,
		base64.StdEncoding.EncodeToString([]byte(gateUser + ":" + gatePassword))}
	outputs := map[string]string{"standard output": r.stdout, "standard error": r.stderr}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "a11y") {
			outputs[e.Name()] = string(read(t, filepath.Join(dir, e.Name())))
		}
	}
	if len(outputs) < 8 {
		t.Errorf("only %d outputs to search; want every report format, the stream, stdout and stderr", len(outputs))
	}
	for name, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s holds the secret %q", name, s)
			}
		}
	}
}

// Issue 15: a page behind basic auth is audited as the page behind it,
// with the credentials from the URL or from NEWSA11Y_BASIC_AUTH, sent to
// the page's own origin only, and shown nowhere.
func TestGateBasicAuth(t *testing.T) {
	needChrome(t)
	site := newGatedSite(t)
	page := site.URL + "/basic/story"
	withUserinfo := strings.Replace(page, "http://", "http://"+gateUser+":"+gatePassword+"@", 1)
	for _, c := range []struct {
		name   string
		target string
		env    []string
	}{
		{"url", withUserinfo, nil},
		{"environment", page, []string{"NEWSA11Y_BASIC_AUTH=" + gateUser + ":" + gatePassword}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			baseline := filepath.Join(out, "a11y-baseline.json")
			r := run(t, "", c.env, append(append([]string{"audit", "--no-config", "--fail-on", "none", "--update-baseline", baseline}, gateOutputs(out)...), c.target)...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0\nstderr: %s", r.code, r.stderr)
			}
			pages := gatePages(t, out)
			if len(pages) != 1 || pages[0].Title != "Staff story behind basic auth" || pages[0].URL != page {
				t.Errorf("pages = %+v, want the staff story at %s (the address without its login)", pages, page)
			}
			if !strings.Contains(string(read(t, baseline)), `"page": "`+page+`"`) {
				t.Errorf("the baseline does not name the page by its address without the login:\n%s", read(t, baseline))
			}
			noSecrets(t, out, r)
		})
	}
	site.checkThirdParty(t)
}

// checkThirdParty fails when the third-party origin was never asked, or
// was sent a secret.
func (s *gatedSite) checkThirdParty(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hits == 0 {
		t.Error("the page's third-party image was never requested: nothing shows where the secrets went")
	}
	if len(s.leaked) > 0 {
		t.Errorf("the third-party origin was sent %v", s.leaked)
	}
}

// Issue 15: a wrong password fails the page with a clear cause; it is
// never audited as the login refusal and reported clean.
func TestGateBasicAuthWrongPassword(t *testing.T) {
	needChrome(t)
	site := newGatedSite(t)
	out := t.TempDir()
	target := strings.Replace(site.URL+"/basic/story", "http://", "http://"+gateUser+":"+gatePassword+"-wrong@", 1)
	r := run(t, "", nil, append(append([]string{"audit", "--no-config", "--fail-on", "none"}, gateOutputs(out)...), target)...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a page failed)\nstderr: %s", r.code, r.stderr)
	}
	pages := gatePages(t, out)
	if len(pages) != 1 || pages[0].Cause != "http-status" || !strings.Contains(pages[0].Error, "refused the basic-auth credentials") || !strings.Contains(pages[0].Error, "401") || pages[0].Title != "" {
		t.Errorf("pages = %+v, want one failed with http-status 401, the credentials refused, and nothing audited", pages)
	}
	if !strings.Contains(r.stderr, "refused the basic-auth credentials") {
		t.Errorf("stderr does not say why the page failed:\n%s", r.stderr)
	}
	noSecrets(t, out, r)
	if strings.Contains(r.stderr+r.stdout, gatePassword+"-wrong") {
		t.Error("the wrong password is shown")
	}
	// Without any credentials, the failure says how to give them.
	out = t.TempDir()
	r = run(t, "", nil, append(append([]string{"audit", "--no-config", "--fail-on", "none"}, gateOutputs(out)...), site.URL+"/basic/story")...)
	if r.code != 1 || !strings.Contains(r.stderr, "the page needs a login") {
		t.Errorf("no credentials: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// Issue 15: a cookie-gated page is audited behind its gate with a
// cookies.txt file and with a Playwright storage state, whose local
// storage is filled before the page's scripts run.
func TestGateCookies(t *testing.T) {
	needChrome(t)
	site := newGatedSite(t)
	dir := t.TempDir()
	netscape := filepath.Join(dir, "cookies.txt")
	playwright := filepath.Join(dir, "state.json")
	if err := os.WriteFile(netscape, []byte("# Netscape HTTP Cookie File\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\t"+gateCookie+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	state := fmt.Sprintf(`{"cookies": [{"name": "sid", "value": %q, "domain": "127.0.0.1", "path": "/", "expires": -1, "httpOnly": true, "secure": false, "sameSite": "Lax"}],
  "origins": [{"origin": %q, "localStorage": [{"name": "token", "value": %q}]}]}`, gateCookie, site.URL, gateStorage)
	if err := os.WriteFile(playwright, []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, file, title, isolation string }{
		{"cookies.txt", netscape, "Subscriber story", "context"},
		{"playwright", playwright, "Subscriber story with storage", "cleared"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"audit", "--no-config", "--fail-on", "none", "--isolation", c.isolation, "--cookies", c.file}, gateOutputs(out)...)
			r := run(t, "", nil, append(args, site.URL+"/cookie/story")...)
			if r.code != 0 {
				t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
			}
			if pages := gatePages(t, out); len(pages) != 1 || pages[0].Title != c.title {
				t.Errorf("pages = %+v, want the page behind the paywall, titled %q", pages, c.title)
			}
			noSecrets(t, out, r)
		})
	}
}

// Issue 15: a header-gated page, from the command line and from the
// configuration's auth entries, which also give basic auth by URL
// pattern; in a reused tab (--isolation cleared) each page gets its own
// gate and no other's.
func TestGateHeaders(t *testing.T) {
	needChrome(t)
	site := newGatedSite(t)
	t.Run("flag", func(t *testing.T) {
		out := t.TempDir()
		args := append([]string{"audit", "--no-config", "--fail-on", "none", "--header", gateHeaderName + ": " + gateHeader}, gateOutputs(out)...)
		r := run(t, "", nil, append(args, site.URL+"/header/story")...)
		if r.code != 0 {
			t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
		}
		if pages := gatePages(t, out); len(pages) != 1 || pages[0].Title != "Preview story behind a header" {
			t.Errorf("pages = %+v, want the preview behind the header", pages)
		}
		noSecrets(t, out, r)
	})
	t.Run("config", func(t *testing.T) {
		out := t.TempDir()
		cfg := filepath.Join(t.TempDir(), "gates.yml")
		doc := fmt.Sprintf(`auth:
  - url: "%s/header/*"
    header: ["%s: ${GATE_TEST_TOKEN}"]
  - url: "%s/basic/*"
    basic_auth: "%s:${GATE_TEST_PASSWORD}"
`, site.URL, gateHeaderName, site.URL, gateUser)
		if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		// One reused tab: the header page, then the basic-auth page, then
		// the header page's twin on the basic path must not get the
		// header (it would be refused anyway), and the header page again.
		args := append([]string{"audit", "--config", cfg, "--fail-on", "none", "--isolation", "cleared", "-c", "1"}, gateOutputs(out)...)
		r := run(t, "", []string{"GATE_TEST_TOKEN=" + gateHeader, "GATE_TEST_PASSWORD=" + gatePassword},
			append(args, site.URL+"/header/story", site.URL+"/basic/story", site.URL+"/header/story?again")...)
		if r.code != 0 {
			t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
		}
		pages := gatePages(t, out)
		want := []string{"Preview story behind a header", "Staff story behind basic auth", "Preview story behind a header"}
		if len(pages) != len(want) {
			t.Fatalf("pages = %+v", pages)
		}
		for i, p := range pages {
			if p.Title != want[i] {
				t.Errorf("page %d: %+v, want %q", i, p, want[i])
			}
		}
		noSecrets(t, out, r)
	})
	t.Run("not given", func(t *testing.T) {
		out := t.TempDir()
		r := run(t, "", nil, append(append([]string{"audit", "--no-config", "--fail-on", "none"}, gateOutputs(out)...), site.URL+"/header/story")...)
		if pages := gatePages(t, out); r.code != 1 || len(pages) != 1 || pages[0].Cause != "http-status" {
			t.Errorf("exit %d, pages %+v: want the forbidden page failed", r.code, pages)
		}
	})
	site.checkThirdParty(t)
}

// Issue 15 with issue 16's contract: each gate's input is checked before
// any browser starts, in one line naming the input, and never repeats
// the secret.
func TestGateInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("127.0.0.1 FALSE / FALSE 0 sid "+gateCookie+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(cfg, []byte("auth:\n  - url: \"http://x/*\"\n    header: [\"X-T: ${GATE_TEST_UNSET_VAR}\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"header without colon", nil, []string{"--header", "X-Token " + gateHeader}, `--header: header 1: want "Name: value"`},
		{"header from the environment", []string{"NEWSA11Y_HEADER=X-Ok: fine\nbad name: " + gateHeader}, nil, "NEWSA11Y_HEADER: header 2: header name"},
		{"cookies file", nil, []string{"--cookies", bad}, "--cookies: cookies file " + bad + ": line 1: not a cookies.txt line"},
		{"missing cookies file", nil, []string{"--cookies", filepath.Join(dir, "none.txt")}, "--cookies: cookies file"},
		{"basic auth", []string{"NEWSA11Y_BASIC_AUTH=" + gatePassword}, nil, "NEWSA11Y_BASIC_AUTH: want user:password"},
		{"config variable", nil, []string{"--config", cfg}, "config " + cfg + ": line 2: auth[0].header[0]: the environment variable GATE_TEST_UNSET_VAR is not set"},
		{"static", nil, []string{"--static", "--header", "X-A: b"}, "cannot be used with --static"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"audit"}
			if !strings.Contains(strings.Join(c.args, " "), "--config") {
				args = append(args, "--no-config")
			}
			args = append(append(args, c.args...), "http://127.0.0.1:1/")
			r := run(t, "", append(c.env, "NEWSA11Y_CHROME_PATH=/nonexistent/chrome"), args...)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if r.code != 1 || len(lines) != 1 || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, want one line containing %q", r.code, r.stderr, c.want)
			}
			for _, s := range []string{gateHeader, gateCookie, gatePassword} {
				if strings.Contains(r.stderr, s) {
					t.Errorf("the error shows the secret %q", s)
				}
			}
		})
	}
}
