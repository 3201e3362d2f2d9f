package audit

import (
	"slices"
	"time"
)

// A Processor is one step of the post-processing chain: what is done to a
// report after the rules ran and before it is written.
type Processor interface {
	// Name names the step in a word, e.g. "ignores".
	Name() string
	// Process changes the report in place.
	Process(r *Report)
}

// ProcessOptions are what the post-processing steps need from the run.
// The zero value makes every step that needs one of them do nothing.
type ProcessOptions struct {
	// Resumed are the pages an interrupted run had finished, which this
	// run resumed and did not audit again.
	Resumed []PageResult
	// Ignores are the configured ignores.
	Ignores []Ignore
	// Today is the date ignores expire against.
	Today time.Time
	// Baseline is the baseline to compare with; nil when none was given.
	Baseline *Baseline
}

// Processors returns the post-processing chain, in the order the steps
// must run.
func Processors(o ProcessOptions) []Processor {
	// The order matters. Pages the run did not finish leave and the pages
	// of the run it resumed join first, so that every later step sees the
	// pages the reports will hold; they are then put in input order, which
	// template findings follow when they list pages and pick the first.
	// Ignores run before templates and the baseline, so that an accepted
	// finding neither counts as a template finding nor is compared with
	// the baseline (nor enters one written from this report). The
	// baseline comes last: it marks what is still reported.
	return []Processor{
		DropUnfinished{},
		AddResumed{Pages: o.Resumed},
		SortPages{},
		ApplyIgnores{Ignores: o.Ignores, Today: o.Today},
		FindTemplates{},
		ApplyBaseline{Baseline: o.Baseline},
	}
}

// Process applies the steps to the report, in order.
func Process(r *Report, steps []Processor) {
	for _, s := range steps {
		s.Process(r)
	}
}

// DropUnfinished removes the pages the run was interrupted before
// finishing: reports hold what is done.
type DropUnfinished struct{}

var _ Processor = DropUnfinished{}

// Name returns "unfinished".
func (DropUnfinished) Name() string { return "unfinished" }

// Process removes the pages whose cause is an interruption.
func (DropUnfinished) Process(r *Report) {
	r.Pages = slices.DeleteFunc(r.Pages, func(p PageResult) bool { return p.ErrorCause == string(CauseInterrupted) })
}

// AddResumed adds the pages an interrupted run had finished, when this run
// resumed it.
type AddResumed struct {
	// Pages are the finished pages, as the interrupted run's stream holds
	// them.
	Pages []PageResult
}

var _ Processor = AddResumed{}

// Name returns "resumed".
func (AddResumed) Name() string { return "resumed" }

// Process appends the pages to the report's.
func (a AddResumed) Process(r *Report) { r.Pages = append(r.Pages, a.Pages...) }

// SortPages orders the pages by their position in the run's input list,
// keeping the order of pages at the same position.
type SortPages struct{}

var _ Processor = SortPages{}

// Name returns "order".
func (SortPages) Name() string { return "order" }

// Process sorts the report's pages by Index.
func (SortPages) Process(r *Report) {
	slices.SortStableFunc(r.Pages, func(a, b PageResult) int { return a.Index - b.Index })
}
