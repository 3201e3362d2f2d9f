package chrome

import (
	"fmt"
	"iter"
	"net"
	"net/url"
	"strings"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/publicsuffix"
)

// intercept pauses the page's requests that newsa11y answers itself, and
// answers them for as long as the page lives:
//
//   - with a gate that gives headers or basic-auth credentials, every
//     request to the page's own origin, which goes on with the headers;
//     a password or a header meant for the site never reaches a third
//     party;
//   - with BlockThirdParty, every frame's document request, which is
//     sent to an empty document when it leaves the page's site (see
//     sameSite and answerPaused).
//     Network.setBlockedURLs, which blocks the other third-party
//     requests, is applied by the renderer and never sees a frame's
//     navigation: without this, a third-party frame is loaded (or, off
//     the web, waits on its host's name), and the page's load event
//     with it.
//
// The top frame's own navigations are never blocked: the keyboard walk
// watches them (see walk.go). The blank document is served by a reused
// tab (serveBlank), else here.
func (pl *pageLoad) intercept() error {
	g := pl.gate
	origin := canonicalOrigin(pl.t.URL)
	gated := (len(g.Headers) > 0 || g.BasicAuth != nil) && origin != ""
	block := pl.b.opts.BlockThirdParty
	if !gated && !block {
		return nil
	}
	if block {
		// A service worker of the page's site would answer the frames'
		// blank document itself, from the network, past this
		// interception: with blocking, the page's requests skip it.
		if _, err := chromedp.Call(pl.tab, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
			return fmt.Errorf("bypass the page's service worker: %w", err)
		}
	}
	var patterns []*fetch.RequestPattern
	if gated {
		patterns = append(patterns, &fetch.RequestPattern{URLPattern: origin + "/*", RequestStage: fetch.RequestStageRequest})
	}
	if block {
		patterns = append(patterns, &fetch.RequestPattern{URLPattern: "*", ResourceType: network.ResourceTypeDocument, RequestStage: fetch.RequestStageRequest})
	}
	if block || pl.b.opts.Isolation == IsolateCleared {
		patterns = append(patterns, blankPattern())
	}
	// Subscribed before interception starts, so no event is missed.
	paused := chromedp.Events(pl.tab, fetch.RequestPaused)
	var auths iter.Seq2[fetch.EventAuthRequired, error]
	if gated && g.BasicAuth != nil {
		auths = chromedp.Events(pl.tab, fetch.AuthRequired)
	}
	if _, err := chromedp.Call(pl.tab, fetch.Enable, fetch.EnableParams{Patterns: patterns, HandleAuthRequests: new(auths != nil)}); err != nil {
		return fmt.Errorf("intercept the page's requests: %w", err)
	}
	if pl.tb != nil {
		pl.tb.gate.intercepted = true
	}
	go pl.answerPaused(paused, origin, gated, block)
	if auths != nil {
		go pl.answerAuth(auths, origin, *g.BasicAuth)
	}
	return nil
}

// blankDocument answers a paused request with an empty document.
func blankDocument(id fetch.RequestID) fetch.FulfillRequestParams {
	return fetch.FulfillRequestParams{
		RequestID: id, ResponseCode: 200,
		ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
		Body:            []byte("<!DOCTYPE html><title></title>"),
	}
}

// answerPaused answers each paused request (see intercept). A
// third-party frame's document is redirected, without reaching the
// network, to the empty document at blankPath on the page's own origin,
// which the tab serves: an empty document from the third party itself
// would cost a renderer process of its own for each third-party site, and
// failing the request would show the browser's error page, whose text,
// scripts and focusable controls are none of the page's and would be
// audited as if they were. A request to the gated origin goes on with the
// gate's headers, each replacing a header of the same name, and any other
// goes on as it was.
func (pl *pageLoad) answerPaused(paused iter.Seq2[fetch.EventRequestPaused, error], origin string, gated, block bool) {
	cleared := pl.b.opts.Isolation == IsolateCleared
	// A tab's top frame has the id of its target, known before the
	// navigation that tells the session.
	top := pl.sess.tabID()
	for ev, err := range paused {
		if err != nil {
			return
		}
		if strings.HasSuffix(ev.Request.URL, blankPath) {
			if !cleared {
				// A reused tab serves it itself (serveBlank).
				go func() { _, _ = chromedp.Call(pl.tab, fetch.FulfillRequest, blankDocument(ev.RequestID)) }()
			}
			continue
		}
		if block && ev.ResourceType == network.ResourceTypeDocument && ev.FrameID != top && !sameSite(pl.t.URL, ev.Request.URL) {
			params := blankDocument(ev.RequestID)
			if home := originOf(pl.sess.topAddress()); home != "" {
				params = fetch.FulfillRequestParams{
					RequestID: ev.RequestID, ResponseCode: 302,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Location", Value: home + blankPath}},
				}
			}
			go func() { _, _ = chromedp.Call(pl.tab, fetch.FulfillRequest, params) }()
			continue
		}
		params := fetch.ContinueRequestParams{RequestID: ev.RequestID}
		if gated && canonicalOrigin(ev.Request.URL) == origin && len(pl.gate.Headers) > 0 {
			for name, v := range ev.Request.Headers {
				if replaced(name, pl.gate.Headers) {
					continue
				}
				s, _ := v.(string)
				params.Headers = append(params.Headers, &fetch.HeaderEntry{Name: name, Value: s})
			}
			for _, h := range pl.gate.Headers {
				params.Headers = append(params.Headers, &fetch.HeaderEntry{Name: h.Name, Value: h.Value})
			}
		}
		go func() { _, _ = chromedp.Call(pl.tab, fetch.ContinueRequest, params) }()
	}
}

// loopbackHosts are the host names every page may reach with third-party
// hosts blocked: a page served on loopback loads its files from there.
var loopbackHosts = []string{"127.0.0.1", "localhost"}

// pageSite returns the hosts a page at pageURL may reach with third-party
// hosts blocked, besides loopback: its registrable domain, whose
// subdomains it may reach too (wildcard true), or for an IP address or a
// host without one, the host alone.
func pageSite(pageURL string) (host string, wildcard bool) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", false
	}
	// Host names are matched in lower case and without a root dot: a
	// registrable domain taken from "WWW.BBC.CO.UK" would be "CO.UK".
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if net.ParseIP(h) != nil {
		return h, false
	}
	if site, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		return site, true
	}
	return h, false
}

// isHTTP reports whether u is an http or https address.
func isHTTP(u *url.URL) bool { return u.Scheme == "http" || u.Scheme == "https" }

// sameSite reports whether a request to reqURL stays within what a page
// at pageURL may reach with third-party hosts blocked: loopback, or the
// page's site (see pageSite). An address that is not http or https
// (about:blank, data:, blob:) loads nothing from a host and stays.
func sameSite(pageURL, reqURL string) bool {
	u, err := url.Parse(reqURL)
	if err != nil {
		return false
	}
	if !isHTTP(u) {
		return true
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, l := range loopbackHosts {
		if h == l {
			return true
		}
	}
	site, wildcard := pageSite(pageURL)
	return h == site || (wildcard && strings.HasSuffix(h, "."+site))
}
