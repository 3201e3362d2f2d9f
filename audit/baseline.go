package audit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// Baseline states of a finding.
const (
	// BaselineNew marks a finding the baseline does not hold.
	BaselineNew = "new"
	// BaselineKnown marks a finding the baseline holds.
	BaselineKnown = "known"
)

// A Baseline is the set of findings a site already has and has accepted for
// now: only findings outside it fail a gated build.
type Baseline struct {
	// SchemaVersion is the version of the baseline format, 1.
	SchemaVersion int `json:"schema_version"`
	// Tool names the program that wrote it.
	Tool Tool `json:"tool"`
	// Findings are the accepted findings, sorted by page and fingerprint.
	Findings []BaselineEntry `json:"findings"`
}

// A BaselineEntry is one accepted finding.
type BaselineEntry struct {
	// URL is the page as the user gave it.
	URL string `json:"url"`
	// Page is the page's canonical identity, which does not depend on how
	// its path was typed: the URL of a page on the web, the path of a
	// local file within the folder it was served from. Empty in
	// baselines written before it existed, which match by URL alone.
	Page string `json:"page,omitempty"`
	// Fingerprint is the finding's fingerprint.
	Fingerprint string `json:"fingerprint"`
	// Rule is the rule id.
	Rule string `json:"rule"`
	// Key is the element key.
	Key string `json:"key"`
	// Selector is where the finding was.
	Selector string `json:"selector"`
	// Message is what was observed.
	Message string `json:"message"`
	// Outcome is violation or review.
	Outcome Outcome `json:"outcome"`
	// Severity is the finding's severity.
	Severity Severity `json:"severity"`
}

// A BaselineSummary counts a run against its baseline.
type BaselineSummary struct {
	// New counts findings the baseline does not hold.
	New int `json:"new"`
	// Known counts findings it holds.
	Known int `json:"known"`
	// Fixed counts baseline findings no longer found on pages that were
	// audited.
	Fixed int `json:"fixed"`
}

// BaselineFrom makes a baseline of every finding of a report, and of
// every finding the merge step absorbed into another (Finding.Also): the
// defect stays accepted if a later run reports it on its own.
func BaselineFrom(r *Report) *Baseline {
	b := &Baseline{SchemaVersion: 1, Tool: r.Tool, Findings: []BaselineEntry{}}
	for _, p := range r.Pages {
		for _, f := range p.Findings {
			b.Findings = append(b.Findings, BaselineEntry{
				URL: p.URL, Fingerprint: f.Fingerprint, Rule: f.Rule, Key: f.Key,
				Selector: f.Selector, Message: f.Message, Outcome: f.Outcome, Severity: f.Severity,
			})
			for _, a := range f.Also {
				b.Findings = append(b.Findings, BaselineEntry{
					URL: p.URL, Fingerprint: a.Fingerprint, Rule: a.Rule, Key: f.Key,
					Selector: a.Selector, Message: a.Message, Outcome: a.Outcome, Severity: a.Severity,
				})
			}
		}
	}
	slices.SortFunc(b.Findings, func(x, y BaselineEntry) int {
		return cmp.Or(cmp.Compare(x.URL, y.URL), cmp.Compare(x.Fingerprint, y.Fingerprint))
	})
	return b
}

// WriteBaseline writes a baseline as indented JSON.
func WriteBaseline(w io.Writer, b *Baseline) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// ReadBaseline reads a baseline file, or a JSON report used as one.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var raw struct {
		SchemaVersion int             `json:"schema_version"`
		Tool          Tool            `json:"tool"`
		Findings      []BaselineEntry `json:"findings"`
		Pages         []PageResult    `json:"pages"`
	}
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if raw.SchemaVersion != 1 {
		return nil, fmt.Errorf("read baseline: schema_version %d, want 1", raw.SchemaVersion)
	}
	if raw.Pages != nil && raw.Findings == nil {
		return BaselineFrom(&Report{Tool: raw.Tool, Pages: raw.Pages}), nil
	}
	return &Baseline{SchemaVersion: 1, Tool: raw.Tool, Findings: raw.Findings}, nil
}

// SetPages records each entry's canonical page identity, from identity,
// which maps a page's URL as given to its identity; entries whose URL it
// does not hold keep none.
func (b *Baseline) SetPages(identity map[string]string) {
	for i := range b.Findings {
		if id, ok := identity[b.Findings[i].URL]; ok {
			b.Findings[i].Page = id
		}
	}
}

// Rekey aims the baseline at this run's pages, given their URLs as given
// mapped to their canonical identities: an entry whose URL is not one of
// the run's, but whose page identity is exactly one run page's, takes that
// page's URL. So a baseline recorded with "pages/" matches a run given
// "/abs/path/pages", and one recorded from a folder matches a run of one of
// its files. Entries without an identity (older baselines) keep their URL.
func (b *Baseline) Rekey(identity map[string]string) {
	byID := map[string][]string{}
	for u, id := range identity {
		byID[id] = append(byID[id], u)
	}
	for i := range b.Findings {
		e := &b.Findings[i]
		if _, ok := identity[e.URL]; ok || e.Page == "" {
			continue
		}
		if urls := byID[e.Page]; len(urls) == 1 {
			e.URL = urls[0]
		}
	}
}

// ApplyBaseline compares the report's findings with a baseline.
type ApplyBaseline struct {
	// Baseline is the baseline to compare with; nil when none was given.
	Baseline *Baseline
}

var _ Processor = ApplyBaseline{}

// Name returns "baseline".
func (ApplyBaseline) Name() string { return "baseline" }

// Process, with a baseline, marks each finding of the report new or known
// (known when the baseline holds it or one of the findings it absorbed),
// lists on each audited page the baseline findings no longer found there
// (pages that failed to load fix nothing; a finding absorbed into another
// is still found) and sets the report's Baseline to the counts. A baseline
// with findings that match none of the run's pages adds a warning: it was
// likely recorded under other page names, and every finding is new
// against it. Without one, it sets Baseline to the counts of the marks
// and fixed lists the report already carries (results read back from
// files, merged shards), or to nil when there are none.
func (a ApplyBaseline) Process(r *Report) {
	if a.Baseline == nil {
		r.Baseline = countBaseline(r)
		return
	}
	sum := applyBaseline(r, a.Baseline)
	r.Baseline = &sum
}

// applyBaseline marks the findings and lists the fixed ones, and returns
// the counts.
func applyBaseline(r *Report, b *Baseline) BaselineSummary {
	byPage := map[string][]BaselineEntry{}
	for _, e := range b.Findings {
		byPage[e.URL] = append(byPage[e.URL], e)
	}
	var sum BaselineSummary
	matched := false
	for i := range r.Pages {
		p := &r.Pages[i]
		matched = matched || len(byPage[p.URL]) > 0
		known := map[string]bool{}
		for _, e := range byPage[p.URL] {
			known[e.Fingerprint] = true
		}
		found := map[string]bool{}
		for j := range p.Findings {
			f := &p.Findings[j]
			found[f.Fingerprint] = true
			// A finding another absorbed is still found, and the defect
			// is known when the baseline holds either of them.
			isKnown := known[f.Fingerprint]
			for _, a := range f.Also {
				found[a.Fingerprint] = true
				isKnown = isKnown || known[a.Fingerprint]
			}
			if isKnown {
				f.Baseline = BaselineKnown
				sum.Known++
			} else {
				f.Baseline = BaselineNew
				sum.New++
			}
		}
		if p.Failed() {
			continue
		}
		p.Fixed = nil
		for _, e := range byPage[p.URL] {
			if !found[e.Fingerprint] {
				p.Fixed = append(p.Fixed, e)
				sum.Fixed++
			}
		}
	}
	if !matched && len(b.Findings) > 0 && len(r.Pages) > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the baseline matches none of this run's pages: it holds %d finding(s) on %d page(s), such as %s,, recorded under other page names; every finding counts as new. Record it again with --update-baseline", len(b.Findings), len(byPage), b.Findings[0].URL))
	}
	return sum
}

// countBaseline recounts the baseline summary from the marks and fixed
// lists a report already carries, or returns nil when no finding was
// compared with a baseline.
func countBaseline(r *Report) *BaselineSummary {
	var sum BaselineSummary
	marked := false
	for _, p := range r.Pages {
		for _, f := range p.Findings {
			switch f.Baseline {
			case BaselineNew:
				sum.New++
				marked = true
			case BaselineKnown:
				sum.Known++
				marked = true
			}
		}
		sum.Fixed += len(p.Fixed)
		marked = marked || len(p.Fixed) > 0
	}
	if !marked {
		return nil
	}
	return &sum
}
