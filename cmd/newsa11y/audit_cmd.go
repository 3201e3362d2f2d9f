package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/config"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/rules"
	"github.com/newsa11y/newsa11y/rules/skiplink"
)

// auditCommand is the audit command: it audits pages and reports on them.
func auditCommand(stdin io.Reader, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "audit pages: URLs, .html files, folders of them, - for standard input, URL lists, sitemaps and feeds; the config's urls when none is given (--sample: the embedded sample)",
		ArgsUsage: "[URL | FILE | FOLDER | -]...",
		Flags:     append(outputFlags(), auditFlags()...),
		Action: func(c *cli.Context) error {
			return runAudit(c, stdin, stdout, stderr)
		},
	}
}

// demoCommand audits the embedded sample article: "newsa11y audit
// --sample".
func demoCommand(stdin io.Reader, stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "audit the embedded sample article, a news story whose lead photo's alt text repeats its caption",
		Flags: append(outputFlags(), auditFlags()...),
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
	s, err := auditSettings(c, isTerminal(stdin))
	if err != nil {
		return fault("%v", err)
	}
	req := requestOf(s, 0)
	base, baseNotes, err := loadBaseline(c.Context, s, &req)
	if err != nil && !(errors.Is(err, os.ErrNotExist) && s.updateBaseline == s.baseline) {
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
	// Standard input is read here, where an interrupt is watched for: a
	// pipe that never ends is ended by Ctrl-C.
	if stdin, err = checkInputs(s, stdin); err != nil {
		return failed(err)
	}

	targets, notes, resolver, err := resolveTargets(ctx, s, stdin)
	// Notes name sitemaps and entries, whose addresses may hold a login.
	for i := range notes {
		notes[i] = audit.Redact(notes[i])
	}
	notes = append(baseNotes, notes...)
	if err != nil {
		for _, n := range notes {
			fmt.Fprintln(stderr, "newsa11y: warning:", safeLine(n))
		}
		return failed(err)
	}
	defer resolver.Close()
	if s.shard != nil && !s.quiet {
		fmt.Fprintln(stderr, "newsa11y:", safeLine(shardLine(s.shard)))
	}
	s.identity = pageIdentities(targets)
	if base != nil {
		base.Rekey(s.identity)
	}
	stream, done, targets, err := openOutput(s, targets)
	if err != nil {
		return failed(err)
	}
	if stream != nil {
		defer stream.Close()
	}
	// The store records the run's start before the browser starts, so a
	// store that cannot be reached fails the run at once.
	rec, err := openRecorder(ctx, s, len(targets), stderr)
	if err != nil {
		return failed(err)
	}
	defer rec.finish(nil, true) // a run that stops early is interrupted
	intr.onForcedExit(func(pages []audit.PageResult) {
		rec.abandon()
		rep := partialReport(pages)
		rep.Shard = s.shard
		rep.Warnings = append(notes, rep.Warnings...)
		if err := finish(rep, s, base, done, true, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "newsa11y:", safeLines(err.Error()))
		}
	})
	s.concurrency = capConcurrency(s.concurrency, len(targets), runtime.NumCPU(), stderr)
	loader, closeLoader, err := launch(s, targets, stderr)
	if err != nil {
		rec.fail()
		return failed(err)
	}
	defer closeLoader()

	rep, err := auditPages(ctx, s, loader, targets, stream, stderr, func(r audit.PageResult) {
		intr.pageDone(r)
		rec.page(r)
	})
	if err != nil {
		rec.fail()
		return failed(err)
	}
	rep.Warnings = append(notes, rep.Warnings...)
	rep.Shard = s.shard
	return intr.writeReports(func() error {
		err := finish(rep, s, base, done, intr.interrupted(), stdout, stderr)
		return withStoreError(err, rec.finish(rep, intr.interrupted()), stderr)
	})
}

// auditSettings reads the audit command's settings: the configuration
// file, unless --no-config, and the flags and environment over it.
func auditSettings(c *cli.Context, stdinTerminal bool) (*settings, error) {
	var cfg *config.File
	if !c.Bool("no-config") {
		var err error
		if cfg, err = config.Find(".", c.String("config")); err != nil {
			return nil, err
		}
	}
	return resolveAudit(c, cfg, time.Now(), stdinTerminal)
}

// resolveTargets turns the settings' inputs into the targets to audit
// (see collectTargets), and gives each its own timeout from the
// configuration file. It also returns the notes on what sitemaps and
// feeds listed and was left out, safe to print. The returned resolver
// serves local files and standard input on loopback; the caller closes it
// once the run is over.
func resolveTargets(ctx context.Context, s *settings, stdin io.Reader) ([]audit.Target, []string, *target.Resolver, error) {
	resolver := &target.Resolver{Stdin: stdin, MaxPages: s.maxPages}
	if s.shard != nil {
		resolver.Keep = func(t audit.Target) bool { return inShard(t, s.shard.Index, s.shard.Count) }
	}
	notes, err := collectTargets(ctx, s, resolver, stdin)
	if err != nil {
		resolver.Close()
		return nil, notes, nil, err
	}
	targets := resolver.Targets()
	for i := range targets {
		targets[i].Timeout = s.timeouts[targets[i].Input]
	}
	if s.shard != nil {
		s.shard.Pages, s.shard.RunPages = len(targets), resolver.Taken()
	}
	return targets, notes, resolver, nil
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
// --remote-browser, a pool of browsers when --remote-browser is given
// several addresses, or none (a nil loader) when no target is left to
// audit. The caller calls the returned function once the run is over,
// which closes the browser; notes on the pool's browsers go to stderr.
func launch(s *settings, targets []audit.Target, stderr io.Writer) (audit.Loader, func(), error) {
	if s.static {
		return &static.Loader{Timeout: s.timeout}, func() {}, nil
	}
	if len(targets) == 0 {
		return nil, func() {}, nil
	}
	headful := os.Getenv("NEWSA11Y_HEADFUL") != ""
	var path string
	if len(s.remoteBrowsers) == 0 {
		var err error
		if path, err = chrome.FindChrome(s.chromePath, headful); err != nil {
			return nil, nil, err
		}
	}
	opts := chrome.Options{
		ExecPath:        path,
		Timeout:         s.timeout,
		Viewport:        s.viewport,
		BlockThirdParty: s.blockThirdParty,
		HideElements:    s.hideElements,
		Tabs:            s.concurrency,
		Isolation:       s.isolation,
		Setup:           s.setup,
		SetupPer:        s.setupPer,
		Consent:         s.consent,
		Gates:           s.gates,
		BrowserCPU:      s.timings,
		Headful:         headful,
		PressControl:    skiplink.WorthPressing,
	}
	if len(s.remoteBrowsers) > 1 {
		return launchPool(opts, s.remoteBrowsers, stderr)
	}
	if len(s.remoteBrowsers) == 1 {
		opts.RemoteURL = s.remoteBrowsers[0]
	}
	b, err := chrome.Launch(opts)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { b.Close() }, nil
}

// launchPool connects to several remote browsers, which share the pages
// (see chrome.Pool). A browser that cannot be reached is left out with a
// note on stderr; so is, when the run is over, each that died during it.
func launchPool(opts chrome.Options, addrs []string, stderr io.Writer) (audit.Loader, func(), error) {
	pool, err := chrome.LaunchPool(opts, addrs)
	if err != nil {
		return nil, nil, err
	}
	for _, ep := range pool.Endpoints() {
		if ep.Dead != nil {
			fmt.Fprintf(stderr, "newsa11y: note: the remote browser at %s is left out: %s\n", safeLines(ep.URL), safeLines(ep.Dead.Error()))
		}
	}
	return pool, func() {
		for _, ep := range pool.Endpoints() {
			if ep.Dead != nil && ep.Pages > 0 {
				fmt.Fprintf(stderr, "newsa11y: note: the remote browser at %s died during the run (%s); its pages moved to the others\n", safeLines(ep.URL), safeLines(ep.Dead.Error()))
			}
		}
		pool.Close()
	}, nil
}

// auditPages runs the rules over the targets, through the loader, at the
// settings' viewports. It shows progress on stderr and appends each
// finished page to the stream, when there is one; with --timings it then
// prints where the run's time went. Its error is the stream's first
// failed write: the report is then not worth finishing. pageDone is
// called with each finished page, before the stream gets it.
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
			r.Shard = s.shard
			// pageDone first: it stores the page (--store), so a run
			// killed between the two leaves the stream no page the
			// store lacks.
			pageDone(r)
			if stream != nil && streamErr == nil {
				streamErr = stream.Append(r)
			}
			prog.done(r)
		},
	}
	runStart, cpuStart := time.Now(), audit.ProcessCPU()
	rep := runner.Run(ctx, targets)
	for i := range rep.Pages {
		rep.Pages[i].Shard = s.shard
	}
	prog.finish()
	if s.timings {
		printProfile(stderr, rep, time.Since(runStart), audit.ProcessCPU()-cpuStart)
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

// collectTargets adds the run's inputs to the resolver in order: the
// command line's, the URL list's, then each sitemap's and feed's pages
// after the date, rewrite and exclude filters, as they are read. The
// resolver drops duplicates, keeps the shard's pages and stops at
// --max-pages, which ends the reading of sitemaps too. With no input at
// all (checkAudit allowed it), it adds the embedded sample. It returns the notes on refused
// entries, also with an error.
func collectTargets(ctx context.Context, s *settings, resolver *target.Resolver, stdin io.Reader) ([]string, error) {
	if s.noInputs() {
		_, err := resolver.Resolve(nil)
		return nil, err
	}
	for _, in := range s.targets {
		if err := resolver.Add(in); err != nil {
			return nil, err
		}
	}
	if s.urlsFile != "" {
		r := stdin
		if s.urlsFile != "-" {
			f, err := target.OpenRegular(s.urlsFile)
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
		for _, in := range list {
			if err := resolver.Add(in); err != nil {
				return nil, err
			}
		}
	}
	c := &target.Collector{Fetcher: &target.Fetcher{MaxSitemaps: s.maxSitemaps}, Resolver: resolver, Filter: s.filter}
	for _, src := range s.sitemaps {
		if err := c.Sitemap(ctx, src); err != nil {
			return c.Notes(), err
		}
	}
	for _, src := range s.feeds {
		if err := c.Feed(ctx, src); err != nil {
			return c.Notes(), err
		}
	}
	if resolver.Taken() == 0 {
		return c.Notes(), errors.New("the URL list, sitemaps and feeds given hold no page to audit")
	}
	return c.Notes(), nil
}

// inShard reports whether a target is in shard i of n, by a stable hash
// of its input as given, so shards never overlap and together cover every
// target.
func inShard(t audit.Target, i, n int) bool {
	h := fnv.New32a()
	h.Write([]byte(t.Input))
	return int(h.Sum32()%uint32(n)) == i-1
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

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// checkInputs checks, before any page is loaded, the inputs whose content
// can be wrong in a way the run would only find late or never: standard
// input given as "-" must hold something (it is read here, and the
// returned reader replays it); a local sitemap or feed must be XML (a
// list of URLs belongs to --urls); the stream --resume continues must be
// a newsa11y stream.
func checkInputs(s *settings, stdin io.Reader) (io.Reader, error) {
	if slices.Contains(s.targets, "-") {
		doc, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("read HTML from standard input: %w", err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			return nil, errors.New(`target - (standard input) is empty: want a page's HTML piped in, e.g. newsa11y audit - < page.html`)
		}
		stdin = bytes.NewReader(doc)
	}
	for _, src := range s.sitemaps {
		if err := checkXMLFile("--sitemap", src); err != nil {
			return nil, err
		}
	}
	for _, src := range s.feeds {
		if err := checkXMLFile("--feed", src); err != nil {
			return nil, err
		}
	}
	if s.resume != "" {
		if err := checkStream(s.resume); err != nil {
			return nil, err
		}
	}
	return stdin, nil
}

// pageIdentities maps each target's input to its canonical page identity,
// which baselines key pages by: the URL of a page on the web; for a local
// file, its path within the folder it is served from (the path of its
// loopback URL), however the folder or file was typed; the input itself
// for standard input, the sample and inputs that failed to resolve.
func pageIdentities(targets []audit.Target) map[string]string {
	ids := map[string]string{}
	for _, t := range targets {
		id := t.Input
		if t.Err == nil && t.URL != t.Input && t.Input != "-" && t.Input != target.SampleInput {
			if u, err := url.Parse(t.URL); err == nil && u.Path != "" && u.Path != "/" {
				id = strings.TrimPrefix(u.Path, "/")
			}
		}
		ids[t.Input] = id
	}
	return ids
}
