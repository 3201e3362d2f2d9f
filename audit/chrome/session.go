package chrome

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
)

// A session records what one tab's events say while a page loads: the main
// document's response, load events, requests in flight, dialogs and
// crashes. Its handle method runs on chromedp's event loop, so it only
// updates fields under the lock and never calls the browser.
type session struct {
	mu sync.Mutex
	// responses holds the response of each top-frame document load, by
	// loader.
	responses map[cdp.LoaderID]*network.Response
	// loaded marks the loaders whose load event fired.
	loaded map[cdp.LoaderID]bool
	// inflight holds the requests that have started and not finished.
	inflight map[network.RequestID]bool
	// lastActivity is when a request last started or finished.
	lastActivity time.Time
	// crashed is set when the renderer crashed.
	crashed bool
	// dialogs counts the JavaScript dialogs the page opened.
	dialogs int
	// blocked counts requests the browser refused (blocked hosts).
	blocked int
	// failedScripts counts the script requests that failed or were
	// refused.
	failedScripts int
	// frame is the top frame's id, set once known.
	frame cdp.FrameID
	// tab is the tab's id, which is also its top frame's, known before
	// the page's navigation starts; "" when unknown.
	tab cdp.FrameID
	// topURL is the address the top frame's document was last requested
	// from.
	topURL string
	// frameDocs holds the document requests of each frame but the top
	// one, dropped from the requests in flight when the frame moves to
	// another renderer.
	frameDocs map[cdp.FrameID][]network.RequestID
	// origins holds the origins that answered the page's requests, whose
	// stored data a reused tab must clear.
	origins map[string]bool
	// navigations counts the cross-document navigations the top frame
	// started after its first document.
	navigations int
	// documents holds the top frame's document requests, whose redirects
	// are watched.
	documents map[network.RequestID]bool
	// offWeb is the first address off the web (a scheme other than http
	// and https) that a document request of the top frame was sent or
	// redirected to, "" when none.
	offWeb string

	// notify gets a value whenever something a waiter may want changed.
	notify chan struct{}
	// activity gets a value whenever a request starts or finishes, for
	// the wait for a quiet network.
	activity chan struct{}
	// crashedCh closes when the renderer crashes, so the page's calls,
	// which a dead renderer never answers, can be ended at once.
	crashedCh chan struct{}
}

func newSession() *session {
	return &session{
		responses:    map[cdp.LoaderID]*network.Response{},
		loaded:       map[cdp.LoaderID]bool{},
		inflight:     map[network.RequestID]bool{},
		origins:      map[string]bool{},
		documents:    map[network.RequestID]bool{},
		frameDocs:    map[cdp.FrameID][]network.RequestID{},
		lastActivity: time.Now(),
		notify:       make(chan struct{}, 1),
		activity:     make(chan struct{}, 1),
		crashedCh:    make(chan struct{}),
	}
}

// ignoredForQuiet are request types that may stay open for as long as the
// page lives; waiting for them to end would wait for ever.
var ignoredForQuiet = map[network.ResourceType]bool{
	network.ResourceTypeEventSource: true,
	network.ResourceTypeWebSocket:   true,
	network.ResourceTypeMedia:       true,
	network.ResourceTypePing:        true,
}

// handle records one event. It runs on the tab's event loop and must be
// quick.
func (s *session) handle(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument && s.inTop(ev.FrameID) {
			s.documents[ev.RequestID] = true
			s.noteAddress(ev.Request.URL)
			s.topURL = ev.Request.URL
		} else if ev.Type == network.ResourceTypeDocument {
			s.frameDocs[ev.FrameID] = append(s.frameDocs[ev.FrameID], ev.RequestID)
		}
		if ignoredForQuiet[ev.Type] {
			return
		}
		s.inflight[ev.RequestID] = true
		s.lastActivity = time.Now()
		s.active()
	case *network.EventResponseReceivedExtraInfo:
		// A redirect the browser refuses to follow (to file:, data:,
		// view-source:…) shows only here, in its raw headers.
		if s.documents[ev.RequestID] && ev.StatusCode >= 300 && ev.StatusCode < 400 {
			for name, v := range ev.Headers {
				if loc, ok := v.(string); ok && strings.EqualFold(name, "location") {
					s.noteAddress(loc)
				}
			}
		}
	case *network.EventLoadingFinished:
		s.finish(ev.RequestID)
	case *network.EventLoadingFailed:
		if ev.BlockedReason != "" {
			s.blocked++
		}
		if ev.Type == network.ResourceTypeScript && !ev.Canceled {
			s.failedScripts++
		}
		s.finish(ev.RequestID)
	case *network.EventResponseReceived:
		// Only an origin that answered can have stored anything.
		if o := originOf(ev.Response.URL); o != "" {
			s.origins[o] = true
		}
		if ev.Type == network.ResourceTypeDocument && s.inTop(ev.FrameID) {
			s.responses[ev.LoaderID] = ev.Response
			s.wake()
		}
	case *page.EventLifecycleEvent:
		if ev.Name == "load" && s.inTop(ev.FrameID) {
			s.loaded[ev.LoaderID] = true
			s.wake()
		}
	case *page.EventFrameDetached:
		if ev.Reason == page.FrameDetachedReasonSwap {
			// The frame's document committed in another renderer (a
			// frame from another site, a sandboxed one), whose events
			// this session never gets: the end of its document's
			// request will never come here, and the network would never
			// count as quiet.
			for _, id := range s.frameDocs[ev.FrameID] {
				s.finish(id)
			}
			delete(s.frameDocs, ev.FrameID)
		}
	case *page.EventJavascriptDialogOpening:
		s.dialogs++
	case *page.EventFrameStartedNavigating:
		if s.frame != "" && ev.FrameID == s.frame && !sameDocument[ev.NavigationType] && loadsDocument(ev.URL) {
			s.navigations++
		}
	case *inspector.EventTargetCrashed:
		if !s.crashed {
			s.crashed = true
			close(s.crashedCh)
		}
		s.wake()
	}
}

// noteAddress records a document address of the top frame that is off
// the web. It must be called with the lock held.
func (s *session) noteAddress(raw string) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Scheme == "http" || u.Scheme == "https" || s.offWeb != "" {
		return
	}
	s.offWeb = raw
	s.wake()
}

// offWebAddress waits up to wait for the top frame's document to be sent
// off the web, and returns the address, or "".
func (s *session) offWebAddress(wait time.Duration) string {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		s.mu.Lock()
		addr := s.offWeb
		s.mu.Unlock()
		if addr != "" {
			return addr
		}
		select {
		case <-s.notify:
		case <-timer.C:
			return ""
		}
	}
}

// loadsDocument reports whether a navigation to an address replaces the
// tab's document. The browser hands an address of any scheme but those
// of the web, files and the browser's own (mailto:, tel:, sms:, intent:,
// an app's) to another application, and the document stays.
func loadsDocument(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "file", "data", "blob", "about", "chrome", "chrome-error", "":
		return true
	}
	return false
}

// sameDocument are the navigation types that stay in the document.
var sameDocument = map[page.FrameStartedNavigatingNavigationType]bool{
	page.FrameStartedNavigatingNavigationTypeSameDocument:        true,
	page.FrameStartedNavigatingNavigationTypeHistorySameDocument: true,
}

// failedScriptCount returns how many script requests failed or were
// refused so far.
func (s *session) failedScriptCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failedScripts
}

// navigationCount returns how many cross-document navigations the top
// frame has started since its id became known.
func (s *session) navigationCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.navigations
}

func (s *session) finish(id network.RequestID) {
	if s.inflight[id] {
		delete(s.inflight, id)
		s.lastActivity = time.Now()
		s.active()
	}
}

// wake tells a waiter to look again. It must be called with the lock held.
func (s *session) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// active tells the quiet-network waiter that a request started or
// finished. It must be called with the lock held.
func (s *session) active() {
	select {
	case s.activity <- struct{}{}:
	default:
	}
}

// quietFor returns how long the network has been quiet, zero while requests
// are in flight.
func (s *session) quietFor() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.inflight) > 0 {
		return 0
	}
	return time.Since(s.lastActivity)
}

// state returns, under the lock, what a load waiter needs.
func (s *session) state(loader cdp.LoaderID) (resp *network.Response, loaded, crashed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.responses[loader], s.loaded[loader], s.crashed
}

// setTab records the tab's id, which is its top frame's.
func (s *session) setTab(id cdp.FrameID) {
	s.mu.Lock()
	s.tab = id
	s.mu.Unlock()
}

// topAddress returns the address the top frame's document was last
// requested from, "" before it was.
func (s *session) topAddress() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.topURL
}

// inTop reports whether an event of the frame f is the top frame's: the
// frame the navigation gave, or before it answered, the tab's; any frame
// while neither is known. It must be called with the lock held.
func (s *session) inTop(f cdp.FrameID) bool {
	top := s.frame
	if top == "" {
		top = s.tab
	}
	return top == "" || f == top
}

// tabID returns the tab's id (see setTab).
func (s *session) tabID() cdp.FrameID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tab
}

func (s *session) setFrame(f cdp.FrameID) {
	s.mu.Lock()
	s.frame = f
	s.mu.Unlock()
}

func (s *session) isCrashed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.crashed
}

// originOf returns the origin (scheme://host[:port]) of an http(s) URL, or
// "".
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// originList returns the origins the page talked to, sorted.
func (s *session) originList() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedKeys(s.origins)
}
