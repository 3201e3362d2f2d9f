package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// A control is a bypass instrument that is not a link within the page,
// as the keyboard walk pressed it: a button or an element with role
// button that moves focus by script (WCAG technique G1 done with a
// button), an element with role link, a script link, a link to another
// document, or a control that collapses a repeated block (SCR28).
type control struct {
	// node is the control element.
	node audit.NodeID
	// act is what pressing it did.
	act *audit.Activation
	// name is its accessible name.
	name string
}

// controlsKey is the memo key of controls.
type controlsKey struct{}

// controls returns the controls the keyboard walk pressed, in tab order.
func controls(p *audit.Page) []control {
	return p.Memo(controlsKey{}, func() any { return findControls(p) }).([]control)
}

// findControls computes controls.
func findControls(p *audit.Page) []control {
	if p.Walk == nil {
		return nil
	}
	var out []control
	for i := range p.Walk.Activations {
		a := &p.Walk.Activations[i]
		if !a.Control || a.Stop < 0 || a.Stop >= len(p.Walk.Stops) {
			continue
		}
		s := &p.Walk.Stops[a.Stop]
		if s.Node == audit.NoNode {
			continue
		}
		out = append(out, control{node: s.Node, act: a, name: stopName(p, s)})
	}
	return out
}

// skipVerbs are the one-word entries of the skip-generic lexicon
// ("skip", "jump", "saltar", "springen"): with a word that names the
// content or the navigation, they make a name read as a skip control's.
var skipVerbs = func() map[string]bool {
	set := map[string]bool{}
	for _, e := range genericNames.Entries() {
		if !strings.Contains(e, " ") {
			set[e] = true
		}
	}
	return set
}()

// readsAsSkip reports whether a control's name promises a bypass: a skip
// word and a word for the content or the navigation ("Skip to main
// content", "Skip navigation", "Zum Inhalt springen"). The words only
// decide whether a control that does nothing breaks a promise; what a
// control does decides whether it is a bypass.
func readsAsSkip(name string) bool {
	verb, place := nameWords(name)
	return verb && place
}

// nameWords reports whether a name has a skip word (verb) and a word for
// the content or the navigation (place).
func nameWords(name string) (verb, place bool) {
	for _, w := range strings.Fields(textmatch.FoldAccents(name)) {
		verb = verb || skipVerbs[w]
		place = place || contentWords.Has(w) || navWords.Has(w)
	}
	return verb, place
}

// stopName returns a tab stop's accessible name, or, when it has none,
// the name its link text gives (see linkName).
func stopName(p *audit.Page, s *audit.TabStop) string {
	if name := audit.CollapseSpace(s.Name); name != "" {
		return name
	}
	return linkName(p, s.Node)
}

// WorthPressing reports whether the keyboard walk should press the
// control at a tab stop before the main content: whether this package's
// rules could judge what pressing it does. They judge a control that
// proves a bypass or promises one, and they can tell one from markup
// before it is pressed:
//
//   - a name with a word of skipping, of the content or of the
//     navigation ("Skip to content", "Main", "Sections Navigation"),
//     which may promise a bypass or name a block it collapses;
//   - aria-expanded or aria-controls, a control that shows or hides a
//     block (SCR28), which may collapse it for the eye only;
//   - a link to another document at a fragment this page has (see
//     skipLike).
//
// Other controls ("Search", "Subscribe", a button with no name) are left
// alone: pressing one costs the walk a dozen round trips or more, and a
// rule could only count it as a bypass if it moved focus into the story,
// or took the navigation's links out of the tab order, without its name
// or markup saying so. Such a bypass is no longer found; on the corpus,
// 42 of 47 controls were left alone and no finding changed. Use it as
// chrome.Options.PressControl.
func WorthPressing(p *audit.Page, s *audit.TabStop) bool {
	if s.Node == audit.NoNode {
		return false
	}
	n := p.Node(s.Node)
	if n.HasAttr("aria-expanded") || n.HasAttr("aria-controls") {
		return true
	}
	if n.Is("a", "area") && skipLike(p, s.Node) {
		return true
	}
	verb, place := nameWords(stopName(p, s))
	return verb || place
}

// movesToContent reports whether pressing the control moved focus on to
// the start of the story or the main content (G1 and G123 with a
// control): the focused element is in the story, or holds or precedes
// the main landmark.
func (c *control) movesToContent(p *audit.Page) bool {
	f := c.act.Focused
	if !c.act.MovedOn() || f == audit.NoNode {
		return false
	}
	return storyish(p, f) || holdsOrPrecedes(p, f, mainLandmarks(p)) || inStory(p, f, storyStart(p))
}

// collapses reports whether pressing the control took at least half of
// the tab stops of a block before the story out of the tab order (SCR28):
// the block it names with aria-controls, or the part of the page before
// the main content. A control that only hides the block from sight,
// leaving its links in the tab order, does not.
func (c *control) collapses(p *audit.Page) bool {
	a := c.act
	if !a.Collapsed() || a.BlockStopsBefore < 1 || 2*a.BlockStopsAfter > a.BlockStopsBefore {
		return false
	}
	return a.Block == audit.NoNode || !storyish(p, a.Block)
}

// bypasses reports whether the control is a working bypass instrument.
func (c *control) bypasses(p *audit.Page) bool {
	return c.movesToContent(p) || c.collapses(p)
}

// words names the control for a message: `button "Skip to main
// content"`.
func (c *control) words(p *audit.Page) string {
	return label(p, c.node, c.act.Role, c.name)
}

// keysWords says which keys were pressed: "Enter", "Enter and Space".
func keysWords(a *audit.Activation) string {
	if len(a.Keys) == 0 {
		return "Enter"
	}
	return strings.Join(a.Keys, " and ")
}

// firstBypassControl returns the first control, in tab order, that works
// as a bypass, or nil.
func firstBypassControl(p *audit.Page) *control {
	cs := controls(p)
	for i := range cs {
		if cs[i].bypasses(p) {
			return &cs[i]
		}
	}
	return nil
}

// controlFailure says why a control whose name promises a bypass, or
// that collapses a block for sight only, is none, or "" when it works or
// promises nothing.
func controlFailure(p *audit.Page, c *control) string {
	a := c.act
	if c.bypasses(p) {
		return ""
	}
	switch {
	case a.LeftPage != "":
		if !readsAsSkip(c.name) && !skipLike(p, c.node) {
			return ""
		}
		return fmt.Sprintf("pressing %s on %s %s instead of moving focus within this one, so it is not a skip link",
			keysWords(a), c.words(p), leftWords(p, a))
	case a.ExpandedAfter != a.ExpandedBefore && a.BlockStopsAfter >= a.BlockStopsBefore && a.BlockStopsBefore > 0 && a.ExpandedAfter == "false":
		return fmt.Sprintf("pressing %s on %s collapses %s only for the eye: its %s stay in the tab order",
			a.Key, c.words(p), blockWords(a), plural(a.BlockStopsAfter, "tab stop", "tab stops"))
	case !readsAsSkip(c.name):
		return ""
	case a.Key == "" && p.Walk.FailedScripts > 0:
		return fmt.Sprintf("pressing %s on %s did nothing: focus stayed on it and the page did not move; %s of the page did not load, and the control's handler may be in one",
			keysWords(a), c.words(p), plural(p.Walk.FailedScripts, "script", "scripts"))
	case a.Key == "":
		return fmt.Sprintf("pressing %s on %s did nothing: focus stayed on it and the page did not move", keysWords(a), c.words(p))
	case a.ExpandedAfter != a.ExpandedBefore || a.BlockStopsAfter != a.BlockStopsBefore:
		return "" // it opened or closed something: a menu button, not a broken skip control
	case a.FocusRelation == audit.RelAfter || a.FocusRelation == audit.RelInside:
		return fmt.Sprintf("pressing %s on %s moved focus to %s, which is not the start of the content", a.Key, c.words(p), label(p, a.Focused, a.FocusedTag, ""))
	}
	return fmt.Sprintf("pressing %s on %s did not move focus past it", a.Key, c.words(p))
}

// unsure reports whether a control's failure may be the capture's, not
// the page's: it did nothing, and some of the page's scripts did not load
// (a saved page whose scripts come from hosts --block-third-party
// refuses, a script that failed), so its handler may be missing.
func unsure(p *audit.Page, c *control) bool {
	return c.act.Key == "" && c.act.LeftPage == "" && p.Walk != nil && p.Walk.FailedScripts > 0
}

// skipLike reports whether a link to another document points at a
// fragment the page itself has: a skip link written with another
// address (the site's own, or a stale one).
func skipLike(p *audit.Page, id audit.NodeID) bool {
	href := p.Node(id).AttrOr("href", "")
	i := strings.LastIndexByte(href, '#')
	if i < 0 || i == len(href)-1 {
		return false
	}
	return a11y.ResolveFragment(p, 0, href[i+1:]) != audit.NoNode
}

// blockWords names the block a control governs: `<nav#menu>`, or "the
// blocks before the main content".
func blockWords(a *audit.Activation) string {
	if a.BlockTag != "" {
		return "<" + a.BlockTag + ">"
	}
	return "the blocks before the main content"
}

// leftWords says where a press that left the page went: "reloads the
// page", "loads another page (ADDRESS)", or, for an address the browser
// hands to another application (mailto:, tel:), "hands an address to
// another application (ADDRESS)".
func leftWords(p *audit.Page, a *audit.Activation) string {
	here, _, _ := strings.Cut(p.FinalURL, "#")
	if to, _, _ := strings.Cut(a.LeftPage, "#"); here != "" && to == here {
		return "reloads the page"
	}
	if scheme, _, ok := strings.Cut(a.LeftPage, ":"); ok && !documentScheme[strings.ToLower(scheme)] {
		return fmt.Sprintf("hands an address to another application (%s)", audit.Truncate(a.LeftPage, 120))
	}
	return fmt.Sprintf("loads another page (%s)", audit.Truncate(a.LeftPage, 120))
}

// documentScheme are the schemes of addresses the browser loads as a
// document; it hands those of any other (mailto:, tel:, sms:) to another
// application.
var documentScheme = map[string]bool{"http": true, "https": true, "file": true, "data": true, "blob": true, "about": true}
