package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/sourceline"
	"github.com/newsa11y/newsa11y/reports"
)

// reportSpec is one --report value.
type reportSpec struct {
	format string
	path   string // "-" for standard output
	writer reports.Writer
	// streamed is set when the run wrote the report page by page already.
	streamed bool
	// input names the value for messages: "--report json=out.json".
	input string
}

// parseReports reads the --report values: FORMAT[=PATH], text to standard
// output when there is none. It refuses an unknown format and more than
// one report to standard output; input names where the values came from,
// for its errors. The paths are checked by prepareOutputs.
func parseReports(values []string, input string) ([]reportSpec, error) {
	outs, err := parseOutputs(values, input, "report", reports.Formats())
	if err != nil {
		return nil, err
	}
	specs := make([]reportSpec, 0, len(outs))
	for _, o := range outs {
		w, _ := reports.ForFormat(o.format) // known: parseOutputs checked it
		specs = append(specs, reportSpec{format: o.format, path: o.path, writer: w, input: input + " " + o.value})
	}
	return specs, nil
}

// An output is one FORMAT[=PATH] value of a --report flag: path is "-"
// for standard output.
type output struct {
	value, format, path string
}

// parseOutputs splits --report values of a command whose outputs are
// called what ("report", "history") into formats and paths: text to
// standard output when there is none, a value without PATH to standard
// output. It refuses a format not among formats and more than one output
// to standard output; input names where the values came from.
func parseOutputs(values []string, input, what string, formats []string) ([]output, error) {
	if len(values) == 0 {
		values = []string{"text"}
	}
	var outs []output
	toStdout := 0
	for _, v := range values {
		format, path, _ := strings.Cut(v, "=")
		if path == "" {
			path = "-"
		}
		if !slices.Contains(formats, format) {
			return nil, fmt.Errorf("%s %q: unknown %s format %q; want FORMAT[=PATH] with FORMAT one of %s", input, v, what, format, strings.Join(formats, ", "))
		}
		if path == "-" {
			toStdout++
		}
		outs = append(outs, output{value: v, format: format, path: path})
	}
	if toStdout > 1 {
		return nil, fmt.Errorf("%s: only one %s can go to standard output; give the others a PATH (FORMAT=PATH)", input, what)
	}
	return outs, nil
}

// prepareOutputs checks, before any page is loaded, that every file the
// run will write can be written: each report's path and the
// --update-baseline file. A missing parent folder is created (as pa11y-ci
// and Lighthouse CI do); a path that is a folder, or that cannot be
// created or opened for writing, is an error naming the input.
func prepareOutputs(s *settings) error {
	for _, r := range s.reports {
		if r.path == "-" {
			continue
		}
		if err := checkWritable(r.path); err != nil {
			return fmt.Errorf("%s: %v", r.input, err)
		}
	}
	if s.updateBaseline != "" {
		if err := checkWritable(s.updateBaseline); err != nil {
			return fmt.Errorf("--update-baseline %s: %v", s.updateBaseline, err)
		}
	}
	return nil
}

// checkWritable makes sure a file can be written at path: its folder
// exists (created when missing), the path is not a folder, and it opens
// for writing, without blocking (a FIFO with no reader is refused) and
// without truncating it. A file it had to create is removed again.
func checkWritable(path string) error {
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		return errors.New("is a folder; want a file path")
	}
	existed := err == nil
	if dir := filepath.Dir(path); !existed {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cannot create its folder: %v", unwrapPath(err))
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|syscall.O_NONBLOCK, 0o644)
	if err != nil {
		return fmt.Errorf("cannot write it: %v", unwrapPath(err))
	}
	f.Close()
	if !existed {
		os.Remove(path)
	}
	return nil
}

// unwrapPath returns the reason of a path error, without the operation
// and path the caller's message already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// readBaseline reads the baseline file at path; an empty path means no
// baseline, and a nil one. A missing file's error wraps os.ErrNotExist:
// the first run of "--baseline F --update-baseline F" has none yet.
func readBaseline(path string) (*audit.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("--baseline %s: no such file; record one first with --update-baseline %s: %w", path, path, os.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	defer f.Close()
	b, err := audit.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// writeBaseline writes the report's findings as a baseline file at path,
// unless a page failed to load, with the canonical identity of each page
// identity holds (nil for results read back from files).
func writeBaseline(path string, rep *audit.Report, identity map[string]string) error {
	for _, p := range rep.Pages {
		if p.Failed() {
			return fmt.Errorf("not writing baseline %s: page %s failed to load, and a baseline without its findings would hide them", path, p.URL)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	b := audit.BaselineFrom(rep)
	b.SetPages(identity)
	werr := audit.WriteBaseline(f, b)
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("write baseline %s: %w", path, err)
	}
	return nil
}

// finish ends the audit, report and merge commands alike: it runs the
// post-processing chain over the report (with the settings' ignores, the
// baseline, and the pages of the run an audit resumed), prints the
// warnings, writes the baseline and the reports, and returns the exit
// decision. An interrupted run writes no baseline.
func finish(rep *audit.Report, s *settings, base *audit.Baseline, resumed []audit.PageResult, interrupted bool, stdout, stderr io.Writer) error {
	audit.Process(rep, audit.Processors(audit.ProcessOptions{
		Resumed:  resumed,
		Ignores:  s.ignores,
		Today:    time.Now(),
		Baseline: base,
	}))
	// Findings on local files get the line of their element in the file,
	// for code-scanning reports (SARIF, Code Quality).
	sourceline.Fill(rep)
	for _, w := range rep.Warnings {
		fmt.Fprintln(stderr, "newsa11y: warning:", safeLine(w))
	}
	if s.updateBaseline != "" && !interrupted {
		if err := writeBaseline(s.updateBaseline, rep, s.identity); err != nil {
			return fault("%v", err)
		}
	}
	exit := exitFor(rep, s, interrupted, stderr)
	rep.Verdict = verdictOf(exit)
	if err := writeReports(s.reports, rep, stdout); err != nil {
		return fault("%v", err)
	}
	if exit.code == ExitOK {
		return nil
	}
	return exit
}

// writeReports writes each report the settings ask for, to its file or to
// standard output, except those the run streamed already.
func writeReports(specs []reportSpec, rep *audit.Report, stdout io.Writer) error {
	for _, s := range specs {
		if s.streamed {
			continue
		}
		if s.path == "-" {
			if err := s.writer.Write(stdout, rep); err != nil {
				return fmt.Errorf("write %s report: %w", s.format, err)
			}
			continue
		}
		f, err := os.Create(s.path)
		if err != nil {
			return fmt.Errorf("write %s report: %w", s.format, err)
		}
		werr := s.writer.Write(f, rep)
		cerr := f.Close()
		if err := errors.Join(werr, cerr); err != nil {
			return fmt.Errorf("write %s report to %s: %w", s.format, s.path, err)
		}
	}
	return nil
}

// exitFor decides the exit code: an interruption, then failed pages beyond
// --allow-failed-pages or a failed rule (the tool did not do its whole
// job), then findings that reach the gate: violations at or above
// --fail-on (new ones only, under a baseline), and with --fail-on-review
// reviews at the same threshold (any review under --fail-on none). Every
// outcome, a pass included, is an *exitError whose message says why; the
// verdict line of the reports is made of it.
func exitFor(rep *audit.Report, s *settings, interrupted bool, stderr io.Writer) *exitError {
	if interrupted {
		return &exitError{code: ExitInterrupted, err: fmt.Errorf("interrupted; the reports hold the %s finished so far", pagesWord(len(rep.Pages)))}
	}
	failed := 0
	var problems []string
	for _, p := range rep.Pages {
		if p.Failed() {
			failed++
			problems = append(problems, fmt.Sprintf("%s: %s", p.URL, p.Error))
		}
		for _, e := range p.RuleErrors {
			problems = append(problems, fmt.Sprintf("%s: rule %s failed: %s", p.URL, e.Rule, firstLine(e.Error)))
		}
	}
	// What pages say (a reason phrase, a title in an error) reaches the
	// terminal without its control characters.
	for _, msg := range problems {
		fmt.Fprintln(stderr, "newsa11y:", safeLine(msg))
	}
	ruleErrors := len(problems) - failed
	// Pages of missing or unfinished shards were not audited either.
	failed += s.lacking
	switch {
	case ruleErrors > 0:
		return &exitError{code: ExitFault, quiet: true, err: fmt.Errorf("%s failed, so the audit is incomplete", plural(ruleErrors, "rule run", "rule runs"))}
	case failed > s.allowFailedPages:
		return &exitError{code: ExitFault, quiet: true, err: fmt.Errorf("%s could not be audited%s (--allow-failed-pages %d)", pagesWord(failed), lackingWords(s.lacking), s.allowFailedPages)}
	}
	new := "new "
	if rep.Baseline == nil {
		new = ""
	}
	violations, reviews := 0, 0
	for _, p := range rep.Pages {
		for _, f := range p.Findings {
			if f.Baseline == audit.BaselineKnown {
				continue
			}
			switch {
			case f.Outcome == audit.Violation && s.gate != 0 && f.Severity >= s.gate:
				violations++
			case f.Outcome == audit.Review && s.failOnReview && (s.gate == 0 || f.Severity >= s.gate):
				reviews++
			}
		}
	}
	reviewWords := plural(reviews, new+"finding", new+"findings") + " to review"
	if s.gate != 0 {
		reviewWords += fmt.Sprintf(" at %s or worse", s.gate)
	}
	switch {
	case violations > 0 && reviews > 0:
		return &exitError{code: ExitViolations, quiet: true, err: fmt.Errorf("%s at %s or worse, and %s", plural(violations, new+"violation", new+"violations"), s.gate, reviewWords)}
	case violations > 0:
		return &exitError{code: ExitViolations, quiet: true, err: fmt.Errorf("%s at %s or worse (--fail-on %s)", plural(violations, new+"violation", new+"violations"), s.gate, s.gate)}
	case reviews > 0:
		return &exitError{code: ExitViolations, quiet: true, err: fmt.Errorf("%s (--fail-on-review)", reviewWords)}
	}
	reason := "no gate was set (--fail-on none)"
	if s.gate != 0 {
		reason = fmt.Sprintf("no %sviolation at %s or worse", new, s.gate)
	}
	if failed > 0 {
		reason += fmt.Sprintf("; %s could not be audited%s, as --allow-failed-pages allows", pagesWord(failed), lackingWords(s.lacking))
	}
	return &exitError{code: ExitOK, quiet: true, err: errors.New(reason)}
}

// lackingWords says how many of the pages not audited belong to missing
// or unfinished shards, or "" when none does.
func lackingWords(lacking int) string {
	if lacking == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d of them in shards missing or unfinished)", lacking)
}

// verdictOf turns the exit decision into the reports' verdict.
func verdictOf(e *exitError) *audit.Verdict {
	return &audit.Verdict{Exit: e.code, Reason: e.err.Error(), Partial: e.code == ExitInterrupted}
}

// pagesWord returns "1 page" or "3 pages".
func pagesWord(n int) string { return plural(n, "page", "pages") }

// plural returns "1 page" or "3 pages".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
