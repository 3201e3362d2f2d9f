package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/rules"
)

func auditCommand(stdin io.Reader, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "audit pages: URLs, .html files, folders of them, - for standard input; the embedded sample when none is given",
		ArgsUsage: "[URL | FILE | FOLDER | -]...",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "report", Aliases: []string{"r"}, Usage: "write a report as `FORMAT[=PATH]` (text, json, html); repeatable; no PATH or - means standard output (default: text)"},
			&cli.StringFlag{Name: "fail-on", Value: "minor", Usage: "exit 2 when a violation of this `SEVERITY` or worse is found: critical, serious, moderate, minor, or none to report only"},
			&cli.IntFlag{Name: "concurrency", Aliases: []string{"c"}, Value: 2, Usage: "pages audited at once, in tabs of one browser"},
			&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "time a page gets to load"},
			&cli.StringFlag{Name: "chrome-path", Usage: "the Chrome or Chromium `EXECUTABLE` (default: $CHROME_PATH, then chromium, google-chrome… on PATH)"},
			&cli.BoolFlag{Name: "block-third-party", Usage: "refuse requests to hosts other than the page's own site (for saved pages)"},
			&cli.StringFlag{Name: "viewport", Value: "1280x800", Usage: "window size as `WIDTHxHEIGHT`"},
			&cli.BoolFlag{Name: "mobile", Usage: "also audit each page at 390x844 as a touch phone; findings say at which viewports they were seen"},
			&cli.StringSliceFlag{Name: "hide-elements", Usage: "remove the elements matching CSS `SELECTOR` (a consent banner, an admin bar) before the audit; repeatable; reports say what was removed"},
			&cli.BoolFlag{Name: "static", Usage: "parse the HTML without a browser; rules that need layout or the accessibility tree are skipped"},
		},
		Action: func(c *cli.Context) error {
			return runAudit(c, stdin, stdout, stderr)
		},
	}
}

// reportSpec is one --report value.
type reportSpec struct {
	format string
	path   string // "-" for standard output
	writer reports.Writer
}

func parseReports(values []string) ([]reportSpec, error) {
	if len(values) == 0 {
		values = []string{"text"}
	}
	var specs []reportSpec
	toStdout := 0
	for _, v := range values {
		format, path, _ := strings.Cut(v, "=")
		if path == "" {
			path = "-"
		}
		w, err := reports.ForFormat(format)
		if err != nil {
			return nil, err
		}
		if path == "-" {
			toStdout++
		} else if dir := filepath.Dir(path); dir != "." {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return nil, fmt.Errorf("report %s: folder %s does not exist", v, dir)
			}
		}
		specs = append(specs, reportSpec{format: format, path: path, writer: w})
	}
	if toStdout > 1 {
		return nil, errors.New("only one report can go to standard output; give the others a PATH")
	}
	return specs, nil
}

func parseViewport(s string) (audit.Viewport, error) {
	w, h, ok := strings.Cut(strings.ToLower(s), "x")
	wi, werr := strconv.Atoi(w)
	hi, herr := strconv.Atoi(h)
	if !ok || werr != nil || herr != nil || wi < 100 || hi < 100 || wi > 10000 || hi > 10000 {
		return audit.Viewport{}, fmt.Errorf("viewport %q: want WIDTHxHEIGHT in CSS pixels, e.g. 1280x800", s)
	}
	return audit.Viewport{Width: wi, Height: hi}, nil
}

// parseFailOn returns the gate: the lowest severity that fails the run, or
// 0 for none.
func parseFailOn(s string) (audit.Severity, error) {
	if strings.EqualFold(s, "none") {
		return 0, nil
	}
	sev, err := audit.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w, or none", err)
	}
	return sev, nil
}

func runAudit(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	specs, err := parseReports(c.StringSlice("report"))
	if err != nil {
		return fault("%v", err)
	}
	gate, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return fault("%v", err)
	}
	vp, err := parseViewport(c.String("viewport"))
	if err != nil {
		return fault("%v", err)
	}
	if c.Int("concurrency") < 1 {
		return fault("--concurrency must be at least 1")
	}
	if c.Bool("static") && (c.Bool("mobile") || len(c.StringSlice("hide-elements")) > 0) {
		return fault("--mobile and --hide-elements need the browser; they cannot be used with --static")
	}
	var viewports []audit.Viewport
	if c.Bool("mobile") {
		viewports = []audit.Viewport{vp, audit.MobileViewport}
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()

	resolver := &target.Resolver{Stdin: stdin}
	defer resolver.Close()
	targets, err := resolver.Resolve(c.Args().Slice())
	if err != nil {
		return fault("%v", err)
	}

	var loader audit.Loader
	if c.Bool("static") {
		loader = &static.Loader{Timeout: c.Duration("timeout")}
	} else {
		path, err := chrome.FindChrome(c.String("chrome-path"))
		if err != nil {
			return fault("%v", err)
		}
		b, err := chrome.Launch(chrome.Options{
			ExecPath:        path,
			Timeout:         c.Duration("timeout"),
			Viewport:        vp,
			BlockThirdParty: c.Bool("block-third-party"),
			HideElements:    c.StringSlice("hide-elements"),
			Headful:         os.Getenv("NEWSA11Y_HEADFUL") != "",
		})
		if err != nil {
			return fault("%v", err)
		}
		defer b.Close()
		loader = b
	}

	runner := &audit.Runner{
		Loader:      loader,
		Rules:       rules.All(),
		Summarizers: rules.Summarizers(),
		Concurrency: c.Int("concurrency"),
		Viewports:   viewports,
		Tool:        audit.Tool{Name: "newsa11y", Version: toolVersion()},
	}
	rep := runner.Run(ctx, targets)
	if err := writeReports(specs, rep, stdout); err != nil {
		return fault("%v", err)
	}
	return exitFor(rep, gate, ctx.Err() != nil, stderr)
}

func writeReports(specs []reportSpec, rep *audit.Report, stdout io.Writer) error {
	for _, s := range specs {
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

// exitFor decides the exit code: an interruption, then a failed page or a
// failed rule (the tool did not do its whole job), then violations at or
// above the gate.
func exitFor(rep *audit.Report, gate audit.Severity, interrupted bool, stderr io.Writer) error {
	if interrupted {
		return &exitError{code: ExitInterrupted, err: errors.New("interrupted; the reports hold the pages finished so far")}
	}
	var problems []string
	for _, p := range rep.Pages {
		if p.Failed() {
			problems = append(problems, fmt.Sprintf("%s: %s", p.URL, p.Error))
		}
		for _, e := range p.RuleErrors {
			problems = append(problems, fmt.Sprintf("%s: rule %s failed: %s", p.URL, e.Rule, firstLine(e.Error)))
		}
	}
	if len(problems) > 0 {
		for _, msg := range problems {
			fmt.Fprintln(stderr, "newsa11y:", msg)
		}
		return &exitError{code: ExitFault}
	}
	if gate == 0 {
		return nil
	}
	for _, p := range rep.Pages {
		for _, f := range p.Findings {
			if f.Outcome == audit.Violation && f.Severity >= gate {
				return &exitError{code: ExitViolations}
			}
		}
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
