package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// FocusTrap is the rule keyboard-focus-trap.
var FocusTrap = Family.Rule(audit.Rule{
	ID:       "keyboard-focus-trap",
	Title:    "the Tab key must not keep keyboard focus trapped",
	WCAG:     []string{"2.1.2"},
	Severity: audit.Critical,
	Needs:    needsWalk,
	Check:    checkFocusTrap,
})

func checkFocusTrap(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	p := pass.Page
	w := p.Walk
	if w == nil || len(w.Trap) == 0 || trapInDialog(p, w) {
		return nil // a modal dialog keeps focus by design
	}
	at := w.Stops[w.Trap[0]].Node
	msg := trapWhat(p, w)
	var opts []audit.ReportOption
	if w.TrapLeftBackwards {
		msg += "; only Shift+Tab leaves, so keyboard users moving forward never reach the rest of the page"
		opts = append(opts, audit.AsReview(), audit.WithSeverity(audit.Serious))
	} else {
		msg += ", and Shift+Tab does not leave either: keyboard users cannot reach the rest of the page"
	}
	if at == audit.NoNode {
		pass.ReportPage(msg, opts...)
		return nil
	}
	pass.Report(at, msg, opts...)
	return nil
}

// trapWhat says where the Tab key kept focus, e.g. `Tab keeps keyboard
// focus among tab stops 2 to 4 (link "Local", link "World", link
// "Sport"): after the last it goes back to the first`.
func trapWhat(p *audit.Page, w *audit.KeyboardWalk) string {
	first, last := w.Trap[0], w.Trap[len(w.Trap)-1]
	if len(w.Trap) == 1 {
		return fmt.Sprintf("Tab keeps keyboard focus on %s (tab stop %d): pressing it does not move focus", stopLabel(p, &w.Stops[first]), first+1)
	}
	names := make([]string, 0, len(w.Trap))
	for _, i := range w.Trap {
		names = append(names, stopLabel(p, &w.Stops[i]))
	}
	if len(names) > 4 {
		names = append(names[:3], fmt.Sprintf("%d more", len(w.Trap)-3))
	}
	return fmt.Sprintf("Tab keeps keyboard focus among tab stops %d to %d (%s): after the last it goes back to the first",
		first+1, last+1, strings.Join(names, ", "))
}

// trapInDialog reports whether every stop of the walk's trap is in a
// dialog, whose pattern keeps focus inside while it is open.
func trapInDialog(p *audit.Page, w *audit.KeyboardWalk) bool {
	for _, i := range w.Trap {
		if !inDialog(p, w.Stops[i].Node) {
			return false
		}
	}
	return len(w.Trap) > 0
}

// inTrap reports whether tab stop i is in the walk's trap or after it,
// where the walk never got.
func inTrap(w *audit.KeyboardWalk, i int) bool {
	return len(w.Trap) > 0 && i >= w.Trap[0]
}

// cutShortWords says why the walk ended early, in the report's words, or
// "" when it ran its course.
func cutShortWords(p *audit.Page, w *audit.KeyboardWalk) string {
	if len(w.Trap) == 0 {
		return w.Stopped
	}
	s := trapWhat(p, w)
	if trapInDialog(p, w) {
		s = strings.Replace(s, "Tab keeps keyboard focus", "Tab keeps keyboard focus in a dialog,", 1)
		return s + ", so the walk could not go on to the page behind it (--consent hide or --hide-elements can remove the dialog)"
	}
	return s + ", so the walk could go no further"
}
