package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// JUnit writes the report as JUnit XML for CI systems: one test suite per
// page, one test case per rule per element. A violation is a failure (a
// known one, under a baseline, is skipped); a review passes with its text
// in system-out; a rule that found nothing is one passing case; a rule that
// could not run is skipped; a page that failed to load is an error. The
// readable text goes in the element bodies, since GitLab ignores the
// message attribute. Test case names are unique within a suite.
type JUnit struct{}

var _ Writer = JUnit{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitText struct {
	Body string `xml:",innerxml"`
}

type junitProblem struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	// Body is escaped text written as is, so line breaks stay line
	// breaks rather than character references.
	Body string `xml:",innerxml"`
}

// Write writes r as JUnit XML.
func (JUnit) Write(w io.Writer, r *audit.Report) error {
	out := junitSuites{Name: r.Tool.Name}
	for _, p := range r.Pages {
		s := junitSuiteOf(p, r.Rules)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, s)
	}
	if v := r.Verdict; v != nil && v.Partial {
		// An interrupted run is an error a CI page shows, not a green
		// suite that covered less than was asked.
		msg := xmlText(v.Line())
		out.Tests++
		out.Errors++
		out.Suites = append(out.Suites, junitSuite{Name: "run", Tests: 1, Errors: 1, Time: "0", Cases: []junitCase{{
			ClassName: "newsa11y", Name: "the run finished", Time: "0",
			Error: &junitProblem{Message: msg, Type: "interrupted", Body: msg},
		}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitSuiteOf(p audit.PageResult, rules []audit.RuleInfo) junitSuite {
	s := junitSuite{Name: xmlSafe(p.URL), Time: "0"}
	names := map[string]int{}
	add := func(c junitCase) {
		key := c.ClassName + "\x00" + c.Name
		if n := names[key]; n > 0 {
			c.Name = fmt.Sprintf("%s (%d)", c.Name, n+1)
		}
		names[key]++
		c.Time = "0"
		s.Tests++
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	prefix := "[" + xmlSafe(p.URL) + "] "
	if p.Failed() {
		add(junitCase{ClassName: "newsa11y", Name: prefix + "page loads", Error: &junitProblem{
			Message: xmlSafe(audit.Truncate(p.Error, 200)), Type: p.ErrorCause,
			Body: xmlText(fmt.Sprintf("The page could not be audited (%s), so it is not a pass.\n%s", p.ErrorCause, p.Error)),
		}})
		return s
	}
	reported := map[string]bool{}
	for _, f := range p.Findings {
		reported[f.Rule] = true
		c := junitCase{ClassName: f.Rule, Name: prefix + xmlSafe(f.Selector)}
		text := xmlText(findingText(p, f))
		switch {
		case f.Outcome == audit.Review:
			c.SystemOut = &junitText{Body: "needs review: " + text}
		case f.Baseline == audit.BaselineKnown:
			c.Skipped = &junitProblem{Message: "known in the baseline", Body: text}
		default:
			c.Failure = &junitProblem{Message: xmlSafe(audit.Truncate(f.Message, 200)), Type: f.Severity.String(), Body: text}
		}
		add(c)
	}
	skipped := map[string]string{}
	for _, sk := range p.Skipped {
		skipped[sk.Rule] = sk.Reason
	}
	for _, e := range p.RuleErrors {
		reported[e.Rule] = true
		add(junitCase{ClassName: e.Rule, Name: prefix + "rule ran", Error: &junitProblem{Message: "the rule failed", Type: "rule-error", Body: xmlText(e.Error)}})
	}
	for _, ri := range rules {
		switch {
		case reported[ri.ID]:
		case skipped[ri.ID] != "":
			add(junitCase{ClassName: ri.ID, Name: prefix + "not run", Skipped: &junitProblem{Message: xmlSafe(skipped[ri.ID])}})
		default:
			add(junitCase{ClassName: ri.ID, Name: prefix + "no problems"})
		}
	}
	return s
}

// findingText is the readable description of a finding for a failure body.
func findingText(p audit.PageResult, f audit.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s)\n", f.Message, f.Severity, f.Rule)
	fmt.Fprintf(&b, "Page: %s\nElement: %s\nSelector: %s\n", p.URL, f.Snippet, f.Selector)
	if f.Baseline != "" {
		fmt.Fprintf(&b, "Baseline: %s\n", f.Baseline)
	}
	fmt.Fprintf(&b, "How to fix: %s\nMore: %s", f.Help, f.HelpURL)
	return b.String()
}

// xmlSafe drops the characters XML 1.0 cannot carry, which a page can put
// in its text; encoding/xml escapes the rest.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}

// xmlText escapes text for an element body, keeping line breaks.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(xmlSafe(s))
}
