package audit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A Target is one page to audit.
type Target struct {
	// Input is the target as the user gave it: a URL, a file path, "-" for
	// standard input or "(sample)" for the embedded sample. Reports show it.
	Input string
	// URL is what the loader loads: an http(s) URL, for local files one on
	// the loopback server.
	URL string
	// Err, when set, is why the input could not be turned into a URL (a
	// missing file, say); the page is reported as failed without loading.
	Err error
	// Timeout, when positive, overrides the loader's page timeout for this
	// target.
	Timeout time.Duration
	// Index is the target's position in the run's whole input list, kept
	// in results so that shards and resumed runs merge in input order.
	Index int
	// Viewport is the window to lay the page out in; zero means the
	// loader's own.
	Viewport Viewport
	// BasicAuth, when set, answers the page origin's basic-auth
	// challenge: the user info the URL was given with, which Input and
	// URL no longer hold.
	BasicAuth *Credentials
}

// A Loader captures page snapshots. The Chrome loader (audit/chrome) drives
// a real browser; the static loader (audit/static) parses HTML.
type Loader interface {
	// Load captures the page at t.URL. needs is the union of what the
	// enabled rules need, so a loader may skip work no rule reads. A page
	// that cannot be loaded is an error, preferably a *LoadError.
	Load(ctx context.Context, t Target, needs Capability) (*Page, error)
}

// A LoadCause classifies why a page could not be audited: why it failed
// to load, or why its rules did not finish.
type LoadCause string

const (
	// CauseTimeout: the page did not finish loading in time.
	CauseTimeout LoadCause = "timeout"
	// CauseHTTPStatus: the server answered with an error status.
	CauseHTTPStatus LoadCause = "http-status"
	// CauseNotHTML: the address served something other than HTML.
	CauseNotHTML LoadCause = "not-html"
	// CauseNetwork: the connection failed (refused, DNS, reset).
	CauseNetwork LoadCause = "network"
	// CauseTLS: the TLS handshake or certificate check failed.
	CauseTLS LoadCause = "tls"
	// CauseCrash: the browser tab or process crashed.
	CauseCrash LoadCause = "crash"
	// CauseBrowser: the browser could not be driven.
	CauseBrowser LoadCause = "browser"
	// CauseInput: the input itself was unusable (missing file, bad URL).
	CauseInput LoadCause = "input"
	// CauseRulesTimeout: the page loaded, but its rules did not finish
	// within the page's time and the grace rules get beyond it.
	CauseRulesTimeout LoadCause = "rules-timeout"
	// CauseInterrupted: the run was stopped before the page finished; the
	// page is neither passed nor failed, and is left out of reports.
	CauseInterrupted LoadCause = "interrupted"
	// CauseTabTimeout: the browser gave the page no tab within its time
	// (a frozen or overloaded browser).
	CauseTabTimeout LoadCause = "tab-timeout"
	// CauseScheme: the page redirected or navigated to an address that is
	// not on the web (file:, view-source:, data:, mailto:, chrome:).
	CauseScheme LoadCause = "scheme"
	// CauseSetup: a setup step (a login) failed before the page was
	// loaded; the error names the step and why.
	CauseSetup LoadCause = "setup"
)

// transient reports whether a load failure may go away on a second try:
// a dropped connection, a navigation race, a crashed tab or browser.
func (c LoadCause) transient() bool {
	return c == CauseNetwork || c == CauseBrowser || c == CauseCrash
}

// A LoadError is a page that could not be loaded, with its cause.
type LoadError struct {
	// URL is the address that failed.
	URL string
	// Cause classifies the failure.
	Cause LoadCause
	// Err says what happened.
	Err error
	// Retried lists the browsers of a pool that died under the page before
	// this failure (see PageResult.Retried).
	Retried []EndpointRetry
}

func (e *LoadError) Error() string { return fmt.Sprintf("load %s: %s: %v", e.URL, e.Cause, e.Err) }

func (e *LoadError) Unwrap() error { return e.Err }

// A Runner audits targets with a loader and a list of rules.
type Runner struct {
	// Loader captures each page.
	Loader Loader
	// Rules are the rules to run on each page.
	Rules []*Rule
	// Concurrency is how many pages load at once; at least 1.
	Concurrency int
	// Tool names the program in the report.
	Tool Tool
	// Summarizers add page-level evidence to each result, in order.
	Summarizers []Summarizer
	// Retries is how many more times a page is tried after a transient
	// failure (network, browser, crash).
	Retries int
	// Timings keeps each page's step times in its result.
	Timings bool
	// Viewports, when set, audits each target once per viewport and merges
	// the results into one; empty means once at the loader's own viewport.
	// Each viewport's result gets its findings and summaries on its own;
	// the merged result keeps every viewport's keyboard walk and the
	// first viewport's other page-level fields.
	Viewports []Viewport
	// Timeout is the time a page gets, as the loader was given it; a
	// target's own Timeout overrides it. Zero means 30 seconds, the
	// loaders' default. The rules run in what is left of it once the
	// page is captured, plus RulesGrace.
	Timeout time.Duration
	// RulesGrace is the time rules get beyond the page's timeout, so that
	// a page captured late still gets its rules run; zero means
	// DefaultRulesGrace. A page whose rules (and summaries) are not done
	// by then fails with cause rules-timeout.
	RulesGrace time.Duration
	// OnPage, when set, is called with each page's result as soon as it is
	// done, from the goroutine that audited it; calls do not overlap. It is
	// not called for pages the run was interrupted before finishing.
	OnPage func(index int, r PageResult)
}

// DefaultRulesGrace is the time rules get beyond a page's timeout when
// Runner.RulesGrace is zero. Rules take milliseconds on real pages; the
// grace bounds what a hostile one can make them take.
const DefaultRulesGrace = 5 * time.Second

// defaultTimeout is a page's time when neither the runner nor the target
// sets one, as in the loaders.
const defaultTimeout = 30 * time.Second

// Needs returns the union of the capabilities the rules need.
func Needs(rules []*Rule) Capability {
	var c Capability
	for _, r := range rules {
		c |= r.Needs
	}
	return c
}

// Run audits every target and returns the report. A target that fails to
// load gets a result with Error set; the other targets still run. Results
// keep the order of targets.
func (r *Runner) Run(ctx context.Context, targets []Target) *Report {
	rep := &Report{SchemaVersion: SchemaVersion, Tool: r.Tool, Pages: make([]PageResult, len(targets))}
	for _, rule := range r.Rules {
		rep.Rules = append(rep.Rules, InfoOf(rule))
	}
	needs := Needs(r.Rules)
	workers := max(r.Concurrency, 1)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var onPage sync.Mutex
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				res := redactResult(r.auditWithRetries(ctx, targets[i], needs))
				res.Index = targets[i].Index
				rep.Pages[i] = res
				if r.OnPage != nil && res.ErrorCause != string(CauseInterrupted) {
					onPage.Lock()
					r.OnPage(i, res)
					onPage.Unlock()
				}
			}
		})
	}
	for i := range targets {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return rep
}

// redactResult hides secrets in what a page's result holds that did not
// come from the page's content: its addresses and its errors. Every
// report, stream line and baseline is written from results.
func redactResult(res PageResult) PageResult {
	res.URL = Redact(res.URL)
	res.FinalURL = Redact(res.FinalURL)
	res.Error = Redact(res.Error)
	for i, f := range res.Retries {
		res.Retries[i] = Redact(f)
	}
	for i, r := range res.Retried {
		res.Retried[i] = EndpointRetry{Endpoint: Redact(r.Endpoint), Error: Redact(r.Error)}
	}
	return res
}

// auditWithRetries audits a target, trying again after transient
// failures, and records each failed attempt, and the moves between a
// pool's browsers of every attempt.
func (r *Runner) auditWithRetries(ctx context.Context, t Target, needs Capability) PageResult {
	var failures []string
	var moved []EndpointRetry
	for attempt := 0; ; attempt++ {
		res := r.auditAtViewports(ctx, t, needs)
		if !res.Failed() || attempt >= r.Retries || !LoadCause(res.ErrorCause).transient() || pooledOut(res) || ctx.Err() != nil {
			res.Retries = failures
			res.Retried = append(moved, res.Retried...)
			return res
		}
		failures = append(failures, res.Error)
		moved = append(moved, res.Retried...)
	}
}

// pooledOut reports whether a failed page's browser failure came after
// the pool of browsers had already moved it off browsers that died under
// it: the pool has tried it again, and a retry would only hand it to
// another browser (a page that crashes whole browsers would take the
// pool down).
func pooledOut(res PageResult) bool {
	return LoadCause(res.ErrorCause) == CauseBrowser && len(res.Retried) > 0
}

func (r *Runner) auditOne(ctx context.Context, t Target, needs Capability) PageResult {
	start := time.Now()
	res := PageResult{URL: t.Input, Findings: []Finding{}, Skipped: []SkippedRule{}}
	if err := ctx.Err(); err != nil {
		return interrupted(res)
	}
	var page *Page
	var open OpenPage
	err := t.Err
	if err == nil {
		if keeper, ok := r.Loader.(PageKeeper); ok {
			page, open, err = keeper.LoadOpen(ctx, t, needs)
		} else {
			page, err = r.Loader.Load(ctx, t, needs)
		}
	}
	if open != nil {
		defer open.Close()
	}
	if err != nil {
		res.Error = err.Error()
		var le *LoadError
		switch {
		case ctx.Err() != nil:
			return interrupted(res)
		case errors.As(err, &le):
			res.ErrorCause = string(le.Cause)
			res.Status = statusOf(le)
			res.Retried = le.Retried
		default:
			res.ErrorCause = string(CauseBrowser)
		}
		CapText(&res)
		return res
	}
	res.FinalURL = page.FinalURL
	if t.URL != t.Input && !isWebAddress(t.Input) {
		// A local file, standard input or the sample is served from a
		// loopback address with a new port on every run; reports name the
		// input instead, so that they stay the same from run to run.
		res.FinalURL = t.Input
	}
	res.Status = page.Status
	res.Title = page.Facts.Title
	res.Site = SiteKey(t.Input, page)
	res.Hidden = page.Hidden
	res.Consent = page.Consent
	res.Timings = page.Timings
	res.Retried = page.Retried

	// The rules, the summaries and the thumbnails run in what is left of
	// the page's time, plus a grace.
	rulesStart := time.Now()
	rulesBy := start.Add(r.pageTimeout(t))
	if rulesBy.Before(rulesStart) {
		rulesBy = rulesStart
	}
	rulesBy = rulesBy.Add(r.rulesGrace())
	rctx, cancel := context.WithDeadline(ctx, rulesBy)
	defer cancel()
	var running atomic.Pointer[string]
	var checked checkResult
	overrun := bounded(rctx, func() { checked = checkPage(rctx, page, r.Rules, &running) })
	if overrun == nil {
		overrun = checked.err
	}
	if overrun == nil {
		res.Findings, res.Skipped, res.RuleErrors = checked.findings, checked.skipped, checked.ruleErrs
		res.Timings.Since("rules", rulesStart)
		sumStart := time.Now()
		// The summarizers work on a copy, which a summarizer that overruns
		// and is left behind cannot reach once the result is returned.
		summed := res
		summed.Findings = slices.Clone(res.Findings)
		running.Store(ptr("the page's summaries"))
		overrun = bounded(rctx, func() {
			for _, s := range r.Summarizers {
				s(page, &summed)
			}
			// The severity model reads the regions the summarizers set.
			summed.Findings = AdjustSeverities(page, summed.Findings)
		})
		if overrun == nil {
			res = summed
			res.Timings.Since("summarize", sumStart)
		}
	}
	// Thumbnails come last: they are optional, and those the deadline
	// cuts short are left out without failing the page.
	if overrun == nil && open != nil {
		thumbStart := time.Now()
		taken, err := takeThumbnails(rctx, open, res.Findings)
		if le := (*LoadError)(nil); errors.As(err, &le) && rctx.Err() == nil {
			// The page failed under the pictures (its renderer crashed).
			return PageResult{URL: t.Input, Findings: []Finding{}, Skipped: []SkippedRule{}, Error: err.Error(), ErrorCause: string(le.Cause), Retried: page.Retried}
		}
		if taken > 0 {
			res.Timings.Since("thumbnails", thumbStart)
		}
	}
	if overrun != nil {
		if ctx.Err() != nil {
			return interrupted(res)
		}
		what := "the rules"
		if name := running.Load(); name != nil {
			what = *name
		}
		res.Findings, res.Skipped, res.RuleErrors, res.Walks = []Finding{}, []SkippedRule{}, nil, nil
		res.ErrorCause = string(CauseRulesTimeout)
		res.Error = fmt.Sprintf("the rules did not finish within %s (what was left of the page's %s, plus %s): %s did not finish",
			rulesBy.Sub(rulesStart).Round(time.Millisecond), r.pageTimeout(t), r.rulesGrace(), what)
	}
	if !r.Timings {
		res.Timings = nil
	}
	CapText(&res)
	return res
}

// interrupted marks a result as not audited because the run was
// interrupted.
func interrupted(res PageResult) PageResult {
	res.Error = "not audited: the run was interrupted"
	res.ErrorCause = string(CauseInterrupted)
	res.Findings, res.Skipped, res.RuleErrors = []Finding{}, []SkippedRule{}, nil
	return res
}

// pageTimeout returns the time the target's page gets.
func (r *Runner) pageTimeout(t Target) time.Duration {
	switch {
	case t.Timeout > 0:
		return t.Timeout
	case r.Timeout > 0:
		return r.Timeout
	}
	return defaultTimeout
}

func (r *Runner) rulesGrace() time.Duration {
	if r.RulesGrace > 0 {
		return r.RulesGrace
	}
	return DefaultRulesGrace
}

// bounded runs f and waits for it to return or for ctx to end, whichever
// comes first; it returns ctx's error in the second case. A Go function
// cannot be stopped from outside: f, left behind, runs on until it
// returns, so it must write nothing the caller reads after an error, and
// should watch ctx itself to stop soon.
func bounded(ctx context.Context, f func()) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		// Both may be ready at once: a finished f wins.
		select {
		case <-done:
			return nil
		default:
			return ctx.Err()
		}
	}
}

func ptr[T any](v T) *T { return &v }

// takeThumbnails fills in the pictures the rules asked for, one per
// element, at most MaxThumbnails per page, and returns how many it tried.
// A picture that cannot be taken is left out; only a *LoadError (the page
// itself failed) stops it, and is returned.
func takeThumbnails(ctx context.Context, open OpenPage, findings []Finding) (int, error) {
	taken := map[NodeID]string{}
	for i := range findings {
		f := &findings[i]
		if !f.WantThumbnail {
			continue
		}
		uri, done := taken[f.Node]
		if !done {
			if len(taken) >= MaxThumbnails {
				continue
			}
			var err error
			uri, err = open.Thumbnail(ctx, f.Node)
			if le := (*LoadError)(nil); errors.As(err, &le) {
				return len(taken), err
			}
			taken[f.Node] = uri
		}
		f.Thumbnail = uri
	}
	return len(taken), nil
}

// statusOf returns the HTTP status a load error carries, if any.
func statusOf(le *LoadError) int {
	var se *StatusError
	if errors.As(le.Err, &se) {
		return se.Status
	}
	return 0
}

// A StatusError is an HTTP error status on the main document.
type StatusError struct {
	// Status is the HTTP status code.
	Status int
	// Text is the status text, e.g. "Not Found".
	Text string
}

func (e *StatusError) Error() string {
	if e.Text == "" {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("HTTP %d %s", e.Status, e.Text)
}

// CheckPage runs the rules over one snapshot, with no time limit: it is
// CheckPageContext with a context that never ends, for tests and tools
// that trust their pages. It returns the findings in document order with
// selector, snippet, WCAG references and help filled in, the rules skipped
// for lack of a capability, and the rules that failed. A rule that errors
// or panics is recorded; the others still run.
func CheckPage(p *Page, rules []*Rule) ([]Finding, []SkippedRule, []RuleError) {
	r := checkPage(context.Background(), p, rules, nil)
	return r.findings, r.skipped, r.ruleErrs
}

// CheckPageContext is CheckPage under a context: each rule's pass carries
// ctx (see Pass.Context), and once ctx ends no further rule starts. Its
// error is then ctx's, wrapped with the rule that was running, and the
// other results are nil: a page whose rules did not all run has no
// result. CheckPageContext returns when the rules do; to bound a rule
// that does not watch its context, the runner also stops waiting (see
// Runner.RulesGrace).
func CheckPageContext(ctx context.Context, p *Page, rules []*Rule) ([]Finding, []SkippedRule, []RuleError, error) {
	r := checkPage(ctx, p, rules, nil)
	return r.findings, r.skipped, r.ruleErrs, r.err
}

// checkResult is what checkPage returns.
type checkResult struct {
	findings []Finding
	skipped  []SkippedRule
	ruleErrs []RuleError
	// err is set, and the rest nil, when ctx ended before the rules did.
	err error
}

// checkPage is CheckPageContext. When running is not nil, it holds the
// id of the rule running, for a message when the rules overrun.
func checkPage(ctx context.Context, p *Page, rules []*Rule, running *atomic.Pointer[string]) checkResult {
	findings := []Finding{}
	skipped := []SkippedRule{}
	var ruleErrs []RuleError
	for _, rule := range rules {
		if missing := p.Captured.Missing(rule.Needs); missing != 0 {
			skipped = append(skipped, SkippedRule{
				Rule:   rule.ID,
				Reason: fmt.Sprintf("needs %s, which the %s loader did not capture", missing.Describe(), p.Loader),
			})
			continue
		}
		if running != nil {
			running.Store(ptr("rule " + rule.ID))
		}
		if err := ctx.Err(); err != nil {
			return checkResult{err: fmt.Errorf("rules on %s: stopped before rule %s: %w", p.URL, rule.ID, err)}
		}
		pass := &Pass{Page: p, Rule: rule, ctx: ctx}
		err := runCheck(pass)
		if ctxErr := ctx.Err(); ctxErr != nil {
			// A rule that stopped for its context failed no check of its
			// own; nor is a result the rules did not finish worth keeping.
			return checkResult{err: fmt.Errorf("rules on %s: rule %s stopped: %w", p.URL, rule.ID, ctxErr)}
		}
		if err != nil {
			ruleErrs = append(ruleErrs, RuleError{Rule: rule.ID, Error: err.Error()})
			continue
		}
		for _, f := range pass.findings {
			f.Selector = Selector(p, f.Node)
			f.Snippet = Snippet(p, f.Node)
			f.Within = enclosingControl(p, f.Node)
			f.WCAG = rule.WCAG
			if f.WCAG == nil {
				f.WCAG = []string{}
			}
			f.Help = rule.Doc.Fix
			f.HelpURL = rule.HelpURL()
			if f.Image != nil {
				f.Image.CurrentSrc = SiteRelative(p.URL, f.Image.CurrentSrc)
			}
			capFinding(&f)
			findings = append(findings, f)
		}
	}
	if running != nil {
		running.Store(ptr("sorting the findings"))
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
	// Must run after sorting: a fingerprint counts the earlier findings of
	// the same rule and key in document order.
	pagePath := PagePath(p.URL)
	seen := map[string]int{}
	for i := range findings {
		f := &findings[i]
		f.Key = ElementKey(p, f.Node)
		n := seen[f.Rule+"\x00"+f.Key]
		seen[f.Rule+"\x00"+f.Key]++
		f.Fingerprint = Fingerprint(f.Rule, pagePath, f.Key, n)
	}
	return checkResult{findings: findings, skipped: skipped, ruleErrs: ruleErrs}
}

// runCheck runs the rule's check, turning a panic into an error.
func runCheck(pass *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("check %s on %s: panic: %v (at %s)", pass.Rule.ID, pass.Page.URL, v, panicSite())
		}
	}()
	if err := pass.Rule.Check(pass); err != nil {
		return fmt.Errorf("check %s on %s: %w", pass.Rule.ID, pass.Page.URL, err)
	}
	return nil
}

// panicSite returns file:line of the code that panicked, as seen from a
// deferred recover: the first frame after the runtime's panic machinery.
func panicSite() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
		}
		if !more {
			return "unknown"
		}
	}
}

// isWebAddress reports whether an input is an http(s) URL.
func isWebAddress(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// enclosingControl returns the selector of the link or button an image
// sits in, when node is an image inside one, or "".
func enclosingControl(p *Page, node NodeID) string {
	if !p.Valid(node) || !isImageNode(p.Node(node)) {
		return ""
	}
	c := p.ClosestFunc(p.Node(node).Parent, func(_ NodeID, n *Node) bool {
		return n.Is("a") && n.HasAttr("href") || n.Is("button") || n.Role() == "link" || n.Role() == "button"
	})
	if c == NoNode || p.Node(c).Frame != p.Node(node).Frame {
		return ""
	}
	return Selector(p, c)
}
