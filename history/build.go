package history

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// ErrNoRuns: the store holds no run (or none since --since, or none of
// the site asked for). Example: history run on a store no audit has
// written to yet. Discussion: an empty history is an error, not an empty
// report, so a misspelt store path or site fails loudly.
var ErrNoRuns = errors.New("no runs")

// An UnknownRunError names a run asked for with --from or --to that the
// store does not hold.
type UnknownRunError struct {
	// ID is the run id asked for.
	ID string
}

// Error names the run.
func (e *UnknownRunError) Error() string { return fmt.Sprintf("unknown run %q", e.ID) }

// ErrFromAfterTo: --from names a run that started after the run --to
// names. Example: history --from night-3 --to night-1. Discussion: the
// diff would run backwards, calling fixed findings new; it is refused
// rather than silently reversed.
var ErrFromAfterTo = errors.New("--from names a later run than --to")

// Build makes the history of the runs that opts select. It fails with
// ErrNoRuns when none remains, with an *UnknownRunError when From or To
// names no run, and with ErrFromAfterTo when From started after To.
func Build(runs []RunRecord, opts Options) (*Report, error) {
	for _, id := range []string{opts.From, opts.To} {
		if id != "" && !slices.ContainsFunc(runs, func(r RunRecord) bool { return r.ID == id }) {
			return nil, &UnknownRunError{ID: id}
		}
	}
	runs = slices.Clone(runs)
	slices.SortFunc(runs, func(a, b RunRecord) int {
		return cmp.Or(a.Started.Compare(b.Started), cmp.Compare(a.ID, b.ID))
	})
	if opts.From != "" && opts.To != "" {
		fi := slices.IndexFunc(runs, func(r RunRecord) bool { return r.ID == opts.From })
		ti := slices.IndexFunc(runs, func(r RunRecord) bool { return r.ID == opts.To })
		if fi > ti {
			return nil, fmt.Errorf("%w: run %s started %s, after run %s (%s); swap them to see what changed from the earlier to the later",
				ErrFromAfterTo, opts.From, runs[fi].Started.UTC().Format(time.RFC3339), opts.To, runs[ti].Started.UTC().Format(time.RFC3339))
		}
	}
	// known maps each page the store has audited to the site its audit
	// found, for the pages that failed to load, whose site only their
	// address names (and a page served from loopback claims another).
	known := map[string]string{}
	for _, r := range runs {
		for _, p := range r.Pages {
			if p.Site != "" && !p.Failed {
				known[pageID(p)] = p.Site
			}
		}
	}
	// sites maps each site to its pages in each run, runs in order.
	sites := map[string][]sitePages{}
	for _, r := range runs {
		if !opts.Since.IsZero() && r.Started.Before(opts.Since) && r.ID != opts.From && r.ID != opts.To {
			continue
		}
		bySite := map[string][]PageRecord{}
		for _, p := range r.Pages {
			// A failed page belongs to the site another run found it on,
			// else to the one its address names.
			site := cmp.Or(p.Site, audit.SiteKey(p.URL, nil))
			if p.Failed {
				site = cmp.Or(known[pageID(p)], site)
			}
			if opts.Site != "" && site != opts.Site {
				continue
			}
			bySite[site] = append(bySite[site], p)
		}
		for site, pages := range bySite {
			sites[site] = append(sites[site], sitePages{run: r, pages: pages})
		}
	}
	if len(sites) == 0 {
		switch {
		case opts.Site != "" && !opts.Since.IsZero():
			return nil, fmt.Errorf("%w of site %q since %s", ErrNoRuns, opts.Site, opts.Since.UTC().Format(time.RFC3339))
		case opts.Site != "":
			return nil, fmt.Errorf("%w of site %q", ErrNoRuns, opts.Site)
		case !opts.Since.IsZero():
			return nil, fmt.Errorf("%w since %s", ErrNoRuns, opts.Since.UTC().Format(time.RFC3339))
		}
		return nil, ErrNoRuns
	}
	rep := &Report{SchemaVersion: SchemaVersion, Tool: opts.Tool, Sites: []Site{}, Rules: []RuleTitle{}}
	if !opts.Since.IsZero() {
		t := opts.Since.UTC()
		rep.Since = &t
	}
	names := make([]string, 0, len(sites))
	for s := range sites {
		names = append(names, s)
	}
	slices.Sort(names)
	seen := map[string]bool{}
	for _, name := range names {
		s := buildSite(name, sites[name], opts)
		for _, t := range s.Rules {
			seen[t.Rule] = true
		}
		if s.Diff != nil {
			for _, list := range [][]Change{s.Diff.New, s.Diff.Fixed, s.Diff.Persisting} {
				for _, c := range list {
					seen[c.Rule] = true
				}
			}
		}
		rep.Sites = append(rep.Sites, s)
	}
	for id := range seen {
		rep.Rules = append(rep.Rules, RuleTitle{ID: id, Title: opts.Rules[id].Title})
	}
	slices.SortFunc(rep.Rules, func(a, b RuleTitle) int { return cmp.Compare(a.ID, b.ID) })
	return rep, nil
}

// sitePages are one run's pages of one site.
type sitePages struct {
	run   RunRecord
	pages []PageRecord
}

// buildSite makes one site's history from its runs, oldest first.
func buildSite(name string, runs []sitePages, opts Options) Site {
	s := Site{Site: name, Runs: []RunSummary{}, Rules: []RuleTrend{}, Sections: []SectionTrend{}}
	rules := map[string]*RuleTrend{}
	sections := map[string]*SectionTrend{}
	sectionRules := map[string]map[string]*RuleTrend{}
	n := len(runs)
	for i, r := range runs {
		sum := RunSummary{ID: r.run.ID, Started: r.run.Started.UTC(), Status: cmp.Or(r.run.Status, "done"), Pages: len(r.pages)}
		template := map[string]bool{}
		for _, p := range r.pages {
			sec := SectionOf(pageID(p))
			st := sections[sec]
			if st == nil {
				st = &SectionTrend{Section: sec, Audited: make([]int, n), Violations: make([]int, n)}
				sections[sec] = st
				sectionRules[sec] = map[string]*RuleTrend{}
			}
			if p.Failed {
				sum.Failed++
				continue
			}
			st.Audited[i]++
			onPage := map[string]bool{}
			for _, f := range p.Findings {
				if f.Outcome != audit.Violation {
					sum.Reviews++
					continue
				}
				sum.Violations++
				sum.BySeverity.add(f.Severity)
				sum.ByRegion.add(f.Region)
				if f.Region == "template" {
					template[f.Rule+"\x00"+cmp.Or(f.Key, f.Selector)] = true
				}
				count(rules, f.Rule, n, i, !onPage[f.Rule])
				count(sectionRules[sec], f.Rule, n, i, !onPage[f.Rule])
				onPage[f.Rule] = true
				st.Violations[i]++
				st.Total++
			}
		}
		sum.TemplateProblems = len(template)
		s.Runs = append(s.Runs, sum)
	}
	for _, t := range rules {
		s.Rules = append(s.Rules, *t)
	}
	sortTrends(s.Rules)
	for sec, st := range sections {
		if st.Total == 0 {
			continue
		}
		for _, t := range sectionRules[sec] {
			st.Rules = append(st.Rules, *t)
		}
		sortTrends(st.Rules)
		s.Sections = append(s.Sections, *st)
	}
	slices.SortFunc(s.Sections, func(a, b SectionTrend) int {
		return cmp.Or(-cmp.Compare(last(a.Violations), last(b.Violations)), -cmp.Compare(a.Total, b.Total), cmp.Compare(a.Section, b.Section))
	})
	from, to := pickPair(runs, opts, &s)
	if from != nil && to != nil {
		s.Diff = diff(from, to)
	}
	return s
}

// count adds a violation of rule in run i to trends, and the page when
// it is the rule's first violation on it.
func count(trends map[string]*RuleTrend, rule string, n, i int, firstOnPage bool) {
	t := trends[rule]
	if t == nil {
		t = &RuleTrend{Rule: rule, Violations: make([]int, n), Pages: make([]int, n)}
		trends[rule] = t
	}
	t.Violations[i]++
	t.Total++
	if firstOnPage {
		t.Pages[i]++
	}
}

// sortTrends orders rule trends worst first: most violations in the last
// run, then most over all runs, then by id.
func sortTrends(ts []RuleTrend) {
	slices.SortFunc(ts, func(a, b RuleTrend) int {
		return cmp.Or(-cmp.Compare(last(a.Violations), last(b.Violations)), -cmp.Compare(a.Total, b.Total), cmp.Compare(a.Rule, b.Rule))
	})
}

// last returns the last element of xs, or 0.
func last(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

// pickPair chooses the two runs to compare: opts.From and opts.To when
// given; without To, the site's last finished run; without From, the
// first finished run since opts.Since when it is set, else the finished
// run before To. A run still writing (or killed) or interrupted
// is compared only when asked for by id, or when there are not two
// finished ones. A run asked for that did not audit the site leaves no
// pair, with a note.
func pickPair(runs []sitePages, opts Options, s *Site) (from, to *sitePages) {
	index := func(id string) int {
		return slices.IndexFunc(runs, func(r sitePages) bool { return r.run.ID == id })
	}
	done := func(i int) bool { return runs[i].run.Status == "" || runs[i].run.Status == "done" }
	// before returns the finished run before i, else the run before it.
	before := func(i int) int {
		for j := i - 1; j >= 0; j-- {
			if done(j) {
				return j
			}
		}
		return i - 1
	}
	ti := len(runs) - 1
	if opts.To != "" {
		if ti = index(opts.To); ti < 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("run %s did not audit this site: nothing to compare", opts.To))
			return nil, nil
		}
	} else {
		var finished []int
		for i := range runs {
			if done(i) {
				finished = append(finished, i)
			}
		}
		if len(finished) >= 2 || len(finished) == 1 && opts.From != "" {
			ti = finished[len(finished)-1]
		}
	}
	fi := before(ti)
	if opts.From == "" && !opts.Since.IsZero() {
		// Since a date: from the first finished run since then.
		fi = slices.IndexFunc(runs, func(r sitePages) bool { return r.run.Status == "" || r.run.Status == "done" })
		if fi < 0 || fi >= ti {
			fi = before(ti)
		}
	}
	if opts.From != "" {
		if fi = index(opts.From); fi < 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("run %s did not audit this site: nothing to compare", opts.From))
			return nil, nil
		}
	}
	switch {
	case len(runs) < 2:
		s.Notes = append(s.Notes, "only one run audited this site: nothing to compare yet")
		return nil, nil
	case fi < 0:
		s.Notes = append(s.Notes, fmt.Sprintf("no run of this site before run %s: nothing to compare", runs[ti].run.ID))
		return nil, nil
	case fi == ti:
		s.Notes = append(s.Notes, fmt.Sprintf("run %s compared with itself: nothing to compare", runs[ti].run.ID))
		return nil, nil
	case fi > ti:
		s.Notes = append(s.Notes, fmt.Sprintf("run %s started after run %s: nothing to compare (give --to a later run)", runs[fi].run.ID, runs[ti].run.ID))
		return nil, nil
	}
	return &runs[fi], &runs[ti]
}

// diff compares two runs of one site page by page.
func diff(from, to *sitePages) *Diff {
	d := &Diff{
		From: from.run.ID, FromStarted: from.run.Started.UTC(),
		To: to.run.ID, ToStarted: to.run.Started.UTC(),
		New: []Change{}, Fixed: []Change{}, Persisting: []Change{},
	}
	// before maps each page From audited to its findings' fingerprints,
	// those merged into them included: a finding absorbed into another
	// in one run and standing alone in the next is the same defect.
	before := map[string]map[string]bool{}
	for _, p := range from.pages {
		if !p.Failed {
			before[pageID(p)] = fingerprints(p)
		}
	}
	audited := map[string]map[string]bool{}
	for _, p := range to.pages {
		if p.Failed {
			continue
		}
		id := pageID(p)
		audited[id] = fingerprints(p)
		for _, f := range p.Findings {
			c := change(id, f)
			known := before[id][f.Fingerprint]
			for _, a := range f.Also {
				known = known || before[id][a]
			}
			if known {
				d.Persisting = append(d.Persisting, c)
			} else {
				d.New = append(d.New, c)
			}
		}
	}
	for _, p := range from.pages {
		if p.Failed {
			continue
		}
		id := pageID(p)
		found, ok := audited[id]
		if !ok {
			d.UncheckedPages++
			d.Unchecked += len(p.Findings)
			continue
		}
		for _, f := range p.Findings {
			// Fixed when neither it nor a finding merged into it remains.
			remains := found[f.Fingerprint]
			for _, a := range f.Also {
				remains = remains || found[a]
			}
			if !remains {
				d.Fixed = append(d.Fixed, change(id, f))
			}
		}
	}
	for _, list := range [][]Change{d.New, d.Fixed, d.Persisting} {
		sortChanges(list)
	}
	return d
}

// fingerprints returns the set of a page's finding fingerprints and of
// the findings merged into them.
func fingerprints(p PageRecord) map[string]bool {
	m := make(map[string]bool, len(p.Findings))
	for _, f := range p.Findings {
		m[f.Fingerprint] = true
		for _, a := range f.Also {
			m[a] = true
		}
	}
	return m
}

// change makes the Change of a finding on a page.
func change(page string, f FindingRecord) Change {
	return Change{
		Page: page, Section: SectionOf(page), Rule: f.Rule, Outcome: f.Outcome, Severity: f.Severity,
		Region: f.Region, Selector: f.Selector, Message: f.Message, Fingerprint: f.Fingerprint,
	}
}

// sortChanges orders changes violations first, worst severity first, then
// by rule, page, selector and fingerprint.
func sortChanges(cs []Change) {
	slices.SortFunc(cs, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(outcomeRank(a.Outcome), outcomeRank(b.Outcome)),
			-cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Page, b.Page),
			cmp.Compare(a.Selector, b.Selector), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
}

// outcomeRank puts violations before reviews.
func outcomeRank(o audit.Outcome) int {
	if o == audit.Violation {
		return 0
	}
	return 1
}

// pageID returns a page's canonical identity, or its URL when the store
// did not record one.
func pageID(p PageRecord) string { return cmp.Or(p.Page, p.URL) }

// SectionOf returns the section of a page, given its canonical identity
// or URL: the first segment of its path with slashes around it
// ("/world/" for https://news.example/world/2026/story.html and for the
// local file world/story.html), or "/" for a page at the top of the site.
func SectionOf(page string) string {
	p := page
	if u, err := url.Parse(page); err == nil && u.Scheme != "" && u.Host != "" {
		p = u.Path
	}
	p = strings.TrimLeft(strings.ReplaceAll(p, `\`, "/"), "/")
	first, _, more := strings.Cut(p, "/")
	if !more || first == "" || first == "." || first == ".." {
		return "/"
	}
	return "/" + first + "/"
}
