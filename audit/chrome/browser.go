// Package chrome captures page snapshots in a real Chromium through the
// DevTools protocol. It is the only package of newsa11y that imports
// chromedp.
//
// A page's capture is a fixed sequence of named steps: open an isolated tab,
// navigate, wait for the load event, wait for the network to go quiet, scroll
// down the page so lazy images and late scripts run, scroll back, wait again,
// then capture the DOM with layout and computed styles
// (DOMSnapshot.captureSnapshot), the accessibility tree of every frame
// (Accessibility.getFullAXTree) and the load state of every image.
package chrome

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/access"
)

// Options configure a Browser.
type Options struct {
	// ExecPath is the browser executable, from FindChrome.
	ExecPath string
	// BrowserCPU measures the renderer's CPU time per capture step (for
	// --timings); it costs a DevTools round trip as each step starts, so
	// it is off unless asked for.
	BrowserCPU bool
	// RemoteURL, when set, drives a browser that is already running
	// instead of starting one: its DevTools address, ws://HOST:PORT/…
	// or http://HOST:PORT. Close then closes only newsa11y's own tabs and
	// browser contexts, never the browser.
	RemoteURL string
	// Timeout bounds each page's load; zero means 30 seconds. Capture gets
	// a short grace on top, so a page ends within Timeout plus CaptureGrace.
	Timeout time.Duration
	// Viewport is the window size; zero means 1280x800.
	Viewport audit.Viewport
	// BlockThirdParty refuses requests to hosts other than the page's own
	// site and loopback, as audits of saved pages need.
	BlockThirdParty bool
	// Headful shows a browser window instead of running headless.
	Headful bool
	// HideElements are CSS selectors whose elements are removed from each
	// page before it is captured: consent banners, admin bars.
	HideElements []string
	// Consent says what to do with a consent dialog the page opens with:
	// audit.ConsentAccept (the default, when empty), ConsentKeep or
	// ConsentHide. See handleConsent.
	Consent string
	// WalkStops is how many Tab presses the keyboard walk makes; zero
	// means DefaultWalkStops.
	WalkStops int
	// PressControl, when set, says which of the controls before the main
	// content the keyboard walk presses (see controlRole): those it
	// reports true for, the candidate bypass instruments the rules can
	// judge (skiplink.WorthPressing). Nil presses every one, within the
	// walk's bounds.
	PressControl func(p *audit.Page, stop *audit.TabStop) bool
	// Stderr receives the browser's own output; nil keeps it only for
	// error messages.
	Stderr io.Writer
	// Tabs is how many prepared tabs to keep ready, usually the number of
	// pages loaded at once; zero means 2.
	Tabs int
	// Isolation says what pages share; empty means IsolateContext.
	Isolation Isolation
	// Setup are steps run in a page's tab before the page loads, such as
	// a login; see SetupPer for when. A failing step fails the page with
	// cause setup.
	Setup []SetupStep
	// SetupPer says when Setup runs; empty means SetupPerContext.
	SetupPer SetupPer
	// Gates give pages behind a login what gets them through: headers,
	// cookies, local storage, basic auth (see access.Gates). A target's
	// own BasicAuth wins over theirs.
	Gates *access.Gates

	// wholeReplies leaves the DevTools pipe without a tap (see
	// pipeTap), for tests that read the browser's replies as they are.
	wholeReplies bool
}

// DefaultViewport is the desktop window size pages are laid out in.
var DefaultViewport = audit.Viewport{Width: 1280, Height: 800}

// CaptureGrace is the time a page gets beyond its timeout to be settled and
// captured.
const CaptureGrace = 10 * time.Second

// A Browser is one running Chromium. Each page loads in its own tab and
// browser context, so nothing leaks between pages; Load is safe to call
// from several goroutines. When the browser process dies, the page it was
// loading fails with its cause and the next page starts a new process.
type Browser struct {
	opts    Options
	version string

	mu     sync.Mutex
	proc   *process
	closed bool
	// relaunches counts the processes started after the first.
	relaunches int
}

// A process is one running browser process and the tabs prepared in it.
type process struct {
	ctx    context.Context // the browser's chromedp context
	cancel context.CancelFunc
	output *tailBuffer
	pool   *tabPool
	// profile is the browser's temporary profile folder, "" for a remote
	// browser.
	profile string
	// singleton is the socket of the browser's process singleton, which
	// lives outside the profile (see singletonSocket); "" when there is
	// none.
	singleton string
}

// dead reports whether the browser process is gone: its context ended,
// or the DevTools connection closed. A remote browser's connection
// closing does not end the context by itself.
func (p *process) dead() bool {
	if p.ctx.Err() != nil {
		return true
	}
	select {
	case <-p.lost():
		return true
	default:
		return false
	}
}

// lost returns a channel closed when the DevTools connection to the
// browser closes; nil (never closed) when there is no connection.
func (p *process) lost() <-chan struct{} {
	if c := chromedp.FromContext(p.ctx); c != nil && c.Browser != nil {
		return c.Browser.LostConnection
	}
	return nil
}

var _ audit.Loader = (*Browser)(nil)

// Launch starts a headless browser. The caller must Close it.
func Launch(opts Options) (*Browser, error) {
	if opts.ExecPath == "" && opts.RemoteURL == "" {
		return nil, ErrNotFound
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Viewport.Width == 0 {
		opts.Viewport = DefaultViewport
	}
	if opts.Tabs == 0 {
		opts.Tabs = 2
	}
	switch opts.Isolation {
	case "":
		opts.Isolation = IsolateContext
	case IsolateContext, IsolateCleared:
	default:
		return nil, fmt.Errorf("isolation %q: want %s or %s", opts.Isolation, IsolateContext, IsolateCleared)
	}
	if err := checkSetup(&opts); err != nil {
		return nil, err
	}
	b := &Browser{opts: opts}
	proc, err := b.start()
	if err != nil {
		return nil, err
	}
	if v, err := browserVersion(proc.ctx); err == nil {
		b.version = v
	}
	b.proc = proc
	proc.pool.refill()
	return b, nil
}

// start launches a browser process.
func (b *Browser) start() (*process, error) {
	out := &tailBuffer{max: 8 << 10}
	var w io.Writer = out
	if b.opts.Stderr != nil {
		w = io.MultiWriter(out, b.opts.Stderr)
	}
	var allocCtx context.Context
	var cancelAlloc context.CancelFunc
	var profile string
	what := b.opts.ExecPath
	if b.opts.RemoteURL != "" {
		allocCtx, cancelAlloc = remote.NewAllocator(context.Background(), b.opts.RemoteURL)
		what = "the remote browser at " + b.opts.RemoteURL
	} else {
		opts := append(allocatorOptions(b.opts, w), chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			confineCmd(cmd)
			profile = profileDir(cmd.Args)
			if !b.opts.wholeReplies {
				// The largest replies are decoded as they stream.
				tapCmd(cmd)
			}
		}))
		allocCtx, cancelAlloc = chromedp.NewExecAllocator(context.Background(), opts...)
	}
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	var proc *process
	cancel := func() {
		cancelCtx()
		cancelAlloc()
		forget(proc)
		if proc != nil {
			removeSingleton(proc.singleton)
		}
	}
	start, stop := context.WithTimeout(context.Background(), 60*time.Second)
	defer stop()
	timer := context.AfterFunc(start, cancel)
	err := chromedp.Do(ctx)
	timer()
	if err != nil {
		cancel()
		return nil, fmt.Errorf("start %s: %w%s", what, err, out.hint())
	}
	proc = &process{ctx: ctx, cancel: cancel, output: out, profile: profile}
	if profile != "" {
		proc.singleton = singletonSocket(profile)
	}
	proc.pool = newTabPool(b, proc.ctx, b.opts.Tabs, b.opts.Isolation)
	remember(proc)
	return proc, nil
}

// errClosed is the error of pages loaded after Close.
var errClosed = errors.New("the browser was closed")

// current returns the running browser process, starting a new one when
// the last has died.
func (b *Browser) current() (*process, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, errClosed
	}
	if !b.proc.dead() {
		return b.proc, nil
	}
	old := b.proc
	go func() {
		old.pool.close()
		old.cancel()
	}()
	proc, err := b.start()
	if err != nil {
		return nil, fmt.Errorf("the browser died and a new one did not start: %w", err)
	}
	b.proc = proc
	b.relaunches++
	proc.pool.refill()
	return proc, nil
}

// errConnectionClosed is why a browser whose DevTools connection closed
// is dead.
var errConnectionClosed = errors.New("the DevTools connection closed")

// probe checks that the browser answers a cheap DevTools command
// (Browser.getVersion) within d. It does not start a new process or
// connection in place of a dead one.
func (b *Browser) probe(d time.Duration) error {
	b.mu.Lock()
	proc, closed := b.proc, b.closed
	b.mu.Unlock()
	switch {
	case closed:
		return errClosed
	case proc.dead():
		return errConnectionClosed
	}
	ctx, cancel := context.WithTimeout(proc.ctx, d)
	defer cancel()
	if _, err := browserVersion(ctx); err != nil {
		if proc.dead() {
			return errConnectionClosed
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("Browser.getVersion got no answer within %s", d)
		}
		return fmt.Errorf("Browser.getVersion: %w", err)
	}
	return nil
}

// lostConnection returns a channel closed when the connection to the
// running browser closes.
func (b *Browser) lostConnection() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.proc.lost()
}

// setTabs changes how many tabs the browser keeps prepared, as a pool
// gives a browser a larger share of the pages when another dies.
func (b *Browser) setTabs(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.opts.Tabs = n
	b.proc.pool.resize(n)
}

// Relaunches returns how many times the browser died and was started
// again.
func (b *Browser) Relaunches() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.relaunches
}

// Pid returns the process id of the running browser, for tests that kill
// it.
func (b *Browser) Pid() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.proc.pid()
}

// pid returns the process id of the browser process, 0 when newsa11y did
// not start it.
func (p *process) pid() int {
	if c := chromedp.FromContext(p.ctx); c != nil && c.Browser != nil {
		if proc := c.Browser.Process(); proc != nil {
			return proc.Pid
		}
	}
	return 0
}

// allocatorOptions returns the command line of the browser. The network
// flags keep Chromium from calling home, which a closed network punishes
// with floods of refused connections.
func allocatorOptions(o Options, output io.Writer) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(o.ExecPath),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		// No crash reports: a renderer's minidump holds the page. What
		// Chromium still sets up for them lands in the profile (see
		// confineCmd).
		chromedp.Flag("disable-crash-reporter", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-domain-reliability", true),
		// The back-forward cache would keep each page a reused tab leaves
		// alive in memory.
		// IsolateSandboxedIframes would give a sandboxed frame a renderer
		// of its own, out of the page's snapshot and third-party
		// blocking.
		// The spare renderer is a process started ahead of navigations in
		// case one needs a new process: it saves a page of another site
		// some latency, not CPU, and the pages of one site in a reused
		// tab stay in their process, so over a folder or a site's pages
		// nearly every spare is started for nothing (turning it off took
		// a corpus run's renderers, polled every 100 ms, from 120 to 28).
		// The omnibox popup (WebUIOmnibox…, and its preloading) is a page
		// of the browser's own interface, in a renderer of its own, that
		// each new tab starts though a headless page never shows it.
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions,AutofillServerCommunication,CertificateTransparencyComponentUpdater,BackForwardCache,IsolateSandboxedIframes,"+
			"SpareRendererForSitePerProcess,PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-hang-monitor", true),
		chromedp.Flag("disable-ipc-flooding-protection", true),
		chromedp.Flag("disable-prompt-on-repost", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.WindowSize(o.Viewport.Width, o.Viewport.Height),
		chromedp.CombinedOutput(output),
	}
	if o.BlockThirdParty {
		// Site isolation starts a renderer for each other site a page
		// frames, as the frame's navigation begins; blocking sends every
		// such frame to the page's own blank document (see intercept), so
		// the process is thrown away unused (several per news page).
		// Blocking lets in no document and no script of another site than
		// the address audited, so isolation has next to nothing to keep
		// apart. What it still would: after a redirect to another site,
		// frames of the audited address's own site load (blocking judges
		// by that address), and they now share the page's renderer, so
		// the snapshot holds them as it holds the page's own frames.
		opts = append(opts, chromedp.Flag("disable-site-isolation-trials", true))
	}
	if !o.Headful {
		opts = append(opts, chromedp.Flag("headless", true))
	}
	if os.Geteuid() == 0 {
		// Chromium refuses to run its sandbox as root.
		opts = append(opts, chromedp.NoSandbox)
	}
	return opts
}

// Version returns the browser's product string, e.g. "Chrome/156.0.…".
func (b *Browser) Version() string { return b.version }

// CloseGrace is how long Close lets the browser close its tabs and exit
// before it kills the browser's processes.
const CloseGrace = 5 * time.Second

// Close stops the browser and removes its temporary profile. A browser
// that does not close within CloseGrace (frozen, stopped, swamped) is
// killed, so Close always returns.
func (b *Browser) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	proc := b.proc
	b.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		proc.pool.close()
		done <- chromedp.Cancel(proc.ctx)
	}()
	grace := time.NewTimer(CloseGrace)
	defer grace.Stop()
	var err error
	select {
	case err = <-done:
	case <-grace.C:
		err = fmt.Errorf("the browser did not close within %s, so it was killed", CloseGrace)
		if b.opts.RemoteURL == "" {
			killGroup(proc.pid())
		}
	}
	// Ending the browser's context kills the process (and those left of
	// it) and removes the profile; after a graceful close it only frees
	// what is left.
	proc.cancel()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// drop lets go of a remote browser found dead without the graceful close
// that a frozen one would never finish: the connection is closed, and the
// tabs newsa11y opened there are left to the browser.
func (b *Browser) drop() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	proc := b.proc
	b.mu.Unlock()
	proc.cancel()
}

// tailBuffer keeps the last max bytes written to it: the browser's output,
// for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

// hint returns the browser's last output as a suffix for an error message,
// with advice for the failures that dominate CI.
func (t *tailBuffer) hint() string {
	t.mu.Lock()
	out := bytes.TrimSpace(t.buf.Bytes())
	t.mu.Unlock()
	msg := ""
	switch {
	case bytes.Contains(out, []byte("No usable sandbox")):
		msg = "\nhint: the sandbox is unavailable; run as root (newsa11y then adds --no-sandbox) or allow unprivileged user namespaces"
	case bytes.Contains(out, []byte("error while loading shared libraries")):
		msg = "\nhint: the browser is missing system libraries; install the distribution's chromium package, which pulls them in"
	case bytes.Contains(out, []byte("Missing X server")) || bytes.Contains(out, []byte("cannot open display")):
		msg = "\nhint: a visible window needs a display; drop NEWSA11Y_HEADFUL"
	}
	if len(out) > 0 {
		if len(out) > 1500 {
			out = out[len(out)-1500:]
		}
		msg += "\nbrowser output:\n" + string(out)
	}
	return msg
}
