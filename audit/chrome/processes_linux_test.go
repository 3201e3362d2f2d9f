package chrome_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// TestBlockedFramesStartNoRenderer checks that, with third-party requests
// blocked, a page's third-party frames start no renderer process: the
// browser would start one for each other site framed as the frames'
// navigations begin, and throw them away when the frames are sent to the
// page's own blank document. Nor do reused tabs start renderers for pages
// of one site, or the browser's own omnibox popup. The test counts the
// browser's renderer processes started while pages load, with frames of
// three other sites and with none.
func TestBlockedFramesStartNoRenderer(t *testing.T) {
	testtime.Log(t)
	path := chrometest.ExecPath(t)
	b, err := chrome.Launch(chrome.Options{ExecPath: path, Timeout: testtime.Bound(10 * time.Second), BlockThirdParty: true, Isolation: chrome.IsolateCleared, Tabs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ad := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<p>An advertisement</p>`))
	}
	sites := []string{otherSite(t, ad), siteAt(t, "127.0.0.3", ad), siteAt(t, "127.0.0.4", ad)}
	own := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<h1>Page</h1>`)
		if strings.HasPrefix(r.URL.Path, "/framed") {
			for i, site := range sites {
				fmt.Fprintf(w, `<iframe title="ad %d" src="http://%s/ad.html"></iframe><iframe title="ad %d, again" src="http://%s/ad2.html"></iframe>`, i, site, i, site)
			}
		}
	}))
	defer own.Close()
	// started loads three pages whose paths begin with prefix and returns
	// the renderers started meanwhile.
	started := func(prefix string) []string {
		watch := watchRenderers(t, b.Pid())
		for i := range 3 {
			if _, err := b.Load(context.Background(), audit.Target{URL: fmt.Sprintf("%s/%s%d", own.URL, prefix, i)}, audit.CapDOM); err != nil {
				t.Fatal(err)
			}
		}
		return watch()
	}
	// The first pages start the renderers of the pool's tabs.
	warm := started("warm")
	plain := started("plain")
	framed := started("framed")
	for _, cmd := range slices.Concat(warm, plain, framed) {
		if strings.Contains(cmd, "--top-chrome-webui") {
			t.Errorf("a renderer for the browser's own user interface started: %s", cmd)
		}
	}
	// The pool's tabs are ready: pages of one site reuse their renderers.
	if len(plain) > 1 {
		t.Errorf("%d renderer processes started while three pages of one site loaded in reused tabs, want at most one:\n%s", len(plain), strings.Join(plain, "\n"))
	}
	if len(framed) > len(plain)+1 {
		t.Errorf("%d renderer processes started while three pages with blocked frames of %d other sites loaded, against %d for three pages without frames; the frames should start none:\n%s",
			len(framed), len(sites), len(plain), strings.Join(framed, "\n"))
	}
}

// watchRenderers polls /proc, every few milliseconds, for renderer
// processes of the browser with the given process id that were not there
// when it started, until the function it returns is called (or the test
// ends); that returns the command lines of those it saw. A renderer the
// browser starts and ends between two polls would be missed; those this
// test is about live tens of milliseconds.
func watchRenderers(t *testing.T, browser int) func() []string {
	before := map[int]bool{}
	for pid := range renderersOf(browser) {
		before[pid] = true
	}
	var mu sync.Mutex
	seen := map[int]string{}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(3 * time.Millisecond)
		defer tick.Stop()
		for {
			for pid, cmd := range renderersOf(browser) {
				mu.Lock()
				if _, ok := seen[pid]; !ok && !before[pid] {
					seen[pid] = cmd
				}
				mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() { close(done) })
		<-stopped
	}
	t.Cleanup(stop)
	return func() []string {
		stop()
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for pid, cmd := range seen {
			out = append(out, strconv.Itoa(pid)+": "+cmd)
		}
		return out
	}
}

// renderersOf returns the renderer processes descended from the browser
// process (see descendants), by process id, with their command lines.
func renderersOf(browser int) map[int]string {
	out := map[int]string{}
	for _, pid := range descendants(browser)[1:] {
		cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil || !bytes.Contains(cmd, []byte("--type=renderer")) {
			continue
		}
		out[pid] = string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}))
	}
	return out
}
