package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// BypassMechanism is the rule bypass-mechanism.
var BypassMechanism = Family.Rule(audit.Rule{
	ID:       "bypass-mechanism",
	Title:    "the page must offer a working way past the blocks that repeat on every page",
	WCAG:     []string{"2.4.1"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Subsumes: []string{"skip-link-present", "main-landmark"},
	Check:    checkBypassMechanism,
})

func checkBypassMechanism(pass *audit.Pass) error {
	if nothingToBypass(pass.Page) {
		return nil // nothing to bypass, or the page did not render (applies.go)
	}
	p := pass.Page
	if firstWorking(skipLinks(p)) != nil || firstBypassControl(p) != nil {
		return nil
	}
	notes := controlNotes(p)
	if w := p.Walk; w != nil && w.Stopped != "" {
		pass.ReportPage(fmt.Sprintf("whether a skip link works could not be determined, because the keyboard walk was cut short: %s", cutShortWords(p, w)),
			audit.AsReview(), audit.WithSeverity(audit.Minor))
		return nil
	}
	ways := groupingMechanisms(p)
	if len(ways) > 0 {
		verb := "lets"
		if len(ways) > 1 {
			verb = "let"
		}
		pass.ReportPage(fmt.Sprintf("no skip link works; only %s %s users of assistive technology past the repeated blocks, and sighted keyboard users without it cannot use them%s",
			strings.Join(ways, " and "), verb, notes), audit.AsReview(), audit.WithSeverity(audit.Minor))
		return nil
	}
	pass.ReportPage("no skip link works, no single main landmark holds the headline and no heading starts the story, so keyboard users must go through every repeated block" + notes)
	return nil
}

// controlNotes says, for a message, why the controls that look like
// bypass instruments are none ("; button \"Hide menu\" …"), or "".
func controlNotes(p *audit.Page) string {
	var s string
	for _, c := range controls(p) {
		if why := controlFailure(p, &c); why != "" {
			s += "; " + why
		}
	}
	return s
}

// groupingMechanisms lists the ways past the repeated blocks that need
// assistive technology (techniques ARIA11 and H69): exactly one main landmark holding the headline,
// and a heading at the start of the story (ACT rules b40fd1 and 047fe0).
func groupingMechanisms(p *audit.Page) []string {
	var ways []string
	m, found := findHeadline(p)
	mains := mainLandmarks(p)
	if len(mains) == 1 && (!found || p.Contains(mains[0], m.Node)) {
		ways = append(ways, "the main landmark")
	}
	switch {
	case found && m.Level > 0:
		ways = append(ways, "the headline heading")
	case !found:
		// Without a headline to go by (metadata that names none, a title
		// the site name cannot be split from), a level-one heading or a
		// heading in the main landmark or an article starts the story.
		for _, h := range a11y.Headings(p) {
			if p.Node(h.Node).Frame == 0 && (h.Level == 1 || landmarkAncestor(p, h.Node, a11y.Main) != audit.NoNode || p.Closest(h.Node, "article") != audit.NoNode) {
				ways = append(ways, "a heading at the start of the story")
				break
			}
		}
	}
	return ways
}
