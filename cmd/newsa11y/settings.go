package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/access"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/config"
	"github.com/newsa11y/newsa11y/rules"
)

// settings are a command's options once flags, environment and the
// configuration file are combined: a flag or variable that is set wins,
// then the file's defaults, then the flag's default.
type settings struct {
	// Output and gating, for every command.
	reports          []reportSpec
	gate             audit.Severity
	failOnReview     bool
	allowFailedPages int
	baseline         string
	updateBaseline   string
	// store is the results store's DSN (--store); runID the run's id in
	// it (see runID).
	store string
	runID string

	// The audit command's own.
	concurrency     int
	retries         int
	timeout         time.Duration
	chromePath      string
	remoteBrowser   string
	blockThirdParty bool
	viewport        audit.Viewport
	static          bool
	mobile          bool
	hideElements    []string
	// gates get pages behind logins through; nil when none is given.
	gates           *access.Gates
	quiet           bool
	timings         bool
	isolation       chrome.Isolation
	setup           []chrome.SetupStep
	setupPer        chrome.SetupPer
	consent         string
	ignores         []audit.Ignore
	targets         []string
	timeouts        map[string]time.Duration
	urlsFile        string
	sitemaps, feeds []string
	filter          target.Filter
	maxPages        int
	maxSitemaps     int
	shard, shards   int
	resume          string
	// sample asks for the embedded sample (--sample, or the demo command).
	sample bool
	// identity maps each page's input to its canonical identity (see
	// pageIdentities); nil for results read back from files.
	identity map[string]string
}

// lookup reads options with the precedence of settings, and names where
// each came from, so that an error about a value names the input the user
// wrote: the flag, the environment variable, or the configuration key.
type lookup struct {
	c   *cli.Context
	d   config.Options
	cfg *config.File
}

func (l lookup) str(flag string, v *string) string {
	if l.c.IsSet(flag) || v == nil {
		return l.c.String(flag)
	}
	return *v
}

func (l lookup) boolean(flag string, v *bool) bool {
	if l.c.IsSet(flag) || v == nil {
		return l.c.Bool(flag)
	}
	return *v
}

func (l lookup) integer(flag string, v *int) int {
	if l.c.IsSet(flag) || v == nil {
		return l.c.Int(flag)
	}
	return *v
}

// list reads a repeatable flag: its values on the command line; else its
// environment variable, one value a line (a comma may belong to a path
// or a selector); else the configuration file's list.
func (l lookup) list(flag string, v []string) []string {
	if l.c.IsSet(flag) {
		return l.c.StringSlice(flag)
	}
	if val, ok := os.LookupEnv(env(flag)[0]); ok && strings.TrimSpace(val) != "" {
		return envList(val)
	}
	return v
}

// envList splits a repeatable flag's environment value into its values:
// one a line, blank lines left out.
func envList(val string) []string {
	var out []string
	for _, line := range strings.Split(val, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// name names the input a flag's value came from: "--flag" on the command
// line, "NEWSA11Y_FLAG" from the environment, "config FILE: line N:
// defaults.KEY" from the configuration file.
func (l lookup) name(flag string) string {
	envName := env(flag)[0]
	if givenOnCommandLine(flag) {
		return dashed(flag)
	}
	if os.Getenv(envName) != "" {
		return envName
	}
	if l.cfg != nil {
		key := "defaults." + configKey(flag)
		if line, ok := l.cfg.Lines[key]; ok {
			return fmt.Sprintf("config %s: line %d: %s", l.cfg.Path, line, key)
		}
	}
	return dashed(flag)
}

// configKey is the configuration key of a flag: its name with
// underscores, and reports for --report.
func configKey(flag string) string {
	if flag == "report" {
		return "reports"
	}
	return strings.ReplaceAll(flag, "-", "_")
}

// commandLine holds the program's arguments, so that an error can tell a
// flag given on the command line from one set by the environment.
var commandLine []string

// givenOnCommandLine reports whether the flag, or its short alias, is on
// the command line before the targets.
func givenOnCommandLine(flag string) bool {
	names := []string{flag}
	if a := canonicalAlias(flag); a != "" {
		names = append(names, a)
	}
	for _, arg := range commandLine {
		if arg == "--" {
			return false
		}
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		arg, _, _ = strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if slices.Contains(names, arg) {
			return true
		}
	}
	return false
}

// canonicalAlias returns a flag's short alias, or "".
func canonicalAlias(flag string) string {
	for _, f := range allFlags() {
		if n := f.Names(); n[0] == flag && len(n) > 1 {
			return n[1]
		}
	}
	return ""
}

// newLookup reads options from the command line and environment over the
// configuration file's defaults, when there is a file.
func newLookup(c *cli.Context, cfg *config.File) lookup {
	l := lookup{c: c, cfg: cfg}
	if cfg != nil {
		l.d = cfg.Defaults
	}
	return l
}

// valueError is the error of a value: the input it came from, the value,
// and what is wanted.
func valueError(input, value, want string) error {
	return fmt.Errorf("%s %q: %s", input, value, want)
}

// resolveOutput reads the output and gating options every command has.
func resolveOutput(c *cli.Context, cfg *config.File) (*settings, error) {
	l := newLookup(c, cfg)
	s := &settings{
		failOnReview:     l.boolean("fail-on-review", l.d.FailOnReview),
		allowFailedPages: l.integer("allow-failed-pages", l.d.AllowFailedPages),
		baseline:         l.str("baseline", l.d.Baseline),
		updateBaseline:   c.String("update-baseline"),
		store:            c.String("store"),
		runID:            runID(c.String("run-id"), time.Now()),
		timeouts:         map[string]time.Duration{},
	}
	var err error
	if s.reports, err = parseReports(l.list("report", l.d.Reports), l.name("report")); err != nil {
		return nil, err
	}
	failOn := l.str("fail-on", l.d.FailOn)
	if s.gate, err = parseFailOn(failOn); err != nil {
		return nil, valueError(l.name("fail-on"), failOn, "want critical, serious, moderate, minor or none")
	}
	if s.allowFailedPages < 0 {
		return nil, valueError(l.name("allow-failed-pages"), strconv.Itoa(s.allowFailedPages), "want 0 or more pages")
	}
	return s, nil
}

// resolveAudit reads every option of the audit command, phase by phase:
// the output and gating options every command has, how pages are loaded,
// which pages, then what the configuration file adds; last, it checks the
// options against each other, and the report and baseline paths it will
// write. The first error stops it.
func resolveAudit(c *cli.Context, cfg *config.File, now time.Time, stdinTerminal bool) (*settings, error) {
	s, err := resolveOutput(c, cfg)
	if err != nil {
		return nil, err
	}
	l := newLookup(c, cfg)
	if err := resolveLoading(l, s); err != nil {
		return nil, err
	}
	if err := resolvePages(l, s, now); err != nil {
		return nil, err
	}
	if err := applyConfig(cfg, s); err != nil {
		return nil, err
	}
	if err := resolveGates(l, cfg, s); err != nil {
		return nil, err
	}
	if err := checkAudit(s, stdinTerminal); err != nil {
		return nil, err
	}
	if err := prepareOutputs(s); err != nil {
		return nil, err
	}
	return s, nil
}

// resolveLoading reads how pages are loaded and how the run goes: the
// browser and its options, or the static parser; concurrency, retries and
// the page timeout; progress and timings.
func resolveLoading(l lookup, s *settings) error {
	c := l.c
	s.concurrency = l.integer("concurrency", l.d.Concurrency)
	s.retries = l.integer("retries", l.d.Retries)
	s.timeout = c.Duration("timeout")
	if !c.IsSet("timeout") && l.d.Timeout != nil {
		s.timeout = time.Duration(*l.d.Timeout)
	}
	s.chromePath = l.str("chrome-path", l.d.ChromePath)
	s.remoteBrowser = c.String("remote-browser")
	s.blockThirdParty = l.boolean("block-third-party", l.d.BlockThirdParty)
	s.static = l.boolean("static", l.d.Static)
	s.mobile = l.boolean("mobile", l.d.Mobile)
	s.hideElements = l.list("hide-elements", l.d.HideElements)
	s.quiet = c.Bool("quiet")
	s.timings = c.Bool("timings")
	if s.timeout <= 0 {
		return valueError(l.name("timeout"), c.String("timeout"), "want a positive duration with a unit, such as 30s or 2m")
	}
	switch mode := l.str("consent", l.d.Consent); mode {
	case audit.ConsentAccept, audit.ConsentKeep, audit.ConsentHide:
		s.consent = mode
	default:
		return valueError(l.name("consent"), mode, "want accept, keep or hide")
	}
	switch iso := chrome.Isolation(l.str("isolation", l.d.Isolation)); iso {
	case chrome.IsolateContext, chrome.IsolateCleared:
		s.isolation = iso
	default:
		return valueError(l.name("isolation"), string(iso), "want context or cleared")
	}
	vp := l.str("viewport", l.d.Viewport)
	var err error
	if s.viewport, err = parseViewport(vp); err != nil {
		return valueError(l.name("viewport"), vp, "want WIDTHxHEIGHT in CSS pixels from 100 to 10000, e.g. 1280x800")
	}
	if s.concurrency < 1 {
		return valueError(l.name("concurrency"), strconv.Itoa(s.concurrency), "want 1 or more pages at once")
	}
	if s.retries < 0 {
		return valueError(l.name("retries"), strconv.Itoa(s.retries), "want 0 or more")
	}
	for _, sel := range s.hideElements {
		if err := checkSelector(sel); err != nil {
			return valueError(l.name("hide-elements"), sel, "not a CSS selector: "+err.Error())
		}
	}
	return nil
}

// resolvePages reads which pages to audit: the targets, the URL list,
// sitemaps and feeds with their filters, --max-pages, --shard, and the
// stream a resumed run continues.
func resolvePages(l lookup, s *settings, now time.Time) error {
	c := l.c
	s.targets = c.Args().Slice()
	s.sample = c.Bool("sample") || c.Command.Name == "demo"
	s.urlsFile = c.String("urls")
	s.sitemaps = l.list("sitemap", nil)
	s.feeds = l.list("feed", nil)
	s.maxPages = l.integer("max-pages", l.d.MaxPages)
	s.maxSitemaps = c.Int("max-sitemaps")
	s.resume = c.String("resume")
	if s.maxPages < 0 {
		return valueError(l.name("max-pages"), strconv.Itoa(s.maxPages), "want 0 (no limit) or more")
	}
	if s.maxSitemaps < 1 {
		return valueError(l.name("max-sitemaps"), strconv.Itoa(s.maxSitemaps), "want 1 or more")
	}
	var err error
	if v := l.str("since", l.d.Since); v != "" {
		if s.filter.Since, err = target.ParseSince(v, now); err != nil {
			return valueError(l.name("since"), v, "want a duration back from now such as 24h or 7d, or a date such as 2026-11-20")
		}
	}
	s.filter.Find, s.filter.Replace = c.String("sitemap-find"), c.String("sitemap-replace")
	if s.filter.Find == "" && s.filter.Replace != "" {
		return errors.New("--sitemap-replace needs --sitemap-find")
	}
	if v := c.String("sitemap-exclude"); v != "" {
		if s.filter.Exclude, err = regexp.Compile(v); err != nil {
			return valueError(l.name("sitemap-exclude"), v, "not a regular expression: "+strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	if v := c.String("shard"); v != "" {
		if s.shard, s.shards, err = parseShard(v); err != nil {
			return err
		}
	}
	if s.urlsFile == "-" && slices.Contains(s.targets, "-") {
		return errors.New(`--urls - and the target - both want standard input`)
	}
	return nil
}

// noInputs reports whether the settings name no page at all.
func (s *settings) noInputs() bool {
	return len(s.targets) == 0 && s.urlsFile == "" && len(s.sitemaps) == 0 && len(s.feeds) == 0
}

// applyConfig adds what only the configuration file gives, when there is
// one: its setup steps, its URLs (with their own timeouts), sitemaps and
// feeds when no page was named otherwise, and its ignores, whose rules
// must exist.
func applyConfig(cfg *config.File, s *settings) error {
	if cfg == nil {
		return nil
	}
	if err := resolveSetup(cfg, s); err != nil {
		return err
	}
	if s.noInputs() {
		for _, u := range cfg.URLs {
			s.targets = append(s.targets, u.URL)
			if u.Timeout != nil {
				// Targets are keyed as they are reported: without a
				// login in the address.
				clean, _ := audit.SplitUserinfo(u.URL)
				s.timeouts[clean] = time.Duration(*u.Timeout)
			}
		}
		s.sitemaps = cfg.Defaults.Sitemap
		s.feeds = cfg.Defaults.Feed
	}
	for i, ig := range cfg.Ignore {
		if ig.Rule != "*" && rules.ByID(ig.Rule) == nil {
			return fmt.Errorf("config %s: line %d: ignore[%d].rule %q: no such rule; want a rule id (\"newsa11y rules\" lists them) or *", cfg.Path, ig.Line, i, ig.Rule)
		}
		entry := audit.Ignore{Rule: ig.Rule, URL: ig.URL, Selector: ig.Selector, Reason: ig.Reason, Source: fmt.Sprintf("%s:%d", cfg.Path, ig.Line)}
		if ig.Expires != "" {
			entry.Expires, _ = time.Parse(time.DateOnly, ig.Expires)
		}
		s.ignores = append(s.ignores, entry)
	}
	return nil
}

// checkAudit refuses options that do not go together: a flag after the
// targets (taken as a target), an empty target, browser-only options with
// --static, and a run with no page to audit: without targets, the
// embedded sample is audited only when asked for (--sample, the demo
// command) or in an interactive terminal, so that an empty variable in a
// CI script never passes a build that audited nothing.
func checkAudit(s *settings, stdinTerminal bool) error {
	for i, arg := range s.targets {
		if len(arg) > 1 && strings.HasPrefix(arg, "-") {
			return fmt.Errorf("flags go before the targets: %s comes after one (newsa11y audit [flags] TARGET...)", arg)
		}
		if strings.TrimSpace(arg) == "" {
			return fmt.Errorf("target %d is empty (an unset variable?): want a URL, an .html file, a folder or -", i+1)
		}
	}
	if s.static && (s.mobile || len(s.hideElements) > 0) {
		return errors.New("--mobile and --hide-elements need the browser; they cannot be used with --static")
	}
	if s.static && s.gates != nil {
		return errors.New("--header, --cookies, NEWSA11Y_BASIC_AUTH and the configuration's auth need the browser; they cannot be used with --static")
	}
	if s.sample && !s.noInputs() {
		return errors.New("--sample audits the embedded sample alone: give it no targets, --urls, --sitemap or --feed")
	}
	if s.noInputs() && !s.sample && !stdinTerminal {
		return errors.New(`no page to audit: want a URL, an .html file, a folder or - as a target, --urls, --sitemap, --feed, or a configuration file's urls ("newsa11y audit --sample" audits the embedded sample)`)
	}
	return nil
}

// parseShard reads "I/N" with 1 ≤ I ≤ N.
func parseShard(v string) (int, int, error) {
	i, n, ok := strings.Cut(v, "/")
	si, err1 := strconv.Atoi(strings.TrimSpace(i))
	sn, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || sn < 1 || si < 1 || si > sn {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 ≤ I ≤ N, e.g. 2/4", v)
	}
	return si, sn, nil
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
