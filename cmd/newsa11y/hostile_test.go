package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// hostileSite serves a good article among pages that hang, fail or are not
// HTML.
func hostileSite(t *testing.T) *httptest.Server {
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><title>Harbour | News</title></head><body>
<a href="#main">Skip to content</a><nav><a href="/">Home</a></nav>
<main id="main"><h1>Harbour</h1><figure><img src="/photo.gif" alt="Boats at low tide." width="40" height="30">
<figcaption>Boats at low tide.</figcaption></figure></main></body></html>`)
	})
	mux.HandleFunc("/photo.gif", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	})
	mux.HandleFunc("/hangs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<h1>The start")
		w.(http.Flusher).Flush()
		select {
		case <-done:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/unavailable", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4\n%%EOF\n"))
	})
	mux.HandleFunc("/dialogs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Dialogs</title><h1>Dialogs</h1>
<script>alert(1); confirm(2); setInterval(() => alert(3), 100);
addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = ''; });</script>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { close(done); srv.Close() })
	return srv
}

// noBrowserLeft fails the test when a browser process started under the
// temporary folder tmp still runs, or when a profile remains in it.
func noBrowserLeft(t *testing.T, tmp string) {
	t.Helper()
	// The browser's processes may take a moment to be reaped.
	testtime.Log(t)
	deadline := time.Now().Add(testtime.Bound(5 * time.Second))
	for {
		procs := processesMentioning(tmp)
		entries, _ := os.ReadDir(tmp)
		if len(procs) == 0 && len(entries) == 0 {
			return
		}
		if time.Now().After(deadline) {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Fatalf("left behind: processes %v, files %v", procs, names)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// processesMentioning lists the pids whose command line contains s.
func processesMentioning(s string) []string {
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var pids []string
	for _, f := range dirs {
		data, err := os.ReadFile(f)
		if err == nil && bytes.Contains(data, []byte(s)) {
			pids = append(pids, filepath.Base(filepath.Dir(f)))
		}
	}
	return pids
}

// TestHostileRunEndsWithCauses audits a good article among pages that
// hang, fail and are not HTML: the run ends in bounded time with exit code
// 1, each failed page is reported with its cause, the article's findings
// are all there, and no browser process or profile is left behind.
func TestHostileRunEndsWithCauses(t *testing.T) {
	needChrome(t)
	srv := hostileSite(t)
	tmp := t.TempDir()
	out := t.TempDir()
	report := filepath.Join(out, "run.json")
	// The hanging page's timeout must fire, and is short; the others get
	// the default, stretched by the time scale (binaryEnv), so that a busy
	// machine does not time them out instead of failing them as they
	// should.
	const hangTimeout = 4 * time.Second
	cfg := filepath.Join(out, "newsa11y.yml")
	pages := fmt.Sprintf("urls:\n  - url: %[1]s/hangs\n    timeout: %[2]s\n  - %[1]s/unavailable\n  - %[1]s/article\n  - %[1]s/report.pdf\n  - %[1]s/dialogs\n",
		srv.URL, hangTimeout)
	if err := os.WriteFile(cfg, []byte(pages), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := run(t, "", []string{"TMPDIR=" + tmp}, "audit", "--config", cfg, "--report", "json="+report)
	took := time.Since(start)
	if res.code != 1 {
		t.Errorf("exit %d, want 1 for failed pages\n%s", res.code, res.stderr)
	}
	// The hanging page ends within its timeout and the capture grace,
	// the loader's own timers. The rest is work: starting the browser,
	// the other pages (two at a time at most on CI) and closing, 26 s
	// on a quiet two-core machine.
	if limit := hangTimeout + chrome.CaptureGrace + testtime.Bound(26*time.Second); took > limit {
		t.Errorf("the run took %s, more than %s", took, limit)
	}
	var rep struct {
		Pages []struct {
			URL        string
			Error      string
			ErrorCause string `json:"error_cause"`
			Findings   []struct{ Rule string }
		}
	}
	if err := json.Unmarshal(read(t, report), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/hangs": "timeout", "/unavailable": "http-status", "/report.pdf": "not-html", "/article": "", "/dialogs": ""}
	if len(rep.Pages) != len(want) {
		t.Fatalf("%d pages reported, want %d", len(rep.Pages), len(want))
	}
	for _, p := range rep.Pages {
		path := strings.TrimPrefix(p.URL, srv.URL)
		cause, ok := want[path]
		switch {
		case !ok:
			t.Errorf("unexpected page %s", p.URL)
		case p.ErrorCause != cause:
			t.Errorf("%s: cause %q (%s), want %q", path, p.ErrorCause, p.Error, cause)
		case cause != "" && p.Error == "":
			t.Errorf("%s failed without saying why", path)
		case path == "/unavailable" && !strings.Contains(p.Error, "503"):
			t.Errorf("the 503 page's error does not give the status: %s", p.Error)
		}
		if path == "/article" && !hasRule(p.Findings, "img-alt-duplicates-caption") {
			t.Errorf("the article lost its findings: %+v", p.Findings)
		}
	}
	noBrowserLeft(t, tmp)
}

func hasRule(findings []struct{ Rule string }, id string) bool {
	for _, f := range findings {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// TestInterruptLeavesNoBrowser interrupts a run while a page hangs: the
// run exits 130 within a few seconds and leaves no browser process or
// profile behind, and its reports say they are incomplete.
func TestInterruptLeavesNoBrowser(t *testing.T) {
	needChrome(t)
	srv := hostileSite(t)
	tmp := t.TempDir()
	jsonPath, textPath := filepath.Join(t.TempDir(), "r.json"), filepath.Join(t.TempDir(), "r.txt")
	cmd := exec.Command(binary, "audit", "--no-config", "--timeout", "60s", "--report", "json="+jsonPath, "--report", "text="+textPath, srv.URL+"/hangs", srv.URL+"/dialogs")
	cmd.Env = binaryEnv(t, "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the browser to be running before interrupting.
	deadline := time.Now().Add(testtime.Bound(30 * time.Second))
	for len(processesMentioning(tmp)) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second)
	cmd.Process.Signal(os.Interrupt)
	stopped := time.Now()
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
	}
	if took, limit := time.Since(stopped), testtime.Bound(10*time.Second); took > limit {
		t.Errorf("the run took %s to stop after Ctrl-C, more than %s", took, limit)
	}
	noBrowserLeft(t, tmp)
	var rep struct {
		Verdict *struct {
			Exit    int
			Partial bool
		}
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verdict == nil || rep.Verdict.Exit != 130 || !rep.Verdict.Partial {
		t.Errorf("the JSON report's verdict is %+v, want exit 130 and partial", rep.Verdict)
	}
	text, err := os.ReadFile(textPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(text), "INCOMPLETE: the run was interrupted") || !strings.Contains(string(text), "verdict: incomplete (exit 130)") {
		t.Errorf("the text report does not say the run was interrupted:\n%s", text)
	}
}
