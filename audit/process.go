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
	// the baseline (nor enters one written from this report). The merge
	// comes after the ignores, so that ignoring one rule's findings does
	// not hide another rule's finding it would have absorbed, and before
	// templates, so that a template defect is listed once. The baseline
	// comes last: it marks what is still reported, absorbed findings
	// included.
	return []Processor{
		DropUnfinished{},
		AddResumed{Pages: o.Resumed},
		SortPages{},
		ApplyIgnores{Ignores: o.Ignores, Today: o.Today},
		MergeFindings{},
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

// MergeFindings reports each defect once: when several rules describe one
// defect on one element, the finding of the most specific rule absorbs the
// others, which it carries as evidence (Finding.Also). What absorbs what
// is data, not code: each rule's Subsumes, as the report's rule list
// carries it, closed under transitivity. A finding absorbs another when
// its rule subsumes the other's and
//
//   - both are on the same element (the same selector), or the other is
//     about an image inside the link or button this one is about
//     (Finding.Within), or this one is about the whole page (a root cause,
//     whose consequences anywhere on the page it absorbs);
//   - this one is a violation, or the other is a review too: a review
//     never hides a violation.
//
// Each absorbed finding goes to the one finding that absorbs it and that
// nothing absorbs in turn. The merged finding keeps its own rule,
// message, fingerprint and base severity; its severity becomes the worst
// of its own and that of the absorbed findings with its outcome (merging
// removes repetition, never severity), with a reason when that raises it.
// The step is idempotent: a report read back from a file merges no
// further.
type MergeFindings struct{}

var _ Processor = MergeFindings{}

// Name returns "merge".
func (MergeFindings) Name() string { return "merge" }

// Process merges the findings of each page of the report.
func (MergeFindings) Process(r *Report) {
	subsumes := subsumption(r.Rules)
	if len(subsumes) == 0 {
		return
	}
	for i := range r.Pages {
		r.Pages[i].Findings = mergePage(r.Pages[i].Findings, subsumes)
	}
}

// subsumption returns, for each rule, the set of rules it subsumes,
// directly or through others.
func subsumption(rules []RuleInfo) map[string]map[string]bool {
	direct := map[string][]string{}
	for _, ri := range rules {
		if len(ri.Subsumes) > 0 {
			direct[ri.ID] = ri.Subsumes
		}
	}
	closure := map[string]map[string]bool{}
	for id := range direct {
		set := map[string]bool{}
		stack := slices.Clone(direct[id])
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if set[n] || n == id {
				continue
			}
			set[n] = true
			stack = append(stack, direct[n]...)
		}
		closure[id] = set
	}
	return closure
}

// absorbs reports whether finding a absorbs finding b, as MergeFindings
// says.
func absorbs(a, b *Finding, subsumes map[string]map[string]bool) bool {
	if !subsumes[a.Rule][b.Rule] {
		return false
	}
	if a.Outcome != Violation && b.Outcome == Violation {
		return false
	}
	return a.Selector == b.Selector || (b.Within != "" && a.Selector == b.Within) || a.Key == pageKey
}

// pageKey is the element key of findings about the page as a whole.
const pageKey = "page"

// mergePage merges one page's findings, keeping the order of those that
// remain.
func mergePage(findings []Finding, subsumes map[string]map[string]bool) []Finding {
	into := make([]int, len(findings))
	merged := false
	for j := range findings {
		into[j] = -1
		b := &findings[j]
		// The absorbing candidates; the one to keep is a candidate that no
		// other candidate absorbs.
		var cands []int
		for i := range findings {
			if i != j && absorbs(&findings[i], b, subsumes) {
				cands = append(cands, i)
			}
		}
		for _, i := range cands {
			top := !slices.ContainsFunc(cands, func(k int) bool { return k != i && absorbs(&findings[k], &findings[i], subsumes) })
			if top {
				into[j] = i
				merged = true
				break
			}
		}
	}
	if !merged {
		return findings
	}
	out := make([]Finding, 0, len(findings))
	at := map[int]int{} // index in findings → index in out
	for i := range findings {
		if into[i] < 0 {
			at[i] = len(out)
			out = append(out, findings[i])
		}
	}
	for j, i := range into {
		if i < 0 {
			continue
		}
		a, b := &out[at[i]], &findings[j]
		a.Also = append(a.Also, RelatedFinding{
			Rule: b.Rule, Outcome: b.Outcome, Severity: b.Severity,
			Selector: b.Selector, Message: b.Message, Fingerprint: b.Fingerprint,
		})
		a.Also = append(a.Also, b.Also...)
		if b.Outcome == a.Outcome && b.Severity > a.Severity {
			a.Severity = b.Severity
			a.SeverityReasons = append(slices.Clone(b.SeverityReasons), "as severe as the "+b.Rule+" finding it absorbs")
		}
		if a.WantThumbnail || a.Thumbnail != "" || b.Thumbnail == "" {
			continue
		}
		a.Thumbnail = b.Thumbnail
	}
	return out
}
