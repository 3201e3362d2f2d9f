package audit

import (
	"context"
	"fmt"
	"slices"
)

// auditAtViewports audits a target once per viewport of the runner and
// merges the results: one result per target, whose findings carry the
// viewports they were seen at when there are several. A viewport that
// fails to load fails the page; the remaining viewports are not tried.
func (r *Runner) auditAtViewports(ctx context.Context, t Target, needs Capability) PageResult {
	if len(r.Viewports) == 0 {
		return r.auditOne(ctx, t, needs)
	}
	var merged PageResult
	for i, vp := range r.Viewports {
		tv := t
		tv.Viewport = vp
		res := r.auditOne(ctx, tv, needs)
		if len(r.Viewports) > 1 {
			for k := range res.Findings {
				res.Findings[k].Viewports = []string{vp.Label()}
			}
		}
		if i == 0 {
			merged = res
		} else {
			mergeViewport(&merged, &res, vp, PagePath(t.URL))
		}
		if merged.Failed() {
			break
		}
	}
	return merged
}

// mergeViewport adds the result of another viewport to dst. A finding
// already in dst (same rule, selector and message) gains the viewport's
// label. The findings both results share anchor the merge; between two
// anchors, dst's own findings come first, then src's, so both viewports'
// document orders are kept. pagePath is the path fingerprints were
// computed with.
func mergeViewport(dst, src *PageResult, vp Viewport, pagePath string) {
	dst.Retried = append(dst.Retried, src.Retried...)
	if src.Failed() {
		dst.Error = fmt.Sprintf("at %s: %s", vp, src.Error)
		dst.ErrorCause = src.ErrorCause
		dst.Findings = []Finding{}
		return
	}
	key := func(f *Finding) string { return f.Rule + "\x00" + f.Selector + "\x00" + f.Message }
	at := map[string]int{}
	for i := range dst.Findings {
		at[key(&dst.Findings[i])] = i
	}
	for _, f := range src.Findings {
		if j, ok := at[key(&f)]; ok {
			d := &dst.Findings[j]
			for _, v := range f.Viewports {
				if !slices.Contains(d.Viewports, v) {
					d.Viewports = append(d.Viewports, v)
				}
			}
		}
	}
	merged := make([]Finding, 0, len(dst.Findings)+len(src.Findings))
	var pending []Finding
	next := 0 // the first finding of dst not yet in merged
	for _, f := range src.Findings {
		j, ok := at[key(&f)]
		switch {
		case !ok:
			pending = append(pending, f)
		case j >= next:
			merged = append(merged, dst.Findings[next:j]...)
			merged = append(merged, pending...)
			merged = append(merged, dst.Findings[j])
			pending, next = nil, j+1
		}
		// A shared finding out of order is labelled but anchors nothing.
	}
	merged = append(merged, dst.Findings[next:]...)
	dst.Findings = append(merged, pending...)
	renumberFingerprints(dst.Findings, pagePath)
	for _, s := range src.Skipped {
		if !slices.ContainsFunc(dst.Skipped, func(d SkippedRule) bool { return d.Rule == s.Rule }) {
			dst.Skipped = append(dst.Skipped, s)
		}
	}
	for _, e := range src.RuleErrors {
		e.Error = fmt.Sprintf("at %s: %s", vp, e.Error)
		dst.RuleErrors = append(dst.RuleErrors, e)
	}
	dst.Walks = append(dst.Walks, src.Walks...)
	if len(dst.Hidden) == 0 {
		dst.Hidden = src.Hidden
	}
	if dst.Consent == nil {
		dst.Consent = src.Consent
	}
}

// renumberFingerprints gives a finding whose fingerprint an earlier
// finding already has (the same rule and element key seen at two
// viewports with different messages) the next free number, as CheckPage
// numbers repeats.
func renumberFingerprints(findings []Finding, pagePath string) {
	taken := map[string]bool{}
	for i := range findings {
		f := &findings[i]
		if !taken[f.Fingerprint] {
			taken[f.Fingerprint] = true
			continue
		}
		for n := 1; ; n++ {
			if fp := Fingerprint(f.Rule, pagePath, f.Key, n); !taken[fp] {
				f.Fingerprint = fp
				taken[fp] = true
				break
			}
		}
	}
}
