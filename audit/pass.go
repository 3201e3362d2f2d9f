package audit

import (
	"context"
	"fmt"
)

// A Pass is one rule's run over one page. The rule reads the page and
// reports findings through the pass.
type Pass struct {
	// Page is the snapshot under audit.
	Page *Page
	// Rule is the rule being run.
	Rule *Rule

	ctx      context.Context
	findings []Finding
}

// Context returns the context the rule runs under: it ends when the
// page's time for rules is spent or the run is interrupted. Rules that
// loop over every element of a page check it as they go (see Err).
func (ps *Pass) Context() context.Context {
	if ps.ctx == nil {
		return context.Background()
	}
	return ps.ctx
}

// Err returns the pass's context's error: nil while the rule may go on,
// and an error once it should stop and return that error. It is an
// atomic load, cheap enough to call on every element of a loop over the
// page. A rule that stops early loses nothing: its page then fails with
// cause rules-timeout, or is interrupted.
func (ps *Pass) Err() error { return ps.Context().Err() }

// A ReportOption changes a finding as it is reported.
type ReportOption func(*Finding)

// AsReview marks the finding as needing human review rather than a definite
// violation.
func AsReview() ReportOption { return func(f *Finding) { f.Outcome = Review } }

// WithSeverity overrides the rule's default severity for this finding.
func WithSeverity(s Severity) ReportOption { return func(f *Finding) { f.Severity = s } }

// WithThumbnail asks for a small picture of the element, as the page
// rendered it, to show beside the finding (a flagged photo, say). Loaders
// that keep the page open take it after the rules ran.
func WithThumbnail() ReportOption { return func(f *Finding) { f.WantThumbnail = true } }

// WithImage attaches a photo's evidence (alt text, caption, credit, match,
// load state) to the finding.
func WithImage(ev *ImageEvidence) ReportOption { return func(f *Finding) { f.Image = ev } }

// Report reports a finding at node n with the message msg. The message is
// lower case, has no trailing period and quotes the evidence.
func (ps *Pass) Report(n NodeID, msg string, opts ...ReportOption) {
	f := Finding{
		Rule:     ps.Rule.ID,
		Outcome:  Violation,
		Severity: ps.Rule.Severity,
		Message:  msg,
		Node:     n,
	}
	for _, o := range opts {
		o(&f)
	}
	ps.findings = append(ps.findings, f)
}

// Reportf reports a violation at node n with a formatted message.
func (ps *Pass) Reportf(n NodeID, format string, args ...any) {
	ps.Report(n, fmt.Sprintf(format, args...))
}

// ReportPage reports a finding about the page as a whole; it is located at
// the html element.
func (ps *Pass) ReportPage(msg string, opts ...ReportOption) {
	n := ps.Page.DocumentElement()
	if n == NoNode {
		n = 0
	}
	ps.Report(n, msg, opts...)
}

// Findings returns what the pass reported so far.
func (ps *Pass) Findings() []Finding { return ps.findings }
