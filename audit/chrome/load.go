package chrome

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/access"
)

// A pageLoad is the capture of one page in one tab.
type pageLoad struct {
	b    *Browser
	t    audit.Target
	tab  context.Context // the tab's chromedp context
	sess *session
	// timeout is the page's load timeout.
	timeout time.Duration
	// loadBy is when the load must have finished: start plus the timeout.
	loadBy time.Time
	// tabWait is how long the page waited for a tab from the pool.
	tabWait time.Duration
	nav     page.NavigateResult
	resp    *network.Response
	// byBackend joins the browser's nodes to the snapshot, once captured.
	byBackend map[cdp.BackendNodeID]audit.NodeID
	// leftPage is set when the keyboard walk made the tab load another
	// document, so the tab no longer shows the captured page.
	leftPage bool
	// setupTime is how long the setup steps took before the page, zero
	// when they did not run for it.
	setupTime time.Duration
	// tb is the tab the page loads in; gate is what the page is given
	// to pass a login (see openGate), and gateState what came of it.
	tb        *tab
	gate      access.Gate
	gateState gateState
	// cpuMarks are the renderer's task time as each step started (see
	// markCPU); cpuEnabled says the Performance domain is on, cpuDone
	// that the last mark is taken.
	cpuMarks            []cpuMark
	cpuEnabled, cpuDone bool
}

// stepHook, when set by a test, runs in the tab as each capture step
// starts, with the step's name ("load", "settle", "scroll", "dom", "ax",
// "images", "walk", "thumbnail"): it is how the tests crash a renderer at
// a given step, or look at what the page's session saw.
var stepHook func(pl *pageLoad, step string)

// step runs the test hook of the named step, if any, and marks the
// renderer's CPU time as the step starts.
func (pl *pageLoad) step(name string) {
	if stepHook != nil {
		stepHook(pl, name)
	}
	pl.markCPU(name)
}

// openTimeout bounds opening a tab, which only stalls when the browser is
// in trouble.
const openTimeout = 20 * time.Second

var _ audit.PageKeeper = (*Browser)(nil)

// Load captures the page at t.URL in a new tab with its own browser
// context, then closes the tab. Failures are *audit.LoadError values with
// their cause.
func (b *Browser) Load(ctx context.Context, t audit.Target, needs audit.Capability) (*audit.Page, error) {
	p, open, err := b.LoadOpen(ctx, t, needs)
	if open != nil {
		open.Close()
	}
	return p, err
}

// LoadOpen captures the page like Load and leaves its tab open for
// thumbnails until the caller closes it. The tab still closes at the page's
// hard deadline (Timeout plus CaptureGrace) or when ctx ends.
func (b *Browser) LoadOpen(ctx context.Context, t audit.Target, needs audit.Capability) (*audit.Page, audit.OpenPage, error) {
	start := time.Now()
	timeout := b.opts.Timeout
	if t.Timeout > 0 {
		timeout = t.Timeout
	}
	pl := &pageLoad{b: b, t: t, sess: newSession(), timeout: timeout, loadBy: start.Add(timeout)}
	proc, err := b.current()
	if err != nil {
		return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseBrowser, Err: err}
	}
	// Waiting for a tab counts against the page's time.
	wait, stopWait := context.WithDeadline(ctx, pl.loadBy)
	tb, err := proc.pool.get(wait, pl.viewport())
	pl.tabWait = time.Since(start)
	waitErr := wait.Err()
	stopWait()
	pl.tb = tb
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseInterrupted, Err: ctx.Err()}
		case proc.dead():
			return nil, nil, b.browserExited(t.URL)
		case errors.Is(waitErr, context.DeadlineExceeded):
			return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseTabTimeout, Err: fmt.Errorf("the browser gave the page no tab within %s: it is frozen or overloaded (%w)", timeout, err)}
		}
		return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseBrowser, Err: err}
	}
	// The page's calls run on a context of their own: the caller's
	// cancellation and the hard deadline end every call in flight, and
	// the tab is then not reused.
	pageCtx, cancelPage := context.WithCancel(tb.ctx)
	pl.tab = pageCtx
	var broken atomic.Bool
	abort := func() {
		broken.Store(true)
		cancelPage()
	}
	stopCaller := context.AfterFunc(ctx, abort)
	hard := time.AfterFunc(time.Until(start.Add(timeout+CaptureGrace)), abort)
	crashWatch := make(chan struct{})
	go func() {
		select {
		case <-pl.sess.crashedCh:
			abort()
		case <-crashWatch:
		}
	}()
	var setupOrigins []string
	closeTab := func() {
		close(crashWatch)
		stopCaller()
		hard.Stop()
		cancelPage()
		proc.pool.release(tb, !broken.Load() && !pl.sess.isCrashed(), pl.home(), mergeOrigins(pl.sess.originList(), setupOrigins))
	}
	if b.needsSetup(tb) {
		// The setup gets the page's timeout, and the page then its own.
		setupStart := time.Now()
		hard.Reset(timeout + CaptureGrace)
		origins, err := pl.runSetup(tb)
		setupOrigins = origins
		if err != nil {
			broken.Store(true)
			closeTab()
			return nil, nil, pl.setupFailure(ctx, proc, err)
		}
		pl.setupTime = time.Since(setupStart)
		pl.loadBy = time.Now().Add(timeout)
		hard.Reset(timeout + CaptureGrace)
	}

	page, err := pl.run(needs)
	if err == nil {
		return page, &openPage{pl: pl, page: page, close: closeTab}, nil
	}
	broken.Store(true)
	closeTab()
	var le *audit.LoadError
	switch {
	case errors.As(err, &le):
		return nil, nil, err
	case ctx.Err() != nil:
		return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseInterrupted, Err: ctx.Err()}
	case proc.dead():
		return nil, nil, b.browserExited(t.URL)
	case pl.sess.isCrashed():
		return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseCrash, Err: fmt.Errorf("the page crashed the browser tab: %w", err)}
	case time.Since(start) >= timeout+CaptureGrace:
		return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseTimeout, Err: fmt.Errorf("not captured within %s: %w", timeout+CaptureGrace, err)}
	}
	return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseBrowser, Err: err}
}

// browserExited is the failure of a page whose browser process died under
// it; the next page starts a new one. For a remote browser, it is the
// connection that closed; the next page connects again.
func (b *Browser) browserExited(url string) error {
	if b.opts.RemoteURL != "" {
		return &audit.LoadError{URL: url, Cause: audit.CauseCrash, Err: errors.New("the connection to the remote browser closed while loading the page; the next page connects again")}
	}
	return &audit.LoadError{URL: url, Cause: audit.CauseCrash, Err: errors.New("the browser process exited while loading the page; the next page starts a new one")}
}

// run performs the capture steps in order, timing each.
func (pl *pageLoad) run(needs audit.Capability) (*audit.Page, error) {
	var times audit.Timings
	if pl.setupTime > 0 {
		times = append(times, audit.StepTime{Step: "setup", MS: float64(pl.setupTime.Microseconds()) / 1000})
	}
	start := time.Now()
	if err := pl.open(); err != nil {
		return nil, fmt.Errorf("open tab: %w", err)
	}
	// The wait for a tab from the pool counts as opening it.
	times.Since("open", start.Add(-pl.tabWait))
	start = time.Now()
	pl.step("load")
	if err := pl.navigate(); err != nil {
		return nil, err
	}
	if err := pl.waitLoad(); err != nil {
		return nil, err
	}
	if err := pl.sentBack(); err != nil {
		return nil, err
	}
	times.Since("load", start)
	start = time.Now()
	if !ablated("settle") {
		pl.step("settle")
		if err := pl.settle(2*time.Second, "after load"); err != nil {
			return nil, err
		}
		times.Since("settle", start)
	}
	start = time.Now()
	if !ablated("scroll") {
		pl.step("scroll")
		if err := pl.scroll(); err != nil {
			return nil, fmt.Errorf("scroll: %w", err)
		}
		if err := pl.settle(1500*time.Millisecond, "after scrolling"); err != nil {
			return nil, err
		}
		times.Since("scroll", start)
	}
	if pl.sess.isCrashed() {
		return nil, &audit.LoadError{URL: pl.t.URL, Cause: audit.CauseCrash, Err: errors.New("the page crashed the browser tab")}
	}
	start = time.Now()
	hidden, err := pl.hideElements()
	if err != nil {
		return nil, fmt.Errorf("hide elements: %w", err)
	}
	if len(hidden) > 0 {
		times.Since("hide", start)
	}
	start = time.Now()
	consent, err := pl.handleConsent()
	if err != nil && pl.crashedSoon() {
		return nil, pl.fail(audit.CauseCrash, fmt.Errorf("the page crashed the browser tab while its consent dialog was handled: %w", err))
	}
	if consent != nil {
		times.Since("consent", start)
	}
	p, err := pl.capture(needs, &times)
	if err != nil {
		return nil, err
	}
	p.Hidden = hidden
	p.Consent = consent
	if needs.Has(audit.CapKeyboard) && !ablated("walk") {
		start = time.Now()
		pl.step("walk")
		trips, err := pl.walkKeyboard(p, pl.byBackend)
		if err != nil && !errors.Is(err, errNavigated) && pl.crashedSoon() {
			return nil, pl.fail(audit.CauseCrash, fmt.Errorf("the page crashed the browser tab during the keyboard walk: %w", err))
		}
		times.SinceTrips("walk", start, trips)
	}
	// A crash the steps did not notice still leaves a page that was not
	// captured whole.
	if pl.sess.isCrashed() {
		return nil, pl.fail(audit.CauseCrash, errors.New("the page crashed the browser tab"))
	}
	pl.addBrowserCPU(times)
	p.Timings = times
	return p, nil
}

// crashWait is how long a failed call waits for the browser to say the
// renderer crashed: the word can come just after the call's own failure.
const crashWait = 300 * time.Millisecond

// crashedSoon reports whether the page's renderer crashed, or does so
// within crashWait. It is asked after a call failed.
func (pl *pageLoad) crashedSoon() bool {
	t := time.NewTimer(crashWait)
	defer t.Stop()
	select {
	case <-pl.sess.crashedCh:
		return true
	case <-t.C:
		return pl.sess.isCrashed()
	}
}

// open readies the tab for this page: it starts recording the page's
// events, gives it its gate, blocks third-party hosts when asked, and
// starts the request interception these need (see intercept).
// The pool prepared the rest (context, domains, focus emulation,
// viewport).
func (pl *pageLoad) open() error {
	if c := chromedp.FromContext(pl.tab); c != nil && c.Target != nil {
		pl.sess.setTab(cdp.FrameID(c.Target.TargetID))
	}
	if err := chromedp.Listen(pl.tab, pl.sess.handle); err != nil {
		return err
	}
	if err := pl.openGate(); err != nil {
		return err
	}
	if pl.b.opts.BlockThirdParty {
		if _, err := chromedp.Call(pl.tab, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: allowOnly(pl.t.URL)}); err != nil {
			return fmt.Errorf("block third-party hosts: %w", err)
		}
	}
	return pl.intercept()
}

// allowOnly returns block patterns that let through loopback and the site
// of pageURL (see pageSite) and block the rest.
func allowOnly(pageURL string) []*network.BlockPattern {
	allow := slices.Clone(loopbackHosts)
	if site, wildcard := pageSite(pageURL); site != "" {
		allow = append(allow, site)
		if wildcard {
			allow = append(allow, "*."+site)
		}
	}
	var pats []*network.BlockPattern
	for _, h := range allow {
		if strings.Contains(h, ":") {
			continue // an IPv6 literal; URL patterns would need it escaped
		}
		pats = append(pats, &network.BlockPattern{URLPattern: "*://" + h + ":*/*", Block: false})
	}
	return append(pats, &network.BlockPattern{URLPattern: "*://*:*/*", Block: true})
}

// navigate sends the top frame to the target URL and checks the response:
// a failed navigation, an error status or a body that is not HTML ends the
// page with its cause.
func (pl *pageLoad) navigate() error {
	ctx, cancel := context.WithDeadline(pl.tab, pl.loadBy)
	defer cancel()
	nav, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: pl.t.URL})
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return pl.fail(audit.CauseTimeout, fmt.Errorf("no response within %s", pl.timeout))
		}
		return err
	}
	pl.nav = nav
	pl.sess.setFrame(nav.FrameID)
	if nav.IsDownload {
		return pl.fail(audit.CauseNotHTML, errors.New("the address started a download instead of showing a page"))
	}
	if nav.ErrorText != "" {
		// An error status with an empty body fails the navigation itself;
		// the response, already recorded, says which status.
		if strings.Contains(nav.ErrorText, "ERR_HTTP_RESPONSE_CODE_FAILURE") {
			if resp, _, _ := pl.sess.state(nav.LoaderID); resp != nil && resp.Status >= 400 {
				return pl.fail(audit.CauseHTTPStatus, pl.statusError(resp.Status, resp.StatusText))
			}
			return pl.fail(audit.CauseHTTPStatus, fmt.Errorf("navigation failed: %s", nav.ErrorText))
		}
		// Chrome fails a navigation whose basic-auth challenge no one
		// answered, rather than show the refusal.
		if strings.Contains(nav.ErrorText, "ERR_INVALID_AUTH_CREDENTIALS") {
			return pl.fail(audit.CauseHTTPStatus, pl.statusError(401, "Unauthorized"))
		}
		if err := pl.offWeb(nav.ErrorText); err != nil {
			return err
		}
		return pl.fail(navErrorCause(nav.ErrorText), fmt.Errorf("navigation failed: %s", nav.ErrorText))
	}
	return nil
}

// offWebWait bounds the wait for the headers of a redirect that the
// browser refused, which can come after the navigation's failure.
const offWebWait = time.Second

// offWeb fails a navigation that ended because the page was sent to an
// address off the web (file:, view-source:, data:, mailto:, chrome:…),
// with cause scheme; it returns nil for other failures. Chrome refuses
// some such redirects as unsafe and aborts the others.
func (pl *pageLoad) offWeb(errorText string) error {
	unsafe := strings.Contains(errorText, "ERR_UNSAFE_REDIRECT")
	if !unsafe && !strings.Contains(errorText, "ERR_ABORTED") {
		return nil
	}
	addr := pl.sess.offWebAddress(offWebWait)
	switch {
	case addr != "":
		return pl.fail(audit.CauseScheme, fmt.Errorf("the page was sent to %s, which is not a web address (%s)", audit.Truncate(addr, 200), errorText))
	case unsafe:
		return pl.fail(audit.CauseScheme, fmt.Errorf("the page was redirected to an address that is not on the web (%s)", errorText))
	}
	return nil
}

// navErrorCause classifies Chrome's net error names.
func navErrorCause(text string) audit.LoadCause {
	switch {
	case strings.Contains(text, "CERT") || strings.Contains(text, "SSL"):
		return audit.CauseTLS
	case strings.Contains(text, "TIMED_OUT"):
		return audit.CauseTimeout
	case strings.Contains(text, "ERR_ABORTED"):
		return audit.CauseNotHTML
	}
	return audit.CauseNetwork
}

// waitLoad waits for the load event of the navigation, then checks the
// main document's response.
func (pl *pageLoad) waitLoad() error {
	timer := time.NewTimer(time.Until(pl.loadBy))
	defer timer.Stop()
	for {
		resp, loaded, crashed := pl.sess.state(pl.nav.LoaderID)
		if crashed {
			return pl.fail(audit.CauseCrash, errors.New("the page crashed the browser tab while loading"))
		}
		if resp != nil && pl.resp == nil {
			pl.resp = resp
			if err := pl.checkResponse(); err != nil {
				return err
			}
		}
		if loaded {
			return nil
		}
		select {
		case <-pl.sess.notify:
		case <-timer.C:
			if pl.resp == nil {
				return pl.fail(audit.CauseTimeout, fmt.Errorf("no response within %s", pl.timeout))
			}
			return pl.fail(audit.CauseTimeout, fmt.Errorf("the load event did not fire within %s", pl.timeout))
		case <-pl.tab.Done():
			return pl.tab.Err()
		}
	}
}

// checkResponse fails the page on an HTTP error status or a body that is
// not HTML.
func (pl *pageLoad) checkResponse() error {
	r := pl.resp
	if r.Status >= 400 {
		return pl.fail(audit.CauseHTTPStatus, pl.statusError(r.Status, r.StatusText))
	}
	if r.MimeType != "" && r.MimeType != "text/html" && r.MimeType != "application/xhtml+xml" {
		return pl.fail(audit.CauseNotHTML, fmt.Errorf("the address serves %s, not HTML", r.MimeType))
	}
	return nil
}

func (pl *pageLoad) fail(cause audit.LoadCause, err error) error {
	return &audit.LoadError{URL: pl.t.URL, Cause: cause, Err: err}
}

// quietWindow is how long the network must be idle, and the layout still,
// to count as quiet.
const quietWindow = 120 * time.Millisecond

// settle waits until no request has been in flight for quietWindow and
// the layout has not shifted for as long, or until bound has passed,
// whichever comes first. It waits on the page's network events and on a
// layout-shift observer in the page (js/settle.js), never by polling.
// Long-lived connections (event streams, media, beacons) are not waited
// for. It never fails the page: a page that stays busy is captured as it
// stands.
func (pl *pageLoad) settle(bound time.Duration, _ string) error {
	end := time.Now().Add(bound)
	for {
		if err := pl.networkQuiet(end); err != nil || !time.Now().Before(end) {
			return err
		}
		if err := pl.layoutStill(end); err != nil {
			return err
		}
		// The layout is still; settled if the network stayed quiet
		// meanwhile, else wait for it again.
		if pl.sess.quietFor() >= quietWindow || !time.Now().Before(end) {
			return nil
		}
	}
}

// networkQuiet waits until no request has been in flight for quietWindow,
// or until end. It wakes on the session's request events.
func (pl *pageLoad) networkQuiet(end time.Time) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		quiet := pl.sess.quietFor()
		if quiet >= quietWindow {
			return nil
		}
		left := time.Until(end)
		if left <= 0 {
			return nil
		}
		// Look again when the window would be full if nothing happened,
		// or as soon as a request starts or finishes.
		timer.Reset(min(left, quietWindow-quiet))
		select {
		case <-pl.tab.Done():
			return pl.tab.Err()
		case <-pl.sess.activity:
		case <-timer.C:
		}
	}
}

// layoutStill waits, in the page, until its layout has not shifted for
// quietWindow, or until end. A page whose script does not answer is left
// as it is at end.
func (pl *pageLoad) layoutStill(end time.Time) error {
	left := time.Until(end)
	if left <= 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(pl.tab, left+quietWindow)
	defer cancel()
	_, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:   "(" + settleJS + ")(" + strconv.Itoa(int(quietWindow.Milliseconds())) + "," + strconv.Itoa(int(left.Milliseconds())) + ")",
		AwaitPromise: new(true),
		Silent:       new(true),
	})
	if pl.tab.Err() != nil {
		return pl.tab.Err()
	}
	_ = err // a page that throws or does not answer is captured as it stands
	return nil
}

// browserVersion asks the browser for its product string.
func browserVersion(ctx context.Context) (string, error) {
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return "", err
	}
	return v.Product, nil
}

// home returns the origin of the page's document, or "" before it
// answered.
func (pl *pageLoad) home() string {
	if pl.resp == nil {
		return ""
	}
	return originOf(pl.resp.URL)
}
