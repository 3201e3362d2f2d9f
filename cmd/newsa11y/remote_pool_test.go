//go:build unix

package main_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
)

// heldStory is a story with a photo whose alt text repeats its caption.
const heldStory = `<!DOCTYPE html><html lang="en"><head><title>Harbour %[1]s</title></head><body>
<main><h1>Harbour %[1]s</h1><figure><img src="/photo.svg" alt="Boats at low tide." width="40" height="30">
<figcaption>Boats at low tide.</figcaption></figure><p>The tide went out.</p></main></body></html>`

// startAudit starts the binary; wait returns its result.
func startAudit(t *testing.T, env []string, args ...string) (wait func() result) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = binaryEnv(t, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return func() result {
		err := cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return result{code, out.String(), errOut.String()}
	}
}

// readPoolReport reads a JSON report.
func readPoolReport(t *testing.T, path string) *audit.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

// TestRemoteBrowserPool audits pages over two remote browsers given in
// NEWSA11Y_REMOTE_BROWSER, comma-separated; then over two given as
// repeated flags, one of which is killed while it loads pages: every page
// is audited, with no retry used, those it held are recorded as retried
// in the JSON and text reports, and a note names the dead browser. When
// both are killed, the pages fail and the run exits 1.
func TestRemoteBrowserPool(t *testing.T) {
	needChrome(t)
	a, b := chrometest.StartRemote(t), chrometest.StartRemote(t)
	site := chrometest.NewHeldSite(t, heldStory)
	tmp := t.TempDir()

	out := filepath.Join(tmp, "healthy.json")
	args := append([]string{"audit", "--no-config", "-c", "4", "--report", "json=" + out}, site.Pages("open", 4)...)
	res := run(t, "", []string{"NEWSA11Y_REMOTE_BROWSER=" + a.URL + "," + b.URL}, args...)
	if res.code != 2 {
		t.Fatalf("healthy pool: exit %d, want 2\n%s", res.code, res.stderr)
	}
	for _, p := range readPoolReport(t, out).Pages {
		if p.Failed() || len(p.Retried) > 0 || len(p.Findings) == 0 {
			t.Errorf("healthy pool: %s: error %q, retried %v, %d findings", p.URL, p.Error, p.Retried, len(p.Findings))
		}
	}

	out = filepath.Join(tmp, "killed.json")
	args = append([]string{"audit", "--no-config", "--remote-browser", a.URL, "--remote-browser", b.URL, "-c", "4", "--retries", "0",
		"--report", "json=" + out, "--report", "text"}, site.Pages("held", 4)...)
	wait := startAudit(t, nil, args...)
	site.WaitArrived(t, 4) // two pages in flight in each browser
	a.Kill()
	site.Release()
	res = wait()
	if res.code != 2 {
		t.Fatalf("a browser killed: exit %d, want 2 with every page audited\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	moved := 0
	for _, p := range readPoolReport(t, out).Pages {
		if p.Failed() || len(p.Findings) == 0 || len(p.Retries) > 0 {
			t.Errorf("%s: error %q, %d findings, retries %v", p.URL, p.Error, len(p.Findings), p.Retries)
		}
		if len(p.Retried) > 0 {
			moved++
			if p.Retried[0].Endpoint != a.URL {
				t.Errorf("%s: retried %+v, want off %s", p.URL, p.Retried, a.URL)
			}
		}
	}
	if moved != 2 {
		t.Errorf("%d pages retried, want the 2 the killed browser held", moved)
	}
	if n := strings.Count(res.stdout, "  retried: the browser at "+a.URL+" died under the page"); n != 2 {
		t.Errorf("the text report says %d times that a page was retried, want 2\n%s", n, res.stdout)
	}
	if !strings.Contains(res.stderr, "the remote browser at "+a.URL+" died during the run") {
		t.Errorf("no note of the dead browser:\n%s", res.stderr)
	}

	// Both browsers die with pages in flight.
	c := chrometest.StartRemote(t)
	site = chrometest.NewHeldSite(t, heldStory)
	out = filepath.Join(tmp, "dead.json")
	args = append([]string{"audit", "--no-config", "--remote-browser", b.URL, "--remote-browser", c.URL, "-c", "2",
		"--report", "json=" + out}, site.Pages("held", 2)...)
	wait = startAudit(t, nil, args...)
	site.WaitArrived(t, 2)
	b.Kill()
	c.Kill()
	site.Release()
	res = wait()
	if res.code != 1 {
		t.Errorf("every browser dead: exit %d, want 1\n%s", res.code, res.stderr)
	}
	for _, p := range readPoolReport(t, out).Pages {
		if !p.Failed() || len(p.Findings) != 0 {
			t.Errorf("%s: error %q with %d findings, want failed", p.URL, p.Error, len(p.Findings))
		}
	}
}

// TestRemoteBrowserPoolUnreachable fails the run when no browser of the
// pool can be reached, naming each, and hides the token in an address's
// query, as a browser service's address carries one.
func TestRemoteBrowserPoolUnreachable(t *testing.T) {
	// Closed ports: nothing answers there.
	var addrs []string
	for range 2 {
		srv := httptest.NewServer(http.NotFoundHandler())
		addrs = append(addrs, srv.URL)
		srv.Close()
	}
	res := run(t, "", []string{"NEWSA11Y_REMOTE_BROWSER=" + addrs[0] + "/?token=S3CRET-TOKEN\n" + addrs[1]},
		"audit", "--no-config", filepath.Join("testdata", "clean.html"))
	if res.code != 1 || !strings.Contains(res.stderr, "no browser of the pool could be reached") ||
		!strings.Contains(res.stderr, addrs[1]) || !strings.Contains(res.stderr, "token=***") {
		t.Errorf("exit %d, want 1 naming both unreachable browsers\n%s", res.code, res.stderr)
	}
	if strings.Contains(res.stdout+res.stderr, "S3CRET-TOKEN") {
		t.Errorf("the token is in the output:\n%s", res.stderr)
	}
}
