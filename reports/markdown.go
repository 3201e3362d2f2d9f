package reports

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// Markdown writes a short summary for a pull-request comment or a CI step
// summary: the verdict, counts per rule and severity, new versus known
// when a baseline was given, the worst findings first, and the pages that
// failed. Every page-derived string is escaped.
type Markdown struct{}

var _ Writer = Markdown{}

// markdownWorst is how many findings the summary lists, and
// markdownPerPage how many of them one page gets while others have some.
const (
	markdownWorst   = 10
	markdownPerPage = 3
)

// Write writes r as Markdown.
func (Markdown) Write(w io.Writer, r *audit.Report) error {
	bw := bufio.NewWriter(w)
	c := Count(r)
	newViolations := c.Violations
	if r.Baseline != nil {
		newViolations = 0
		for _, p := range r.Pages {
			for _, f := range p.Findings {
				if f.Outcome == audit.Violation && f.Baseline != audit.BaselineKnown {
					newViolations++
				}
			}
		}
	}
	verdict := fmt.Sprintf("no violations on %s", plural(c.Pages, "page", "pages"))
	if newViolations > 0 {
		label := "violation"
		if r.Baseline != nil {
			label = "new violation"
		}
		verdict = fmt.Sprintf("%s on %s", plural(newViolations, label, label+"s"), plural(c.Pages, "page", "pages"))
	}
	if c.Failed > 0 {
		verdict += fmt.Sprintf(", %s failed to load", plural(c.Failed, "page", "pages"))
	}
	fmt.Fprintf(bw, "### Accessibility (%s %s): %s\n\n", mdText(r.Tool.Name), mdText(r.Tool.Version), verdict)
	if v := r.Verdict; v != nil {
		if v.Partial {
			fmt.Fprintf(bw, "> **Incomplete:** the run was interrupted; this summary covers only the %s finished before it stopped.\n\n", plural(c.Pages, "page", "pages"))
		}
		fmt.Fprintf(bw, "**Verdict:** %s\n\n", mdText(v.Line()))
	}

	fmt.Fprintln(bw, "| | |\n|---|---|")
	fmt.Fprintf(bw, "| Pages audited | %d |\n", c.Pages)
	if c.Failed > 0 {
		fmt.Fprintf(bw, "| Pages that failed to load | %d |\n", c.Failed)
	}
	fmt.Fprintf(bw, "| Violations | %d |\n", c.Violations)
	if b := r.Baseline; b != nil {
		fmt.Fprintf(bw, "| New since the baseline | %d |\n| Known in the baseline | %d |\n| Fixed since the baseline | %d |\n", b.New, b.Known, b.Fixed)
	}
	fmt.Fprintf(bw, "| To review by hand | %d |\n", c.Reviews)
	if n := len(r.Templates); n > 0 {
		fmt.Fprintf(bw, "| Template problems repeated across pages | %d |\n", n)
	}
	fmt.Fprintln(bw)

	if rows := ruleRows(r); len(rows) > 0 {
		fmt.Fprintln(bw, "| Rule | Severity | Violations | New | Reviews | Pages |\n|---|---|---|---|---|---|")
		for _, row := range rows {
			newCell := "-"
			if r.Baseline != nil {
				newCell = fmt.Sprint(row.new)
			}
			fmt.Fprintf(bw, "| %s | %s | %d | %s | %d | %d |\n", mdCode(row.rule), row.severity, row.violations, newCell, row.reviews, row.pages)
		}
		fmt.Fprintln(bw)
	}

	if worst := worstFindings(r); len(worst) > 0 {
		fmt.Fprintln(bw, "**Worst findings**")
		fmt.Fprintln(bw)
		for i, pf := range worst {
			tag := ""
			if pf.f.Baseline == audit.BaselineNew {
				tag = " (new)"
			}
			if pf.places > 1 {
				tag += fmt.Sprintf(" (%d places alike)", pf.places)
			}
			if why := severityNote(&pf.f); why != "" {
				tag += " (" + mdText(why) + ")"
			}
			fmt.Fprintf(bw, "%d. **%s** %s on %s at %s: %s%s\n", i+1, pf.f.Severity, mdCode(pf.f.Rule), mdCode(pf.page), mdCode(pf.f.Selector), mdText(pf.f.Message), tag)
		}
		fmt.Fprintln(bw)
	}

	if c.Failed > 0 {
		fmt.Fprintf(bw, "<details><summary>Pages that failed to load (%d)</summary>\n\n", c.Failed)
		for _, p := range r.Pages {
			if p.Failed() {
				fmt.Fprintf(bw, "- %s (%s): %s\n", mdCode(p.URL), mdText(p.ErrorCause), mdText(p.Error))
			}
		}
		fmt.Fprintln(bw, "\n</details>")
		fmt.Fprintln(bw)
	}
	for _, warning := range r.Warnings {
		fmt.Fprintf(bw, "> Note: %s\n\n", mdText(warning))
	}
	return bw.Flush()
}

type ruleRow struct {
	rule                            string
	severity                        audit.Severity
	violations, new, reviews, pages int
}

// ruleRows counts findings per rule, worst rules first.
func ruleRows(r *audit.Report) []ruleRow {
	rows := map[string]*ruleRow{}
	for _, p := range r.Pages {
		onPage := map[string]bool{}
		for _, f := range p.Findings {
			row, ok := rows[f.Rule]
			if !ok {
				row = &ruleRow{rule: f.Rule}
				rows[f.Rule] = row
			}
			row.severity = max(row.severity, f.Severity)
			if f.Outcome == audit.Violation {
				row.violations++
				if f.Baseline != audit.BaselineKnown {
					row.new++
				}
			} else {
				row.reviews++
			}
			if !onPage[f.Rule] {
				onPage[f.Rule] = true
				row.pages++
			}
		}
	}
	out := make([]ruleRow, 0, len(rows))
	for _, row := range rows {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b ruleRow) int {
		return cmp.Or(cmp.Compare(boolRank(b.violations > 0), boolRank(a.violations > 0)), cmp.Compare(b.severity, a.severity), cmp.Compare(b.violations, a.violations), cmp.Compare(a.rule, b.rule))
	})
	return out
}

// boolRank turns a bool into an orderable number, true above false.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

type pageFinding struct {
	page string
	f    audit.Finding
	// places counts the identical findings it stands for (the same rule
	// on the same element key), on this page and others.
	places int
}

// worstFindings returns the violations that gate, most important first
// (new ones first, worst severity, the story before the template),
// identical ones across pages counted as one, at most markdownWorst.
func worstFindings(r *audit.Report) []pageFinding {
	var all []pageFinding
	at := map[string]int{}
	for _, p := range r.Pages {
		for _, f := range p.Findings {
			if f.Outcome != audit.Violation || f.Baseline == audit.BaselineKnown {
				continue
			}
			k := collapseKey(&f)
			if i, ok := at[k]; ok && k != "" {
				all[i].places++
				if compareImportance(&f, &all[i].f) < 0 {
					all[i].page, all[i].f = p.URL, f
				}
				continue
			}
			at[k] = len(all)
			all = append(all, pageFinding{page: p.URL, f: f, places: 1})
		}
	}
	slices.SortStableFunc(all, func(a, b pageFinding) int { return compareImportance(&a.f, &b.f) })
	// One page's many images must not fill the list: each page gets
	// markdownPerPage places first, and the rest only fill what is left.
	var picked, rest []pageFinding
	perPage := map[string]int{}
	for _, pf := range all {
		if perPage[pf.page] < markdownPerPage {
			perPage[pf.page]++
			picked = append(picked, pf)
		} else {
			rest = append(rest, pf)
		}
	}
	if len(picked) < markdownWorst {
		picked = append(picked, rest[:min(len(rest), markdownWorst-len(picked))]...)
		slices.SortStableFunc(picked, func(a, b pageFinding) int { return compareImportance(&a.f, &b.f) })
	}
	return picked[:min(len(picked), markdownWorst)]
}

// mdText escapes text for Markdown: characters that would format, open a
// link or a table cell, angle brackets that would open HTML, and line
// breaks.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		switch r {
		case '\\', '`', '*', '_', '{', '}', '[', ']', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode writes s as inline code, fenced with more backticks than any run
// inside it, with table pipes escaped.
func mdCode(s string) string {
	s = strings.ReplaceAll(oneLine(s), "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
