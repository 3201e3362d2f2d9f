package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/rules"
)

func reportCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "write reports from a finished or interrupted run: its JSON report or its JSON Lines stream",
		Flags: append(outputFlags(), fromFlag()),
		Action: func(c *cli.Context) error {
			if err := checkResults("--from", c.String("from")); err != nil {
				return fault("%v", err)
			}
			rep, err := reports.ReadResults(c.String("from"))
			if err != nil {
				return fault("%v", err)
			}
			return finishResults(c, rep, 0, stdout, stderr)
		},
	}
}

// fromFlag is the report command's --from.
func fromFlag() cli.Flag {
	return &cli.StringFlag{Name: "from", Required: true, EnvVars: env("from"), Usage: "the run's results: a JSON report or a JSON Lines `FILE`"}
}

func mergeCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "merge the results of shards (JSON reports or JSON Lines streams) into the reports of one run; a missing or unfinished shard is reported, and its pages count as pages that could not be audited",
		ArgsUsage: "RESULTS...",
		Flags:     append(outputFlags(), shardCountFlag("the number of shards, `N`, the run was split into: merge fails on results of another split, or of no shard")),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return fault("merge needs the shards' results: newsa11y merge [flags] SHARD.json...")
			}
			expected, expectedName := 0, newLookup(c, nil).name("shard-count")
			if v := c.String("shard-count"); v != "" {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || n < 1 {
					return fault("%v", valueError(expectedName, v, "want the number of shards, 1 or more"))
				}
				expected = n
			}
			for _, path := range c.Args().Slice() {
				// An empty stream is a shard that had no page, or one that
				// stopped before its first: the shards' tally tells which.
				if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
					continue
				}
				if err := checkResults("merge", path); err != nil {
					return fault("%v", err)
				}
			}
			merged, tally, err := mergeResults(c.Args().Slice())
			if err != nil {
				return fault("%v", err)
			}
			lacking, warnings, summary, err := tally.check(expected, expectedName)
			if err != nil {
				return fault("%v", err)
			}
			if len(merged.Pages) == 0 && tally.count == 0 {
				return fault("merge: the results given hold no page")
			}
			if summary != "" {
				fmt.Fprintln(stderr, "newsa11y:", summary)
			}
			merged.Warnings = append(merged.Warnings, warnings...)
			return finishResults(c, merged, lacking, stdout, stderr)
		},
	}
}

// mergeResults reads the results at paths and joins them into one
// report, in the order given, each page once; the reports' warnings are
// kept, each once. It tallies the shards the results name, and leaves
// the pages without theirs, so that merged shards read as one run.
func mergeResults(paths []string) (*audit.Report, *shardTally, error) {
	merged := &audit.Report{SchemaVersion: audit.SchemaVersion}
	tally := &shardTally{}
	seen := map[string]bool{}
	for _, path := range paths {
		rep, err := reports.ReadResults(path)
		if err != nil {
			return nil, nil, err
		}
		if merged.Rules == nil {
			merged.Rules, merged.Tool = rep.Rules, rep.Tool
		}
		if err := tally.add(path, rep.Shard, ""); err != nil {
			return nil, nil, err
		}
		for _, p := range rep.Pages {
			if err := tally.add(path, p.Shard, p.URL); err != nil {
				return nil, nil, err
			}
			p.Shard = nil
			if !seen[p.URL] {
				seen[p.URL] = true
				merged.Pages = append(merged.Pages, p)
			}
		}
		for _, w := range rep.Warnings {
			if !slices.Contains(merged.Warnings, w) {
				merged.Warnings = append(merged.Warnings, w)
			}
		}
	}
	return merged, tally, nil
}

// finishResults completes a report read back from files (the tool and the
// rules, when it lacks them) and ends like an audit: post-processing, which
// orders its pages as the run's input was ordered and counts or compares
// it against a baseline, then reports and exit code. lacking is how many
// of the run's pages the results do not hold (see shardTally.check); they
// count as pages that could not be audited.
func finishResults(c *cli.Context, rep *audit.Report, lacking int, stdout, stderr io.Writer) error {
	s, err := resolveOutput(c, nil)
	if err != nil {
		return fault("%v", err)
	}
	s.lacking = lacking
	if err := prepareOutputs(s); err != nil {
		return fault("%v", err)
	}
	base, notes, err := loadBaseline(c.Context, s, nil)
	if err != nil {
		return fault("%v", err)
	}
	rep.Warnings = append(notes, rep.Warnings...)
	if rep.Tool.Name == "" {
		rep.Tool = tool()
	}
	if rep.Rules == nil {
		for _, r := range rules.All() {
			rep.Rules = append(rep.Rules, audit.InfoOf(r))
		}
	}
	err = finish(rep, s, base, nil, false, stdout, stderr)
	inputs := c.Args().Slice()
	if c.Command.Name == "report" {
		inputs = []string{c.String("from")}
	}
	return withStoreError(err, importResults(c.Context, s, c.Command.Name, inputs, rep, stderr), stderr)
}
