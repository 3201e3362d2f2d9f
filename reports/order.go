package reports

import (
	"cmp"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// The human formats (text, HTML, Markdown) show what matters first. A
// finding's importance is, in order: violations before reviews; under a
// baseline, new findings before known ones; the story before the page as
// a whole, and both before the site template (the story is what an
// editor fixes, and a template defect is listed once for the site); then
// higher severity first. Ties keep the order the rules reported them in,
// so the same report always reads the same way.

// compareImportance orders two findings of one page, most important
// first.
func compareImportance(a, b *audit.Finding) int {
	return cmp.Or(
		cmp.Compare(outcomeRank(a), outcomeRank(b)),
		cmp.Compare(baselineRank(a), baselineRank(b)),
		cmp.Compare(regionRank(a.Region), regionRank(b.Region)),
		cmp.Compare(b.Severity, a.Severity),
	)
}

func outcomeRank(f *audit.Finding) int {
	if f.Outcome == audit.Violation {
		return 0
	}
	return 1
}

func baselineRank(f *audit.Finding) int {
	if f.Baseline == audit.BaselineKnown {
		return 1
	}
	return 0
}

func regionRank(region string) int {
	switch region {
	case "story":
		return 0
	case "page", "":
		return 1
	}
	return 2
}

// byImportance returns a copy of a page's findings, most important first.
func byImportance(fs []audit.Finding) []audit.Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b audit.Finding) int { return compareImportance(&a, &b) })
	return out
}

// A findingGroup is one finding standing for the identical findings of a
// page: the same rule, outcome and element key (the same image file, the
// same link target), as repeated ad images or teaser thumbnails give.
type findingGroup struct {
	// First is the most important of the group.
	First audit.Finding
	// Count is how many findings the group holds, at least 1.
	Count int
}

// collapse groups identical findings, keeping the order of fs, which
// should already be by importance. Findings with no element key (the
// page itself) are never grouped.
func collapse(fs []audit.Finding) []findingGroup {
	var out []findingGroup
	at := map[string]int{}
	for _, f := range fs {
		k := collapseKey(&f)
		if k == "" {
			out = append(out, findingGroup{First: f, Count: 1})
			continue
		}
		if i, ok := at[k]; ok {
			out[i].Count++
			continue
		}
		at[k] = len(out)
		out = append(out, findingGroup{First: f, Count: 1})
	}
	return out
}

// collapseKey is what identical findings share, "" for a finding that
// is never grouped (one about the page itself, or with no element key).
func collapseKey(f *audit.Finding) string {
	// A key that ends in its kind ("img-alt:" for images with neither a
	// file name nor alt text) names no element in particular.
	if f.Key == "" || f.Key == "page" || strings.HasSuffix(f.Key, ":") {
		return ""
	}
	return string(f.Outcome) + "\x00" + f.Rule + "\x00" + f.Key + "\x00" + f.Baseline
}

// pageRank orders pages for reading: pages that failed to load first (a
// page that was not audited must not pass unseen), then by their most
// important finding, pages with nothing found last. Equal pages keep
// the run's order.
func pageRank(a, b *audit.PageResult) int {
	if fa, fb := a.Failed(), b.Failed(); fa != fb {
		if fa {
			return -1
		}
		return 1
	}
	wa, wb := worstOf(a), worstOf(b)
	switch {
	case wa == nil && wb == nil:
		return 0
	case wa == nil:
		return 1
	case wb == nil:
		return -1
	}
	return compareImportance(wa, wb)
}

// worstOf returns a page's most important finding, nil when it has none.
func worstOf(p *audit.PageResult) *audit.Finding {
	var worst *audit.Finding
	for i := range p.Findings {
		if worst == nil || compareImportance(&p.Findings[i], worst) < 0 {
			worst = &p.Findings[i]
		}
	}
	return worst
}

// pagesByImportance returns the report's pages in reading order (see
// pageRank).
func pagesByImportance(r *audit.Report) []*audit.PageResult {
	out := make([]*audit.PageResult, len(r.Pages))
	for i := range r.Pages {
		out[i] = &r.Pages[i]
	}
	slices.SortStableFunc(out, pageRank)
	return out
}
