package audit

import "fmt"

// SchemaVersion is the version of the JSON report contract.
const SchemaVersion = 1

// A Report is the result of one run over one or more pages.
type Report struct {
	// SchemaVersion is the version of the JSON contract, SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Tool names the program that wrote the report.
	Tool Tool `json:"tool"`
	// Pages holds one result per target, in the order the targets were
	// given.
	Pages []PageResult `json:"pages"`
	// Rules describes every rule that ran, so that reports can explain
	// findings without the rule code.
	Rules []RuleInfo `json:"rules"`
	// Templates lists the findings in the page template that repeat across
	// pages, each once.
	Templates []TemplateFinding `json:"template_findings,omitempty"`
	// Baseline counts the findings against the baseline, when one was
	// given.
	Baseline *BaselineSummary `json:"baseline,omitempty"`
	// Verdict is the run's outcome with its exit status; nil in a report
	// no command finished (a stream being merged, say).
	Verdict *Verdict `json:"verdict,omitempty"`
	// Warnings are notes on the run itself: expired or unused ignores, for
	// instance.
	Warnings []string `json:"warnings,omitempty"`
	// Shard says which shard of a sharded run this report is, and where
	// that came from; nil for a run that was not sharded, and for merged
	// shards.
	Shard *Shard `json:"shard,omitempty"`
}

// A Shard is one part of a run split over several machines (--shard): the
// pages whose URL hashes to it. Each page a shard audits carries it, so
// that the results of the shards, merged, can tell a missing or
// unfinished shard from one that had few pages.
type Shard struct {
	// Index is the shard's number, from 1 to Count.
	Index int `json:"index"`
	// Count is how many shards the run was split into.
	Count int `json:"count"`
	// Source says where the shard came from: "flag" (--shard I/N, or
	// NEWSA11Y_SHARD), "kubernetes" (an Indexed Job's
	// JOB_COMPLETION_INDEX) or "gitlab" (a parallel job's CI_NODE_INDEX
	// and CI_NODE_TOTAL).
	Source string `json:"source"`
	// From names the inputs it was read from, with their values, e.g.
	// "JOB_COMPLETION_INDEX=2, NEWSA11Y_SHARD_COUNT=4".
	From string `json:"from"`
	// Pages is how many of the run's pages fell to this shard.
	Pages int `json:"pages"`
	// RunPages is how many pages the whole run has, all shards together,
	// as this shard read its inputs.
	RunPages int `json:"run_pages"`
}

// Tool names the program that wrote a report.
type Tool struct {
	// Name is "newsa11y".
	Name string `json:"name"`
	// Version is the program's version.
	Version string `json:"version"`
}

// A PageResult is what one page yielded: findings, or the error that kept it
// from being audited.
type PageResult struct {
	// URL is the target as the user gave it.
	URL string `json:"url"`
	// Index is the page's position in the run's input list.
	Index int `json:"index"`
	// FinalURL is the address of the document after redirects.
	FinalURL string `json:"final_url"`
	// Status is the HTTP status of the main document, 0 when unknown.
	Status int `json:"status"`
	// Error is empty unless the page failed to load; a failed page is never
	// a pass.
	Error string `json:"error"`
	// ErrorCause classifies Error: timeout, http-status, not-html, network,
	// tls, crash, browser, input, interrupted, tab-timeout, scheme or setup (see
	// LoadCause), or rules-timeout when the page loaded but its rules
	// overran. Empty when the page was audited.
	ErrorCause string `json:"error_cause,omitempty"`
	// Title is the document title.
	Title string `json:"title"`
	// Site names the site the page belongs to (see SiteKey); template
	// findings are grouped by it. Empty for a page that failed to load.
	Site string `json:"site,omitempty"`
	// Findings are the problems found, in document order.
	Findings []Finding `json:"findings"`
	// Skipped lists the rules that could not run on this page and why.
	Skipped []SkippedRule `json:"skipped_rules"`
	// RuleErrors lists rules that failed or panicked on this page.
	RuleErrors []RuleError `json:"rule_errors,omitempty"`
	// Fixed lists the baseline's findings for this page that were not
	// found again.
	Fixed []BaselineEntry `json:"fixed,omitempty"`
	// Ignored counts the findings that configured ignores removed.
	Ignored int `json:"ignored,omitempty"`
	// Retries lists the errors of earlier attempts at the page, when a
	// transient failure made the runner try again.
	Retries []string `json:"retries,omitempty"`
	// Retried lists the browsers of a pool (several --remote-browser
	// endpoints) that died while loading the page, each with why; the page
	// was then loaded again on another. Such moves do not count against
	// Retries' budget.
	Retried []EndpointRetry `json:"retried,omitempty"`
	// Outline is the page's heading outline, for reports; empty when the
	// page has no heading or failed.
	Outline []OutlineEntry `json:"outline,omitempty"`
	// Walks are the page's keyboard walks as reports show them, one per
	// viewport.
	Walks []WalkSummary `json:"keyboard_walks,omitempty"`
	// Hidden lists what --hide-elements removed before the capture.
	Hidden []HiddenSelector `json:"hidden_elements,omitempty"`
	// Consent is the consent dialog the page opened with and what was
	// done with it (see --consent); nil when there was none.
	Consent *ConsentDialog `json:"consent_dialog,omitempty"`
	// Transcript is the start of the page as a screen reader speaks it,
	// for reports; nil when the page failed.
	Transcript *Transcript `json:"transcript,omitempty"`
	// Timings says where the page's time went, step by step; only with
	// --timings, since it changes from run to run.
	Timings Timings `json:"timings,omitempty"`
	// Shard is the shard of a sharded run that audited the page; nil
	// when the run was not sharded, and in merged results.
	Shard *Shard `json:"shard,omitempty"`
}

// An EndpointRetry is one try of a page that a browser of a pool lost:
// the browser at Endpoint died, or stopped answering, while the page
// loaded there, and the page moved to another browser of the pool.
type EndpointRetry struct {
	// Endpoint is the browser's DevTools address, as --remote-browser gave
	// it.
	Endpoint string `json:"endpoint"`
	// Error says how the browser was found dead.
	Error string `json:"error"`
}

// Failed reports whether the page could not be audited.
func (r *PageResult) Failed() bool { return r.Error != "" }

// SiteKey returns the site the page belongs to: Site, or for a result
// written before results recorded it, what SiteKey makes of its URL.
func (r *PageResult) SiteKey() string {
	if r.Site != "" {
		return r.Site
	}
	return SiteKey(r.URL, nil)
}

// A SkippedRule is a rule that did not run on a page.
type SkippedRule struct {
	// Rule is the rule id.
	Rule string `json:"rule"`
	// Reason says what the page's snapshot lacked.
	Reason string `json:"reason"`
}

// A RuleError records a rule that returned an error or panicked on a page.
// The page's other rules still ran.
type RuleError struct {
	// Rule is the rule id.
	Rule string `json:"rule"`
	// Error is the error text, with the panic value for a panic.
	Error string `json:"error"`
}

// RuleInfo is the metadata of a rule as reports need it.
type RuleInfo struct {
	// ID is the rule id.
	ID string `json:"id"`
	// Title states the requirement.
	Title string `json:"title"`
	// Summary says what the rule checks and why.
	Summary string `json:"summary"`
	// Help says how to fix a finding.
	Help string `json:"help"`
	// HelpURL points to the rule's documentation.
	HelpURL string `json:"help_url"`
	// Severity is the rule's default severity.
	Severity Severity `json:"severity"`
	// WCAG lists the success criteria.
	WCAG []string `json:"wcag"`
	// Tags classify the rule.
	Tags []string `json:"tags"`
	// Subsumes names the rules whose findings this rule's absorb on the
	// same element (see Rule.Subsumes); the merge step reads it here, so
	// that results read back from files merge as a live run's do.
	Subsumes []string `json:"subsumes,omitempty"`
}

// InfoOf returns the report metadata of a rule.
func InfoOf(r *Rule) RuleInfo {
	wcag := r.WCAG
	if wcag == nil {
		wcag = []string{}
	}
	return RuleInfo{
		ID: r.ID, Title: r.Title, Summary: r.Doc.Summary, Help: r.Doc.Fix,
		HelpURL: r.HelpURL(), Severity: r.Severity, WCAG: wcag, Tags: r.Tags,
		Subsumes: r.Subsumes,
	}
}

// A Verdict is the run's outcome as its exit status gives it, in words,
// so that every report states why a build failed or passed.
type Verdict struct {
	// Exit is the exit status: 0 passed, 1 the tool could not do its
	// whole job, 2 findings reached the gate, 130 interrupted.
	Exit int `json:"exit"`
	// Reason says why, e.g. "3 new violations at serious or worse".
	Reason string `json:"reason"`
	// Partial is true when the run was interrupted, so the report holds
	// only the pages finished before it stopped.
	Partial bool `json:"partial,omitempty"`
}

// Line states the verdict in one line: "failed (exit 2): …",
// "passed: …", "incomplete (exit 130): …".
func (v *Verdict) Line() string {
	switch {
	case v.Partial:
		return fmt.Sprintf("incomplete (exit %d): %s", v.Exit, v.Reason)
	case v.Exit == 0:
		return "passed: " + v.Reason
	}
	return fmt.Sprintf("failed (exit %d): %s", v.Exit, v.Reason)
}
