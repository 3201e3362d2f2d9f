// Package skiplink holds the rules on skip links and bypass blocks. Most of
// them read the keyboard walk the Chrome loader records: the first tab
// stops as a keyboard user meets them, and what pressing Enter on each
// link within the page did. Skip links are found by where they point and
// how they behave, never by their words.
//
// Each rule is declared, with its check, in a file named by its id; the
// helpers several rules share are in links.go (finding the skip links),
// target.go, landmarks.go and words.go (the walk and boxes in words for
// messages). Summarize is in summary.go.
package skiplink

import (
	_ "embed"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed doc.md
var docText string

// Family is the family of the rules on skip links and bypass blocks. Each
// of its rules is built with Family.Rule and documented in doc.md.
var Family = audit.NewFamily("skip-links", "Skip links and bypass blocks", docText)

// What the rules need, by kind of evidence.
const (
	needsWalk   = audit.CapDOM | audit.CapScripts | audit.CapLayout | audit.CapAX | audit.CapKeyboard
	needsTree   = audit.CapDOM | audit.CapScripts | audit.CapAX
	needsLayout = audit.CapDOM | audit.CapScripts | audit.CapLayout | audit.CapAX
)

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{
	BypassMechanism, Present, TargetExists, Focusable, VisibleOnFocus, MovesFocus,
	TargetNotObscured, TargetAfterHeadline, Name, BeforeRepeatedContent,
	MainLandmark, ContentOutsideLandmarks, FocusTrap, ConsentKeyboard, NotRendered,
}
