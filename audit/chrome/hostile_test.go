package chrome_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules"
)

// hostileTimeout is the load timeout of the hostile pages that must load,
// or fail in another way than a timeout, on a quiet machine; they get it
// stretched by the machine's time scale, so that a busy machine still
// loads them.
const hostileTimeout = 8 * time.Second

// firingTimeout is the load timeout of the pages that must time out:
// short, so that they do so quickly, and not stretched, since it is the
// loader's own timer that must fire.
const firingTimeout = 3 * time.Second

// hostileSlack is what the end of a page may take beyond its timeout and
// capture grace, on a quiet two-core machine: closing its tab and the
// calls in flight. It is work, and stretches with the time scale.
const hostileSlack = 3 * time.Second

// downloadTime is how long the hostile server takes to send its 50 MB
// download on a quiet machine.
const downloadTime = 10 * time.Second

// endBound is how long a page with the load timeout may take to end: the
// timeout and the capture grace, which are the loader's own timers, and
// the slack stretched by the time scale.
func endBound(timeout time.Duration) time.Duration {
	return timeout + chrome.CaptureGrace + testtime.Bound(hostileSlack)
}

// A hostileCase is a page that tries to hang, crash or fool the capture,
// and what must come of it.
type hostileCase struct {
	name string
	// path is served by the hostile server; url, when set, wins.
	path string
	url  string
	// timeout, when set, replaces hostileTimeout for the page: the large
	// pages get more, as a run auditing such pages would give them.
	// Pages that must time out have firingTimeout instead.
	timeout time.Duration
	// cause is the failure the page must end with; empty means it must be
	// captured and checked.
	cause audit.LoadCause
	// check looks at a captured page or at the error.
	check func(t *testing.T, p *audit.Page, err error)
	// reuse marks the cases that test what a reused tab carries to the
	// next page; the cleared isolation runs only those.
	reuse bool
}

// hostileServer serves the hostile pages. Handlers that hang end when the
// test does.
type hostileServer struct {
	*httptest.Server
	// other is a second server on another host name, for redirects away.
	other *httptest.Server
	// tls serves with a self-signed certificate.
	tls *httptest.Server
	// done ends the handlers that hang.
	done chan struct{}
	// downloadBytes counts the bytes of the 50 MB download actually sent.
	downloadBytes atomic.Int64
	// downloading counts the downloads being sent.
	downloading atomic.Int32
	// hanging receives a value when a request starts to hang, unless one
	// is already waiting.
	hanging chan struct{}
}

// pixelGIF is a transparent 1x1 GIF. The gallery uses a raster image, as
// news photos are: 2,000 distinct SVG images alone take Chromium over a
// minute to load, each being a document of its own.
var pixelGIF = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

const okPage = `<!DOCTYPE html><html lang="en"><head><title>Fine</title></head>
<body><a href="#main">Skip to content</a><nav><a href="/">Home</a></nav>
<main id="main"><h1>A fine page</h1><p>Body.</p></main></body></html>`

func newHostileServer(t *testing.T) *hostileServer {
	s := &hostileServer{done: make(chan struct{}), hanging: make(chan struct{}, 1)}
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.hanging <- struct{}{}:
		default:
		}
		select {
		case <-s.done:
		case <-r.Context().Done():
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", html(okPage))
	mux.HandleFunc("/crash-me", html(okPage))
	mux.HandleFunc("/dialogs", html(`<!DOCTYPE html><html lang="en"><title>Dialogs</title><h1>Dialogs</h1><p id="answers">none</p>
<script>
  alert('hello');
  const yes = confirm('Continue?');
  const name = prompt('Your name?');
  document.getElementById('answers').textContent = 'confirm=' + yes + ' prompt=' + name;
  addEventListener('load', () => setTimeout(() => alert('after load'), 50));
  setInterval(() => alert('forever'), 300);
</script>`))
	mux.HandleFunc("/beforeunload", html(`<!DOCTYPE html><html lang="en"><title>Stay</title>
<a href="#main">Skip to content</a><main id="main"><h1>Do not leave</h1><a href="/ok">Elsewhere</a></main>
<script>
  addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = 'Leave?'; });
</script>`))
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.otherURL()+"/ok", http.StatusFound)
	})
	mux.HandleFunc("/never-ends", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><title>Slow</title><h1>The start of a page")
		w.(http.Flusher).Flush()
		hang(w, r)
	})
	mux.HandleFunc("/hang", hang)
	mux.HandleFunc("/load-never-fires", html(`<!DOCTYPE html><html lang="en"><title>Waiting</title><h1>An image that never arrives</h1><img src="/hang" alt="">`))
	mux.HandleFunc("/long-poll", html(`<!DOCTYPE html><html lang="en"><title>Polling</title><h1>Live blog</h1><ol id="updates"></ol>
<script>
  async function poll() {
    try { await fetch('/hang?poll=' + Date.now()); } catch (e) {}
    setTimeout(poll, 10);
  }
  poll(); poll();
</script>`))
	mux.HandleFunc("/sse", html(`<!DOCTYPE html><html lang="en"><title>Stream</title><h1>Live scores</h1><p id="score">0</p>
<script>
  const es = new EventSource('/events');
  es.onmessage = (e) => { document.getElementById('score').textContent = e.data; };
</script>`))
	mux.HandleFunc("/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; ; i++ {
			if _, err := fmt.Fprintf(w, "data: %d\n\n", i); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-s.done:
				return
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	// The ticker's image holds the load event until the socket has
	// spoken, so that the capture sees a live socket even on a busy
	// machine.
	mux.HandleFunc("/websocket", html(`<!DOCTYPE html><html lang="en"><title>Socket</title><h1>Live ticker</h1><p id="tick">waiting</p>
<script>
  const ws = new WebSocket('ws://' + location.host + '/ws');
  ws.onmessage = (e) => { document.getElementById('tick').textContent = e.data; ws.send('more'); };
  ws.onopen = () => ws.send('start');
</script>
<img src="/ws-ready" alt="" width="1" height="1">`))
	wsStarted := make(chan struct{})
	var wsOnce sync.Once
	mux.HandleFunc("/ws-ready", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-wsStarted:
		case <-r.Context().Done():
		case <-time.After(testtime.Bound(5 * time.Second)):
		}
		w.Header().Set("Content-Type", "image/gif")
		w.Write(pixelGIF)
	})
	mux.Handle("/ws", websocket.Handler(func(c *websocket.Conn) {
		buf := make([]byte, 64)
		for i := 0; ; i++ {
			if _, err := c.Read(buf); err != nil {
				return
			}
			wsOnce.Do(func() { close(wsStarted) })
			if _, err := c.Write([]byte(strconv.Itoa(i))); err != nil {
				return
			}
		}
	}))
	mux.HandleFunc("/infinite", html(`<!DOCTYPE html><html lang="en"><title>Endless</title><h1>More stories</h1><div id="feed"></div>
<script>
  let n = 0;
  function more() {
    const feed = document.getElementById('feed');
    for (let i = 0; i < 20; i++, n++) {
      const p = document.createElement('p');
      p.style.height = '120px';
      p.textContent = 'Story ' + n;
      feed.append(p);
    }
  }
  more();
  addEventListener('scroll', () => {
    if (innerHeight + scrollY > document.body.scrollHeight - 600) more();
  });
</script>`))
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><title>Huge</title><h1>A page of 100,000 elements</h1><ul>`)
		for i := range 50000 {
			fmt.Fprintf(&b, `<li><span>Item %d</span></li>`, i)
		}
		b.WriteString("</ul>")
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/deep-markup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Deep</title><h1>Nested 5,000 deep</h1>`+
			strings.Repeat("<div>", 5000)+`<h2 id="bottom">The bottom</h2>`+strings.Repeat("</div>", 5000))
	})
	mux.HandleFunc("/deep-script", html(`<!DOCTYPE html><html lang="en"><title>Deep</title><h1>Nested 5,000 deep</h1><div id="root"></div>
<script>
  let at = document.getElementById('root');
  for (let i = 0; i < 5000; i++) { const d = document.createElement('div'); at.append(d); at = d; }
  const h = document.createElement('h2');
  h.id = 'bottom';
  h.textContent = 'The bottom';
  at.append(h);
</script>`))
	mux.HandleFunc("/goes-away", html(`<!DOCTYPE html><html lang="en"><title>Leaving</title><h1>This page leaves</h1>
<script>addEventListener('load', () => setTimeout(() => { location.href = '/ok'; }, 200));</script>`))
	mux.HandleFunc("/popups", html(`<!DOCTYPE html><html lang="en"><title>Popups</title><h1>Popups</h1>
<script>
  for (let i = 0; i < 200; i++) window.open('/ok?popup=' + i);
  setInterval(() => window.open('/ok?later'), 20);
  document.addEventListener('keydown', () => { for (let i = 0; i < 20; i++) window.open('/ok?key=' + i); });
</script>`))
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`)
	})
	mux.HandleFunc("/pixel.gif", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write(pixelGIF)
	})
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="archive.bin"`)
		w.Header().Set("Content-Length", strconv.Itoa(50<<20))
		s.downloading.Add(1)
		defer s.downloading.Add(-1)
		// Sent at full speed over loopback, the whole download can
		// arrive before a busy browser gets to refuse it. It is paced
		// to take downloadTime, stretched by the time scale: the
		// browser must refuse it within that.
		chunk := make([]byte, 64<<10)
		pause := testtime.Bound(downloadTime) / (50 << 20 / time.Duration(len(chunk)))
		for sent := 0; sent < 50<<20; sent += len(chunk) {
			n, err := w.Write(chunk)
			s.downloadBytes.Add(int64(n))
			if err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-s.done:
				return
			case <-r.Context().Done():
				return
			case <-time.After(pause):
			}
		}
	})
	for _, code := range []int{404, 500, 503} {
		mux.HandleFunc(fmt.Sprintf("/status/%d", code), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(code)
			fmt.Fprintf(w, "<h1>Error %d</h1>", code)
		})
	}
	mux.HandleFunc("/status/503-empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head>"+
			"<body><h1>Le caf\xe9</h1><img id=\"photo\" src=\"/image\" alt=\"Caf\xe9 in Par\xeds\" width=\"10\" height=\"10\"></body></html>")
	})
	mux.HandleFunc("/sjis", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=Shift_JIS")
		fmt.Fprint(w, "<!DOCTYPE html><html lang=\"ja\"><title>News</title><h1 id=\"city\">\x93\x8c\x8b\x9e</h1>")
	})
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><title>Broken</title><h1 id=top>Broken <b>markup<p>para <img src=/image alt=unquoted value>"+
			"<div></span></div></div><table><td>cell</table><a href=\"#x\x00\">nul</a><h2 <h3>>odd</h2><!-- unterminated")
	})
	mux.HandleFunc("/images", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><title>Gallery</title><h1>2,000 photos</h1>`)
		for i := range 2000 {
			fmt.Fprintf(&b, `<figure><img src="/pixel.gif?n=%d" alt="Photo %d" width="10" height="10"><figcaption>Photo %d</figcaption></figure>`, i, i, i)
		}
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/file-escape", html(`<!DOCTYPE html><html lang="en"><title>Escape</title><h1>Reaching for local files</h1>
<iframe id="local" src="file:///etc/passwd"></iframe>
<script>
  addEventListener('load', () => setTimeout(() => { location.href = 'file:///etc/passwd'; }, 50));
  fetch('file:///etc/passwd').then((r) => r.text()).then((t) => { document.body.append(t); }).catch(() => {});
</script>`))

	s.Server = httptest.NewServer(mux)
	s.other = httptest.NewServer(mux)
	s.tls = httptest.NewTLSServer(mux)
	t.Cleanup(func() {
		close(s.done)
		s.Server.Close()
		s.other.Close()
		s.tls.Close()
	})
	return s
}

// otherURL is the second server under another host name than the first.
func (s *hostileServer) otherURL() string {
	return strings.Replace(s.other.URL, "127.0.0.1", "localhost", 1)
}

// hostileCases returns the suite's cases in the order they run.
func hostileCases(s *hostileServer) []hostileCase {
	text := func(t *testing.T, p *audit.Page, id, want string) {
		t.Helper()
		if got := p0Text(t, p, id); got != want {
			t.Errorf("#%s says %q, want %q", id, got, want)
		}
	}
	status := func(code int) func(t *testing.T, p *audit.Page, err error) {
		return func(t *testing.T, p *audit.Page, err error) {
			var se *audit.StatusError
			if !errors.As(err, &se) || se.Status != code {
				t.Errorf("err = %v, want status %d", err, code)
			}
		}
	}
	return []hostileCase{
		{name: "dialogs", reuse: true, path: "/dialogs", check: func(t *testing.T, p *audit.Page, err error) {
			text(t, p, "answers", "confirm=false prompt=null")
		}},
		{name: "beforeunload", reuse: true, path: "/beforeunload"},
		{name: "redirect-loop", reuse: true, path: "/loop", cause: audit.CauseNetwork, check: func(t *testing.T, p *audit.Page, err error) {
			if !strings.Contains(err.Error(), "REDIRECT") {
				t.Errorf("err = %v, want it to name the redirects", err)
			}
		}},
		{name: "redirect-other-host", reuse: true, path: "/elsewhere", check: func(t *testing.T, p *audit.Page, err error) {
			if !strings.HasPrefix(p.FinalURL, s.otherURL()) {
				t.Errorf("final URL %s, want the other host %s", p.FinalURL, s.otherURL())
			}
		}},
		{name: "never-ending-response", reuse: true, path: "/never-ends", cause: audit.CauseTimeout},
		{name: "load-never-fires", path: "/load-never-fires", cause: audit.CauseTimeout},
		{name: "long-polling", reuse: true, path: "/long-poll"},
		{name: "server-sent-events", reuse: true, path: "/sse"},
		{name: "websocket", reuse: true, path: "/websocket", check: func(t *testing.T, p *audit.Page, err error) {
			if p0Text(t, p, "tick") == "waiting" {
				t.Error("the socket never answered: the case did not test a live socket")
			}
		}},
		{name: "infinite-scroll", reuse: true, path: "/infinite"},
		{name: "100k-elements", path: "/huge", timeout: time.Minute, check: func(t *testing.T, p *audit.Page, err error) {
			if n := len(p.Nodes); n < 100000 {
				t.Errorf("%d nodes captured, want at least 100,000", n)
			}
		}},
		// The HTML parser stops nesting at 512 levels, so served markup
		// 5,000 deep is captured; the same depth built by a script
		// overflows the renderer's layout, in Chromium itself, and
		// must end as a crash recorded at once.
		{name: "5000-deep-markup", path: "/deep-markup", check: func(t *testing.T, p *audit.Page, err error) {
			h := byID(t, p, "bottom")
			if h.AX == nil || h.AX.Level != 2 {
				t.Errorf("the deepest heading: %+v", h.AX)
			}
		}},
		{name: "5000-deep-script", reuse: true, path: "/deep-script", cause: audit.CauseCrash},
		{name: "navigates-away", reuse: true, path: "/goes-away"},
		{name: "window-open-storm", reuse: true, path: "/popups"},
		{name: "renderer-crash", reuse: true, path: "/crash-me", cause: audit.CauseCrash},
		{name: "pdf", path: "/pdf", cause: audit.CauseNotHTML},
		{name: "image", path: "/image", cause: audit.CauseNotHTML},
		{name: "50MB-download", reuse: true, path: "/download", cause: audit.CauseNotHTML},
		{name: "404", path: "/status/404", cause: audit.CauseHTTPStatus, check: status(404)},
		{name: "500", path: "/status/500", cause: audit.CauseHTTPStatus, check: status(500)},
		{name: "503", path: "/status/503", cause: audit.CauseHTTPStatus, check: status(503)},
		{name: "503-empty-body", path: "/status/503-empty", cause: audit.CauseHTTPStatus, check: status(503)},
		{name: "self-signed-tls", url: s.tls.URL + "/ok", cause: audit.CauseTLS},
		{name: "windows-1252", path: "/latin1", check: func(t *testing.T, p *audit.Page, err error) {
			if alt, _ := byID(t, p, "photo").Attr("alt"); alt != "Café in París" {
				t.Errorf("alt decoded as %q", alt)
			}
		}},
		{name: "shift-jis", path: "/sjis", check: func(t *testing.T, p *audit.Page, err error) {
			text(t, p, "city", "東京")
		}},
		{name: "malformed-html", path: "/malformed", check: func(t *testing.T, p *audit.Page, err error) {
			if got := p0Text(t, p, "top"); !strings.HasPrefix(got, "Broken markup") {
				t.Errorf("the unclosed heading reads %q", got)
			}
		}},
		{name: "2000-images", path: "/images", timeout: time.Minute, check: func(t *testing.T, p *audit.Page, err error) {
			n := 0
			for e := range p.Elements() {
				if p.Node(e).Tag == "img" {
					n++
				}
			}
			if n != 2000 {
				t.Errorf("%d images captured, want 2,000", n)
			}
		}},
		{name: "file-url", reuse: true, path: "/file-escape", check: func(t *testing.T, p *audit.Page, err error) {
			if !strings.HasPrefix(p.FinalURL, "http://") {
				t.Errorf("the page left for %s", p.FinalURL)
			}
			for e := range p.Elements() {
				if strings.Contains(p.VisibleText(e), "root:") {
					t.Errorf("a local file's content reached the snapshot in <%s>", p.Node(e).Tag)
				}
			}
		}},
		{name: "after-all", reuse: true, path: "/ok"},
	}
}

// TestHostilePages loads every hostile page in one browser, one after the
// other, each with every capability and every rule: each must end within
// its timeout, grace and slack, with a snapshot or with its cause, and the
// browser must still serve the next page. The log (-v) gives each case's outcome
// and time, and the memory the large pages took.
func TestHostilePages(t *testing.T) {
	for _, iso := range []chrome.Isolation{chrome.IsolateContext, chrome.IsolateCleared} {
		t.Run(string(iso), func(t *testing.T) {
			if iso == chrome.IsolateCleared && testing.Short() {
				t.Skip("the cleared isolation's run is skipped in -short mode")
			}
			runHostile(t, iso)
		})
	}
}

func runHostile(t *testing.T, iso chrome.Isolation) {
	s := newHostileServer(t)
	home := t.TempDir()
	t.Setenv("HOME", home) // where an allowed download would land
	testtime.Log(t)
	b := launch(t, chrome.Options{Tabs: 1, Isolation: iso}) // each page is given its timeout
	defer chrome.CrashAfterLoad("/crash-me")()
	all := rules.All()
	needs := audit.Needs(all) | audit.CapAX
	var table []string
	for _, c := range hostileCases(s) {
		if iso == chrome.IsolateCleared && !c.reuse {
			continue
		}
		url := c.url
		if url == "" {
			url = s.URL + c.path
		}
		timeout := firingTimeout
		if c.cause != audit.CauseTimeout {
			timeout = testtime.Bound(cmp.Or(c.timeout, hostileTimeout))
		}
		start := time.Now()
		p, err := b.Load(context.Background(), audit.Target{URL: url, Timeout: timeout}, needs)
		took := time.Since(start)
		outcome := "captured"
		if err != nil {
			var le *audit.LoadError
			if errors.As(err, &le) {
				outcome = string(le.Cause)
			} else {
				outcome = "error"
			}
		}
		table = append(table, fmt.Sprintf("%-22s %-12s %6.2fs", c.name, outcome, took.Seconds()))
		t.Run(c.name, func(t *testing.T) {
			if limit := endBound(timeout); took > limit {
				t.Errorf("took %s, more than the timeout, grace and slack (%s)", took, limit)
			}
			switch {
			case c.cause == "" && err != nil:
				t.Fatalf("want a snapshot, got %v", err)
			case c.cause != "":
				var le *audit.LoadError
				if !errors.As(err, &le) || le.Cause != c.cause {
					t.Fatalf("err = %v, want cause %s", err, c.cause)
				}
				if le.Err == nil || le.Err.Error() == "" {
					t.Error("the failure does not say what happened")
				}
			}
			if err == nil {
				if _, _, ruleErrs := audit.CheckPage(p, all); len(ruleErrs) > 0 {
					t.Errorf("rules failed on the page: %v", ruleErrs)
				}
			}
			if c.check != nil {
				c.check(t, p, err)
			}
		})
	}
	// The refused download ends when the browser drops its connection,
	// or at the latest once it has all been sent.
	for deadline := time.Now().Add(testtime.Bound(downloadTime + hostileSlack)); s.downloading.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if n := s.downloadBytes.Load(); n >= 50<<20 || s.downloading.Load() > 0 {
		t.Errorf("the browser fetched the refused download: %d KB sent", n>>10)
	}
	if entries, _ := os.ReadDir(filepath.Join(home, "Downloads")); len(entries) > 0 {
		t.Errorf("the download reached the disk: %v", entries)
	}
	goPeak, browserNow := memoryNow(b.Pid())
	t.Logf("%s isolation:\n%s\npeak RSS of the test process %d MB; browser processes now %d MB (PSS); 50 MB download sent %d KB before it was refused",
		iso, strings.Join(table, "\n"), goPeak>>20, browserNow>>20, s.downloadBytes.Load()>>10)
	// Bounds, not targets: a snapshot of the 100,000-element page is
	// about a hundred megabytes; several gigabytes would be a leak.
	if goPeak > 3<<30 {
		t.Errorf("the test process peaked at %d MB", goPeak>>20)
	}
}

// memoryNow returns the peak resident memory of this process and the
// summed proportional memory of the browser process pid and its
// descendants, in bytes.
func memoryNow(pid int) (selfPeak, browser int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		selfPeak = ru.Maxrss << 10
	}
	return selfPeak, treePSS(pid)
}

// treePSS sums the proportional memory of pid and its descendants, read
// from /proc: shared pages count once, divided among their sharers.
func treePSS(pid int) int64 {
	if pid == 0 {
		return 0
	}
	var total int64
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid)); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "Pss:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				total += kb << 10
			}
		}
	}
	for _, kid := range childPids(pid) {
		total += treePSS(kid)
	}
	return total
}

// childPids lists the children of pid.
func childPids(pid int) []int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return nil
	}
	var kids []int
	for _, f := range strings.Fields(string(data)) {
		if n, err := strconv.Atoi(f); err == nil {
			kids = append(kids, n)
		}
	}
	return kids
}

// TestBrowserKilledMidRun kills the browser process while it loads a page,
// once the page is waiting on a request that never ends: that page fails
// with its cause, promptly rather than at its timeout, the next one starts
// a new browser and is captured, and the dead browser's processes are
// gone.
func TestBrowserKilledMidRun(t *testing.T) {
	testtime.Log(t)
	s := newHostileServer(t)
	b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
	pid := b.Pid()
	if pid == 0 {
		t.Fatal("no browser process id")
	}
	loaded := make(chan error, 1)
	go func() {
		_, err := b.Load(context.Background(), audit.Target{URL: s.URL + "/load-never-fires"}, audit.CapDOM|audit.CapAX)
		loaded <- err
	}()
	select {
	case <-s.hanging:
	case err := <-loaded:
		t.Fatalf("the page ended before its image hung: %v", err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill the browser: %v", err)
	}
	killed := time.Now()
	err := <-loaded
	took := time.Since(killed)
	var le *audit.LoadError
	if !errors.As(err, &le) || le.Cause != audit.CauseCrash {
		t.Fatalf("the page being loaded: err = %v, want cause crash", err)
	}
	// A page that waited for its timeout would end with that cause; the
	// bound says the dead browser was noticed at once.
	if limit := testtime.Bound(hostileSlack); took > limit {
		t.Errorf("the page ended %s after the browser was killed, more than %s", took, limit)
	}
	p, err := b.Load(context.Background(), audit.Target{URL: s.URL + "/ok"}, audit.CapDOM|audit.CapAX)
	if err != nil {
		t.Fatalf("the next page: %v", err)
	}
	if p.Facts.Title != "Fine" {
		t.Errorf("the next page's title is %q", p.Facts.Title)
	}
	if b.Relaunches() != 1 || b.Pid() == pid {
		t.Errorf("relaunches %d, pid %d (was %d)", b.Relaunches(), b.Pid(), pid)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("the killed browser %d is still there", pid)
	}
}

// TestBrowserLeavesNoTempFiles checks that a browser leaves nothing in
// the temporary folder, neither its profile nor the folder of its process
// singleton's socket (which Chromium keeps outside the profile and removes
// only when it exits on its own), whether it is closed or killed first.
func TestBrowserLeavesNoTempFiles(t *testing.T) {
	s := newHostileServer(t)
	for _, killed := range []bool{false, true} {
		t.Run(fmt.Sprintf("killed=%v", killed), func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			b := launch(t, chrome.Options{Timeout: testtime.Bound(hostileTimeout), Tabs: 1})
			if _, err := b.Load(context.Background(), audit.Target{URL: s.URL + "/ok"}, audit.CapDOM|audit.CapAX); err != nil {
				t.Fatal(err)
			}
			// The headless shell has no process singleton.
			want, what := 2, "its profile and its singleton's folder"
			if strings.Contains(filepath.Base(chrometest.ExecPath(t)), "headless") {
				want, what = 1, "its profile"
			}
			if entries, _ := os.ReadDir(tmp); len(entries) < want {
				t.Errorf("the browser made %d entries in the temporary folder, want %s; the test no longer sees what it checks", len(entries), what)
			}
			if killed {
				if err := syscall.Kill(-b.Pid(), syscall.SIGKILL); err != nil {
					t.Fatalf("kill the browser: %v", err)
				}
			}
			b.Close()
			deadline := time.Now().Add(testtime.Bound(5 * time.Second))
			for {
				entries, _ := os.ReadDir(tmp)
				if len(entries) == 0 {
					return
				}
				if time.Now().After(deadline) {
					var names []string
					for _, e := range entries {
						names = append(names, e.Name())
					}
					t.Fatalf("left behind in the temporary folder: %q", names)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}
