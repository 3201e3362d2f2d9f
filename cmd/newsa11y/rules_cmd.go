package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules"
)

func rulesCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list every rule, or explain one",
		ArgsUsage: "[RULE-ID]",
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return fault("rules takes at most one rule id")
			}
			if c.NArg() == 1 {
				r := rules.ByID(c.Args().First())
				if r == nil {
					return fault("no rule %q; run \"newsa11y rules\" for the list", c.Args().First())
				}
				explainRule(stdout, r)
				return nil
			}
			listRules(stdout)
			return nil
		},
	}
}

func listRules(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tWCAG\tNEEDS\tTITLE")
	for _, r := range rules.All() {
		wcag := strings.Join(r.WCAG, ",")
		if wcag == "" {
			wcag = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, wcag, r.Needs, r.Title)
	}
	tw.Flush()
}

func explainRule(w io.Writer, r *audit.Rule) {
	fmt.Fprintf(w, "%s: %s\n\n", r.ID, r.Title)
	fmt.Fprintf(w, "%s\n\n", r.Doc.Summary)
	if r.Doc.Text != "" {
		fmt.Fprintf(w, "%s\n\n", r.Doc.Text)
	}
	fmt.Fprintf(w, "Severity: %s\nWCAG: %s\nTags: %s\nNeeds: %s\n\n", r.Severity, strings.Join(r.WCAG, ", "), strings.Join(r.Tags, ", "), r.Needs.Describe())
	fmt.Fprintf(w, "Fix: %s\n\nFails:\n%s\n\nPasses:\n%s\n\nMore: %s\n", r.Doc.Fix, indent(r.Doc.Bad), indent(r.Doc.Good), r.HelpURL())
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
