package chrome_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules"
	"github.com/newsa11y/newsa11y/rules/skiplink"
)

// The second hostile suite: pages and browsers that crash, freeze, trap
// focus, carry broken text or leave the web, and what must come of each.
// Every test here uses a browser of its own, since several of them stop,
// crash or break theirs.

// allCaps is what the hostile pages are loaded with: every capability,
// the keyboard walk included.
var allCaps = audit.Needs(rules.All()) | audit.CapAX | audit.CapKeyboard

// closeBound is how long closing a browser may take on a quiet machine,
// whatever state the browser is in: the loader's own grace before it kills
// the browser, and the slack of the killing, stretched.
func closeBound() time.Duration {
	return chrome.CloseGrace + testtime.Bound(hostileSlack)
}

// photoPNG is a 200x100 picture, large enough for a thumbnail.
func photoPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y * 2), B: 120, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// captionedPage has a photo whose alt text repeats its caption: a finding
// that wants a thumbnail.
const captionedPage = `<!DOCTYPE html><html lang="en"><head><title>A crowd in the square | The Daily</title></head>
<body><a href="#main">Skip to content</a><nav><a href="/">Home</a></nav>
<main id="main"><h1>A crowd in the square</h1>
<figure><img id="photo" src="/photo.png" width="200" height="100" alt="Thousands gathered in the main square on Sunday">
<figcaption>Thousands gathered in the main square on Sunday</figcaption></figure>
<p>Body.</p></main></body></html>`

// newHostile2Server serves the pages of this suite.
func newHostile2Server(t *testing.T) *httptest.Server {
	photo := photoPNG(t)
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", html(okPage))
	mux.HandleFunc("/crash-step", html(captionedPage))
	mux.HandleFunc("/captioned", html(captionedPage))
	mux.HandleFunc("/photo.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(photo)
	})
	// Focusing the skip link builds markup 5,000 deep and lays it out,
	// which overflows the renderer's stack: the page crashes itself in
	// the middle of the keyboard walk.
	mux.HandleFunc("/crash-on-focus", html(`<!DOCTYPE html><html lang="en"><title>Crash on focus</title>
<body><a id="skip" href="#main">Skip to content</a><nav><a href="/">Home</a></nav>
<main id="main"><h1>Crash on focus</h1><p>Body.</p><div id="root"></div></main>
<script>
  document.getElementById('skip').addEventListener('focus', () => {
    let at = document.getElementById('root');
    for (let i = 0; i < 5000; i++) { const d = document.createElement('div'); at.append(d); at = d; }
    at.textContent = 'the bottom';
    document.body.offsetHeight;
  });
</script></body></html>`))
	// What substring() leaves of an emoji cut in half: a lone UTF-16
	// surrogate, in the title, a heading, an alt text and the skip link.
	mux.HandleFunc("/surrogates", html(`<!DOCTYPE html><html lang="en"><head><title>Placeholder</title></head>
<body><a id="skip" href="#main">Skip to content</a><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main id="main"><h1 id="headline">Headline</h1>
<figure><img id="photo" src="/photo.png" width="200" height="100" alt="x"><figcaption id="caption">A caption</figcaption></figure>
<p>Body.</p></main>
<script>
  const cut = 'Party \ud83c\udf89 time \ud83d\ude00'.substring(0, 15);
  document.title = 'Title ' + cut;
  document.getElementById('headline').textContent = 'Headline ' + cut;
  document.getElementById('photo').alt = 'Photo ' + cut;
  document.getElementById('caption').textContent = 'Caption ' + cut;
  document.getElementById('skip').textContent = 'Skip to content ' + cut;
</script></body></html>`))
	// Tab cannot leave the skip link: its keydown handler swallows Tab.
	mux.HandleFunc("/trap-self", html(`<!DOCTYPE html><html lang="en"><head><title>Trap | The Daily</title></head>
<body><a id="skip" href="#main">Skip to content</a><header><a href="/">The Daily</a>
<nav aria-label="Sections"><a href="/local">Local</a> <a href="/world">World</a></nav></header>
<main id="main"><h1>Trap</h1><p>Body. <a href="/more">More</a></p></main>
<script>
  document.getElementById('skip').addEventListener('keydown', (e) => { if (e.key === 'Tab') e.preventDefault(); });
</script></body></html>`))
	// Tab cycles among the navigation's three links: the last sends focus
	// back to the first.
	mux.HandleFunc("/trap-cycle", html(`<!DOCTYPE html><html lang="en"><head><title>Cycle | The Daily</title></head>
<body><a id="skip" href="#main">Skip to content</a><header>
<nav aria-label="Sections"><a id="first" href="/local">Local</a> <a href="/world">World</a> <a id="last" href="/sport">Sport</a></nav></header>
<main id="main"><h1>Cycle</h1><p>Body. <a href="/more">More</a></p></main>
<script>
  document.getElementById('last').addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && !e.shiftKey) { e.preventDefault(); document.getElementById('first').focus(); }
  });
</script></body></html>`))
	// A modal consent dialog keeps focus among its buttons, as the
	// dialog pattern asks: no finding, but the walk cannot go on.
	mux.HandleFunc("/trap-dialog", html(`<!DOCTYPE html><html lang="en"><head><title>Consent | The Daily</title></head>
<body><div role="dialog" aria-modal="true" aria-label="Your privacy" style="position:fixed;top:0;left:0;right:0;background:#fff">
<p>We use cookies.</p><button id="yes">Accept</button> <button id="no">Reject</button></div>
<a href="#main">Skip to content</a><nav><a href="/">Home</a></nav>
<main id="main"><h1>Consent</h1><p>Body.</p></main>
<script>
  const yes = document.getElementById('yes'), no = document.getElementById('no');
  no.addEventListener('keydown', (e) => { if (e.key === 'Tab' && !e.shiftKey) { e.preventDefault(); yes.focus(); } });
</script></body></html>`))
	// Every link takes 300 ms to show its focus: the walk runs out of time
	// before it reaches the skip link at tab stop 6.
	mux.HandleFunc("/slow-focus", html(`<!DOCTYPE html><html lang="en"><head><title>Slow | The Daily</title></head>
<body><header><a href="/a">A</a> <a href="/b">B</a> <a href="/c">C</a> <a href="/d">D</a> <a href="/e">E</a></header>
<a href="#main">Skip to content</a>
<main id="main"><h1>Slow</h1><p>Body.</p></main>
<script>
  for (const a of document.querySelectorAll('a')) {
    a.addEventListener('focus', () => { const end = Date.now() + 300; while (Date.now() < end) {} });
  }
</script></body></html>`))
	// Focusing the first link sends the page elsewhere.
	mux.HandleFunc("/leave-on-focus", html(`<!DOCTYPE html><html lang="en"><head><title>Leave | The Daily</title></head>
<body><header><a id="first" href="/a">A</a></header><a href="#main">Skip to content</a>
<main id="main"><h1>Leave</h1><p>Body.</p></main>
<script>
  document.getElementById('first').addEventListener('focus', () => { location.href = '/ok'; });
</script></body></html>`))
	for name, to := range map[string]string{
		"view-source": "view-source:file:///etc/passwd",
		"file":        "file:///etc/passwd",
		"mailto":      "mailto:editor@example.com",
		"data":        "data:text/html,<h1>elsewhere</h1>",
		"chrome":      "chrome://version",
	} {
		mux.HandleFunc("/to/"+name, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", to)
			w.WriteHeader(http.StatusFound)
		})
	}
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/never-loads", html(`<!DOCTYPE html><html lang="en"><title>Waiting</title><h1>Waiting</h1><img src="/hang" alt="">`))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// causeOf returns the cause of a load error, or "" when err is not one.
func causeOf(err error) audit.LoadCause {
	var le *audit.LoadError
	if errors.As(err, &le) {
		return le.Cause
	}
	return ""
}

// TestCrashAtEveryStep crashes the renderer as each capture step starts:
// the page must fail with cause crash, at once, never be reported as
// audited, and the browser must serve the next page.
func TestCrashAtEveryStep(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	timeout := testtime.Bound(hostileTimeout)
	b := launch(t, chrome.Options{Timeout: timeout, Tabs: 1})
	for _, step := range []string{"load", "settle", "scroll", "dom", "ax", "images", "walk"} {
		t.Run(step, func(t *testing.T) {
			defer chrome.CrashAt(step, "/crash-step")()
			start := time.Now()
			p, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/crash-step?at=" + step}, allCaps)
			took := time.Since(start)
			t.Logf("crash at %s: %s in %s", step, cmpOr(causeOf(err), "captured"), took.Round(time.Millisecond))
			if causeOf(err) != audit.CauseCrash {
				stopped := ""
				if p != nil && p.Walk != nil {
					stopped = p.Walk.Stopped
				}
				t.Fatalf("err = %v (walk stopped: %q), want cause crash", err, stopped)
			}
			if limit := endBound(timeout); took > limit {
				t.Errorf("took %s, more than %s", took, limit)
			}
		})
	}
	if _, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/ok"}, allCaps); err != nil {
		t.Errorf("the next page: %v", err)
	}
}

func cmpOr(c audit.LoadCause, def string) string {
	if c == "" {
		return def
	}
	return string(c)
}

// TestCrashWhileTakingThumbnails crashes the renderer as the runner takes
// the picture of a finding, after the rules ran: the page fails with cause
// crash instead of being reported with its findings.
func TestCrashWhileTakingThumbnails(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	run := func(url string) audit.PageResult {
		r := &audit.Runner{Loader: b, Rules: rules.All(), Concurrency: 1, Summarizers: rules.Summarizers()}
		return r.Run(context.Background(), []audit.Target{{Input: url, URL: url}}).Pages[0]
	}
	// Without the crash, the page is audited and its finding has a picture:
	// the case tests what it means to.
	ok := run(srv.URL + "/captioned")
	pictured := false
	for _, f := range ok.Findings {
		pictured = pictured || f.Thumbnail != ""
	}
	if ok.Failed() || !pictured {
		t.Fatalf("the page without a crash: error %q, a finding with a picture: %v", ok.Error, pictured)
	}
	defer chrome.CrashAt("thumbnail", "/crash-step")()
	res := run(srv.URL + "/crash-step")
	if res.ErrorCause != string(audit.CauseCrash) {
		t.Fatalf("error %q, cause %q, %d findings; want cause crash", res.Error, res.ErrorCause, len(res.Findings))
	}
	if len(res.Findings) != 0 {
		t.Errorf("a crashed page kept %d findings", len(res.Findings))
	}
}

// TestPageCrashesItselfDuringWalk loads a page whose skip link, once
// focused, builds markup deep enough to crash the renderer: the crash
// comes in the middle of the keyboard walk, and the page must fail with
// cause crash, not be reported audited with a review that no skip link
// works.
func TestPageCrashesItselfDuringWalk(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	timeout := testtime.Bound(hostileTimeout)
	b := launch(t, chrome.Options{Timeout: timeout, Tabs: 1})
	start := time.Now()
	r := &audit.Runner{Loader: b, Rules: rules.All(), Concurrency: 1, Summarizers: rules.Summarizers()}
	url := srv.URL + "/crash-on-focus"
	res := r.Run(context.Background(), []audit.Target{{Input: url, URL: url}}).Pages[0]
	took := time.Since(start)
	t.Logf("outcome %q in %s", cmpOr(audit.LoadCause(res.ErrorCause), "audited"), took.Round(time.Millisecond))
	if res.ErrorCause != string(audit.CauseCrash) {
		var walk []string
		for _, w := range res.Walks {
			walk = append(walk, w.Verdict, w.Note)
		}
		t.Fatalf("error %q, cause %q, walk %q; want cause crash", res.Error, res.ErrorCause, walk)
	}
	if limit := endBound(timeout); took > limit {
		t.Errorf("took %s, more than %s", took, limit)
	}
}

// TestLoneSurrogates loads a page whose title, headline, alt text,
// caption and skip link end in half an emoji, a lone UTF-16 surrogate, as
// substring() leaves it: the page is audited, the surrogate reads as
// U+FFFD everywhere, the walk runs its course and finds the skip link
// working, and the JSON report is valid UTF-8.
func TestLoneSurrogates(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	p, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/surrogates"}, allCaps)
	if err != nil {
		t.Fatalf("the page was not captured: %v", err)
	}
	const cut = "Party \U0001F389 time \uFFFD"
	if got := p.Facts.Title; got != "Title "+cut {
		t.Errorf("title %q", got)
	}
	if got := p0Text(t, p, "headline"); got != "Headline "+cut {
		t.Errorf("headline %q", got)
	}
	photo := byID(t, p, "photo")
	if alt, _ := photo.Attr("alt"); alt != "Photo "+cut {
		t.Errorf("alt attribute %q", alt)
	}
	if photo.AX == nil || photo.AX.Name != "Photo "+cut {
		t.Errorf("the photo's accessible name: %+v", photo.AX)
	}
	if photo.Image == nil || !photo.Image.Loaded() {
		t.Errorf("the photo's load state was not captured: %+v", photo.Image)
	}
	w := p.Walk
	if w == nil || w.Stopped != "" || len(w.Stops) == 0 || len(w.Activations) == 0 {
		t.Fatalf("the walk: %+v", w)
	}
	if got := w.Stops[0].Name; got != "Skip to content "+cut {
		t.Errorf("the skip link's name in the walk: %q", got)
	}
	findings, _, ruleErrs := audit.CheckPage(p, rules.All())
	if len(ruleErrs) > 0 {
		t.Errorf("rules failed: %v", ruleErrs)
	}
	res := audit.PageResult{URL: p.URL, Findings: findings}
	skiplink.Summarize(p, &res)
	if len(res.Walks) != 1 || res.Walks[0].SkipLink != 1 {
		t.Errorf("the walk's summary: %+v", res.Walks)
	}
	data, err := json.Marshal(res)
	if err != nil || !utf8.Valid(data) {
		t.Errorf("the result as JSON: valid UTF-8 %v, %v", utf8.Valid(data), err)
	}
}

// descendants lists pid and every process below it, read from /proc, over
// all of each process's threads.
func descendants(pid int) []int {
	out := []int{pid}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, field := range strings.Fields(string(data)) {
			if kid, err := strconv.Atoi(field); err == nil {
				out = append(out, descendants(kid)...)
			}
		}
	}
	return out
}

// TestFrozenBrowser stops every process of the browser with SIGSTOP, as a
// browser that hangs or a machine that swaps would: a page that needs a
// new tab fails with cause tab-timeout within its own time, and Close
// returns within its grace, leaving no process behind.
func TestFrozenBrowser(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	if _, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/ok"}, audit.CapDOM); err != nil {
		t.Fatal(err)
	}
	pids := descendants(b.Pid())
	if len(pids) < 2 {
		t.Fatalf("the browser's processes: %v", pids)
	}
	t.Cleanup(func() {
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
			syscall.Kill(pid, syscall.SIGCONT)
		}
	})
	for _, pid := range slices.Backward(pids) {
		if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil && !errors.Is(err, syscall.ESRCH) {
			t.Fatalf("stop %d: %v", pid, err)
		}
	}
	// No tab is ready at a phone's viewport, so the page waits for one.
	start := time.Now()
	_, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/ok", Timeout: firingTimeout,
		Viewport: audit.Viewport{Width: 390, Height: 844, Mobile: true}}, audit.CapDOM)
	took := time.Since(start)
	t.Logf("a page on the frozen browser: %v, after %s", err, took.Round(time.Millisecond))
	if causeOf(err) != audit.LoadCause("tab-timeout") {
		t.Errorf("err = %v, want cause tab-timeout", err)
	}
	if limit := endBound(firingTimeout); took > limit {
		t.Errorf("the page took %s, more than %s", took, limit)
	}
	closed := make(chan error, 1)
	start = time.Now()
	go func() { closed <- b.Close() }()
	select {
	case err := <-closed:
		t.Logf("Close returned after %s: %v", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(closeBound()):
		t.Fatalf("Close did not return within %s", closeBound())
	}
	for deadline := time.Now().Add(testtime.Bound(hostileSlack)); ; time.Sleep(50 * time.Millisecond) {
		var alive []int
		for _, pid := range pids {
			if isAlive(pid) {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 {
			break
		}
		if time.Now().After(deadline) {
			for _, pid := range alive {
				st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
				cl, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
				t.Logf("left behind: %s\n   %s", st, bytes.ReplaceAll(cl, []byte{0}, []byte(" ")))
			}
			t.Fatalf("browser processes left after Close: %v", alive)
		}
	}
}

// isAlive reports whether a process exists and is not a zombie.
func isAlive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	rest := string(data[bytes.LastIndexByte(data, ')')+1:])
	return !strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

// TestWaitForATabCounts gives the cleared isolation one page at a time,
// so two tabs (the one loading and the spare cleared one), each held by a
// page that never finishes loading: a third page waits for a tab, and
// that wait counts against its own time, so it fails with cause
// tab-timeout within its timeout instead of waiting out the others.
func TestWaitForATabCounts(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: time.Minute, Tabs: 1, Isolation: chrome.IsolateCleared})
	ctx, cancel := context.WithCancel(context.Background())
	const holders = 2 // Tabs, plus the spare cleared tab
	first := make(chan error, holders)
	for range holders {
		go func() {
			_, err := b.Load(ctx, audit.Target{URL: srv.URL + "/never-loads"}, audit.CapDOM)
			first <- err
		}()
	}
	defer func() {
		cancel()
		for range holders {
			<-first
		}
	}()
	time.Sleep(testtime.Bound(time.Second)) // the first pages hold the tabs
	start := time.Now()
	_, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/ok", Timeout: firingTimeout}, audit.CapDOM)
	took := time.Since(start)
	t.Logf("the third page: %v, after %s", err, took.Round(time.Millisecond))
	if causeOf(err) != audit.LoadCause("tab-timeout") {
		t.Errorf("err = %v, want cause tab-timeout", err)
	}
	if limit := endBound(firingTimeout); took > limit {
		t.Errorf("took %s, more than %s", took, limit)
	}
}

// TestNothingWrittenUnderHome runs a browser with HOME pointing at an
// empty folder and no XDG folders set, loads a page and crashes another:
// the folder must stay empty (no crash reports, no dconf, no caches).
func TestNothingWrittenUnderHome(t *testing.T) {
	testtime.Log(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	if _, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/ok"}, allCaps); err != nil {
		t.Fatal(err)
	}
	undo := chrome.CrashAt("settle", "/crash-step")
	_, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/crash-step"}, allCaps)
	undo()
	if causeOf(err) != audit.CauseCrash {
		t.Errorf("the crashing page: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	var written []string
	filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if path != home {
			written = append(written, strings.TrimPrefix(path, home+"/"))
		}
		return nil
	})
	if len(written) > 0 {
		t.Errorf("the browser wrote under $HOME: %q", written)
	}
}

// TestWalkTrapsAndCutsShort loads pages whose keyboard walk ends early:
// focus trapped on one link or among several, trapped in a modal dialog,
// the walk out of time, the page gone elsewhere. A walk cut short never
// says that no skip link works; a trap outside a dialog is a finding.
func TestWalkTrapsAndCutsShort(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	trapRule := rules.ByID("keyboard-focus-trap")
	cases := []struct {
		name, path string
		// trap is the selector the trap finding must be on; "" means
		// no trap finding.
		trap string
		// verdict must be in the walk's verdict.
		verdict string
		// stopped must be in the reason the walk ended early.
		stopped string
	}{
		{name: "trap on the skip link", path: "/trap-self", trap: "#skip", verdict: "could not be determined", stopped: "Tab"},
		{name: "trap among links", path: "/trap-cycle", trap: "#first", verdict: "The first working skip link is tab stop 1", stopped: "Tab"},
		{name: "modal dialog", path: "/trap-dialog", verdict: "could not be determined", stopped: "dialog"},
		{name: "out of time", path: "/slow-focus", verdict: "could not be determined", stopped: "ran out of time"},
		{name: "leaves the page", path: "/leave-on-focus", verdict: "could not be determined", stopped: "another document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.path == "/slow-focus" {
				defer chrome.SetWalkBudget(time.Second)() // the walk's own timer, which must fire
			}
			p, err := b.Load(context.Background(), audit.Target{URL: srv.URL + c.path}, allCaps)
			if err != nil {
				t.Fatal(err)
			}
			findings, _, ruleErrs := audit.CheckPage(p, rules.All())
			if len(ruleErrs) > 0 {
				t.Errorf("rules failed: %v", ruleErrs)
			}
			res := audit.PageResult{URL: p.URL, Findings: findings}
			skiplink.Summarize(p, &res)
			if len(res.Walks) != 1 {
				t.Fatalf("walks: %+v", res.Walks)
			}
			ws := res.Walks[0]
			t.Logf("verdict %q; note %q", ws.Verdict, ws.Note)
			if !strings.Contains(ws.Verdict, c.verdict) {
				t.Errorf("verdict %q, want it to say %q", ws.Verdict, c.verdict)
			}
			if !strings.Contains(ws.Note, c.stopped) {
				t.Errorf("note %q, want it to say %q", ws.Note, c.stopped)
			}
			for _, f := range findings {
				if strings.Contains(strings.ToLower(f.Message), "no skip link works") {
					t.Errorf("%s says %q on a walk cut short", f.Rule, f.Message)
				}
			}
			var traps []audit.Finding
			for _, f := range findings {
				if f.Rule == "keyboard-focus-trap" {
					traps = append(traps, f)
				}
			}
			switch {
			case trapRule == nil:
				t.Error("no rule keyboard-focus-trap")
			case c.trap == "" && len(traps) > 0:
				t.Errorf("trap findings on a page without a trap: %+v", traps)
			case c.trap != "" && (len(traps) != 1 || traps[0].Selector != c.trap):
				t.Errorf("trap findings %+v, want one on %s", traps, c.trap)
			}
		})
	}
}

// TestRedirectToOtherScheme follows redirects out of the web, to
// view-source:, file:, mailto:, data: and chrome: addresses: each page
// fails with cause scheme, which names where it was sent.
func TestRedirectToOtherScheme(t *testing.T) {
	testtime.Log(t)
	srv := newHostile2Server(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	for _, name := range []string{"view-source", "file", "mailto", "data", "chrome"} {
		t.Run(name, func(t *testing.T) {
			_, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/to/" + name}, audit.CapDOM)
			if causeOf(err) != audit.LoadCause("scheme") {
				t.Fatalf("err = %v, want cause scheme", err)
			}
			if !strings.Contains(err.Error(), name+":") {
				t.Errorf("err = %v, want it to name the %s: address", err, name)
			}
		})
	}
}
