package chrome

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/access"
)

// A tabGate is what a page's gate, and its blocking of third-party
// frames, left set on a reused tab, which the tab undoes before its next
// page: the request interception and the script that fills local storage.
type tabGate struct {
	intercepted bool
	script      page.ScriptIdentifier
}

// gateState is what the gate of the page being loaded did, read when the
// page's response comes: whether the page origin's basic-auth challenge
// was answered, and refused.
type gateState struct {
	mu       sync.Mutex
	answered bool
	refused  bool
}

// openGate gives the page what its gate holds (see access.Gate), before
// it is navigated: cookies and local storage for every origin the file
// names. The extra headers and the basic-auth credentials, for the page's
// own origin only, are given by the request interception (intercept).
func (pl *pageLoad) openGate() error {
	g := pl.b.opts.Gates.For(pl.t.URL)
	if pl.t.BasicAuth != nil {
		g.BasicAuth = pl.t.BasicAuth
	}
	pl.gate = g
	if g.Empty() {
		return nil
	}
	if g.State != nil {
		if err := setCookies(pl.tab, g.State.Cookies); err != nil {
			return err
		}
		if err := pl.fillStorage(g.State.Origins); err != nil {
			return err
		}
	}
	// The headers and the basic-auth answer go through the tab's request
	// interception (see intercept).
	return nil
}

// setCookies sets the cookies in the tab's browser context. A cookie for
// a host only is set through its address, a domain cookie by its domain.
func setCookies(tab context.Context, cookies []access.Cookie) error {
	if len(cookies) == 0 {
		return nil
	}
	params := make([]*network.CookieParam, 0, len(cookies))
	for _, c := range cookies {
		p := &network.CookieParam{Name: c.Name, Value: c.Value, Path: c.Path, Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: network.CookieSameSite(c.SameSite)}
		if c.HostOnly() {
			p.URL = c.URL()
		} else {
			p.Domain = c.Domain
		}
		if p.Path == "" {
			p.Path = "/"
		}
		if c.Expires > 0 {
			p.Expires = cdp.TimeSinceEpoch(c.Expires)
		}
		params = append(params, p)
	}
	if _, err := chromedp.Call(tab, network.SetCookies, network.SetCookiesParams{Cookies: params}); err != nil {
		// The browser's message names the cookie, never its value.
		return fmt.Errorf("set the cookies: %w", err)
	}
	return nil
}

// fillStorage has every new document of an origin the state names find
// its local storage filled before the page's own scripts run.
func (pl *pageLoad) fillStorage(origins []access.OriginStorage) error {
	if len(origins) == 0 {
		return nil
	}
	byOrigin := map[string][][2]string{}
	for _, o := range origins {
		for _, it := range o.LocalStorage {
			byOrigin[o.Origin] = append(byOrigin[o.Origin], [2]string{it.Name, it.Value})
		}
	}
	data, err := json.Marshal(byOrigin)
	if err != nil {
		return err
	}
	src := "(() => { const items = (" + string(data) + ")[location.origin]; if (!items) return; " +
		"try { for (const [k, v] of items) localStorage.setItem(k, v); } catch (e) {} })()"
	res, err := chromedp.Call(pl.tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
	if err != nil {
		return fmt.Errorf("fill local storage: %w", err)
	}
	if pl.tb != nil {
		pl.tb.gate.script = res.Identifier
	}
	return nil
}

// replaced reports whether an extra header replaces the header name.
func replaced(name string, extra []access.Header) bool {
	for _, h := range extra {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// answerAuth answers the page origin's basic-auth challenge with the
// credentials, once: a second challenge means the server refused them,
// and it, like any challenge from another origin or a proxy, is
// cancelled, so the page shows the server's refusal and fails on its
// status.
func (pl *pageLoad) answerAuth(auths iter.Seq2[fetch.EventAuthRequired, error], origin string, creds audit.Credentials) {
	for ev, err := range auths {
		if err != nil {
			return
		}
		resp := &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseCancelAuth}
		ch := ev.AuthChallenge
		if ch != nil && ch.Source != fetch.AuthChallengeSourceProxy && canonicalOrigin(ch.Origin) == origin {
			pl.gateState.mu.Lock()
			if pl.gateState.answered {
				pl.gateState.refused = true
			} else {
				pl.gateState.answered = true
				resp = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials, Username: creds.User, Password: creds.Password}
			}
			pl.gateState.mu.Unlock()
		}
		params := fetch.ContinueWithAuthParams{RequestID: ev.RequestID, AuthChallengeResponse: resp}
		go func() { _, _ = chromedp.Call(pl.tab, fetch.ContinueWithAuth, params) }()
	}
}

// statusError is the error of a page whose document answered with an
// error status. A 401 says whether credentials were given and refused, or
// how to give them; no secret is named.
func (pl *pageLoad) statusError(status int64, text string) error {
	se := &audit.StatusError{Status: int(status), Text: text}
	if status != 401 {
		return se
	}
	origin := canonicalOrigin(pl.t.URL)
	pl.gateState.mu.Lock()
	answered := pl.gateState.answered
	pl.gateState.mu.Unlock()
	switch {
	case pl.gate.BasicAuth != nil && answered:
		return fmt.Errorf("the server refused the basic-auth credentials of user %q for %s, and answered with the login refusal instead of the page: %w", pl.gate.BasicAuth.User, origin, se)
	case pl.gate.BasicAuth != nil:
		return fmt.Errorf("the page needs a login the credentials given could not answer (not HTTP basic auth?): %w", se)
	}
	return fmt.Errorf("the page needs a login: give basic auth in the URL (https://user:password@host/…) or in NEWSA11Y_BASIC_AUTH, or a session with --cookies or --header: %w", se)
}

// resetGate undoes what a page's gate set on a reused tab before its next
// page: the request interception goes back to the blank document alone,
// and the local-storage script is removed. Cookies are cleared with the
// rest of the context's (see tabPool.clear).
func resetGate(ctx context.Context, t *tab) error {
	var errs []error
	if t.gate.intercepted {
		if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{blankPattern()}}); err != nil {
			errs = append(errs, fmt.Errorf("stop intercepting requests: %w", err))
		}
	}
	if t.gate.script != "" {
		if _, err := chromedp.Call(ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: t.gate.script}); err != nil {
			errs = append(errs, fmt.Errorf("remove the local-storage script: %w", err))
		}
	}
	t.gate = tabGate{}
	return errors.Join(errs...)
}

// blankPattern is the request pattern of a reused tab's blank document.
func blankPattern() *fetch.RequestPattern {
	return &fetch.RequestPattern{URLPattern: "*" + blankPath, ResourceType: network.ResourceTypeDocument}
}

// canonicalOrigin returns the origin of an http(s) address with its
// host in lower case and without the scheme's default port, as the
// browser writes it in requests; "" for another address.
func canonicalOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return u.Scheme + "://" + host
}
