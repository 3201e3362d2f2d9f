package main

import (
	"io"
	"slices"

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
			return finishResults(c, rep, stdout, stderr)
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
		Usage:     "merge the results of shards (JSON reports or JSON Lines streams) into the reports of one run",
		ArgsUsage: "RESULTS...",
		Flags:     outputFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return fault("merge needs the shards' results: newsa11y merge [flags] SHARD.json...")
			}
			merged := &audit.Report{SchemaVersion: audit.SchemaVersion}
			seen := map[string]bool{}
			for _, path := range c.Args().Slice() {
				if err := checkResults("merge", path); err != nil {
					return fault("%v", err)
				}
			}
			for _, path := range c.Args().Slice() {
				rep, err := reports.ReadResults(path)
				if err != nil {
					return fault("%v", err)
				}
				if merged.Rules == nil {
					merged.Rules, merged.Tool = rep.Rules, rep.Tool
				}
				for _, p := range rep.Pages {
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
			return finishResults(c, merged, stdout, stderr)
		},
	}
}

// finishResults completes a report read back from files (the tool and the
// rules, when it lacks them) and ends like an audit: post-processing, which
// orders its pages as the run's input was ordered and counts or compares
// it against a baseline, then reports and exit code.
func finishResults(c *cli.Context, rep *audit.Report, stdout, stderr io.Writer) error {
	s, err := resolveOutput(c, nil)
	if err != nil {
		return fault("%v", err)
	}
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
