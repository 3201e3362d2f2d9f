package main_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// TestRemoteBrowser audits pages in a browser that newsa11y did not start:
// the findings are those of a launched browser, the failed page is
// reported, and the browser still runs afterwards.
func TestRemoteBrowser(t *testing.T) {
	needChrome(t)
	testtime.Log(t)
	remote := chrometest.StartRemote(t)
	addr, proc := remote.URL, remote.Process
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
