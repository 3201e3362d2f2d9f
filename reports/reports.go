// Package reports writes audit reports, one format per file: text for a
// terminal, JSON as the machine contract, HTML for people. Writers are pure
// functions of the report: the same report gives the same bytes.
package reports

import (
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/newsa11y/newsa11y/audit"
)

// A Writer writes a report in one format.
type Writer interface {
	// Write writes the report to w.
	Write(w io.Writer, r *audit.Report) error
}

var writers = map[string]Writer{
	"text":        Text{},
	"text-full":   TextFull{},
	"json":        JSON{},
	"html":        HTML{},
	"sarif":       SARIF{},
	"junit":       JUnit{},
	"markdown":    Markdown{},
	"jsonl":       JSONL{},
	"codequality": CodeQuality{},
}

// Formats returns the names of the known formats, sorted.
func Formats() []string {
	names := make([]string, 0, len(writers))
	for n := range writers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ForFormat returns the writer of a format name.
func ForFormat(name string) (Writer, error) {
	w, ok := writers[name]
	if !ok {
		return nil, fmt.Errorf("unknown report format %q (known: %v)", name, Formats())
	}
	return w, nil
}

// Counts tallies a report's outcomes.
type Counts struct {
	// Pages is the number of pages.
	Pages int
	// Failed is the number of pages that could not be audited.
	Failed int
	// Violations is the number of violations.
	Violations int
	// Reviews is the number of findings that need review.
	Reviews int
	// BySeverity counts violations per severity.
	BySeverity map[audit.Severity]int
}

// Count tallies the report.
func Count(r *audit.Report) Counts {
	c := Counts{Pages: len(r.Pages), BySeverity: map[audit.Severity]int{}}
	for _, p := range r.Pages {
		if p.Failed() {
			c.Failed++
		}
		for _, f := range p.Findings {
			if f.Outcome == audit.Violation {
				c.Violations++
				c.BySeverity[f.Severity]++
			} else {
				c.Reviews++
			}
		}
	}
	return c
}

// severitiesDesc lists severities from worst to mildest.
var severitiesDesc = []audit.Severity{audit.Critical, audit.Serious, audit.Moderate, audit.Minor}

// ruleInfo indexes the report's rule metadata by id.
func ruleInfo(r *audit.Report) map[string]audit.RuleInfo {
	m := make(map[string]audit.RuleInfo, len(r.Rules))
	for _, ri := range r.Rules {
		m[ri.ID] = ri
	}
	return m
}

// plural returns "1 page" or "3 pages".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// groupByRule returns a page's findings grouped by rule, rules ordered by
// the worst severity of their violations, then by id.
func groupByRule(fs []audit.Finding) [][]audit.Finding {
	groups := map[string][]audit.Finding{}
	var ids []string
	for _, f := range fs {
		if _, ok := groups[f.Rule]; !ok {
			ids = append(ids, f.Rule)
		}
		groups[f.Rule] = append(groups[f.Rule], f)
	}
	rank := func(id string) int {
		best := 0
		for _, f := range groups[id] {
			v := int(f.Severity)
			if f.Outcome == audit.Violation {
				v += 10
			}
			best = max(best, v)
		}
		return best
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return rb - ra
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	out := make([][]audit.Finding, len(ids))
	for i, id := range ids {
		out[i] = groups[id]
	}
	return out
}

// sentence capitalises the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}
