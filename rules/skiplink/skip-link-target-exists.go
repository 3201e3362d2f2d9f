package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// TargetExists is the rule skip-link-target-exists.
var TargetExists = Family.Rule(audit.Rule{
	ID:       "skip-link-target-exists",
	Title:    "skip links must point to an element that exists and is shown",
	WCAG:     []string{"2.4.1"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkTargetExists,
})

func checkTargetExists(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	sev := audit.Moderate
	if !hasMainLandmark(p) {
		// With no main landmark the skip link is the page's only way past
		// the repeated blocks.
		sev = audit.Serious
	}
	for _, l := range skipLinks(p) {
		if l.target == audit.NoNode {
			pass.Report(l.node, fmt.Sprintf("%s points to \"#%s\", which matches no id or anchor name on the page", l.words(p, false), l.frag), audit.WithSeverity(sev))
			continue
		}
		if why := hiddenTarget(p, l.target); why != "" {
			pass.Report(l.node, fmt.Sprintf("%s points to \"#%s\", which is %s", l.words(p, false), l.frag, why), audit.WithSeverity(sev))
			continue
		}
		if l.act != nil && !l.act.TargetFound {
			pass.Report(l.node, fmt.Sprintf("%s points to \"#%s\", which the page removed before the link was pressed", l.words(p, false), l.frag), audit.WithSeverity(sev))
		}
	}
	return nil
}

// hasMainLandmark reports whether the page exposes a main landmark.
func hasMainLandmark(p *audit.Page) bool {
	return len(mainLandmarks(p)) > 0
}
