package chrome_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// launch starts a browser of the test's own with the options, or skips or
// fails as chrometest.Browser does when there is none.
func launch(t *testing.T, opts chrome.Options) *chrome.Browser {
	t.Helper()
	path := chrometest.ExecPath(t)
	opts.ExecPath = path
	b, err := chrome.Launch(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestNothingLeaksBetweenPages loads a page that sets a cookie, local,
// session, IndexedDB and cache storage, a service worker and the window's
// name, starts a worker, asks before it is left, and by its own timers (and
// its worker's) writes, navigates and opens a dialog after it was captured;
// then, in the same browser, a page of the same origin looks for what any
// of these left. Under both isolations it must find nothing. With one tab,
// the cleared isolation reuses that tab for the second page, so taking any
// step out of the clearing makes this test name what leaked.
func TestNothingLeaksBetweenPages(t *testing.T) {
	testtime.Log(t)
	srv := audittest.Serve(t, "testdata/isolation")
	for _, iso := range []chrome.Isolation{chrome.IsolateContext, chrome.IsolateCleared} {
		t.Run(string(iso), func(t *testing.T) {
			b := launch(t, chrome.Options{Timeout: testtime.Bound(15 * time.Second), Tabs: 1, Isolation: iso})
			w := audittest.Load(t, b, srv.URLFor("write.html"))
			if got := p0Text(t, w, "state"); got != "written" {
				t.Fatalf("the writing page says %q", got)
			}
			// Let the late write happen while the tab is kept or cleared:
			// it comes 4 s after the page ran, by the page's own timer,
			// and a busy machine may run it late.
			time.Sleep(4*time.Second + testtime.Bound(time.Second))
			for range 2 {
				if got := readSeen(t, b, srv.URLFor("read.html")); got != "nothing" {
					t.Errorf("the next page found %s left by the one before", got)
				}
			}
		})
	}
}

// readSeen loads the reading page and returns what it found. Its checks
// are asynchronous and may still be running when a busy machine captures
// the page; such a load says nothing either way and is tried again.
func readSeen(t *testing.T, b *chrome.Browser, url string) string {
	t.Helper()
	for range 5 {
		if got := p0Text(t, audittest.Load(t, b, url), "seen"); got != "checking" {
			return got
		}
	}
	t.Fatal("the reading page never finished its checks before capture")
	return ""
}

// p0Text returns the visible text of the element with the id.
func p0Text(t *testing.T, p *audit.Page, id string) string {
	t.Helper()
	for n := range p.Elements() {
		if v, _ := p.Node(n).Attr("id"); v == id {
			return strings.TrimSpace(p.VisibleText(n))
		}
	}
	t.Fatalf("no #%s", id)
	return ""
}

// TestIsolationsAgree audits the same pages under both isolations, several
// at once: the snapshots must hold the same findings.
func TestIsolationsAgree(t *testing.T) {
	testtime.Log(t)
	srv := audittest.Serve(t, "testdata")
	pages := []string{"structure.html", "structure.html", "structure.html"}
	counts := map[chrome.Isolation][]int{}
	for _, iso := range []chrome.Isolation{chrome.IsolateContext, chrome.IsolateCleared} {
		b := launch(t, chrome.Options{Timeout: testtime.Bound(15 * time.Second), Tabs: 2, Isolation: iso})
		for _, name := range pages {
			p, err := b.Load(context.Background(), audit.Target{URL: srv.URLFor(name)}, audit.CapDOM|audit.CapAX)
			if err != nil {
				t.Fatalf("%s: %v", iso, err)
			}
			counts[iso] = append(counts[iso], len(p.Nodes))
		}
	}
	if a, b := counts[chrome.IsolateContext], counts[chrome.IsolateCleared]; a[0] == 0 || a[0] != b[0] || a[1] != b[1] || a[2] != b[2] {
		t.Errorf("node counts differ between isolations: %v and %v", a, b)
	}
}
