package history

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// Text writes the history for a terminal: per site, the runs table (the
// last textRunRows runs), the
// changes between the two runs compared (at most textChanges new and
// fixed findings each, persisting ones counted by rule), then the worst
// rules and sections over the last textRuns runs.
type Text struct{}

var _ Writer = Text{}

// textChanges is how many new and how many fixed findings the text lists;
// the JSON and HTML reports list them all.
const textChanges = 30

// textRuns is how many of the latest runs the trend tables show, one
// column each.
const textRuns = 8

// textRunRows is how many of the latest runs the runs table lists.
const textRunRows = 20

// textRules is how many rules and sections the trend tables show.
const textRules = 10

// Write writes r as text.
func (Text) Write(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	if r.Since != nil {
		fmt.Fprintf(bw, "runs since %s\n\n", r.Since.Format(stamp))
	}
	for i, s := range r.Sites {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		writeTextSite(bw, r, &s)
	}
	return bw.Flush()
}

// writeTextSite writes one site's history.
func writeTextSite(w *bufio.Writer, r *Report, s *Site) {
	first, lastRun := s.Runs[0], s.Runs[len(s.Runs)-1]
	fmt.Fprintf(w, "%s: %s, %s to %s\n", line(s.Site), plural(len(s.Runs), "run", "runs"), first.Started.Format(stamp), lastRun.Started.Format(stamp))
	fmt.Fprintln(w, "\nruns (violations by severity and by region; template: distinct problems)")
	t := table{}
	t.row("#", "started", "run", "pages", "failed", "violations", "critical", "serious", "moderate", "minor", "story", "template", "page", "reviews")
	skip := max(0, len(s.Runs)-textRunRows)
	if skip > 0 {
		t.row(fmt.Sprintf("... %d earlier runs: --report json or html lists them all", skip))
	}
	for i, run := range s.Runs {
		if i < skip {
			continue
		}
		t.row(fmt.Sprint(i+1), run.Started.Format(stamp), line(run.label()), n(run.Pages), n(run.Failed), n(run.Violations),
			n(run.BySeverity.Critical), n(run.BySeverity.Serious), n(run.BySeverity.Moderate), n(run.BySeverity.Minor),
			n(run.ByRegion.Story), fmt.Sprintf("%d (%d)", run.ByRegion.Template, run.TemplateProblems), n(run.ByRegion.Page), n(run.Reviews))
	}
	t.write(w, "  ", 3)
	for _, note := range s.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", line(note))
	}
	if d := s.Diff; d != nil {
		writeTextDiff(w, d)
	}
	if len(s.Rules) > 0 {
		from := max(0, len(s.Runs)-textRuns)
		fmt.Fprintf(w, "\nworst rules: violations (pages) in runs %d to %d\n", from+1, len(s.Runs))
		t := table{}
		head := []string{"rule"}
		for i := from; i < len(s.Runs); i++ {
			head = append(head, fmt.Sprintf("#%d", i+1))
		}
		t.row(append(head, "all runs")...)
		for i, rt := range s.Rules {
			if i == textRules {
				t.row(fmt.Sprintf("... %d more", len(s.Rules)-i))
				break
			}
			t.row(trendCells(line(rt.Rule), rt, from)...)
		}
		t.write(w, "  ", 1)
		fmt.Fprintf(w, "\nworst sections: violations of the section's pages (pages audited) in runs %d to %d\n", from+1, len(s.Runs))
		t = table{}
		t.row(append([]string{"section, rule"}, append(head[1:], "all runs")...)...)
		for i, st := range s.Sections {
			if i == textRules {
				t.row(fmt.Sprintf("... %d more", len(s.Sections)-i))
				break
			}
			t.row(trendCells(line(st.Section), RuleTrend{Violations: st.Violations, Pages: st.Audited, Total: st.Total}, from)...)
			for j, rt := range st.Rules {
				if j == 3 {
					t.row(fmt.Sprintf("  ... %d more", len(st.Rules)-j))
					break
				}
				t.row(trendCells("  "+line(rt.Rule), rt, from)...)
			}
		}
		t.write(w, "  ", 1)
	}
}

// trendCells returns a trend table's row: the label, then "violations
// (pages)" for each run from index from on, then the total.
func trendCells(label string, rt RuleTrend, from int) []string {
	cells := []string{label}
	for i := from; i < len(rt.Violations); i++ {
		cells = append(cells, fmt.Sprintf("%d (%d)", rt.Violations[i], rt.Pages[i]))
	}
	return append(cells, n(rt.Total))
}

// writeTextDiff writes the changes between the two runs compared.
func writeTextDiff(w *bufio.Writer, d *Diff) {
	fmt.Fprintf(w, "\nfrom run %s (%s) to run %s (%s): %d new, %d fixed, %d persisting\n",
		line(d.From), d.FromStarted.Format(stamp), line(d.To), d.ToStarted.Format(stamp), len(d.New), len(d.Fixed), len(d.Persisting))
	if d.UncheckedPages > 0 {
		fmt.Fprintf(w, "  %s of run %s on %s it audited that run %s did not: neither fixed nor persisting\n",
			plural(d.Unchecked, "finding", "findings"), line(d.From), plural(d.UncheckedPages, "page", "pages"), line(d.To))
	}
	for _, part := range []struct {
		name string
		list []Change
	}{{"new", d.New}, {"fixed", d.Fixed}} {
		if len(part.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n  %s:\n", part.name)
		for i, c := range part.list {
			if i == textChanges {
				fmt.Fprintf(w, "    ... %d more: --report json or html lists them all\n", len(part.list)-i)
				break
			}
			fmt.Fprintf(w, "    %-9s %-8s %s  %s  %s\n", c.Outcome, c.Severity, line(c.Rule), line(c.Page), line(c.Selector))
			fmt.Fprintf(w, "        %s\n", line(c.Message))
		}
	}
	if len(d.Persisting) > 0 {
		fmt.Fprintln(w, "\n  persisting, by rule:")
		byRule := map[string]int{}
		var order []string
		for _, c := range d.Persisting {
			if byRule[c.Rule] == 0 {
				order = append(order, c.Rule)
			}
			byRule[c.Rule]++
		}
		t := table{}
		for _, id := range order {
			t.row(line(id), n(byRule[id]))
		}
		t.write(w, "    ", 1)
	}
}

// line makes stored text (from pages, from the store) one line that is
// safe for a terminal.
func line(s string) string { return termsafe.String(s) }

// n formats a count.
func n(v int) string { return fmt.Sprint(v) }

// A table aligns rows of cells in columns: text columns left, the others
// (counts) right.
type table struct{ rows [][]string }

// row adds a row.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// write writes the table with each line indented, the first left columns
// aligned left and the rest right.
func (t *table) write(w io.Writer, indent string, left int) {
	var width []int
	for _, r := range t.rows {
		if len(r) == 1 {
			// A note on a line of its own, outside the columns.
			continue
		}
		for i, c := range r {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		b.WriteString(indent)
		if len(r) == 1 {
			b.WriteString(r[0])
		}
		for i, c := range r {
			if len(r) == 1 {
				break
			}
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i < left {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
