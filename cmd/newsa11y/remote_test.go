package main_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// startRemoteBrowser starts a headless Chromium of the test's own with a
// DevTools port, as a browser service would run, and returns its http://
// address and process.
func startRemoteBrowser(t *testing.T) (string, *os.Process) {
	t.Helper()
	path := chrometest.ExecPath(t)
	// The profile is removed by hand: the browser's child processes may
	// still be writing to it for a moment after the kill.
	profile, err := os.MkdirTemp("", "newsa11y-remote")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--headless", "--remote-debugging-port=0", "--user-data-dir=" + profile,
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
		"--disable-gpu", "--disable-dev-shm-usage", "about:blank"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the browser and its children
		_ = cmd.Wait()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	// The browser writes its port to the profile once it listens.
	testtime.Log(t)
	deadline := time.Now().Add(testtime.Bound(30 * time.Second))
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort")); err == nil {
			if port, _, ok := strings.Cut(string(data), "\n"); ok && port != "" {
				return "http://127.0.0.1:" + port, cmd.Process
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the remote browser did not open its DevTools port")
	return "", nil
}

// TestRemoteBrowser audits pages in a browser that newsa11y did not start:
// the findings are those of a launched browser, the failed page is
// reported, and the browser still runs afterwards.
func TestRemoteBrowser(t *testing.T) {
	needChrome(t)
	addr, proc := startRemoteBrowser(t)
	srv := hostileSite(t)
	tmp := t.TempDir()
	res := run(t, "", []string{"TMPDIR=" + tmp}, "audit", "--no-config", "--remote-browser", addr, "--allow-failed-pages", "1",
		srv.URL+"/article", srv.URL+"/unavailable")
	if res.code != 2 || !strings.Contains(res.stdout, "img-alt-duplicates-caption") || !strings.Contains(res.stdout, "503") {
		t.Errorf("exit %d, want 2 with the article's finding and the 503\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if err := proc.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("the remote browser is gone after the run: %v", err)
	}
	// The tabs newsa11y opened are closed: only the browser's own is left.
	if n := pageTargets(t, addr); n != 1 {
		t.Errorf("%d tabs open in the remote browser after the run, want its own 1", n)
	}
	// No browser of newsa11y's own was started.
	if procs := processesMentioning(tmp); len(procs) > 0 {
		t.Errorf("a local browser ran: %v", procs)
	}
	// And a second run in the same browser works as the first.
	again := run(t, "", nil, "audit", "--no-config", "--remote-browser", addr, srv.URL+"/article")
	if again.code != 2 {
		t.Errorf("second run: exit %d\n%s", again.code, again.stderr)
	}
}

// pageTargets counts the tabs open in the browser at the DevTools address.
func pageTargets(t *testing.T, addr string) int {
	t.Helper()
	resp, err := http.Get(addr + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var targets []struct{ Type string }
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tg := range targets {
		if tg.Type == "page" {
			n++
		}
	}
	return n
}
