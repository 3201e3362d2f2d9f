package chrome_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

func TestMain(m *testing.M) { chrometest.Main(m) }

// byID returns the first element with the id attribute id.
func byID(t *testing.T, p *audit.Page, id string) *audit.Node {
	t.Helper()
	for n := range p.Elements() {
		if v, _ := p.Node(n).Attr("id"); v == id {
			return p.Node(n)
		}
	}
	t.Fatalf("no element #%s in the snapshot", id)
	return nil
}

func TestSnapshotStructure(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := audittest.Load(t, b, srv.URLFor("structure.html"))

	if p.Loader != "chrome" || !p.Captured.Has(audit.CapDOM|audit.CapScripts|audit.CapLayout|audit.CapAX) {
		t.Errorf("loader %s captured %s", p.Loader, p.Captured)
	}
	if p.Status != 200 || p.Facts.Title != "Structure" || p.Viewport != chrome.DefaultViewport {
		t.Errorf("status %d title %q viewport %+v", p.Status, p.Facts.Title, p.Viewport)
	}
	if h := byID(t, p, "headline"); h.AX == nil || h.AX.Role != "heading" || h.AX.Level != 1 || h.AX.Name != "Headline" || h.Layout == nil {
		t.Errorf("h1: ax %+v layout %v", h.AX, h.Layout)
	}
	if s := byID(t, p, "shadow-heading"); !s.InShadow || s.AX == nil || s.AX.Level != 2 {
		t.Errorf("shadow heading: shadow %v ax %+v", s.InShadow, s.AX)
	}
	if l := byID(t, p, "light"); l.InShadow || p.Node(l.Parent).Tag != "slot" {
		t.Errorf("slotted paragraph: shadow %v parent %s; want light DOM under the slot", l.InShadow, p.Node(l.Parent).Tag)
	}
	if f := byID(t, p, "frame-heading"); f.Frame != 1 || f.AX == nil || f.AX.Level != 3 {
		t.Errorf("frame heading: frame %d ax %+v", f.Frame, f.AX)
	}
	if img := byID(t, p, "loaded"); !img.Image.Loaded() || img.Image.NaturalWidth != 400 || img.AX.NameFrom != "alt" {
		t.Errorf("loaded image: %+v ax %+v", img.Image, img.AX)
	}
	if img := byID(t, p, "broken"); img.Image == nil || img.Image.Loaded() {
		t.Errorf("broken image state: %+v", img.Image)
	}
	if n := byID(t, p, "hidden-by-class"); n.Layout != nil {
		t.Errorf("display:none paragraph has layout %+v", n.Layout)
	}
	if n := byID(t, p, "invisible"); n.Layout == nil || n.Layout.Style.Visibility != "hidden" {
		t.Errorf("visibility:hidden paragraph: %+v", n.Layout)
	}

	// A snapshot survives a JSON round trip.
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back audit.Page
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Nodes) != len(p.Nodes) || back.Captured != p.Captured || back.Facts.Title != p.Facts.Title {
		t.Errorf("round trip lost data: %d nodes, captured %s", len(back.Nodes), back.Captured)
	}
}

func TestLoadFailuresHaveCauses(t *testing.T) {
	b := chrometest.Browser(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<h1>Not here</h1>"))
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4\n%%EOF\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	cases := []struct {
		url    string
		cause  audit.LoadCause
		status int
	}{
		{srv.URL + "/missing", audit.CauseHTTPStatus, 404},
		{srv.URL + "/pdf", audit.CauseNotHTML, 0},
		{closedURL + "/gone", audit.CauseNetwork, 0},
	}
	for _, c := range cases {
		_, err := b.Load(context.Background(), audit.Target{URL: c.url}, audit.CapDOM)
		var le *audit.LoadError
		if !errors.As(err, &le) || le.Cause != c.cause {
			t.Errorf("%s: err = %v, want cause %s", c.url, err, c.cause)
			continue
		}
		var se *audit.StatusError
		if c.status != 0 && (!errors.As(err, &se) || se.Status != c.status) {
			t.Errorf("%s: err = %v, want status %d", c.url, err, c.status)
		}
	}
}

func TestLoadTimesOut(t *testing.T) {
	testtime.Log(t)
	path := chrometest.ExecPath(t)
	b, err := chrome.Launch(chrome.Options{ExecPath: path, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>a page that never finishes"))
		w.(http.Flusher).Flush()
		<-hang
	}))
	defer srv.Close()
	defer close(hang)
	start := time.Now()
	_, err = b.Load(context.Background(), audit.Target{URL: srv.URL}, audit.CapDOM)
	var le *audit.LoadError
	if !errors.As(err, &le) || le.Cause != audit.CauseTimeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if took, limit := time.Since(start), endBound(2*time.Second); took > limit {
		t.Errorf("the load took %s, more than its timeout, grace and slack (%s)", took, limit)
	}
}

// TestBlockThirdParty loads a page with third-party images and frames,
// with tabs reused and with a context a page: none of them reaches the
// third party, and the page's own do.
func TestBlockThirdParty(t *testing.T) {
	testtime.Log(t)
	for _, isolation := range []chrome.Isolation{chrome.IsolateCleared, chrome.IsolateContext} {
		t.Run(string(isolation), func(t *testing.T) { testBlockThirdParty(t, isolation) })
	}
}

func testBlockThirdParty(t *testing.T, isolation chrome.Isolation) {
	path := chrometest.ExecPath(t)
	b, err := chrome.Launch(chrome.Options{ExecPath: path, Timeout: testtime.Bound(10 * time.Second), BlockThirdParty: true, Isolation: isolation})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var thirdPartyHits atomic.Int32
	third := otherSite(t, func(w http.ResponseWriter, r *http.Request) {
		thirdPartyHits.Add(1)
		if strings.HasSuffix(r.URL.Path, ".html") {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<p>An advertisement</p>`))
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`))
	})
	var ownHits, blankHits atomic.Int32
	swFetched := make(chan struct{})
	var swOnce sync.Once
	own := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sw.js":
			// A service worker that sends the navigations of its pages'
			// frames to the network itself, past the tab's interception.
			swOnce.Do(func() { close(swFetched) })
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(`self.addEventListener("install", (e) => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => { if (e.request.mode === "navigate") e.respondWith(fetch(e.request)); });`))
			return
		case "/hold.svg":
			// Holds the load event until the service worker is running and
			// the frame made once it is has started.
			select {
			case <-swFetched:
				time.Sleep(testtime.Bound(500 * time.Millisecond))
			case <-time.After(testtime.Bound(5 * time.Second)):
			}
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`))
			return
		case "/.newsa11y-blank":
			// The blank document a blocked frame is sent to must never
			// reach the site.
			blankHits.Add(1)
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`<h2>The site's own page</h2>`))
			return
		case "/own.svg":
			ownHits.Add(1)
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`))
			return
		case "/own-frame.html":
			// The site's own frame loads, and a third-party frame in it
			// does not.
			ownHits.Add(1)
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<p>Own frame</p><iframe src="http://%[1]s/nested.html"></iframe><img src="http://%[1]s/nested.svg" alt="">`, third)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		// Third-party frames, one in the markup and one made by script,
		// are navigations, which Network.setBlockedURLs does not block;
		// a sandboxed frame of the site's own gets a renderer of its own
		// unless the browser is told otherwise.
		fmt.Fprintf(w, `<h1>Page</h1><img id="own" src="/own.svg" alt="own"><img id="third" src="http://%[1]s/third.svg" alt="third">
<iframe id="ad" title="ad" src="http://%[1]s/ad.html"></iframe><iframe title="own" src="/own-frame.html"></iframe><img src="/hold.svg" alt="">
<iframe title="own, sandboxed" sandbox="allow-scripts" src="/own-frame.html"></iframe>
<script>const f = document.createElement("iframe"); f.src = "http://%[1]s/scripted.html"; document.body.append(f);
navigator.serviceWorker.register("/sw.js");
navigator.serviceWorker.ready.then(() => { const g = document.createElement("iframe"); g.id = "sw-ad"; g.title = "ad"; g.src = "http://%[1]s/sw-ad.html"; document.body.append(g); });</script>`, third)
	}))
	defer own.Close()
	p, err := b.Load(context.Background(), audit.Target{URL: own.URL + "/"}, audit.CapDOM)
	if err != nil {
		t.Fatal(err)
	}
	if ownHits.Load() != 3 || thirdPartyHits.Load() != 0 {
		t.Errorf("requests: own site %d, third party %d; want 3 (the image and two frames) and none", ownHits.Load(), thirdPartyHits.Load())
	}
	if img := byID(t, p, "own"); !img.Image.Loaded() {
		t.Errorf("own image not loaded: %+v", img.Image)
	}
	if img := byID(t, p, "third"); img.Image.Loaded() {
		t.Errorf("third-party image loaded: %+v", img.Image)
	}
	if blankHits.Load() != 0 {
		t.Errorf("the blank document of blocked frames was asked of the site %d times, want none", blankHits.Load())
	}
	// The blocked frames hold the empty document of the page's own
	// origin: a document, with no text.
	for _, id := range []string{"ad", "sw-ad"} {
		frame := byIDNode(p, id)
		if frame == audit.NoNode {
			t.Fatalf("no frame #%s in the snapshot; the test no longer sees what it checks", id)
		}
		if !holdsDocument(p, frame) {
			t.Errorf("the blocked frame #%s holds no document", id)
		}
		if text := frameText(p, frame); text != "" {
			t.Errorf("the blocked frame #%s holds %q, want nothing", id, text)
		}
	}
}

// holdsDocument reports whether an element has a document below it: a
// frame whose document the snapshot captured.
func holdsDocument(p *audit.Page, id audit.NodeID) bool {
	for d := range p.Descendants(id) {
		if p.Node(d).Kind == audit.DocumentNode {
			return true
		}
	}
	return false
}

// frameText returns the text of the nodes under an element, script and
// style text included.
func frameText(p *audit.Page, id audit.NodeID) string {
	var b strings.Builder
	for d := range p.Descendants(id) {
		if n := p.Node(d); n.Kind == audit.TextNode {
			b.WriteString(strings.TrimSpace(n.Data))
		}
	}
	return b.String()
}

// TestFrameErrorPageLeftOut loads a page with a frame whose server cannot
// be reached: the browser's error page in it is none of the page's
// content and is left out of the snapshot, while a frame that loaded is
// captured.
func TestFrameErrorPageLeftOut(t *testing.T) {
	b := chrometest.Browser(t)
	// A port nothing listens on: the connection is refused at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<h1>Page</h1><iframe id="down" title="down" src="http://%s/"></iframe><iframe id="up" title="up" srcdoc="<p>Own words</p>"></iframe>`, down)
	}))
	defer srv.Close()
	p, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/"}, audit.CapDOM)
	if err != nil {
		t.Fatal(err)
	}
	if text := frameText(p, byIDNode(p, "down")); text != "" {
		t.Errorf("the frame that could not load holds %.80q, want nothing", text)
	}
	if text := frameText(p, byIDNode(p, "up")); text != "Own words" {
		t.Errorf("the frame that loaded holds %q, want its text", text)
	}
}

func TestThumbnail(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p, open, err := b.LoadOpen(context.Background(), audit.Target{URL: srv.URLFor("structure.html")}, audit.CapDOM)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	var img audit.NodeID = audit.NoNode
	for id := range p.Elements() {
		if v, _ := p.Node(id).Attr("id"); v == "loaded" {
			img = id
		}
	}
	uri, err := open.Thumbnail(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	data, ok := strings.CutPrefix(uri, "data:image/jpeg;base64,")
	if !ok {
		t.Fatalf("thumbnail is not a JPEG data URI: %.40s", uri)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// The 400×300 photo is scaled to fit 320×240.
	if cfg.Width != 320 || cfg.Height != 240 {
		t.Errorf("thumbnail is %dx%d, want 320x240", cfg.Width, cfg.Height)
	}
	if _, err := open.Thumbnail(context.Background(), byIDNode(p, "hidden-by-class")); err == nil {
		t.Error("a thumbnail of an element without a box did not fail")
	}
}

func byIDNode(p *audit.Page, id string) audit.NodeID {
	for n := range p.Elements() {
		if v, _ := p.Node(n).Attr("id"); v == id {
			return n
		}
	}
	return audit.NoNode
}

// TestOtherSiteFrameLeavesNetworkQuiet loads a page with frames the
// browser loads in renderers of their own, whose events the page's
// session never gets: one from another site, a sandboxed one, and one
// whose address on the page's site redirects to another. Their document
// requests must not count as in flight for ever, or every such page would
// wait out the settle's bounds. Once the page has settled, its network
// counts as quiet.
func TestOtherSiteFrameLeavesNetworkQuiet(t *testing.T) {
	b := chrometest.Browser(t)
	var frameHits atomic.Int32
	other := otherSite(t, func(w http.ResponseWriter, r *http.Request) {
		frameHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<p>A video player</p>`))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/embed" {
			// An address of the page's site that sends the frame to the
			// other site: the request starts as the page's own.
			http.Redirect(w, r, fmt.Sprintf("http://%s/redirected.html", other), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		// A frame from the other site, a sandboxed one (its own renderer
		// whatever its site), and one redirected there.
		fmt.Fprintf(w, `<h1>Page</h1><iframe title="video" src="http://%[1]s/player.html"></iframe>
<iframe title="sandboxed" sandbox="allow-scripts" src="http://%[1]s/sandboxed.html"></iframe>
<iframe title="embed" src="/embed"></iframe>`, other)
	}))
	defer srv.Close()
	quiet, undo := chrome.QuietAt("dom", srv.URL)
	defer undo()
	if _, err := b.Load(context.Background(), audit.Target{URL: srv.URL + "/"}, audit.CapDOM); err != nil {
		t.Fatal(err)
	}
	if frameHits.Load() != 3 {
		t.Fatalf("the other site's frames were requested %d times, want 3; the test no longer sees what it checks", frameHits.Load())
	}
	if q := quiet(); len(q) != 1 || q[0] == 0 {
		t.Errorf("after settling, the network had been quiet for %v; want it quiet (the frame's request not left in flight)", q)
	}
}

// otherSite serves handler on another loopback address, which stands in
// for a host of another site, until the test ends, and returns its
// host:port. Without that address it skips the test.
func otherSite(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	return siteAt(t, "127.0.0.2", handler)
}

// siteAt serves handler on a loopback address, a site of its own, and
// returns its host and port; it skips the test when the address cannot
// be listened on.
func siteAt(t *testing.T, ip string, handler http.HandlerFunc) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := &http.Server{Handler: handler}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}
