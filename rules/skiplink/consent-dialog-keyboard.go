package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// ConsentKeyboard is the rule consent-dialog-keyboard.
var ConsentKeyboard = Family.Rule(audit.Rule{
	ID:       "consent-dialog-keyboard",
	Title:    "a consent dialog must let keyboard users close it and move on",
	WCAG:     []string{"2.1.1", "2.1.2"},
	Severity: audit.Critical,
	Needs:    needsWalk,
	Check:    checkConsentKeyboard,
})

func checkConsentKeyboard(pass *audit.Pass) error {
	d := pass.Page.Consent
	if d == nil {
		return nil
	}
	what := consentWhat(d)
	shut := d.Dismissable != nil && !*d.Dismissable
	switch {
	case d.Trapped:
		msg := fmt.Sprintf("%s keeps Tab going round %s, and none of them closes it: keyboard users can neither leave it nor close it, and never reach the page behind", what, consentStopList(d))
		if d.Control != "" {
			msg += fmt.Sprintf(" (its %s is not among them)", d.Control)
		}
		pass.ReportPage(msg)
	case shut:
		pass.ReportPage(fmt.Sprintf("%s cannot be closed from the keyboard: %s; keyboard users meet it over the page", what, d.Why),
			audit.WithSeverity(audit.Serious))
	}
	return nil
}

// consentWhat names the dialog, e.g. `the consent dialog (OneTrust,
// #onetrust-banner-sdk)`.
func consentWhat(d *audit.ConsentDialog) string {
	return fmt.Sprintf("The consent dialog (%s, %s)", d.Platform, d.Selector)
}

// consentStopList lists the dialog's stops in words, e.g. `its 2 tab
// stops (link "Privacy policy", link "Our partners")`.
func consentStopList(d *audit.ConsentDialog) string {
	var names []string
	for _, s := range d.Stops {
		if s.InDialog {
			names = append(names, s.Label)
		}
	}
	if len(names) > 4 {
		names = append(names[:3], fmt.Sprintf("%d more", len(names)-3))
	}
	if len(names) == 1 {
		return "its one tab stop (" + names[0] + ")"
	}
	return fmt.Sprintf("its %d tab stops (%s)", len(names), strings.Join(names, ", "))
}
