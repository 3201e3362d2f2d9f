package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/config"
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
	quiet           bool
	timings         bool
	isolation       chrome.Isolation
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
}

// lookup reads options with the precedence of settings.
type lookup struct {
	c *cli.Context
	d config.Options
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

// newLookup reads options from the command line and environment over the
// configuration file's defaults, when there is a file.
func newLookup(c *cli.Context, cfg *config.File) lookup {
	l := lookup{c: c}
	if cfg != nil {
		l.d = cfg.Defaults
	}
	return l
}

// resolveOutput reads the output and gating options every command has.
func resolveOutput(c *cli.Context, cfg *config.File) (*settings, error) {
	l := newLookup(c, cfg)
	s := &settings{
		failOnReview:     l.boolean("fail-on-review", l.d.FailOnReview),
		allowFailedPages: l.integer("allow-failed-pages", l.d.AllowFailedPages),
		baseline:         l.str("baseline", l.d.Baseline),
		updateBaseline:   c.String("update-baseline"),
		timeouts:         map[string]time.Duration{},
	}
	reports := c.StringSlice("report")
	if !c.IsSet("report") && len(l.d.Reports) > 0 {
		reports = l.d.Reports
	}
	var err error
	if s.reports, err = parseReports(reports); err != nil {
		return nil, err
	}
	if s.gate, err = parseFailOn(l.str("fail-on", l.d.FailOn)); err != nil {
		return nil, err
	}
	if s.allowFailedPages < 0 {
		return nil, errors.New("--allow-failed-pages cannot be negative")
	}
	return s, nil
}

// resolveAudit reads every option of the audit command, phase by phase:
// the output and gating options every command has, how pages are loaded,
// which pages, then what the configuration file adds; last, it checks the
// options against each other. The first error stops it.
func resolveAudit(c *cli.Context, cfg *config.File, now time.Time) (*settings, error) {
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
	applyConfig(cfg, s)
	if err := checkAudit(s); err != nil {
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
	s.retries = c.Int("retries")
	s.timeout = c.Duration("timeout")
	if !c.IsSet("timeout") && l.d.Timeout != nil {
		s.timeout = time.Duration(*l.d.Timeout)
	}
	s.chromePath = l.str("chrome-path", l.d.ChromePath)
	s.remoteBrowser = c.String("remote-browser")
	s.blockThirdParty = l.boolean("block-third-party", l.d.BlockThirdParty)
	s.static = l.boolean("static", l.d.Static)
	s.mobile = l.boolean("mobile", l.d.Mobile)
	s.hideElements = c.StringSlice("hide-elements")
	if !c.IsSet("hide-elements") && len(l.d.HideElements) > 0 {
		s.hideElements = l.d.HideElements
	}
	s.quiet = c.Bool("quiet")
	s.timings = c.Bool("timings")
	switch iso := chrome.Isolation(c.String("isolation")); iso {
	case chrome.IsolateContext, chrome.IsolateCleared:
		s.isolation = iso
	default:
		return fmt.Errorf("--isolation %q: want context or cleared", iso)
	}
	var err error
	if s.viewport, err = parseViewport(l.str("viewport", l.d.Viewport)); err != nil {
		return err
	}
	if s.concurrency < 1 {
		return errors.New("--concurrency must be at least 1")
	}
	if s.retries < 0 {
		return errors.New("--retries and --max-pages cannot be negative")
	}
	return nil
}

// resolvePages reads which pages to audit: the targets, the URL list,
// sitemaps and feeds with their filters, --max-pages, --shard, and the
// stream a resumed run continues.
func resolvePages(l lookup, s *settings, now time.Time) error {
	c := l.c
	s.targets = c.Args().Slice()
	s.urlsFile = c.String("urls")
	s.sitemaps = c.StringSlice("sitemap")
	s.feeds = c.StringSlice("feed")
	s.maxPages = c.Int("max-pages")
	s.maxSitemaps = c.Int("max-sitemaps")
	s.resume = c.String("resume")
	if s.maxPages < 0 {
		return errors.New("--retries and --max-pages cannot be negative")
	}
	if s.maxSitemaps < 1 {
		return errors.New("--max-sitemaps must be at least 1")
	}
	var err error
	if v := c.String("since"); v != "" {
		if s.filter.Since, err = target.ParseSince(v, now); err != nil {
			return err
		}
	}
	s.filter.Find, s.filter.Replace = c.String("sitemap-find"), c.String("sitemap-replace")
	if s.filter.Find == "" && s.filter.Replace != "" {
		return errors.New("--sitemap-replace needs --sitemap-find")
	}
	if v := c.String("sitemap-exclude"); v != "" {
		if s.filter.Exclude, err = regexp.Compile(v); err != nil {
			return fmt.Errorf("--sitemap-exclude: %w", err)
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

// applyConfig adds what only the configuration file gives, when there is
// one: its URLs, with their own timeouts, when no page was named
// otherwise, and its ignores.
func applyConfig(cfg *config.File, s *settings) {
	if cfg == nil {
		return
	}
	if len(s.targets) == 0 && s.urlsFile == "" && len(s.sitemaps) == 0 && len(s.feeds) == 0 {
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
}

// checkAudit refuses options that do not go together: a flag after the
// targets (taken as a target), and browser-only options with --static.
func checkAudit(s *settings) error {
	for _, arg := range s.targets {
		if strings.HasPrefix(arg, "--") {
			return fmt.Errorf("flags go before the targets: %s comes after one (newsa11y audit [flags] TARGET...)", arg)
		}
	}
	if s.static && (s.mobile || len(s.hideElements) > 0) {
		return errors.New("--mobile and --hide-elements need the browser; they cannot be used with --static")
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
