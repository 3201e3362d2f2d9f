package chrome

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// A Pool spreads pages over several browsers that already run, each
// reached at its own DevTools endpoint (--remote-browser given more than
// once): several headless Chrome containers, say. Each page goes to the
// live browser with the fewest pages in flight for its share of the tabs,
// so every browser gets its share of the concurrency, at least one tab.
//
// Each browser's health is watched: its DevTools connection closing, a
// page failing there while the browser does not answer Browser.getVersion,
// or two periodic checks in a row without an answer within probeTimeout
// mark it dead. A dead browser takes no new pages for the rest of the run
// (it is not reconnected: a browser that dropped once in a run is not
// trusted with more pages of it), its share of the tabs goes to the
// others, and the pages it was loading are cut short and loaded again on
// another browser. Such a move is recorded on the page (audit.Page.Retried
// and audit.LoadError.Retried) and does not count as one of the runner's
// retries. When every browser is dead, pages fail with cause browser.
type Pool struct {
	endpoints []*endpoint
	// tabs is the pages loaded at once over the whole pool.
	tabs int
	// reshareMu keeps the shares of two browsers dying at once in order.
	reshareMu sync.Mutex

	mu sync.Mutex
	// closing ends the health watchers.
	closing chan struct{}
	closed  bool
	watch   sync.WaitGroup
}

// An endpoint is one browser of a pool.
type endpoint struct {
	url string
	// b is nil when the browser could not be reached at the start.
	b *Browser

	// The fields below are guarded by the pool's mutex.
	share    int
	inflight int
	pages    int
	// misses counts the checks in a row the browser did not answer,
	// the health watcher's and those after a failed page alike.
	misses int
	// dead is why the browser was found dead; nil while it lives.
	dead error
	// life ends when the browser is found dead, which cuts short the
	// pages loading there.
	life context.Context
	kill context.CancelFunc
}

// healthEvery is how often a pool checks that each of its browsers
// answers; tests shorten it.
var healthEvery = 2 * time.Second

// probeTimeout bounds each check that a browser of a pool answers; tests
// shorten it.
var probeTimeout = 5 * time.Second

// maxMoves is how many browsers may die under one page before the page
// stops moving: one death is the browser's bad luck, a second under the
// same page is likely the page's doing (a page that crashes the whole
// browser), and moving it on would take the rest of the pool down too.
const maxMoves = 2

var (
	_ audit.Loader     = (*Pool)(nil)
	_ audit.PageKeeper = (*Pool)(nil)
)

// LaunchPool connects to the browsers at the DevTools addresses, each
// with opts (whose RemoteURL is ignored) and its share of opts.Tabs. A
// browser that cannot be reached is dead from the start, and Endpoints
// says why; LaunchPool fails only when none can be reached. The caller
// must Close the pool.
func LaunchPool(opts Options, urls []string) (*Pool, error) {
	if len(urls) == 0 {
		return nil, errors.New("a browser pool needs at least one DevTools address")
	}
	if opts.Tabs == 0 {
		opts.Tabs = 2
	}
	p := &Pool{tabs: opts.Tabs, closing: make(chan struct{})}
	for _, u := range urls {
		p.endpoints = append(p.endpoints, &endpoint{url: u})
	}
	shares := p.shares(len(urls))
	var wg sync.WaitGroup
	for i, ep := range p.endpoints {
		ep.share = shares[i]
		o := opts
		o.RemoteURL = ep.url
		o.ExecPath = ""
		o.Tabs = ep.share
		wg.Go(func() {
			b, err := Launch(o)
			ep.life, ep.kill = context.WithCancel(context.Background())
			if err != nil {
				ep.dead = err
				ep.kill()
				return
			}
			ep.b = b
		})
	}
	wg.Wait()
	var errs []error
	for _, ep := range p.endpoints {
		if ep.dead != nil {
			errs = append(errs, ep.dead)
		}
	}
	if len(errs) == len(p.endpoints) {
		return nil, fmt.Errorf("no browser of the pool could be reached: %w", errors.Join(errs...))
	}
	p.reshare()
	for _, ep := range p.endpoints {
		if ep.b != nil {
			p.watch.Go(func() { p.watchHealth(ep) })
		}
	}
	return p, nil
}

// shares splits the pool's tabs over n browsers, at least one each.
func (p *Pool) shares(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = p.tabs / n
		if i < p.tabs%n {
			out[i]++
		}
		out[i] = max(out[i], 1)
	}
	return out
}

// reshare gives the live browsers their shares of the tabs, after one
// died.
func (p *Pool) reshare() {
	p.reshareMu.Lock()
	defer p.reshareMu.Unlock()
	p.mu.Lock()
	var live []*endpoint
	for _, ep := range p.endpoints {
		if ep.dead == nil {
			live = append(live, ep)
		}
	}
	shares := p.shares(max(len(live), 1))
	var resized []*endpoint
	for i, ep := range live {
		if ep.share != shares[i] {
			ep.share = shares[i]
			resized = append(resized, ep)
		}
	}
	p.mu.Unlock()
	for _, ep := range resized {
		ep.b.setTabs(ep.share)
	}
}

// watchHealth checks the browser every healthEvery until the pool closes
// or the browser is found dead.
func (p *Pool) watchHealth(ep *endpoint) {
	tick := time.NewTicker(healthEvery)
	defer tick.Stop()
	lost := ep.b.lostConnection()
	for {
		select {
		case <-p.closing:
			return
		case <-ep.life.Done():
			return
		case <-lost:
			p.markDead(ep, errConnectionClosed)
			return
		case <-tick.C:
			if p.check(ep) != nil && p.deadError(ep) != nil {
				return
			}
		}
	}
}

// check asks the browser whether it answers, and returns why not. A busy
// browser may miss one check: it is found dead at the second miss in a
// row (whoever checked), or at once when its connection closed.
func (p *Pool) check(ep *endpoint) error {
	err := ep.b.probe(probeTimeout)
	p.mu.Lock()
	if err == nil {
		ep.misses = 0
		p.mu.Unlock()
		return nil
	}
	ep.misses++
	final := ep.misses >= 2 || errors.Is(err, errConnectionClosed)
	p.mu.Unlock()
	if final {
		p.markDead(ep, err)
	}
	return err
}

// markDead records that the browser is dead, cuts short the pages loading
// there and gives its share of the tabs to the others.
func (p *Pool) markDead(ep *endpoint, why error) {
	p.mu.Lock()
	if ep.dead != nil {
		p.mu.Unlock()
		return
	}
	ep.dead = why
	ep.kill()
	p.mu.Unlock()
	p.reshare()
}

// pick returns the live browser with the fewest pages in flight for its
// share, and counts the page in; nil when every browser is dead.
func (p *Pool) pick() *endpoint {
	p.mu.Lock()
	defer p.mu.Unlock()
	var best *endpoint
	for _, ep := range p.endpoints {
		if ep.dead != nil {
			continue
		}
		// ep.inflight/ep.share < best.inflight/best.share, in integers.
		if best == nil || ep.inflight*best.share < best.inflight*ep.share {
			best = ep
		}
	}
	if best != nil {
		best.inflight++
		best.pages++
	}
	return best
}

// done counts a page out of the browser.
func (p *Pool) done(ep *endpoint) {
	p.mu.Lock()
	ep.inflight--
	p.mu.Unlock()
}

// deadError returns why the browser is dead, nil while it lives.
func (p *Pool) deadError(ep *endpoint) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ep.dead
}

// allDead is the error of a page no browser of the pool is left to load.
func (p *Pool) allDead() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	b.WriteString("every browser of the pool is dead:")
	for _, ep := range p.endpoints {
		fmt.Fprintf(&b, " %s: %v;", ep.url, ep.dead)
	}
	return errors.New(strings.TrimSuffix(b.String(), ";"))
}

// Load captures the page like Browser.Load, on one of the pool's
// browsers.
func (p *Pool) Load(ctx context.Context, t audit.Target, needs audit.Capability) (*audit.Page, error) {
	page, open, err := p.LoadOpen(ctx, t, needs)
	if open != nil {
		open.Close()
	}
	return page, err
}

// LoadOpen captures the page like Browser.LoadOpen, on the live browser
// with the most room. When that browser dies under the page, the page is
// loaded again on another, and each such move is recorded on the page, or
// on its error when it fails in the end.
func (p *Pool) LoadOpen(ctx context.Context, t audit.Target, needs audit.Capability) (*audit.Page, audit.OpenPage, error) {
	var retried []audit.EndpointRetry
	for {
		ep := p.pick()
		if ep == nil {
			return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseBrowser, Err: p.allDead(), Retried: retried}
		}
		// The page ends with the caller's context, and when the browser
		// is found dead.
		pageCtx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(ep.life, cancel)
		page, open, err := ep.b.LoadOpen(pageCtx, t, needs)
		release := func() {
			stop()
			cancel()
			p.done(ep)
		}
		if err == nil {
			page.Retried = retried
			return page, &poolPage{OpenPage: open, release: release}, nil
		}
		release()
		if ctx.Err() != nil {
			return nil, nil, err
		}
		why := p.deadError(ep)
		if why == nil {
			// The page failed on a browser that was not known dead: ask
			// it. One slow answer is a busy browser, whose page fails as
			// on a single browser; the page moves when the browser is
			// found dead (a closed connection, a second miss in a row).
			p.check(ep)
			why = p.deadError(ep)
		}
		if why == nil {
			var le *audit.LoadError
			if errors.As(err, &le) {
				le.Retried = retried
			}
			return nil, nil, err
		}
		retried = append(retried, audit.EndpointRetry{Endpoint: ep.url, Error: why.Error()})
		if len(retried) >= maxMoves {
			return nil, nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseBrowser, Retried: retried,
				Err: fmt.Errorf("%d browsers of the pool died under this page; it is not moved again, so that it cannot take down the others", len(retried))}
		}
	}
}

// A poolPage is a page left open in a browser of the pool; closing it
// counts it out of the browser.
type poolPage struct {
	audit.OpenPage
	release func()
	once    sync.Once
}

// Close closes the page's tab and counts the page out of its browser.
func (o *poolPage) Close() {
	o.OpenPage.Close()
	o.once.Do(o.release)
}

// An EndpointState is what a pool's browser did in a run.
type EndpointState struct {
	// URL is the browser's DevTools address.
	URL string
	// Pages counts the pages given to the browser, moved ones included.
	Pages int
	// Dead is why the browser was found dead; nil while it lives.
	Dead error
}

// Endpoints returns the state of each browser of the pool, in the order
// of the addresses LaunchPool was given.
func (p *Pool) Endpoints() []EndpointState {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]EndpointState, len(p.endpoints))
	for i, ep := range p.endpoints {
		out[i] = EndpointState{URL: ep.url, Pages: ep.pages, Dead: ep.dead}
	}
	return out
}

// Version returns the product string of the first browser reached.
func (p *Pool) Version() string {
	for _, ep := range p.endpoints {
		if ep.b != nil {
			return ep.b.Version()
		}
	}
	return ""
}

// Close stops watching the browsers and closes newsa11y's tabs and browser
// contexts in each, never the browsers themselves.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.closing)
	p.mu.Unlock()
	p.watch.Wait()
	var wg sync.WaitGroup
	errs := make([]error, len(p.endpoints))
	for i, ep := range p.endpoints {
		if ep.b == nil {
			continue
		}
		if p.deadError(ep) != nil {
			// A frozen browser would never finish a graceful close.
			ep.b.drop()
			continue
		}
		wg.Go(func() {
			if err := ep.b.Close(); err != nil {
				errs[i] = fmt.Errorf("close the browser at %s: %w", ep.url, err)
			}
		})
	}
	wg.Wait()
	for _, ep := range p.endpoints {
		ep.kill()
	}
	return errors.Join(errs...)
}
