package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// Text writes a plain-text report for a terminal: each page with its
// findings, worst first, then a summary line.
type Text struct{}

var _ Writer = Text{}

// Write writes r as text.
func (Text) Write(w io.Writer, r *audit.Report) error {
	bw := bufio.NewWriter(w)
	for i, p := range r.Pages {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		writeTextPage(bw, &p)
	}
	if len(r.Templates) > 0 {
		fmt.Fprintf(bw, "\nsite template: %s repeated across pages\n", plural(len(r.Templates), "problem", "problems"))
		for _, t := range r.Templates {
			fmt.Fprintf(bw, "  %-9s %-8s %s  %s  (on %d pages)\n", t.Outcome, t.Severity, t.Rule, oneLine(t.Selector), t.Pages)
			fmt.Fprintf(bw, "      %s\n", oneLine(t.Message))
		}
	}
	c := Count(r)
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, summaryLine(c))
	if b := r.Baseline; b != nil {
		fmt.Fprintf(bw, "against the baseline: %d new, %d known, %d fixed\n", b.New, b.Known, b.Fixed)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "note: %s\n", oneLine(w))
	}
	return bw.Flush()
}

func writeTextPage(w io.Writer, p *audit.PageResult) {
	head := p.URL
	if p.Title != "" {
		head += "  " + fmt.Sprintf("%q", audit.Truncate(p.Title, 70))
	}
	fmt.Fprintln(w, oneLine(head))
	if p.Failed() {
		fmt.Fprintf(w, "  FAILED (%s): %s\n", p.ErrorCause, oneLine(p.Error))
		return
	}
	if len(p.Findings) == 0 {
		fmt.Fprintln(w, "  no problems found")
	}
	for _, group := range groupByRule(p.Findings) {
		for _, f := range group {
			label := "violation"
			if f.Outcome == audit.Review {
				label = "review"
			}
			if f.Baseline != "" {
				label += " (" + f.Baseline + ")"
			}
			at := ""
			if len(f.Viewports) > 0 {
				at = "  (" + strings.Join(f.Viewports, ", ") + ")"
			}
			fmt.Fprintf(w, "  %-9s %-8s %s  %s%s\n", label, f.Severity, f.Rule, oneLine(f.Selector), at)
			fmt.Fprintf(w, "      %s\n", oneLine(f.Message))
		}
		fmt.Fprintf(w, "      fix: %s\n", oneLine(group[0].Help))
	}
	writeTextWalks(w, p)
	for _, e := range p.RuleErrors {
		fmt.Fprintf(w, "  rule error %s: %s\n", e.Rule, oneLine(e.Error))
	}
	if n := len(p.Skipped); n > 0 {
		fmt.Fprintf(w, "  %s skipped: %s\n", plural(n, "rule", "rules"), oneLine(p.Skipped[0].Reason))
	}
}

// writeTextWalks sums up each keyboard walk in a line and says what was
// removed before the audit.
func writeTextWalks(w io.Writer, p *audit.PageResult) {
	for _, k := range p.Walks {
		fmt.Fprintf(w, "  keyboard, %s: %s\n", k.Viewport, oneLine(k.Verdict))
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
