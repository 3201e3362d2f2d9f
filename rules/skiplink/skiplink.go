// Package skiplink holds the rules on skip links and bypass blocks. Most of
// them read the keyboard walk the Chrome loader records: the first tab
// stops as a keyboard user meets them, and what pressing Enter on each
// link within the page did. Skip links are found by where they point and
// how they behave, never by their words.
package skiplink

import (
	_ "embed"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed doc.md
var docText string

var docs = audit.MustDocs(docText)

// What the rules need, by kind of evidence.
const (
	needsWalk   = audit.CapDOM | audit.CapScripts | audit.CapLayout | audit.CapAX | audit.CapKeyboard
	needsTree   = audit.CapDOM | audit.CapScripts | audit.CapAX
	needsLayout = audit.CapDOM | audit.CapScripts | audit.CapLayout | audit.CapAX
)

// BypassMechanism is the rule bypass-mechanism.
var BypassMechanism = &audit.Rule{
	ID:       "bypass-mechanism",
	Title:    "the page must offer a working way past the blocks that repeat on every page",
	Doc:      docs["bypass-mechanism"],
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkBypassMechanism,
}

// Present is the rule skip-link-present.
var Present = &audit.Rule{
	ID:       "skip-link-present",
	Title:    "a working skip link should be among the first tab stops",
	Doc:      docs["skip-link-present"],
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Moderate,
	Needs:    needsWalk,
	Check:    checkPresent,
}

// TargetExists is the rule skip-link-target-exists.
var TargetExists = &audit.Rule{
	ID:       "skip-link-target-exists",
	Title:    "skip links must point to an element that exists and is shown",
	Doc:      docs["skip-link-target-exists"],
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkTargetExists,
}

// Focusable is the rule skip-link-focusable.
var Focusable = &audit.Rule{
	ID:       "skip-link-focusable",
	Title:    "skip links must be reachable with the Tab key",
	Doc:      docs["skip-link-focusable"],
	WCAG:     []string{"2.1.1", "2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkFocusable,
}

// VisibleOnFocus is the rule skip-link-visible-on-focus.
var VisibleOnFocus = &audit.Rule{
	ID:       "skip-link-visible-on-focus",
	Title:    "skip links must be visible when they have keyboard focus",
	Doc:      docs["skip-link-visible-on-focus"],
	WCAG:     []string{"2.4.7", "2.4.11"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkVisibleOnFocus,
}

// MovesFocus is the rule skip-link-moves-focus.
var MovesFocus = &audit.Rule{
	ID:       "skip-link-moves-focus",
	Title:    "pressing Enter on a skip link must move keyboard focus to its target",
	Doc:      docs["skip-link-moves-focus"],
	WCAG:     []string{"2.4.1", "2.4.3"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkMovesFocus,
}

// TargetNotObscured is the rule skip-link-target-not-obscured.
var TargetNotObscured = &audit.Rule{
	ID:       "skip-link-target-not-obscured",
	Title:    "the skip target must not end up hidden under fixed or sticky content",
	Doc:      docs["skip-link-target-not-obscured"],
	WCAG:     []string{"2.4.11"},
	Tags:     []string{"skip-links"},
	Severity: audit.Serious,
	Needs:    needsWalk,
	Check:    checkTargetNotObscured,
}

// TargetAfterHeadline is the rule skip-target-after-headline.
var TargetAfterHeadline = &audit.Rule{
	ID:       "skip-target-after-headline",
	Title:    "the skip link should not jump past the headline",
	Doc:      docs["skip-target-after-headline"],
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"skip-links", "news"},
	Severity: audit.Minor,
	Needs:    needsTree,
	Check:    checkTargetAfterHeadline,
}

// Name is the rule skip-link-name.
var Name = &audit.Rule{
	ID:       "skip-link-name",
	Title:    "skip links must have a name that says where they lead",
	Doc:      docs["skip-link-name"],
	WCAG:     []string{"2.4.4"},
	Tags:     []string{"skip-links"},
	Severity: audit.Moderate,
	Needs:    needsTree,
	Check:    checkName,
}

// BeforeRepeatedContent is the rule skip-link-before-repeated-content.
var BeforeRepeatedContent = &audit.Rule{
	ID:       "skip-link-before-repeated-content",
	Title:    "the skip link should come before the navigation in tab order",
	Doc:      docs["skip-link-before-repeated-content"],
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Minor,
	Needs:    needsWalk,
	Check:    checkBeforeRepeatedContent,
}

// MainLandmark is the rule main-landmark.
var MainLandmark = &audit.Rule{
	ID:       "main-landmark",
	Title:    "the page should have one main landmark that holds the headline",
	Doc:      docs["main-landmark"],
	WCAG:     []string{"1.3.1", "2.4.1"},
	Tags:     []string{"skip-links"},
	Severity: audit.Moderate,
	Needs:    needsTree,
	Check:    checkMainLandmark,
}

// ContentOutsideLandmarks is the rule content-outside-landmarks.
var ContentOutsideLandmarks = &audit.Rule{
	ID:       "content-outside-landmarks",
	Title:    "visible content should sit inside a landmark",
	Doc:      docs["content-outside-landmarks"],
	Tags:     []string{"skip-links", "best-practice"},
	Severity: audit.Minor,
	Needs:    needsLayout,
	Check:    checkContentOutsideLandmarks,
}

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{
	BypassMechanism, Present, TargetExists, Focusable, VisibleOnFocus, MovesFocus,
	TargetNotObscured, TargetAfterHeadline, Name, BeforeRepeatedContent,
	MainLandmark, ContentOutsideLandmarks,
}
