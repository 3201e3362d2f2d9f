package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/signal"
	"slices"
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

func runAudit(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg *config.File
	if !c.Bool("no-config") {
		var err error
		if cfg, err = config.Find(".", c.String("config")); err != nil {
			return fault("%v", err)
		}
	}
	s, err := resolveAudit(c, cfg, time.Now())
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
	if s.static && (s.mobile || len(s.hideElements) > 0) {
		return fault("--mobile and --hide-elements need the browser; they cannot be used with --static")
	}
	var viewports []audit.Viewport
	if s.mobile {
		viewports = []audit.Viewport{s.viewport, audit.MobileViewport}
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()

	inputs, err := collectInputs(ctx, s, stdin, stderr)
	if err != nil {
		return fault("%v", err)
	}
	resolver := &target.Resolver{Stdin: stdin}
	defer resolver.Close()
	targets, err := resolver.Resolve(inputs)
	if err != nil {
		return fault("%v", err)
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

	stream, done, err := openStream(s)
	if err != nil {
		return fault("%v", err)
	}
	if stream != nil {
		defer stream.Close()
	}
	finished := map[string]bool{}
	for _, p := range done {
		finished[p.URL] = true
	}
	targets = slices.DeleteFunc(targets, func(t audit.Target) bool { return finished[t.Input] })

	var loader audit.Loader
	if s.static {
		loader = &static.Loader{Timeout: s.timeout}
	} else if len(targets) > 0 {
		var path string
		if s.remoteBrowser == "" {
			var err error
			if path, err = chrome.FindChrome(s.chromePath); err != nil {
				return fault("%v", err)
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
			return fault("%v", err)
		}
		defer b.Close()
		loader = b
	}

	prog := newProgress(stderr, len(targets), s.quiet)
	var streamErr error
	runner := &audit.Runner{
		Loader:      loader,
		Rules:       rules.All(),
		Summarizers: rules.Summarizers(),
		Concurrency: s.concurrency,
		Retries:     s.retries,
		Timings:     s.timings,
		Viewports:   viewports,
		Tool:        tool(),
		OnPage: func(_ int, r audit.PageResult) {
			if stream != nil && streamErr == nil {
				streamErr = stream.Append(r)
			}
			prog.done(r)
		},
	}
	runStart := time.Now()
	rep := runner.Run(ctx, targets)
	prog.finish()
	if s.timings {
		printProfile(stderr, rep, time.Since(runStart))
	}
	if streamErr != nil {
		return fault("%v", streamErr)
	}
	interrupted := ctx.Err() != nil
	return finish(rep, s, base, done, interrupted, stdout, stderr)
}

func tool() audit.Tool { return audit.Tool{Name: "newsa11y", Version: toolVersion()} }

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
				fmt.Fprintf(stderr, "newsa11y: %s %s: left out %d pages without a date, as --since asks for dated ones\n", kind, src, undated)
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
