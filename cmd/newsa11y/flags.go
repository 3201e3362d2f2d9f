package main

import (
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit/target"
)

// env names the environment variable that sets a flag: NEWSA11Y_ and the
// flag's name in upper case with underscores. A repeatable flag's
// variable is read by lookup.list, one value a line, and is not given to
// the flag library, whose variables hold one value.
func env(flag string) []string {
	return []string{"NEWSA11Y_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))}
}

// outputFlags are the flags of every command that writes reports and
// decides an exit code: audit, report and merge.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "report", Aliases: []string{"r"}, Usage: "write a report as `FORMAT[=PATH]` (text, text-full, json, html, sarif, junit, markdown, codequality, jsonl); repeatable (NEWSA11Y_REPORT: one a line); no PATH or - means standard output (default: text); missing folders are created"},
		&cli.StringFlag{Name: "fail-on", Value: "minor", EnvVars: env("fail-on"), Usage: "exit 2 when a violation of this `SEVERITY` or worse is found: critical, serious, moderate, minor, or none to report only"},
		&cli.BoolFlag{Name: "fail-on-review", EnvVars: env("fail-on-review"), Usage: "let findings that need review fail the run too"},
		&cli.IntFlag{Name: "allow-failed-pages", EnvVars: env("allow-failed-pages"), Usage: "tolerate up to `N` pages that fail to load before exiting 1"},
		&cli.StringFlag{Name: "baseline", EnvVars: env("baseline"), Usage: "compare with a baseline `FILE` (or store:LATEST, store:RUNID: a run of the --store): only findings it does not hold are new, and only new ones fail the run"},
		&cli.StringFlag{Name: "update-baseline", EnvVars: env("update-baseline"), Usage: "write this run's findings as a baseline `FILE`"},
		&cli.StringFlag{Name: "store", EnvVars: env("store"), Usage: "record the run in the results store `DSN`: sqlite:PATH (sqlite: alone is newsa11y.db) or postgres://USER@HOST/DATABASE; audit writes each page as it finishes, report and merge import their results; --baseline store:LATEST or store:RUNID reads a stored run"},
		&cli.StringFlag{Name: "run-id", EnvVars: env("run-id"), Usage: "the `ID` of the run in the store, which the shards of one run share (default: GitHub Actions' run id and attempt, GitLab's pipeline id, else a new one)"},
	}
}

// shardCountFlag is --shard-count, for audit (the count of --shard auto
// on Kubernetes) and merge (the shards to expect), with its usage, which
// names the value `N`.
func shardCountFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "shard-count", EnvVars: env("shard-count"), Usage: usage}
}

// defaultConcurrency is the number of pages audited at once: one more than
// the cores. A page's audit spends part of its time waiting (for the
// network to go quiet, for frames while scrolling, for key presses), and on
// the project's 2-core machine three tabs audited the saved news pages
// faster than two or four.
func defaultConcurrency() int { return runtime.NumCPU() + 1 }

// auditFlags are the audit command's own flags.
func auditFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "config", EnvVars: env("config"), Usage: "read settings from `FILE` (default: .newsa11y.yml, .newsa11y.yaml or .newsa11y.json here)"},
		&cli.BoolFlag{Name: "no-config", EnvVars: env("no-config"), Usage: "read no configuration file"},
		&cli.BoolFlag{Name: "sample", EnvVars: env("sample"), Usage: "audit the embedded sample article (as \"newsa11y demo\" does); without targets, newsa11y audits it only in an interactive terminal"},
		&cli.StringFlag{Name: "urls", EnvVars: env("urls"), Usage: "audit the URLs or paths in `FILE`, one a line (# comments; - for standard input)"},
		&cli.StringSliceFlag{Name: "sitemap", Usage: "audit the pages a sitemap lists (`URL|FILE`; indexes, gzip and news sitemaps too); repeatable (NEWSA11Y_SITEMAP: one a line)"},
		&cli.StringSliceFlag{Name: "feed", Usage: "audit the pages an RSS or Atom feed links to (`URL|FILE`); repeatable (NEWSA11Y_FEED: one a line)"},
		&cli.StringFlag{Name: "since", EnvVars: env("since"), Usage: "keep only sitemap and feed pages dated since `WHEN`: a duration back from now (24h, 7d) or a date (2026-11-20)"},
		&cli.StringFlag{Name: "sitemap-find", EnvVars: env("sitemap-find"), Usage: "replace `TEXT` in every sitemap and feed URL (with --sitemap-replace), to aim a production sitemap at staging"},
		&cli.StringFlag{Name: "sitemap-replace", EnvVars: env("sitemap-replace"), Usage: "the `TEXT` that replaces --sitemap-find"},
		&cli.StringFlag{Name: "sitemap-exclude", EnvVars: env("sitemap-exclude"), Usage: "skip sitemap and feed URLs matching the regular expression `PATTERN`"},
		&cli.IntFlag{Name: "max-pages", EnvVars: env("max-pages"), Usage: "audit at most `N` pages (after duplicates are removed); sitemaps are read no further"},
		&cli.IntFlag{Name: "max-sitemaps", Value: target.DefaultMaxSitemaps, EnvVars: env("max-sitemaps"), Usage: "read at most `N` sitemap documents, indexes included; those listed beyond are left out with a note"},
		&cli.StringFlag{Name: "shard", EnvVars: env("shard"), Usage: "audit only shard `I/N` of the pages (1/4 … 4/4), by a stable hash of each URL, or auto: the shard a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shard-count) or a GitLab parallel: job (CI_NODE_INDEX, CI_NODE_TOTAL) gives; merge the shards with \"newsa11y merge\""},
		shardCountFlag("the number of shards, `N`, the run is split into: with --shard auto in a Kubernetes Indexed Job, the Job's completions; checked against the count found otherwise"),
		&cli.StringFlag{Name: "resume", EnvVars: env("resume"), Usage: "resume an interrupted run from its stream `FILE`: skip the pages in it and append the others"},
		&cli.IntFlag{Name: "concurrency", Aliases: []string{"c"}, Value: defaultConcurrency(), EnvVars: env("concurrency"), Usage: "pages audited at once, in tabs of one browser (default: the number of cores plus one)"},
		&cli.StringFlag{Name: "isolation", Value: "cleared", EnvVars: env("isolation"), Usage: "what pages share: cleared (tabs reused, everything a page stored or left running cleared between pages: the default, faster) or context (a new browser context per page: nothing at all)"},
		&cli.IntFlag{Name: "retries", Value: 1, EnvVars: env("retries"), Usage: "try a page again `N` times after a transient failure (network, browser, crash)"},
		&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, EnvVars: env("timeout"), Usage: "time a page gets to load"},
		&cli.StringSliceFlag{Name: "remote-browser", Usage: "drive the running browser at this DevTools `ADDRESS` (ws://HOST:PORT/devtools/browser/… or http://HOST:PORT) instead of starting one; repeatable (NEWSA11Y_REMOTE_BROWSER: one a line or comma-separated): pages then spread over the browsers, and those of a browser that dies move to the others"},
		&cli.StringFlag{Name: "chrome-path", EnvVars: env("chrome-path"), Usage: "the Chrome or Chromium `EXECUTABLE` (default: $CHROME_PATH, then Chromium's headless shell, chromium, google-chrome… on PATH)"},
		&cli.BoolFlag{Name: "block-third-party", EnvVars: env("block-third-party"), Usage: "refuse requests to hosts other than the page's own site (for saved pages)"},
		&cli.StringFlag{Name: "viewport", Value: "1280x800", EnvVars: env("viewport"), Usage: "window size as `WIDTHxHEIGHT`"},
		&cli.BoolFlag{Name: "mobile", EnvVars: env("mobile"), Usage: "also audit each page at 390x844 as a touch phone; findings say at which viewports they were seen"},
		&cli.StringSliceFlag{Name: "hide-elements", Usage: "remove the elements matching CSS `SELECTOR` (a consent banner, an admin bar) before the audit; repeatable (NEWSA11Y_HIDE_ELEMENTS: one a line); reports say what was removed"},
		&cli.StringFlag{Name: "consent", Value: "accept", EnvVars: env("consent"), Usage: "what to do with a consent dialog the page opens with: accept (record its keyboard stops, then close it with its own accept or close control, pressed from the keyboard), keep (leave it in place) or hide (remove it without pressing anything); reports say what was done"},
		&cli.StringSliceFlag{Name: "header", Usage: "send the header `NAME: VALUE` with every request to each audited page's own origin (never to third parties); repeatable (NEWSA11Y_HEADER: one a line); values never appear in any output"},
		&cli.StringFlag{Name: "cookies", EnvVars: env("cookies"), Usage: "set the cookies (and local storage) of `FILE` before each page loads: a Netscape cookies.txt or a Playwright storage state (JSON); basic auth comes from the URL (https://user:password@host/) or NEWSA11Y_BASIC_AUTH=user:password"},
		&cli.BoolFlag{Name: "static", EnvVars: env("static"), Usage: "parse the HTML without a browser; rules that need layout or the accessibility tree are skipped"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, EnvVars: env("quiet"), Usage: "print no progress"},
		&cli.BoolFlag{Name: "timings", EnvVars: env("timings"), Usage: "keep each page's step times in the results and print where the run's time went"},
	}
}
