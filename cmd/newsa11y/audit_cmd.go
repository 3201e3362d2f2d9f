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
	"github.com/newsa11y/newsa11y/config"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/rules"
)

// env names the environment variable that sets a flag: NEWSA11Y_ and the
// flag's name in upper case with underscores.
func env(flag string) []string {
	return []string{"NEWSA11Y_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))}
}

func auditCommand(stdin io.Reader, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "audit pages: URLs, .html files, folders of them, - for standard input; the config's urls or the embedded sample when none is given",
		ArgsUsage: "[URL | FILE | FOLDER | -]...",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "report", Aliases: []string{"r"}, EnvVars: env("report"), Usage: "write a report as `FORMAT[=PATH]` (text, json, html, sarif, junit, markdown); repeatable; no PATH or - means standard output (default: text)"},
			&cli.StringFlag{Name: "fail-on", Value: "minor", EnvVars: env("fail-on"), Usage: "exit 2 when a violation of this `SEVERITY` or worse is found: critical, serious, moderate, minor, or none to report only"},
			&cli.BoolFlag{Name: "fail-on-review", EnvVars: env("fail-on-review"), Usage: "let findings that need review fail the run too"},
			&cli.IntFlag{Name: "allow-failed-pages", EnvVars: env("allow-failed-pages"), Usage: "tolerate up to `N` pages that fail to load before exiting 1"},
			&cli.StringFlag{Name: "baseline", EnvVars: env("baseline"), Usage: "compare with a baseline `FILE`: only findings it does not hold are new, and only new ones fail the run"},
			&cli.StringFlag{Name: "update-baseline", EnvVars: env("update-baseline"), Usage: "write this run's findings as a baseline `FILE`"},
			&cli.StringFlag{Name: "config", EnvVars: env("config"), Usage: "read settings from `FILE` (default: .newsa11y.yml, .newsa11y.yaml or .newsa11y.json here)"},
			&cli.BoolFlag{Name: "no-config", EnvVars: env("no-config"), Usage: "read no configuration file"},
			&cli.IntFlag{Name: "concurrency", Aliases: []string{"c"}, Value: 2, EnvVars: env("concurrency"), Usage: "pages audited at once, in tabs of one browser"},
			&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, EnvVars: env("timeout"), Usage: "time a page gets to load"},
			&cli.StringFlag{Name: "chrome-path", EnvVars: env("chrome-path"), Usage: "the Chrome or Chromium `EXECUTABLE` (default: $CHROME_PATH, then chromium, google-chrome… on PATH)"},
			&cli.BoolFlag{Name: "block-third-party", EnvVars: env("block-third-party"), Usage: "refuse requests to hosts other than the page's own site (for saved pages)"},
			&cli.StringFlag{Name: "viewport", Value: "1280x800", EnvVars: env("viewport"), Usage: "window size as `WIDTHxHEIGHT`"},
			&cli.BoolFlag{Name: "static", EnvVars: env("static"), Usage: "parse the HTML without a browser; rules that need layout or the accessibility tree are skipped"},
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

// settings are the audit's options once flags, environment and the
// configuration file are combined: a flag or variable that is set wins,
// then the file's defaults, then the flag's default.
type settings struct {
	reports          []reportSpec
	gate             audit.Severity
	failOnReview     bool
	allowFailedPages int
	concurrency      int
	timeout          time.Duration
	chromePath       string
	blockThirdParty  bool
	viewport         audit.Viewport
	static           bool
	baseline         string
	updateBaseline   string
	ignores          []audit.Ignore
	targets          []string
	timeouts         map[string]time.Duration
}

func resolveSettings(c *cli.Context, cfg *config.File) (*settings, error) {
	d := config.Options{}
	if cfg != nil {
		d = cfg.Defaults
	}
	str := func(flag string, v *string) string {
		if c.IsSet(flag) || v == nil {
			return c.String(flag)
		}
		return *v
	}
	boolean := func(flag string, v *bool) bool {
		if c.IsSet(flag) || v == nil {
			return c.Bool(flag)
		}
		return *v
	}
	integer := func(flag string, v *int) int {
		if c.IsSet(flag) || v == nil {
			return c.Int(flag)
		}
		return *v
	}
	s := &settings{
		failOnReview:     boolean("fail-on-review", d.FailOnReview),
		allowFailedPages: integer("allow-failed-pages", d.AllowFailedPages),
		concurrency:      integer("concurrency", d.Concurrency),
		timeout:          c.Duration("timeout"),
		chromePath:       str("chrome-path", d.ChromePath),
		blockThirdParty:  boolean("block-third-party", d.BlockThirdParty),
		static:           boolean("static", d.Static),
		baseline:         str("baseline", d.Baseline),
		updateBaseline:   c.String("update-baseline"),
		targets:          c.Args().Slice(),
		timeouts:         map[string]time.Duration{},
	}
	if !c.IsSet("timeout") && d.Timeout != nil {
		s.timeout = time.Duration(*d.Timeout)
	}
	reports := c.StringSlice("report")
	if !c.IsSet("report") && len(d.Reports) > 0 {
		reports = d.Reports
	}
	var err error
	if s.reports, err = parseReports(reports); err != nil {
		return nil, err
	}
	if s.gate, err = parseFailOn(str("fail-on", d.FailOn)); err != nil {
		return nil, err
	}
	if s.viewport, err = parseViewport(str("viewport", d.Viewport)); err != nil {
		return nil, err
	}
	if s.concurrency < 1 {
		return nil, errors.New("--concurrency must be at least 1")
	}
	if s.allowFailedPages < 0 {
		return nil, errors.New("--allow-failed-pages cannot be negative")
	}
	if cfg == nil {
		return s, nil
	}
	if len(s.targets) == 0 {
		for _, u := range cfg.URLs {
			s.targets = append(s.targets, u.URL)
			if u.Timeout != nil {
				s.timeouts[u.URL] = time.Duration(*u.Timeout)
			}
		}
	}
	for _, ig := range cfg.Ignore {
		entry := audit.Ignore{Rule: ig.Rule, URL: ig.URL, Selector: ig.Selector, Reason: ig.Reason, Source: fmt.Sprintf("%s:%d", cfg.Path, ig.Line)}
		if ig.Expires != "" {
			entry.Expires, _ = time.Parse(time.DateOnly, ig.Expires)
		}
		s.ignores = append(s.ignores, entry)
	}
	return s, nil
}

func runAudit(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg *config.File
	if !c.Bool("no-config") {
		var err error
		if cfg, err = config.Find(".", c.String("config")); err != nil {
			return fault("%v", err)
		}
	}
	s, err := resolveSettings(c, cfg)
	if err != nil {
		return fault("%v", err)
	}
	for _, arg := range s.targets {
		if strings.HasPrefix(arg, "--") {
			return fault("flags go before the targets: %s comes after one (newsa11y audit [flags] TARGET...)", arg)
		}
	}
	var base *audit.Baseline
	if s.baseline != "" {
		if base, err = readBaseline(s.baseline); err != nil {
			return fault("%v", err)
		}
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()

	resolver := &target.Resolver{Stdin: stdin}
	defer resolver.Close()
	targets, err := resolver.Resolve(s.targets)
	if err != nil {
		return fault("%v", err)
	}
	for i := range targets {
		targets[i].Timeout = s.timeouts[targets[i].Input]
	}

	var loader audit.Loader
	if s.static {
		loader = &static.Loader{Timeout: s.timeout}
	} else {
		path, err := chrome.FindChrome(s.chromePath)
		if err != nil {
			return fault("%v", err)
		}
		b, err := chrome.Launch(chrome.Options{
			ExecPath:        path,
			Timeout:         s.timeout,
			Viewport:        s.viewport,
			BlockThirdParty: s.blockThirdParty,
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
		Concurrency: s.concurrency,
		Tool:        audit.Tool{Name: "newsa11y", Version: toolVersion()},
	}
	rep := runner.Run(ctx, targets)
	postProcess(rep, s, base, time.Now())
	for _, w := range rep.Warnings {
		fmt.Fprintln(stderr, "newsa11y: warning:", w)
	}
	if s.updateBaseline != "" {
		if err := writeBaseline(s.updateBaseline, rep); err != nil {
			return fault("%v", err)
		}
	}
	if err := writeReports(s.reports, rep, stdout); err != nil {
		return fault("%v", err)
	}
	return exitFor(rep, s, ctx.Err() != nil, stderr)
}

// postProcess applies the steps that follow the audit, in order.
func postProcess(rep *audit.Report, s *settings, base *audit.Baseline, now time.Time) {
	// Ignores run first, so that accepted findings neither count as
	// template findings nor enter a baseline.
	rep.Warnings = append(rep.Warnings, audit.ApplyIgnores(rep, s.ignores, now)...)
	rep.Templates = audit.TemplateFindings(rep)
	// Must run after ignores: the baseline compares what is still reported.
	if base != nil {
		audit.ApplyBaseline(rep, base)
	}
}

func readBaseline(path string) (*audit.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	defer f.Close()
	b, err := audit.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

func writeBaseline(path string, rep *audit.Report) error {
	for _, p := range rep.Pages {
		if p.Failed() {
			return fmt.Errorf("not writing baseline %s: page %s failed to load, and a baseline without its findings would hide them", path, p.URL)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	werr := audit.WriteBaseline(f, audit.BaselineFrom(rep))
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("write baseline %s: %w", path, err)
	}
	return nil
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

// exitFor decides the exit code: an interruption, then failed pages beyond
// --allow-failed-pages or a failed rule (the tool did not do its whole
// job), then findings that reach the gate: violations at or above
// --fail-on (new ones only, under a baseline), and reviews too with
// --fail-on-review.
func exitFor(rep *audit.Report, s *settings, interrupted bool, stderr io.Writer) error {
	if interrupted {
		return &exitError{code: ExitInterrupted, err: errors.New("interrupted; the reports hold the pages finished so far")}
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
	for _, msg := range problems {
		fmt.Fprintln(stderr, "newsa11y:", msg)
	}
	ruleFailed := len(problems) > failed
	if failed > s.allowFailedPages || ruleFailed {
		return &exitError{code: ExitFault}
	}
	if s.gate == 0 && !s.failOnReview {
		return nil
	}
	for _, p := range rep.Pages {
		for _, f := range p.Findings {
			if f.Baseline == audit.BaselineKnown {
				continue
			}
			if f.Outcome == audit.Violation && s.gate != 0 && f.Severity >= s.gate || f.Outcome == audit.Review && s.failOnReview {
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
