package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/config"
	"github.com/newsa11y/newsa11y/internal/termsafe"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/rules"
)

// auditCommand is the audit command: it audits pages and reports on them.
func auditCommand(stdin io.Reader, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "audit pages: URLs, .html files, folders of them, - for standard input, URL lists, sitemaps and feeds; the config's urls or the embedded sample when none is given",
		ArgsUsage: "[URL | FILE | FOLDER | -]...",
		Flags:     append(outputFlags(), auditFlags()...),
		Action: func(c *cli.Context) error {
			return runAudit(c, stdin, stdout, stderr)
		},
	}
}

// runAudit runs the audit command, one phase after the other: settings,
// baseline, targets, output stream, loader, the run itself, then finish,
// which post-processes the report, writes it and decides the exit code.
// Ctrl-C or SIGTERM interrupts the run (see interrupts); the pages
// finished by then are still reported, and the exit code is 130.
func runAudit(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	s, err := auditSettings(c)
	if err != nil {
		return fault("%v", err)
	}
	base, err := readBaseline(s.baseline)
	if err != nil {
		return fault("%v", err)
	}
	intr := watchInterrupts(c.Context, stderr)
	defer intr.stop()
	ctx := intr.ctx
	// failed ends the command after a phase failed: an interrupted run
	// exits 130 whatever failed as it stopped.
	failed := func(err error) error {
		if intr.interrupted() {
			return &exitError{code: ExitInterrupted, err: fmt.Errorf("interrupted: %v", err)}
		}
		return fault("%v", err)
	}

	targets, resolver, err := resolveTargets(ctx, s, stdin, stderr)
	if err != nil {
		return failed(err)
	}
	defer resolver.Close()
	stream, done, targets, err := openOutput(s, targets)
	if err != nil {
		return failed(err)
	}
	if stream != nil {
		defer stream.Close()
	}
	intr.onForcedExit(func(pages []audit.PageResult) {
		if err := finish(partialReport(pages), s, base, done, true, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "newsa11y:", safeLines(err.Error()))
		}
	})
	s.concurrency = capConcurrency(s.concurrency, len(targets), runtime.NumCPU(), stderr)
	loader, closeLoader, err := launch(s, targets)
	if err != nil {
		return failed(err)
	}
	defer closeLoader()

	rep, err := auditPages(ctx, s, loader, targets, stream, stderr, intr.pageDone)
	if err != nil {
		return failed(err)
	}
	return intr.writeReports(func() error {
		return finish(rep, s, base, done, intr.interrupted(), stdout, stderr)
	})
}

// auditSettings reads the audit command's settings: the configuration
// file, unless --no-config, and the flags and environment over it.
func auditSettings(c *cli.Context) (*settings, error) {
	var cfg *config.File
	if !c.Bool("no-config") {
		var err error
		if cfg, err = config.Find(".", c.String("config")); err != nil {
			return nil, err
		}
	}
	return resolveAudit(c, cfg, time.Now())
}

// resolveTargets turns the settings' inputs into the targets to audit:
// it collects them (see collectInputs) and resolves them, cuts them to
// --max-pages, gives each its own timeout from the configuration file, and
// keeps those of --shard. The returned resolver serves local files and
// standard input on loopback; the caller closes it once the run is over.
func resolveTargets(ctx context.Context, s *settings, stdin io.Reader, stderr io.Writer) ([]audit.Target, *target.Resolver, error) {
	inputs, err := collectInputs(ctx, s, stdin, stderr)
	if err != nil {
		return nil, nil, err
	}
	resolver := &target.Resolver{Stdin: stdin}
	targets, err := resolver.Resolve(inputs)
	if err != nil {
		resolver.Close()
		return nil, nil, err
	}
	if s.maxPages > 0 && len(targets) > s.maxPages {
		targets = targets[:s.maxPages]
	}
	for i := range targets {
		targets[i].Timeout = s.timeouts[targets[i].Input]
	}
	if s.shards > 0 {
		targets = shardOf(targets, s.shard, s.shards)
	}
	return targets, resolver, nil
}

// openOutput opens the stream the run appends finished pages to, if any
// (see openStream), and leaves out of the targets the pages that stream
// already holds, which a resumed run does not audit again. It returns the
// stream (nil when there is none), the pages it held and the targets left.
// The caller closes the stream once the run is over.
func openOutput(s *settings, targets []audit.Target) (*reports.Stream, []audit.PageResult, []audit.Target, error) {
	stream, done, err := openStream(s)
	if err != nil {
		return nil, nil, nil, err
	}
	finished := map[string]bool{}
	for _, p := range done {
		finished[p.URL] = true
	}
	targets = slices.DeleteFunc(targets, func(t audit.Target) bool { return finished[t.Input] })
	return stream, done, targets, nil
}

// launch returns the loader that captures the pages: the static parser
// with --static; otherwise a browser, started here or reached at
// --remote-browser, or none (a nil loader) when no target is left to
// audit. The caller calls the returned function once the run is over,
// which closes the browser.
func launch(s *settings, targets []audit.Target) (audit.Loader, func(), error) {
	if s.static {
		return &static.Loader{Timeout: s.timeout}, func() {}, nil
	}
	if len(targets) == 0 {
		return nil, func() {}, nil
	}
	var path string
	if s.remoteBrowser == "" {
		var err error
		if path, err = chrome.FindChrome(s.chromePath); err != nil {
			return nil, nil, err
		}
	}
	b, err := chrome.Launch(chrome.Options{
		ExecPath:        path,
		RemoteURL:       s.remoteBrowser,
		Timeout:         s.timeout,
		Viewport:        s.viewport,
		BlockThirdParty: s.blockThirdParty,
		HideElements:    s.hideElements,
		Tabs:            s.concurrency,
		Isolation:       s.isolation,
		Headful:         os.Getenv("NEWSA11Y_HEADFUL") != "",
	})
	if err != nil {
		return nil, nil, err
	}
	return b, func() { b.Close() }, nil
}

// auditPages runs the rules over the targets, through the loader, at the
// settings' viewports. It shows progress on stderr and appends each
// finished page to the stream, when there is one; with --timings it then
// prints where the run's time went. Its error is the stream's first
// failed write: the report is then not worth finishing. pageDone is
// called with each finished page.
func auditPages(ctx context.Context, s *settings, loader audit.Loader, targets []audit.Target, stream *reports.Stream, stderr io.Writer, pageDone func(audit.PageResult)) (*audit.Report, error) {
	var viewports []audit.Viewport
	if s.mobile {
		viewports = []audit.Viewport{s.viewport, audit.MobileViewport}
	}
	prog := newProgress(stderr, len(targets), s.quiet)
	var streamErr error
	runner := &audit.Runner{
		Loader:      loader,
		Rules:       rules.All(),
		Summarizers: rules.Summarizers(),
		Concurrency: s.concurrency,
		Timeout:     s.timeout,
		Retries:     s.retries,
		Timings:     s.timings,
		Viewports:   viewports,
		Tool:        tool(),
		OnPage: func(_ int, r audit.PageResult) {
			if stream != nil && streamErr == nil {
				streamErr = stream.Append(r)
			}
			prog.done(r)
			pageDone(r)
		},
	}
	runStart := time.Now()
	rep := runner.Run(ctx, targets)
	prog.finish()
	if s.timings {
		printProfile(stderr, rep, time.Since(runStart))
	}
	return rep, streamErr
}

func tool() audit.Tool { return audit.Tool{Name: "newsa11y", Version: toolVersion()} }

// partialReport is the report of an interrupted run that did not stop in
// time: the pages it finished, and every rule.
func partialReport(pages []audit.PageResult) *audit.Report {
	rep := &audit.Report{SchemaVersion: audit.SchemaVersion, Tool: tool(), Pages: pages}
	for _, r := range rules.All() {
		rep.Rules = append(rep.Rules, audit.InfoOf(r))
	}
	return rep
}

// collectInputs gathers the run's inputs in order: the command line's,
// the URL list's, then each sitemap's and feed's pages after the date,
// rewrite and exclude filters. Duplicates are left for the resolver.
func collectInputs(ctx context.Context, s *settings, stdin io.Reader, stderr io.Writer) ([]string, error) {
	inputs := slices.Clone(s.targets)
	if s.urlsFile != "" {
		r := stdin
		if s.urlsFile != "-" {
			f, err := os.Open(s.urlsFile)
			if err != nil {
				return nil, fmt.Errorf("--urls: %w", err)
			}
			defer f.Close()
			r = f
		}
		list, err := target.ReadURLList(r)
		if err != nil {
			return nil, fmt.Errorf("--urls %s: %w", s.urlsFile, err)
		}
		inputs = append(inputs, list...)
	}
	fetcher := &target.Fetcher{}
	read := func(kind string, srcs []string, readOne func(context.Context, string) ([]target.Entry, error)) error {
		for _, src := range srcs {
			entries, err := readOne(ctx, src)
			if err != nil {
				return err
			}
			urls, undated := s.filter.Apply(entries)
			if undated > 0 {
				fmt.Fprintf(stderr, "newsa11y: %s %s: left out %d pages without a date, as --since asks for dated ones\n", kind, termsafe.String(src), undated)
			}
			inputs = append(inputs, urls...)
		}
		return nil
	}
	if err := read("sitemap", s.sitemaps, fetcher.ReadSitemap); err != nil {
		return nil, err
	}
	if err := read("feed", s.feeds, fetcher.ReadFeed); err != nil {
		return nil, err
	}
	if len(inputs) == 0 && (s.urlsFile != "" || len(s.sitemaps) > 0 || len(s.feeds) > 0) {
		return nil, fmt.Errorf("the URL list, sitemaps and feeds given hold no page to audit")
	}
	return inputs, nil
}

// shardOf keeps the targets of shard i of n, by a stable hash of the input
// as given, so shards never overlap and together cover every target.
func shardOf(targets []audit.Target, i, n int) []audit.Target {
	var out []audit.Target
	for _, t := range targets {
		h := fnv.New32a()
		h.Write([]byte(t.Input))
		if int(h.Sum32()%uint32(n)) == i-1 {
			out = append(out, t)
		}
	}
	return out
}

// openStream opens the stream the run appends pages to as they finish:
// the --resume file (returning the pages it holds), or the file of a
// --report jsonl=PATH. It marks that report as written by the stream.
func openStream(s *settings) (*reports.Stream, []audit.PageResult, error) {
	for i := range s.reports {
		spec := &s.reports[i]
		if spec.format != "jsonl" || spec.path == "-" {
			continue
		}
		if s.resume != "" && spec.path != s.resume {
			return nil, nil, fmt.Errorf("--resume %s and --report jsonl=%s: a resumed run appends to its own stream", s.resume, spec.path)
		}
		spec.streamed = true
	}
	if s.resume != "" {
		st, done, err := reports.ResumeStream(s.resume)
		return st, done, err
	}
	for _, spec := range s.reports {
		if spec.streamed {
			st, err := reports.CreateStream(spec.path)
			return st, nil, err
		}
	}
	return nil, nil, nil
}
