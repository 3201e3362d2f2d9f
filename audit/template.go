package audit

import (
	"cmp"
	"slices"
)

// A TemplateFinding is a problem in the page template: the same finding
// (rule, element, template region) on several pages of one site, fixed
// once for all.
type TemplateFinding struct {
	// Site is the site whose pages it appears on (see SiteKey).
	Site string `json:"site"`
	// SiteFingerprint identifies the finding across the site's pages; the
	// same finding on another site has the same SiteFingerprint and is
	// another TemplateFinding.
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
// repeat on at least two pages of one site, worst first. Pages are grouped
// by site (PageResult.SiteKey), so saved pages of several publishers in
// one folder share no template.
func (FindTemplates) Process(r *Report) { r.Templates = templateFindings(r) }

// templateFindings returns what FindTemplates.Process sets.
func templateFindings(r *Report) []TemplateFinding {
	byKey := map[string]*TemplateFinding{}
	var order []string
	for _, p := range r.Pages {
		site := p.SiteKey()
		seen := map[string]bool{}
		for _, f := range p.Findings {
			if f.Region != "template" {
				continue
			}
			fp := SiteFingerprint(&f)
			key := TemplateKey(site, fp)
			if seen[key] {
				continue
			}
			seen[key] = true
			t, ok := byKey[key]
			if !ok {
				t = &TemplateFinding{Site: site, SiteFingerprint: fp, Rule: f.Rule, Outcome: f.Outcome, Selector: f.Selector, Snippet: f.Snippet, Message: f.Message}
				byKey[key] = t
				order = append(order, key)
			}
			t.Severity = max(t.Severity, f.Severity)
			t.Pages++
			t.URLs = append(t.URLs, p.URL)
		}
	}
	var out []TemplateFinding
	for _, key := range order {
		if t := byKey[key]; t.Pages >= 2 {
			out = append(out, *t)
		}
	}
	slices.SortStableFunc(out, func(a, b TemplateFinding) int {
		return cmp.Or(cmp.Compare(outcomeRank(b.Outcome), outcomeRank(a.Outcome)), cmp.Compare(b.Severity, a.Severity), cmp.Compare(b.Pages, a.Pages), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Site, b.Site))
	})
	return out
}

// TemplateKey identifies a template finding within a report: the site
// and the finding's SiteFingerprint. A page's template-region finding is
// one of the report's Templates when TemplateKey(page.SiteKey(),
// SiteFingerprint(&finding)) is the key of one of them.
func TemplateKey(site, siteFingerprint string) string {
	return site + "\x00" + siteFingerprint
}

func outcomeRank(o Outcome) int {
	if o == Violation {
		return 1
	}
	return 0
}
