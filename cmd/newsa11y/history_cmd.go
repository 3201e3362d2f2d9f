package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/history"
	"github.com/newsa11y/newsa11y/rules"
	"github.com/newsa11y/newsa11y/store"
)

// historyDescription is the history command's help text.
const historyDescription = `Shows what the runs recorded in a results store (audit --store) say over
time, site by site:

  - the runs: when, pages, failed pages, violations by severity, in the
    story against the site's template, findings to review;
  - the findings that are new, fixed and persisting between two runs, by
    fingerprint and canonical page (as --baseline matches them): by
    default the site's last two finished runs; --from and --to choose
    others; with --since, the first and last runs since then;
  - the worst rules and the worst sections (the first segment of the
    page's path, /world/, /sport/) run by run: which desks keep
    publishing photos without alt text.

A finding of the earlier run on a page the later run did not audit is
neither fixed nor persisting; it is counted apart.

Reports: text (default, to standard output), json, html: one
self-contained page with the trend drawn as inline SVG charts, no script.

Only --store is read from the environment (NEWSA11Y_STORE): the other
NEWSA11Y_ variables set an audit's flags, and history's flags of the same
names mean other things.

Exit status: 0 when the history was written; 1 when it could not be: no
store, an empty store, no run of --site or since --since, an unknown run
id, --from a later run than --to, a bad flag.

A store history may only read opens as well: a PostgreSQL role with
SELECT alone, or a SQLite file opened read-only (sqlite:PATH?mode=ro).

Examples:
  newsa11y history --store sqlite:newsa11y.db
  newsa11y history --store "$NEWSA11Y_STORE" --site news.example --since 30d --report html=history.html
  newsa11y history --store sqlite:runs.db --from nightly-41 --to nightly-42 --report json`

// historyCommand is "newsa11y history".
func historyCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:        "history",
		Usage:       "show a site's runs over time from the results store: new, fixed and persisting findings, the worst rules and sections, a trend chart",
		UsageText:   "newsa11y history [--store DSN] [--site SITE] [--since WHEN] [--from RUNID] [--to RUNID] [--report FORMAT[=PATH]]...",
		Description: historyDescription,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "store", EnvVars: env("store"), Usage: "the results store `DSN`: sqlite:PATH or postgres://USER@HOST/DATABASE (default: newsa11y.db in this folder, when it exists)"},
			&cli.StringFlag{Name: "site", Usage: "show only this `SITE` (a host such as news.example, as reports name sites)"},
			&cli.StringFlag{Name: "since", Usage: "show only the runs started since `WHEN`: a duration back from now (24h, 7d) or a date (2026-11-20)"},
			&cli.StringFlag{Name: "from", Usage: "compare from this run `ID` (default: the finished run before --to; with --since, the first run since then)"},
			&cli.StringFlag{Name: "to", Usage: "compare to this run `ID` (default: the site's last finished run)"},
			&cli.StringSliceFlag{Name: "report", Aliases: []string{"r"}, Usage: "write the history as `FORMAT[=PATH]` (text, json, html); repeatable; no PATH or - means standard output (default: text); missing folders are created"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fault("history takes no arguments, only flags: %s", c.Args().First())
			}
			return runHistory(c, stdout, time.Now())
		},
	}
}

// historyReport is one --report of the history command.
type historyReport struct {
	format, path string
	writer       history.Writer
}

// parseHistoryReports reads the history command's --report values:
// FORMAT[=PATH], text to standard output when there is none, at most one
// to standard output. NEWSA11Y_REPORT is not read: it names the audit's
// reports, in formats the history does not have.
func parseHistoryReports(c *cli.Context) ([]historyReport, error) {
	const input = "--report"
	outs, err := parseOutputs(c.StringSlice("report"), input, "history", history.Formats())
	if err != nil {
		return nil, err
	}
	specs := make([]historyReport, 0, len(outs))
	for _, o := range outs {
		if o.path != "-" {
			if st, err := os.Stat(o.path); err == nil && st.IsDir() {
				return nil, fmt.Errorf("%s %q: %s is a folder; give a file name", input, o.value, o.path)
			}
		}
		w, _ := history.ForFormat(o.format) // known: parseOutputs checked it
		specs = append(specs, historyReport{format: o.format, path: o.path, writer: w})
	}
	return specs, nil
}

// historyStoreDSN returns the store to read: --store or NEWSA11Y_STORE,
// else newsa11y.db in the current folder when it exists. A SQLite file
// that does not exist is an error, not a new empty store.
func historyStoreDSN(c *cli.Context) (string, error) {
	dsn := c.String("store")
	if dsn == "" {
		path := strings.TrimPrefix(store.DefaultDSN, "sqlite:")
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("history needs a results store: give the one your audits recorded with --store, as --store DSN (or NEWSA11Y_STORE); there is no %s here", path)
		}
		return store.DefaultDSN, nil
	}
	if path, ok := store.SQLitePath(dsn); ok {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("no results store at %s (--store %s): audits record one with --store", path, dsn)
		}
	}
	return dsn, nil
}

// runHistory reads the store and writes the history reports.
func runHistory(c *cli.Context, stdout io.Writer, now time.Time) error {
	specs, err := parseHistoryReports(c)
	if err != nil {
		return fault("%v", err)
	}
	opts := history.Options{
		Site: c.String("site"), From: c.String("from"), To: c.String("to"),
		Tool: tool(), Rules: map[string]audit.RuleInfo{},
	}
	if v := c.String("since"); v != "" {
		if opts.Since, err = target.ParseSince(v, now); err != nil {
			return fault("%v", valueError("--since", v, "want a duration back from now such as 24h or 7d, or a date such as 2026-11-20"))
		}
	}
	for _, r := range rules.All() {
		opts.Rules[r.ID] = audit.InfoOf(r)
	}
	dsn, err := historyStoreDSN(c)
	if err != nil {
		return fault("%v", err)
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return fault("%v", err)
	}
	defer s.Close()
	runs, err := history.Load(ctx, s, opts)
	if err != nil {
		return fault("%v", historyError(s, err))
	}
	rep, err := history.Build(runs, opts)
	if err != nil {
		return fault("%v", historyError(s, err))
	}
	for _, spec := range specs {
		if err := writeHistory(spec, rep, stdout); err != nil {
			return fault("%v", err)
		}
	}
	return nil
}

// historyError says what the store lacked in words a person can act on.
// The store's own errors name it already, and --from later than --to is
// about the flags: those are returned as they are.
func historyError(s *store.Store, err error) error {
	var unknown *history.UnknownRunError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("store %s: %w (the runs table of newsa11y history, without --from and --to, lists the ids it holds)", s, err)
	case errors.Is(err, history.ErrNoRuns):
		return fmt.Errorf("store %s: %w: record audits into it with newsa11y audit --store", s, err)
	}
	return err
}

// writeHistory writes one history report, to standard output or to its
// file, creating missing folders.
func writeHistory(spec historyReport, rep *history.Report, stdout io.Writer) error {
	if spec.path == "-" {
		if err := spec.writer.Write(stdout, rep); err != nil {
			return fmt.Errorf("write %s history: %w", spec.format, err)
		}
		return nil
	}
	if dir := filepath.Dir(spec.path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write %s history to %s: %w", spec.format, spec.path, err)
		}
	}
	f, err := os.Create(spec.path)
	if err != nil {
		return fmt.Errorf("write %s history: %w", spec.format, err)
	}
	werr := spec.writer.Write(f, rep)
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("write %s history to %s: %w", spec.format, spec.path, err)
	}
	return nil
}
