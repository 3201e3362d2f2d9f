package chrome

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/newsa11y/newsa11y/audit"
)

// SetupPer says when the setup steps run.
type SetupPer string

const (
	// SetupPerContext runs the setup once in each browser context, before
	// its first page, like a login: what it leaves (cookies above all)
	// carries to the pages that follow in that context. Under
	// IsolateContext every page has a context of its own, so the setup
	// runs before every page; under IsolateCleared, once per reused tab,
	// and the clearing between pages puts back the cookies the setup left.
	SetupPerContext SetupPer = "context"
	// SetupPerPage runs the setup before every page.
	SetupPerPage SetupPer = "page"
)

// The kinds of setup step.
const (
	StepNavigate         = "navigate"
	StepType             = "type"
	StepClick            = "click"
	StepWaitFor          = "wait_for"
	StepPress            = "press"
	StepWaitGone         = "wait_gone"
	StepWaitNetworkQuiet = "wait_network_quiet"
)

// A SetupStep is one step the browser takes before a page is loaded: go to
// an address, type into a field, click, press a key, wait for an element
// to show or to go, wait for the network to go quiet. There is no
// scripting: each step does one exact thing, and fails naming why.
type SetupStep struct {
	// Kind is one of the Step* constants.
	Kind string
	// URL is where a navigate step goes.
	URL string
	// Selector is the CSS selector of a type, click, wait_for or wait_gone
	// step; the first element matching it is used.
	Selector string
	// Text is what a type step types. It may be a secret: it never
	// appears in an error or a log.
	Text string
	// Key is what a press step presses: a name of SetupKeyNames or one
	// character.
	Key string
}

// SetupKeyNames maps the key names a press step takes to the keys.
var SetupKeyNames = map[string]string{
	"Enter": kb.Enter, "Tab": kb.Tab, "Escape": kb.Escape, "Space": " ",
	"Backspace": kb.Backspace, "Delete": kb.Delete,
	"ArrowUp": kb.ArrowUp, "ArrowDown": kb.ArrowDown, "ArrowLeft": kb.ArrowLeft, "ArrowRight": kb.ArrowRight,
	"Home": kb.Home, "End": kb.End, "PageUp": kb.PageUp, "PageDown": kb.PageDown,
}

// describe names the step i (from 0) as errors do: its number, its kind
// and its argument, never the text it types, and an address without its
// user info.
func (s SetupStep) describe(i int) string {
	arg := ""
	switch s.Kind {
	case StepNavigate:
		arg = " " + redactUserInfo(s.URL)
	case StepPress:
		arg = " " + s.Key
	case StepType, StepClick, StepWaitFor, StepWaitGone:
		arg = fmt.Sprintf(" %q", s.Selector)
	}
	return fmt.Sprintf("setup step %d (%s%s)", i+1, s.Kind, arg)
}

// redactUserInfo returns raw with its user info and any protected secret
// hidden (audit.Redact, the one redaction every output goes through).
func redactUserInfo(raw string) string { return audit.Redact(raw) }

// afterInputWait bounds the wait, after a click or a key press, for the
// requests it started (a form's submission and its redirect) to finish,
// so that the next step, or the page, does not cut them short.
const afterInputWait = 3 * time.Second

// A setupRun is one run of the setup steps in a tab.
type setupRun struct {
	ctx    context.Context // the tab, bounded by the setup's deadline
	sess   *session
	budget time.Duration
}

// checkSetup refuses setup steps the browser cannot take, and sets
// SetupPer's default.
func checkSetup(opts *Options) error {
	switch opts.SetupPer {
	case "":
		opts.SetupPer = SetupPerContext
	case SetupPerContext, SetupPerPage:
	default:
		return fmt.Errorf("setup per %q: want %s or %s", opts.SetupPer, SetupPerContext, SetupPerPage)
	}
	for i, s := range opts.Setup {
		var missing bool
		switch s.Kind {
		case StepNavigate:
			missing = s.URL == ""
		case StepType, StepClick, StepWaitFor, StepWaitGone:
			missing = s.Selector == ""
		case StepPress:
			_, named := SetupKeyNames[s.Key]
			missing = !named && len([]rune(s.Key)) != 1
		case StepWaitNetworkQuiet:
		default:
			return fmt.Errorf("%s: unknown step", s.describe(i))
		}
		if missing {
			return fmt.Errorf("%s: incomplete step", s.describe(i))
		}
	}
	return nil
}

// needsSetup reports whether the page in tab tb must run the setup first.
func (b *Browser) needsSetup(tb *tab) bool {
	return len(b.opts.Setup) > 0 && (b.opts.SetupPer == SetupPerPage || !tb.setUp)
}

// runSetup runs the setup steps in the page's tab, within the page's
// timeout. It returns the origins the steps talked to, which a reused tab
// must clear, and the first failing step's error, which names the step.
// When the setup runs once per context in a reused tab, it records the
// cookies it left on the tab, which the clearing between pages puts back.
func (pl *pageLoad) runSetup(tb *tab) ([]string, error) {
	ctx, cancel := context.WithTimeout(pl.tab, pl.timeout)
	defer cancel()
	r := &setupRun{ctx: ctx, sess: newSession(), budget: pl.timeout}
	if err := chromedp.Listen(ctx, r.sess.handle); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	for i, s := range pl.b.opts.Setup {
		if err := r.step(s); err != nil {
			err = fmt.Errorf("%s: %w", s.describe(i), err)
			if r.sess.isCrashed() || errors.Is(err, errCrashed) {
				err = pl.fail(audit.CauseCrash, err)
			}
			return r.sess.originList(), err
		}
	}
	r.settle(afterInputWait)
	if pl.b.opts.SetupPer == SetupPerPage {
		return r.sess.originList(), nil
	}
	tb.setUp = true
	if pl.b.opts.Isolation == IsolateCleared {
		// Asked of a tab, Storage.getCookies answers for the default
		// context: the tab's own is named.
		cookies, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		if err != nil {
			return r.sess.originList(), fmt.Errorf("setup: read the cookies it left: %w", err)
		}
		tb.setupCookies = cookieParams(cookies.Cookies)
	}
	return r.sess.originList(), nil
}

// cookieParams turns cookies read from the browser into cookies to set.
func cookieParams(cookies []*network.Cookie) []*network.CookieParam {
	out := make([]*network.CookieParam, 0, len(cookies))
	for _, c := range cookies {
		p := &network.CookieParam{
			Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: c.SameSite, Priority: c.Priority,
			SourceScheme: c.SourceScheme, SourcePort: c.SourcePort, PartitionKey: c.PartitionKey,
		}
		if !c.Session {
			p.Expires = cdp.TimeSinceEpoch(c.Expires)
		}
		out = append(out, p)
	}
	return out
}

// restoreSetup puts back, after a reused tab was cleared, the cookies its
// setup left.
func restoreSetup(ctx context.Context, t *tab) error {
	if len(t.setupCookies) == 0 {
		return nil
	}
	if _, err := chromedp.Call(ctx, network.SetCookies, network.SetCookiesParams{Cookies: t.setupCookies}); err != nil {
		return fmt.Errorf("put back the setup's cookies: %w", err)
	}
	return nil
}

// errBudget is the failure of a step that ran out of the setup's time.
type errBudget struct {
	what   string
	budget time.Duration
}

func (e *errBudget) Error() string {
	return fmt.Sprintf("%s within the setup's %s", e.what, e.budget)
}

// step runs one step.
func (r *setupRun) step(s SetupStep) error {
	switch s.Kind {
	case StepNavigate:
		return r.navigate(s.URL)
	case StepWaitFor:
		return r.waitShown(s.Selector)
	case StepWaitGone:
		return r.poll(func() (bool, string, error) {
			st, err := r.state(s.Selector)
			return st != "visible", fmt.Sprintf("an element matching %q is still shown", s.Selector), err
		})
	case StepWaitNetworkQuiet:
		return r.poll(func() (bool, string, error) {
			return r.sess.quietFor() >= quietWindow, "the network did not go quiet", nil
		})
	case StepClick:
		if err := r.waitShown(s.Selector); err != nil {
			return err
		}
		return r.click(s.Selector)
	case StepType:
		if err := r.waitShown(s.Selector); err != nil {
			return err
		}
		focused, err := r.eval(`(function(sel){var el=document.querySelector(sel);el.focus();if(typeof el.select==="function")el.select();return document.activeElement===el})(` + jsString(s.Selector) + `)`)
		if err != nil {
			return err
		}
		if string(focused) != "true" {
			return errors.New("the element cannot take focus, so it cannot be typed into")
		}
		if _, err := chromedp.Run(r.ctx, chromedp.KeyEvent(s.Text)); err != nil {
			return r.wrap(errors.New("typing failed"), err)
		}
		return nil
	case StepPress:
		key := s.Key
		if k, ok := SetupKeyNames[key]; ok {
			key = k
		}
		if _, err := chromedp.Run(r.ctx, chromedp.KeyEvent(key)); err != nil {
			return r.wrap(fmt.Errorf("pressing %s failed", s.Key), err)
		}
		r.settle(afterInputWait)
		return nil
	}
	return fmt.Errorf("unknown step %q", s.Kind)
}

// wrap turns a failed call into the step's error: the setup's time ran out,
// or the call failed. The call's own error never holds typed text.
func (r *setupRun) wrap(what, err error) error {
	if errors.Is(r.ctx.Err(), context.DeadlineExceeded) {
		return &errBudget{what: what.Error(), budget: r.budget}
	}
	return fmt.Errorf("%w: %w", what, err)
}

// navigate goes to u and waits for its load event; an error status or a
// failed navigation fails the step.
func (r *setupRun) navigate(u string) error {
	nav, err := chromedp.Call(r.ctx, page.Navigate, page.NavigateParams{URL: u})
	if err != nil {
		return r.wrap(errors.New("no response"), err)
	}
	r.sess.setFrame(nav.FrameID)
	if nav.ErrorText != "" {
		if resp, _, _ := r.sess.state(nav.LoaderID); resp != nil && resp.Status >= 400 {
			return fmt.Errorf("the server answered %d %s", resp.Status, resp.StatusText)
		}
		return fmt.Errorf("navigation failed: %s", nav.ErrorText)
	}
	for {
		resp, loaded, crashed := r.sess.state(nav.LoaderID)
		switch {
		case crashed:
			return errCrashed
		case resp != nil && resp.Status >= 400:
			return fmt.Errorf("the server answered %d %s", resp.Status, resp.StatusText)
		case loaded:
			return nil
		}
		select {
		case <-r.sess.notify:
		case <-r.ctx.Done():
			return r.wrap(errors.New("the page did not finish loading"), r.ctx.Err())
		}
	}
}

// selectorStateJS tells what the first element matching a selector is:
// "none", "hidden" (no box, or visibility hidden) or "visible"; "invalid"
// when the browser refuses the selector.
const selectorStateJS = `(function(sel){var el;try{el=document.querySelector(sel)}catch(e){return "invalid"}
if(!el)return "none";if(!el.getClientRects().length||getComputedStyle(el).visibility==="hidden")return "hidden";return "visible"})`

// state returns what the first element matching sel is now.
func (r *setupRun) state(sel string) (string, error) {
	v, err := r.eval(selectorStateJS + "(" + jsString(sel) + ")")
	if err != nil {
		return "", err
	}
	var st string
	_ = json.Unmarshal(v, &st)
	if st == "invalid" {
		return "", &selectorError{sel: sel}
	}
	return st, nil
}

// waitShown waits until an element matches sel and is shown.
func (r *setupRun) waitShown(sel string) error {
	last := "none"
	return r.poll(func() (bool, string, error) {
		st, err := r.state(sel)
		if err == nil && st != "" {
			last = st
		}
		why := "no element matches"
		if last == "hidden" {
			why = fmt.Sprintf("an element matches %q but is not shown", sel)
		}
		return st == "visible", why, err
	})
}

// pollEvery is how often a waiting step looks again.
const pollEvery = 50 * time.Millisecond

// poll calls check until it says done, or until the setup's time runs out;
// check also says what is wrong while it is not done. Errors of the page's
// scripts while a navigation replaces the document are looked past; a
// refused selector fails at once.
func (r *setupRun) poll(check func() (bool, string, error)) error {
	for {
		done, why, err := check()
		if done && err == nil {
			return nil
		}
		var refused *selectorError
		if errors.As(err, &refused) {
			return err
		}
		if r.sess.isCrashed() {
			return errCrashed
		}
		select {
		case <-r.ctx.Done():
			return &errBudget{what: why, budget: r.budget}
		case <-time.After(pollEvery):
		}
	}
}

// selectorError is a selector the browser refuses.
type selectorError struct{ sel string }

func (e *selectorError) Error() string {
	return fmt.Sprintf("the browser refuses the selector %q", e.sel)
}

// errCrashed is the failure of a step whose tab crashed.
var errCrashed = errors.New("the page crashed the browser tab")

// eval evaluates a JavaScript expression in the page and returns its
// value as JSON.
func (r *setupRun) eval(expr string) ([]byte, error) { return evaluateIn(r.ctx, expr, false) }

// clickJS scrolls the first element matching a selector into view and
// returns the point at its centre and, when another element covers that
// point, a short name of that element.
const clickJS = `(function(sel){var el=document.querySelector(sel);if(!el)return null;
el.scrollIntoView({block:"center",inline:"center"});var b=el.getBoundingClientRect();
var x=b.left+b.width/2,y=b.top+b.height/2,hit=document.elementFromPoint(x,y),cover="";
if(hit&&hit!==el&&!el.contains(hit)&&!(hit.shadowRoot&&hit.contains(el))){cover=hit.localName+(hit.id?"#"+hit.id:"")}
return {x:x,y:y,cover:cover}})`

// click presses and releases the mouse's left button at the centre of the
// first element matching sel, as a user would; it fails when another
// element covers that point.
func (r *setupRun) click(sel string) error {
	v, err := r.eval(clickJS + "(" + jsString(sel) + ")")
	if err != nil {
		return err
	}
	var at struct {
		X, Y  float64
		Cover string
	}
	if string(v) == "null" || json.Unmarshal(v, &at) != nil {
		return errors.New("no element matches")
	}
	if at.Cover != "" {
		return fmt.Errorf("its centre is covered by %s, which would take the click", at.Cover)
	}
	move := input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: at.X, Y: at.Y}
	if _, err := chromedp.Call(r.ctx, input.DispatchMouseEvent, move); err != nil {
		return r.wrap(errors.New("the click failed"), err)
	}
	if _, err := chromedp.Run(r.ctx, chromedp.MouseClickXY(at.X, at.Y)); err != nil {
		return r.wrap(errors.New("the click failed"), err)
	}
	r.settle(afterInputWait)
	return nil
}

// settle waits, up to bound, for the network to go quiet and the document
// to finish loading; it never fails: a step that needs more says so.
func (r *setupRun) settle(bound time.Duration) {
	end := time.Now().Add(bound)
	// Give a navigation the input started a moment to begin.
	select {
	case <-time.After(quietWindow):
	case <-r.ctx.Done():
		return
	}
	for time.Now().Before(end) && r.ctx.Err() == nil {
		if r.sess.quietFor() >= quietWindow {
			if v, err := r.eval(`document.readyState`); err == nil && string(v) == `"complete"` {
				return
			}
		}
		select {
		case <-r.ctx.Done():
		case <-time.After(pollEvery):
		}
	}
}

// setupFailure classifies a setup that failed: the page fails with cause
// setup, unless the run was interrupted or the browser crashed.
func (pl *pageLoad) setupFailure(ctx context.Context, proc *process, err error) error {
	var le *audit.LoadError
	switch {
	case ctx.Err() != nil:
		return &audit.LoadError{URL: pl.t.URL, Cause: audit.CauseInterrupted, Err: ctx.Err()}
	case proc.dead():
		return pl.b.browserExited(pl.t.URL)
	case errors.As(err, &le):
		return err
	}
	return pl.fail(audit.CauseSetup, err)
}

// mergeOrigins returns the origins of a and b, sorted, each once.
func mergeOrigins(a, b []string) []string {
	set := map[string]bool{}
	for _, o := range append(a, b...) {
		set[o] = true
	}
	return sortedKeys(set)
}

// sentBack fails a page that was sent to the page a navigate step of the
// setup went to (a login page) instead of its own: the setup did not open
// the gate, or the session it opened ended, and the page must not be
// audited as the login page. Addresses are compared without their query
// and fragment.
func (pl *pageLoad) sentBack() error {
	if len(pl.b.opts.Setup) == 0 || pl.resp == nil {
		return nil
	}
	final, own := samePage(pl.resp.URL), samePage(pl.t.URL)
	for i, s := range pl.b.opts.Setup {
		if s.Kind == StepNavigate && samePage(s.URL) == final && final != own {
			return pl.fail(audit.CauseSetup, fmt.Errorf("the page was sent to %s, where %s begins: the setup did not open the gate, or its session ended", redactUserInfo(pl.resp.URL), s.describe(i)))
		}
	}
	return nil
}

// samePage returns an address's scheme, host and path, without user info,
// query or fragment.
func samePage(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host + u.Path
}
