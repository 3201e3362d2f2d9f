package reports

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// Text writes the compact plain-text report for a terminal: a table of
// counts per rule, then each page, most important first, with at most
// textPageEntries of its findings (identical ones collapsed, site-template
// ones listed once for the whole run), then how to fix each rule, once,
// and the summary. TextFull is the same report with nothing left out.
type Text struct{}

var _ Writer = Text{}

// Write writes r as compact text.
func (Text) Write(w io.Writer, r *audit.Report) error { return writeText(w, r, textPageEntries) }

// TextFull writes the plain-text report with every finding of every page
// ("--report text-full").
type TextFull struct{}

var _ Writer = TextFull{}

// Write writes r as text, in full.
func (TextFull) Write(w io.Writer, r *audit.Report) error { return writeText(w, r, 0) }

// textPageEntries is how many findings (or groups of identical ones) the
// compact report shows per page: with the page's head and keyboard lines,
// about a screenful.
const textPageEntries = 8

// textTemplateEntries is how many site-template problems the compact
// report lists.
const textTemplateEntries = 10

// writeText writes the text report, showing at most limit entries per
// page, all of them when limit is 0.
func writeText(w io.Writer, r *audit.Report, limit int) error {
	bw := bufio.NewWriter(w)
	if v := r.Verdict; v != nil && v.Partial {
		fmt.Fprintf(bw, "INCOMPLETE: the run was interrupted; this report holds only the %s finished before it stopped\n\n", plural(len(r.Pages), "page", "pages"))
	}
	writeRuleTable(bw, r)
	inTemplate := map[string]bool{}
	for _, t := range r.Templates {
		inTemplate[audit.TemplateKey(t.Site, t.SiteFingerprint)] = true
	}
	hidden := 0
	for _, p := range pagesByImportance(r) {
		fmt.Fprintln(bw)
		hidden += writeTextPage(bw, p, inTemplate, limit)
	}
	if len(r.Templates) > 0 {
		fmt.Fprintf(bw, "\nsite template: %s repeated across pages, listed here once\n", plural(len(r.Templates), "problem", "problems"))
		for i, t := range r.Templates {
			if limit > 0 && i == textTemplateEntries {
				more := len(r.Templates) - i
				hidden += more
				fmt.Fprintf(bw, "  ... %d more: --report text-full\n", more)
				break
			}
			fmt.Fprintf(bw, "  %-9s %-8s %s  %s  (on %d pages)\n", t.Outcome, t.Severity, t.Rule, oneLine(t.Selector), t.Pages)
			fmt.Fprintf(bw, "      %s\n", oneLine(t.Message))
		}
	}
	writeFixes(bw, r)
	c := Count(r)
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, summaryLine(c))
	if b := r.Baseline; b != nil {
		fmt.Fprintf(bw, "against the baseline: %d new, %d known, %d fixed\n", b.New, b.Known, b.Fixed)
	}
	if hidden > 0 {
		fmt.Fprintf(bw, "this compact report leaves out %s; --report text-full shows them\n", plural(hidden, "finding", "findings"))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "note: %s\n", oneLine(w))
	}
	if v := r.Verdict; v != nil {
		fmt.Fprintf(bw, "verdict: %s\n", oneLine(v.Line()))
	}
	return bw.Flush()
}

// writeRuleTable writes the counts per rule, worst rules first, when the
// run found anything.
func writeRuleTable(w io.Writer, r *audit.Report) {
	rows := ruleRows(r)
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "%-44s %10s %8s %6s\n", "by rule", "violations", "reviews", "pages")
	for _, row := range rows {
		fmt.Fprintf(w, "  %-42s %10d %8d %6d\n", row.rule, row.violations, row.reviews, row.pages)
	}
}

// writeTextPage writes one page: its head, a count line, its findings
// most important first (at most limit entries when limit > 0, the
// site-template ones only counted), its keyboard walks and what kept
// rules from running. It returns how many findings it left out.
func writeTextPage(w io.Writer, p *audit.PageResult, inTemplate map[string]bool, limit int) int {
	head := p.URL
	if p.Title != "" {
		head += "  " + fmt.Sprintf("%q", audit.Truncate(p.Title, 70))
	}
	fmt.Fprintln(w, oneLine(head))
	if len(p.Retried) > 0 {
		fmt.Fprintf(w, "  retried: %s\n", oneLine(retriedText(p.Retried)))
	}
	if p.Failed() {
		fmt.Fprintf(w, "  FAILED (%s): %s\n", p.ErrorCause, oneLine(p.Error))
		return 0
	}
	var own []audit.Finding
	template := 0
	for _, f := range p.Findings {
		if f.Region == "template" && inTemplate[audit.TemplateKey(p.SiteKey(), audit.SiteFingerprint(&f))] {
			template++
			continue
		}
		own = append(own, f)
	}
	fmt.Fprintln(w, "  "+pageCountLine(p.Findings, template))
	hidden := 0
	groups := collapse(byImportance(own))
	for i, g := range groups {
		if limit > 0 && i == limit {
			for _, rest := range groups[i:] {
				hidden += rest.Count
			}
			fmt.Fprintf(w, "  ... %s more on this page: --report text-full\n", plural(hidden, "finding", "findings"))
			break
		}
		writeTextFinding(w, g)
	}
	writeTextWalks(w, p)
	for _, e := range p.RuleErrors {
		fmt.Fprintf(w, "  rule error %s: %s\n", e.Rule, oneLine(e.Error))
	}
	if n := len(p.Skipped); n > 0 {
		fmt.Fprintf(w, "  %s skipped: %s\n", plural(n, "rule", "rules"), oneLine(p.Skipped[0].Reason))
	}
	return hidden
}

// pageCountLine sums a page's findings up: violations (how many in the
// story), reviews, and how many are listed under the site template.
func pageCountLine(fs []audit.Finding, template int) string {
	if len(fs) == 0 {
		return "no problems found"
	}
	violations, story, reviews := 0, 0, 0
	for _, f := range fs {
		switch {
		case f.Outcome == audit.Review:
			reviews++
		case f.Region == "story":
			violations++
			story++
		default:
			violations++
		}
	}
	line := plural(violations, "violation", "violations")
	if story > 0 && story < violations {
		line += fmt.Sprintf(" (%d in the story)", story)
	}
	line += ", " + plural(reviews, "finding", "findings") + " to review"
	if template > 0 {
		line += fmt.Sprintf("; %d of them in the site template, listed once below", template)
	}
	return line
}

// writeTextFinding writes one finding, or a group of identical ones: what
// and where, the evidence, and, when they apply, how its severity was
// adjusted and which other rules' findings it stands for.
func writeTextFinding(w io.Writer, g findingGroup) {
	f := &g.First
	label := "violation"
	if f.Outcome == audit.Review {
		label = "review"
	}
	if f.Baseline != "" {
		label += " (" + f.Baseline + ")"
	}
	var notes []string
	if f.Region == "story" || f.Region == "template" {
		notes = append(notes, "in the "+f.Region)
	}
	if len(f.Viewports) > 0 {
		notes = append(notes, strings.Join(f.Viewports, ", "))
	}
	if g.Count > 1 {
		notes = append(notes, fmt.Sprintf("%d alike", g.Count))
	}
	at := ""
	if len(notes) > 0 {
		at = "  (" + strings.Join(notes, "; ") + ")"
	}
	fmt.Fprintf(w, "  %-9s %-8s %s  %s%s\n", label, f.Severity, f.Rule, oneLine(f.Selector), at)
	fmt.Fprintf(w, "      %s\n", oneLine(f.Message))
	if why := severityNote(f); why != "" {
		fmt.Fprintf(w, "      %s\n", oneLine(why))
	}
	if len(f.Also) > 0 {
		var rules []string
		for _, a := range f.Also {
			if !slices.Contains(rules, a.Rule) {
				rules = append(rules, a.Rule)
			}
		}
		fmt.Fprintf(w, "      also reported as: %s\n", strings.Join(rules, ", "))
	}
}

// severityNote says how context changed a finding's severity, e.g.
// "severity raised from moderate: the story's lead photo"; "" when it did
// not.
func severityNote(f *audit.Finding) string {
	if f.BaseSeverity == 0 || len(f.SeverityReasons) == 0 && f.BaseSeverity == f.Severity {
		return ""
	}
	note := "severity kept"
	switch {
	case f.Severity > f.BaseSeverity:
		note = fmt.Sprintf("severity raised from %s", f.BaseSeverity)
	case f.Severity < f.BaseSeverity:
		note = fmt.Sprintf("severity lowered from %s", f.BaseSeverity)
	}
	if len(f.SeverityReasons) > 0 {
		note += ": " + strings.Join(f.SeverityReasons, "; ")
	}
	return note
}

// writeFixes says how to fix each rule the report found, once per rule,
// in the order of the table at the top.
func writeFixes(w io.Writer, r *audit.Report) {
	info := ruleInfo(r)
	rows := ruleRows(r)
	var lines []string
	for _, row := range rows {
		help := firstHelp(r, row.rule)
		if help == "" {
			help = info[row.rule].Help
		}
		if help != "" {
			lines = append(lines, fmt.Sprintf("  %s: %s", row.rule, oneLine(help)))
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(w, "\nhow to fix, per rule")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

// firstHelp returns the help of the first finding of a rule, or "" when
// none has any; the rule list's help stands in then.
func firstHelp(r *audit.Report, rule string) string {
	for _, p := range r.Pages {
		for _, f := range p.Findings {
			if f.Rule == rule && f.Help != "" {
				return f.Help
			}
		}
	}
	return ""
}

// retriedText says which browsers of a pool died under a page, each with
// why, before the page was loaded again on another.
func retriedText(moves []audit.EndpointRetry) string {
	parts := make([]string, len(moves))
	for i, m := range moves {
		parts[i] = fmt.Sprintf("the browser at %s died under the page (%s)", m.Endpoint, m.Error)
	}
	return strings.Join(parts, "; ") + "; loaded again on another"
}

// writeTextWalks sums up each keyboard walk in a line and says what was
// removed before the audit.
func writeTextWalks(w io.Writer, p *audit.PageResult) {
	for _, k := range p.Walks {
		fmt.Fprintf(w, "  keyboard, %s: %s\n", k.Viewport, oneLine(k.Verdict))
	}
	if p.Consent != nil {
		fmt.Fprintf(w, "  %s\n", oneLine(p.Consent.Summary()))
	}
	if len(p.Hidden) == 0 {
		return
	}
	var parts []string
	for _, h := range p.Hidden {
		switch {
		case h.Error != "":
			parts = append(parts, fmt.Sprintf("%s (not used: %s)", h.Selector, h.Error))
		default:
			parts = append(parts, fmt.Sprintf("%s (%s)", h.Selector, plural(h.Count, "element", "elements")))
		}
	}
	fmt.Fprintf(w, "  removed before the audit: %s\n", oneLine(strings.Join(parts, ", ")))
}

// summaryLine sums up a run in one line.
func summaryLine(c Counts) string {
	var sev []string
	for _, s := range severitiesDesc {
		if n := c.BySeverity[s]; n > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", n, s))
		}
	}
	line := fmt.Sprintf("%s audited: %s", plural(c.Pages, "page", "pages"), plural(c.Violations, "violation", "violations"))
	if len(sev) > 0 {
		line += " (" + strings.Join(sev, ", ") + ")"
	}
	line += ", " + plural(c.Reviews, "finding", "findings") + " to review"
	if c.Failed > 0 {
		line += fmt.Sprintf(", %s failed to load", plural(c.Failed, "page", "pages"))
	}
	return line
}

// oneLine keeps page-derived text on one line, so that a page cannot forge
// report lines, and drops control characters (see termsafe.String).
func oneLine(s string) string { return termsafe.String(s) }
