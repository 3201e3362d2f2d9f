package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// StandfirstOrKicker is the rule heading-standfirst-or-kicker.
var StandfirstOrKicker = Family.Rule(audit.Rule{
	ID:       "heading-standfirst-or-kicker",
	Title:    "standfirsts and kickers should not be marked up as headings",
	WCAG:     []string{"1.3.1"},
	Tags:     []string{"news", "best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkStandfirstOrKicker,
})

func checkStandfirstOrKicker(pass *audit.Pass) error {
	c := newContext(pass.Page, outlineOf(pass.Page))
	if c.headline < 0 {
		return nil
	}
	h := c.out[c.headline]
	if c.kicker >= 0 {
		e := c.out[c.kicker]
		pos := "above"
		if c.kicker > c.headline {
			pos = "right after"
		}
		pass.Report(e.Node, fmt.Sprintf("kicker %q is a level-%d heading %s the headline %q; make it part of the headline's group as a <p>",
			audit.Truncate(e.Text, 60), e.Level, pos, audit.Truncate(h.Text, 60)), audit.AsReview())
	}
	if c.standfirst >= 0 {
		e := c.out[c.standfirst]
		pass.Report(e.Node, fmt.Sprintf("standfirst %q is a level-%d heading right after the headline %q, with nothing between; it summarises the story rather than heading a section",
			audit.Truncate(e.Text, 80), e.Level, audit.Truncate(h.Text, 60)), audit.AsReview())
	}
	return nil
}
