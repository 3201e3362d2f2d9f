package audit

import (
	"cmp"
	"slices"
)

// A TemplateFinding is a problem in the page template: the same finding
// (rule, element, template region) on several pages, fixed once for all.
type TemplateFinding struct {
	// SiteFingerprint identifies the finding across pages.
	SiteFingerprint string `json:"site_fingerprint"`
	// Rule is the rule id.
	Rule string `json:"rule"`
	// Outcome is violation or review.
	Outcome Outcome `json:"outcome"`
	// Severity is the worst severity seen.
	Severity Severity `json:"severity"`
	// Selector and Snippet locate the element on the first page.
	Selector string `json:"selector"`
	// Snippet is the element's opening tag on the first page.
	Snippet string `json:"snippet"`
	// Message is the message on the first page.
	Message string `json:"message"`
	// Pages counts the pages it appears on.
	Pages int `json:"pages"`
	// URLs lists the pages, in report order.
	URLs []string `json:"urls"`
}

// FindTemplates lists the findings in the page template that repeat across
// pages.
type FindTemplates struct{}

var _ Processor = FindTemplates{}

// Name returns "templates".
func (FindTemplates) Name() string { return "templates" }

// Process sets the report's Templates to the template-region findings that
// repeat on at least two pages, worst first.
func (FindTemplates) Process(r *Report) { r.Templates = templateFindings(r) }

// templateFindings returns what FindTemplates.Process sets.
func templateFindings(r *Report) []TemplateFinding {
	byFP := map[string]*TemplateFinding{}
	var order []string
	for _, p := range r.Pages {
		seen := map[string]bool{}
		for _, f := range p.Findings {
			if f.Region != "template" {
				continue
			}
			fp := SiteFingerprint(&f)
			if seen[fp] {
				continue
			}
			seen[fp] = true
			t, ok := byFP[fp]
			if !ok {
				t = &TemplateFinding{SiteFingerprint: fp, Rule: f.Rule, Outcome: f.Outcome, Selector: f.Selector, Snippet: f.Snippet, Message: f.Message}
				byFP[fp] = t
				order = append(order, fp)
			}
			t.Severity = max(t.Severity, f.Severity)
			t.Pages++
			t.URLs = append(t.URLs, p.URL)
		}
	}
	var out []TemplateFinding
	for _, fp := range order {
		if t := byFP[fp]; t.Pages >= 2 {
			out = append(out, *t)
		}
	}
	slices.SortStableFunc(out, func(a, b TemplateFinding) int {
		return cmp.Or(cmp.Compare(outcomeRank(b.Outcome), outcomeRank(a.Outcome)), cmp.Compare(b.Severity, a.Severity), cmp.Compare(b.Pages, a.Pages), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

func outcomeRank(o Outcome) int {
	if o == Violation {
		return 1
	}
	return 0
}
