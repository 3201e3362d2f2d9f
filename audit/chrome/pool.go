package chrome

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

// Isolation says what pages share.
type Isolation string

const (
	// IsolateContext gives every page a browser context of its own, made
	// for it and thrown away after it: nothing at all is shared. Each new
	// context costs a renderer process.
	IsolateContext Isolation = "context"
	// IsolateCleared reuses a tab and its browser context from page to
	// page, clearing cookies, local and session storage, IndexedDB, cache
	// storage and service workers in between. The HTTP cache and the
	// renderer process are kept, which is what makes it faster.
	IsolateCleared Isolation = "cleared"
)

// A tab is a browser tab ready to load a page: its own browser context,
// attached, protocol domains enabled, focus emulation on, the viewport
// emulated.
type tab struct {
	ctx    context.Context // the tab's chromedp context
	cancel context.CancelFunc
	vp     audit.Viewport
	// setUp is set once the setup steps ran in the tab's context, when
	// they run once per context; setupCookies are the cookies they left,
	// put back after each clearing of a reused tab.
	setUp        bool
	setupCookies []*network.CookieParam
	// gate is what the last page's login left set on the tab.
	gate tabGate
}

// A tabPool hands out prepared tabs, so that opening a tab, the costliest
// part of a page's start, happens ahead of the page rather than on its
// critical path. With IsolateContext it keeps up to size fresh tabs ready
// and throws each away after one page; with IsolateCleared tabs come back
// after their page, cleared.
type tabPool struct {
	b *Browser
	// ctx is the browser process's chromedp context, the tabs' parent.
	ctx       context.Context
	size      int
	isolation Isolation

	mu     sync.Mutex
	ready  map[audit.Viewport][]*tab
	making int
	closed bool
	// live counts the tabs of IsolateCleared in existence (ready, in use
	// or being cleared), and returned signals a tab came back.
	live     int
	returned *sync.Cond
	// busy counts tabs being prepared, cleared or closed, for Close.
	busy sync.WaitGroup
}

func newTabPool(b *Browser, ctx context.Context, size int, isolation Isolation) *tabPool {
	p := &tabPool{b: b, ctx: ctx, size: max(size, 1), isolation: isolation, ready: map[audit.Viewport][]*tab{}}
	p.returned = sync.NewCond(&p.mu)
	return p
}

// get returns a tab for the viewport, prepared if one is ready, else made
// now, and starts preparing the next ones. It waits for the tab until ctx
// ends, and then returns ctx's error.
func (p *tabPool) get(ctx context.Context, vp audit.Viewport) (*tab, error) {
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.returned.Broadcast()
		p.mu.Unlock()
	})
	defer stop()
	p.mu.Lock()
	// Under IsolateCleared, once the pool's tabs exist, wait for one to come
	// back rather than open another: reusing a tab is the point.
	for p.isolation == IsolateCleared && p.live >= p.clearedTabs() && len(p.ready[vp]) == 0 && !p.closed && p.anyReady() == 0 && ctx.Err() == nil {
		p.returned.Wait()
	}
	if err := ctx.Err(); err != nil {
		p.mu.Unlock()
		return nil, err
	}
	if list := p.ready[vp]; len(list) > 0 {
		t := list[len(list)-1]
		p.ready[vp] = list[:len(list)-1]
		p.mu.Unlock()
		p.refill()
		return t, nil
	}
	if p.isolation == IsolateCleared {
		// A ready tab at another viewport: close it to make room.
		for other, list := range p.ready {
			if len(list) > 0 && p.live >= p.clearedTabs() {
				t := list[len(list)-1]
				p.ready[other] = list[:len(list)-1]
				p.live--
				go t.cancel()
				break
			}
		}
		p.live++
	}
	p.mu.Unlock()
	p.refill()
	t, err := p.b.newTab(p.ctx, vp, ctx)
	if err != nil && p.isolation == IsolateCleared {
		p.mu.Lock()
		p.live--
		p.returned.Broadcast()
		p.mu.Unlock()
	}
	return t, err
}

// resize changes how many tabs the pool keeps: the pages loaded at once.
func (p *tabPool) resize(size int) {
	p.mu.Lock()
	p.size = max(size, 1)
	p.returned.Broadcast()
	p.mu.Unlock()
	p.refill()
}

// clearedTabs is how many tabs IsolateCleared keeps: one more than the
// pages loaded at once, so that a page never waits for the tab its worker
// just released to be cleared; the spare is cleared and ready instead.
func (p *tabPool) clearedTabs() int {
	return p.size + 1
}

// anyReady counts the ready tabs at every viewport. It must be called with
// the lock held.
func (p *tabPool) anyReady() int {
	n := 0
	for _, list := range p.ready {
		n += len(list)
	}
	return n
}

// refill prepares fresh tabs at the browser's own viewport until size are
// ready or on their way. Cleared tabs come back by themselves, so the
// cleared pool only grows on demand.
func (p *tabPool) refill() {
	if p.isolation != IsolateContext {
		return
	}
	vp := p.b.opts.Viewport
	p.mu.Lock()
	need := p.size - len(p.ready[vp]) - p.making
	if p.closed || need < 0 {
		need = 0
	}
	p.making += need
	p.busy.Add(need)
	p.mu.Unlock()
	for range need {
		go func() {
			defer p.busy.Done()
			t, err := p.b.newTab(p.ctx, vp, context.Background())
			p.mu.Lock()
			p.making--
			keep := err == nil && !p.closed
			if keep {
				p.ready[vp] = append(p.ready[vp], t)
			}
			p.mu.Unlock()
			if err == nil && !keep {
				t.cancel()
			}
		}()
	}
}

// release takes a tab back after its page. A healthy tab under
// IsolateCleared is cleared of what the page stored (home is the page's
// origin, origins the origins that answered it) and made ready again; any
// other tab is closed. Both happen off the caller's path.
func (p *tabPool) release(t *tab, healthy bool, home string, origins []string) {
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		if p.isolation != IsolateCleared {
			t.cancel()
			return
		}
		ok := healthy && p.clear(t, home, origins) == nil
		p.mu.Lock()
		keep := ok && !p.closed
		if keep {
			p.ready[t.vp] = append(p.ready[t.vp], t)
		} else {
			p.live--
		}
		p.returned.Broadcast()
		p.mu.Unlock()
		if !keep {
			t.cancel()
		}
	}()
}

// clearTimeout bounds clearing a tab for its next page.
const clearTimeout = 10 * time.Second

// clear leaves the page and removes everything it may have stored or left
// running. Each kind of state, and what ends it:
//
//   - timers, intervals, dedicated and shared workers, pending
//     navigations, a beforeunload handler and any open dialog: leaving the
//     page (answerDialogs accepts beforeunload and dismisses the others, so
//     the move cannot stall), which unloads its document and with it
//     everything it ran;
//   - the window's name, which survives a same-site navigation: set empty
//     on the blank document;
//   - cookies: cleared for the whole context;
//   - local storage, IndexedDB, cache storage and service workers: cleared
//     for each origin the page talked to (Storage.clearDataForOrigin, all
//     types);
//   - session storage, which belongs to the tab: cleared for each origin;
//   - permissions granted or denied in the context: reset.
//
// The HTTP cache is kept on purpose: it holds no state a page wrote.
// When the setup steps run once per context, the cookies they left are
// put back last, so each page starts from the state the setup made.
//
// The page is left for a blank document the tab itself serves at the
// page's own origin (home): a navigation to about:blank would move the tab
// to another renderer process, and the next page of the same site to yet
// another, which costs more than all the clearing.
func (p *tabPool) clear(t *tab, home string, origins []string) error {
	ctx, cancel := context.WithTimeout(t.ctx, clearTimeout)
	defer cancel()
	if err := resetGate(ctx, t); err != nil {
		return err
	}
	if home != "" {
		if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: home + blankPath}); err != nil {
			return fmt.Errorf("leave the page: %w", err)
		}
		if _, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "window.name = ''"}); err != nil {
			return fmt.Errorf("clear the window's name: %w", err)
		}
	}
	if _, err := chromedp.CallBrowser(ctx, browser.ResetPermissions, browser.ResetPermissionsParams{BrowserContextID: chromedp.FromContext(ctx).BrowserContextID}); err != nil {
		return fmt.Errorf("reset permissions: %w", err)
	}
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, struct{}{}); err != nil {
		return fmt.Errorf("clear cookies: %w", err)
	}

	for _, origin := range origins {
		if _, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: origin, StorageTypes: "all"}); err != nil {
			return fmt.Errorf("clear storage of %s: %w", origin, err)
		}
		// Session storage belongs to the tab, not to the origin's data.
		if _, err := chromedp.Call(ctx, domstorage.Clear, domstorage.ClearParams{StorageID: &domstorage.StorageID{SecurityOrigin: origin, IsLocalStorage: false}}); err != nil {
			return fmt.Errorf("clear session storage of %s: %w", origin, err)
		}
	}
	// A login the setup made once for the context outlives the clearing.
	return restoreSetup(ctx, t)
}

// close closes the ready tabs and waits for those in preparation, being
// cleared or closing.
func (p *tabPool) close() {
	p.mu.Lock()
	p.closed = true
	p.returned.Broadcast()
	var all []*tab
	for _, list := range p.ready {
		all = append(all, list...)
	}
	p.ready = map[audit.Viewport][]*tab{}
	p.mu.Unlock()
	for _, t := range all {
		t.cancel()
	}
	p.busy.Wait()
}

// newTab opens a tab in a new browser context of the browser process
// (parent) and prepares it for pages at the viewport. Opening it takes at
// most openTimeout, and ends when wait does: a page waiting for the tab
// gives up at its own deadline.
func (b *Browser) newTab(parent context.Context, vp audit.Viewport, wait context.Context) (*tab, error) {
	ctx, closeTab := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	// Closing a tab waits for the browser's answers, which a frozen
	// browser never gives (each call waits seconds): a tab that failed to
	// open is closed off the caller's path.
	var once sync.Once
	cancel := func() { once.Do(func() { go closeTab() }) }
	timer := time.AfterFunc(openTimeout, cancel)
	defer timer.Stop()
	stop := context.AfterFunc(wait, cancel)
	defer stop()
	t := &tab{ctx: ctx, cancel: closeTab, vp: vp}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: %w", err)
	}
	answerDialogs(ctx)
	// A page whose address is a download must not write to disk.
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorDeny, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
	}); err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: refuse downloads: %w", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: focus emulation: %w", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(vp.Width), Height: int64(vp.Height), DeviceScaleFactor: 1, Mobile: vp.Mobile,
	}); err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: viewport: %w", err)
	}
	if vp.Mobile {
		if err := emulateMobile(ctx, b.version); err != nil {
			cancel()
			return nil, fmt.Errorf("open tab: mobile emulation: %w", err)
		}
	}
	if b.opts.Isolation == IsolateCleared {
		if err := serveBlank(ctx); err != nil {
			cancel()
			return nil, fmt.Errorf("open tab: %w", err)
		}
	}
	return t, nil
}

// answerDialogs answers every JavaScript dialog the tab opens, for as long
// as it lives, so that alert, confirm and prompt cannot stall a page, nor a
// beforeunload prompt the move to the next one: it dismisses them, except
// beforeunload, which it accepts.
func answerDialogs(tab context.Context) {
	dialogs := chromedp.Events(tab, page.JavascriptDialogOpening)
	go func() {
		for d, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{
				Accept: d.Type == page.DialogTypeBeforeunload,
			})
		}
	}()
}

// blankPath is the path of the empty document a reused tab moves to
// between pages, at the origin of the page it leaves.
const blankPath = "/.newsa11y-blank"

// serveBlank makes the tab answer requests for blankPath, at any origin,
// with an empty document, without the request reaching the network.
func serveBlank(ctx context.Context) error {
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{blankPattern()}}); err != nil {
		return fmt.Errorf("serve the blank document: %w", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			// A page's login intercepts its origin's requests too; those
			// are its own (see openGate).
			if !strings.HasSuffix(ev.Request.URL, blankPath) {
				continue
			}
			_, _ = chromedp.Call(ctx, fetch.FulfillRequest, blankDocument(ev.RequestID))
		}
	}()
	return nil
}

// sortedKeys returns a set's keys in order.
func sortedKeys(set map[string]bool) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
