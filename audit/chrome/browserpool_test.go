//go:build unix

package chrome_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules"
)

// storyPage is an article with a photo that has no alt text, so that
// each page has a finding to compare.
const storyPage = `<!DOCTYPE html><html lang="en"><head><title>Story %[1]s</title></head>
<body><main><h1>Story %[1]s</h1>
<figure><img src="/photo.svg" width="200" height="100"><figcaption>Firefighters at the scene on Monday.</figcaption></figure>
<p>The fire started in the early morning.</p></main></body></html>`

// targets returns the site's stories 1 to n under prefix as targets.
func targets(site *chrometest.HeldSite, prefix string, n int) []audit.Target {
	var out []audit.Target
	for i, u := range site.Pages(prefix, n) {
		out = append(out, audit.Target{Input: u, URL: u, Index: i})
	}
	return out
}

// runPages audits the targets with every rule through the loader, with no
// retries: a page moved off a dead browser must not need one.
func runPages(l audit.Loader, targets []audit.Target) *audit.Report {
	r := &audit.Runner{Loader: l, Rules: rules.All(), Summarizers: rules.Summarizers(), Concurrency: len(targets), Retries: 0, Timeout: testtime.Bound(20 * time.Second)}
	return r.Run(context.Background(), targets)
}

// resultKeys lists a page's findings by rule, element and message.
func resultKeys(p audit.PageResult) []string {
	var out []string
	for _, f := range p.Findings {
		out = append(out, f.Rule+" "+f.Selector+" "+f.Message)
	}
	return out
}

// launchPool connects a pool to the remote browsers with tabs tabs.
func launchPool(t *testing.T, tabs int, remotes ...*chrometest.Remote) *chrome.Pool {
	t.Helper()
	var urls []string
	for _, r := range remotes {
		urls = append(urls, r.URL)
	}
	p, err := chrome.LaunchPool(chrome.Options{Timeout: testtime.Bound(20 * time.Second), Tabs: tabs}, urls)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// waitDead waits until the pool finds the browser at index i dead.
func waitDead(t *testing.T, p *chrome.Pool, i int) {
	t.Helper()
	deadline := time.Now().Add(testtime.Bound(20 * time.Second))
	for time.Now().Before(deadline) {
		if p.Endpoints()[i].Dead != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the pool did not find %s dead", p.Endpoints()[i].URL)
}

// TestPoolSpreadsAndSurvivesADeadBrowser audits pages over two remote
// browsers: both get pages, and the findings are those of one browser.
// Then one browser is killed while it loads pages: every page still
// finishes, without using a retry, those it held are recorded as retried
// on the dead browser, and the findings are still those of one healthy
// browser.
func TestPoolSpreadsAndSurvivesADeadBrowser(t *testing.T) {
	testtime.Log(t)
	a, b := chrometest.StartRemote(t), chrometest.StartRemote(t)
	site := chrometest.NewHeldSite(t, storyPage)
	want := runPages(chrometest.Browser(t), targets(site, "open", 4))
	for _, p := range want.Pages {
		if p.Failed() || len(p.Findings) == 0 {
			t.Fatalf("reference run: %s failed (%s) or has no finding", p.URL, p.Error)
		}
	}
	same := func(got *audit.Report) {
		t.Helper()
		for i, p := range got.Pages {
			if p.Failed() {
				t.Errorf("%s failed: %s", p.URL, p.Error)
				continue
			}
			if g, w := resultKeys(p), resultKeys(want.Pages[i]); !slices.Equal(g, w) {
				t.Errorf("%s: findings\n%s\nwant those of one browser\n%s", p.URL, strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
		}
	}

	pool := launchPool(t, 4, a, b)
	healthy := runPages(pool, targets(site, "open", 4))
	same(healthy)
	for _, p := range healthy.Pages {
		if len(p.Retried) > 0 {
			t.Errorf("%s retried on a healthy pool: %+v", p.URL, p.Retried)
		}
	}
	for _, ep := range pool.Endpoints() {
		if ep.Pages != 2 || ep.Dead != nil {
			t.Errorf("%s: %d pages of 4 (dead: %v), want 2 on each live browser", ep.URL, ep.Pages, ep.Dead)
		}
	}

	done := make(chan *audit.Report)
	go func() { done <- runPages(pool, targets(site, "held", 4)) }()
	site.WaitArrived(t, 4) // two pages in flight on each browser
	a.Kill()
	waitDead(t, pool, 0)
	site.Release()
	got := <-done
	same(got)
	moved := 0
	for _, p := range got.Pages {
		if len(p.Retries) > 0 {
			t.Errorf("%s used a retry: %v", p.URL, p.Retries)
		}
		if len(p.Retried) == 0 {
			continue
		}
		moved++
		if len(p.Retried) != 1 || p.Retried[0].Endpoint != a.URL || p.Retried[0].Error == "" {
			t.Errorf("%s: retried %+v, want once, off %s with why", p.URL, p.Retried, a.URL)
		}
	}
	if moved != 2 {
		t.Errorf("%d pages retried, want the 2 the killed browser held", moved)
	}
	eps := pool.Endpoints()
	if eps[0].Dead == nil || eps[1].Dead != nil || eps[1].Pages != 6 {
		t.Errorf("endpoints %+v: want the first dead, the second alive with its 4 pages and the 2 moved", eps)
	}
}

// TestPoolAllDead fails the pages, with a clear error, once every browser
// of the pool is dead, and takes no browser that cannot be reached at the
// start.
func TestPoolAllDead(t *testing.T) {
	testtime.Log(t)
	a := chrometest.StartRemote(t)
	// A closed port: nothing answers there.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	p, err := chrome.LaunchPool(chrome.Options{Timeout: testtime.Bound(20 * time.Second), Tabs: 2}, []string{a.URL, gone.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if eps := p.Endpoints(); eps[0].Dead != nil || eps[1].Dead == nil {
		t.Fatalf("endpoints %+v: want the unreachable one dead from the start", eps)
	}
	site := chrometest.NewHeldSite(t, storyPage)
	rep := runPages(p, targets(site, "open", 2))
	for _, pg := range rep.Pages {
		if pg.Failed() {
			t.Errorf("%s failed on the live browser: %s", pg.URL, pg.Error)
		}
	}
	a.Kill()
	waitDead(t, p, 0)
	rep = runPages(p, targets(site, "open", 2))
	for _, pg := range rep.Pages {
		if !pg.Failed() || pg.ErrorCause != string(audit.CauseBrowser) || !strings.Contains(pg.Error, "every browser of the pool is dead") {
			t.Errorf("%s: error %q (%s), want failed as every browser is dead", pg.URL, pg.Error, pg.ErrorCause)
		}
	}

	if _, err := chrome.LaunchPool(chrome.Options{}, []string{gone.URL}); err == nil || !strings.Contains(err.Error(), "no browser of the pool could be reached") {
		t.Errorf("a pool of unreachable browsers: %v", err)
	}
}

// TestPoolFrozenBrowser finds a browser that stops answering, its
// connection still open, dead by its health checks, and moves the page it
// held to the other.
func TestPoolFrozenBrowser(t *testing.T) {
	testtime.Log(t)
	a, b := chrometest.StartRemote(t), chrometest.StartRemote(t)
	defer chrome.SetHealthChecks(200*time.Millisecond, testtime.Bound(500*time.Millisecond))()
	site := chrometest.NewHeldSite(t, storyPage)
	pool := launchPool(t, 2, a, b)
	done := make(chan *audit.Report)
	go func() { done <- runPages(pool, targets(site, "held", 2)) }()
	site.WaitArrived(t, 2) // one page in flight on each browser
	a.Freeze()
	// Killed first at the end: the site waits for its connections.
	t.Cleanup(a.Kill)
	waitDead(t, pool, 0)
	site.Release()
	got := <-done
	moved := 0
	for _, p := range got.Pages {
		if p.Failed() || len(p.Findings) == 0 {
			t.Errorf("%s: error %q, %d findings", p.URL, p.Error, len(p.Findings))
		}
		if len(p.Retried) > 0 {
			moved++
			if p.Retried[0].Endpoint != a.URL || !strings.Contains(p.Retried[0].Error, "Browser.getVersion got no answer") {
				t.Errorf("%s: retried %+v, want off %s for not answering", p.URL, p.Retried, a.URL)
			}
		}
	}
	if moved != 1 {
		t.Errorf("%d pages retried, want the one the frozen browser held", moved)
	}
	if eps := pool.Endpoints(); eps[1].Dead != nil {
		t.Errorf("the live browser is dead: %v", eps[1].Dead)
	}
}

// TestPoolStopsMovingABrowserKiller audits, over three browsers, a page
// that kills each browser that loads it (the site tells the browsers
// apart by their user agents), as a page that crashes the whole browser
// would. The page moves once, then fails when the second browser dies
// under it, and the third browser lives on to audit the next page.
func TestPoolStopsMovingABrowserKiller(t *testing.T) {
	testtime.Log(t)
	remotes := []*chrometest.Remote{
		chrometest.StartRemote(t, "--user-agent=pool-browser-0"),
		chrometest.StartRemote(t, "--user-agent=pool-browser-1"),
		chrometest.StartRemote(t, "--user-agent=pool-browser-2"),
	}
	var mu sync.Mutex
	var killed []int
	mux := http.NewServeMux()
	mux.HandleFunc("/killer", func(w http.ResponseWriter, r *http.Request) {
		for i, rem := range remotes {
			if strings.Contains(r.UserAgent(), fmt.Sprintf("pool-browser-%d", i)) {
				mu.Lock()
				if !slices.Contains(killed, i) {
					killed = append(killed, i)
					rem.Kill()
				}
				mu.Unlock()
			}
		}
	})
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, storyPage, "after")
	})
	site := httptest.NewServer(mux)
	defer site.Close()
	pool := launchPool(t, 3, remotes...)

	// With a retry to spare: the pool has moved the page already, and
	// the runner must not hand it to the third browser.
	killer := site.URL + "/killer"
	runner := &audit.Runner{Loader: pool, Rules: rules.All(), Concurrency: 1, Retries: 1, Timeout: testtime.Bound(20 * time.Second)}
	rep := runner.Run(context.Background(), []audit.Target{{Input: killer, URL: killer}})
	pg := rep.Pages[0]
	if !pg.Failed() || pg.ErrorCause != string(audit.CauseBrowser) || !strings.Contains(pg.Error, "not moved again") {
		t.Fatalf("the browser-killing page: error %q (%s), want failed after two browsers died", pg.Error, pg.ErrorCause)
	}
	if len(pg.Retried) != 2 {
		t.Errorf("retried %+v: want the two dead browsers", pg.Retried)
	}
	mu.Lock()
	n := len(killed)
	mu.Unlock()
	if n != 2 {
		t.Fatalf("%d browsers killed, want 2: the page must not reach the third", n)
	}

	story := site.URL + "/story"
	rep = runPages(pool, []audit.Target{{Input: story, URL: story}})
	if pg := rep.Pages[0]; pg.Failed() {
		t.Errorf("the next page failed on the browser left: %s", pg.Error)
	}
}
