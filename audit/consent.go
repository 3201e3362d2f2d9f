package audit

import "fmt"

// Consent modes: what the loader does with a consent dialog it meets.
const (
	// ConsentAccept records the dialog's keyboard stops, then dismisses
	// it with its own accept or close control, pressed from the keyboard.
	ConsentAccept = "accept"
	// ConsentKeep records the dialog's keyboard stops and leaves it in
	// place: the capture and the walk meet it.
	ConsentKeep = "keep"
	// ConsentHide removes the dialog without pressing anything, as
	// --hide-elements does.
	ConsentHide = "hide"
)

// ConsentModes lists the consent modes, the default first.
var ConsentModes = []string{ConsentAccept, ConsentKeep, ConsentHide}

// What was done with a consent dialog (ConsentDialog.Action).
const (
	// ConsentAccepted: a key press on the dialog's own control closed it.
	ConsentAccepted = "accepted"
	// ConsentKept: the dialog was left in place, as asked.
	ConsentKept = "kept"
	// ConsentHidden: the dialog was removed without a key press, as asked.
	ConsentHidden = "hidden"
	// ConsentRemoved: no key press closed the dialog, so it was removed
	// to audit the page behind it.
	ConsentRemoved = "removed"
)

// A ConsentDialog is the consent dialog the page opened with, what a
// keyboard user meets in it, and what the loader did with it. The dialog's
// own nodes are usually gone from the snapshot once it is dismissed, so
// its stops carry their own descriptions.
type ConsentDialog struct {
	// Platform names the consent platform recognised from the markup
	// ("OneTrust", "Didomi"…), or "modal dialog" for a modal dialog that
	// took focus at load.
	Platform string `json:"platform"`
	// Selector is a CSS selector for the dialog's root element.
	Selector string `json:"selector"`
	// Modal is set when the dialog says it is modal (aria-modal, a modal
	// dialog element) or covers the viewport.
	Modal bool `json:"modal,omitempty"`
	// Stops are the keyboard stops met while pressing Tab from the top of
	// the page (or, when that never reached the dialog, from its first
	// focusable element), up to and including the first stop outside the
	// dialog after it.
	Stops []ConsentStop `json:"stops"`
	// Trapped is set when Tab kept focus going round stops in the dialog
	// none of which is a control that closes it.
	Trapped bool `json:"trapped,omitempty"`
	// Control names the control that closes the dialog (e.g.
	// `button "Accept all"`), empty when none was found.
	Control string `json:"control,omitempty"`
	// ControlStop is the number (from 1) of Control among Stops, 0 when
	// Tab did not reach it.
	ControlStop int `json:"control_stop,omitempty"`
	// Key is the key whose press closed the dialog (KeyEnter, KeySpace),
	// empty when none did.
	Key string `json:"key,omitempty"`
	// Dismissable is false when the dialog has a control that closes it
	// but no key press could use it: it cannot take focus, or Enter and
	// Space on it left the dialog open. It is true when a key press
	// closed it, and left unset (with Control empty) when no control
	// was found or none was pressed.
	Dismissable *bool `json:"dismissable,omitempty"`
	// Why says why the dialog could not be closed from the keyboard.
	Why string `json:"why,omitempty"`
	// Action says what was done with the dialog: ConsentAccepted,
	// ConsentKept, ConsentHidden or ConsentRemoved.
	Action string `json:"action"`
}

// A ConsentStop is one keyboard stop met in or around a consent dialog.
type ConsentStop struct {
	// Label describes the focused element, e.g. `button "Accept all"`.
	Label string `json:"label"`
	// InDialog is set for a stop inside the dialog.
	InDialog bool `json:"in_dialog,omitempty"`
}

// Summary says in a sentence what the dialog was and what was done with
// it, for reports: e.g. `consent dialog (OneTrust, #onetrust-banner-sdk):
// 3 keyboard stops in it; closed with Enter on its button "Accept all"
// (stop 3)`.
func (d *ConsentDialog) Summary() string {
	s := "consent dialog (" + d.Platform + ", " + d.Selector + "): "
	n := 0
	for _, st := range d.Stops {
		if st.InDialog {
			n++
		}
	}
	switch {
	case d.Action == ConsentHidden:
		return s + "removed without a key press, as --consent hide asks"
	case n == 1:
		s += "1 keyboard stop in it"
	default:
		s += fmt.Sprintf("%d keyboard stops in it", n)
	}
	if d.Trapped {
		s += ", round which Tab keeps going"
	}
	switch d.Action {
	case ConsentAccepted:
		s += fmt.Sprintf("; closed with %s on its %s", d.Key, d.Control)
		if d.ControlStop > 0 {
			s += fmt.Sprintf(" (stop %d)", d.ControlStop)
		}
	case ConsentKept:
		s += "; left in place"
		if d.Why != "" {
			s += ": " + d.Why
		} else {
			s += ", as --consent keep asks"
		}
	case ConsentRemoved:
		s += "; removed to audit the page behind it, since no key press closed it"
		if d.Why != "" {
			s += ": " + d.Why
		}
	}
	return s
}

// StopLabels lists the labels of the stops met in the dialog.
func (d *ConsentDialog) StopLabels() []string {
	var out []string
	for _, s := range d.Stops {
		if s.InDialog {
			out = append(out, s.Label)
		}
	}
	return out
}
