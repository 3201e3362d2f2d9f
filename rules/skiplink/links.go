package skiplink

import (
	"fmt"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/regions"
)

// FirstStops is how many tab stops a keyboard user should meet at most
// before the skip link (skip-link-present, skip-link-before-repeated-
// content).
const FirstStops = 5

// A link is one skip link of a page: an in-page link placed to bypass the
// blocks before the story. It is found by where it points and how it
// behaves, never by its words.
type link struct {
	// node is the link element.
	node audit.NodeID
	// frag is its fragment, without "#".
	frag string
	// target is the element the fragment indicates in the snapshot, or
	// NoNode.
	target audit.NodeID
	// stop indexes the keyboard walk's stops where the link took focus,
	// -1 when it never did (or there was no walk).
	stop int
	// act is what pressing Enter on it did, nil when it was not pressed.
	act *audit.Activation
	// hidden says why the target cannot take the user anywhere (see
	// hiddenTarget), "" when it can.
	hidden string
}

// works reports whether pressing Enter on the link moved focus, or the
// sequential navigation starting point, to a target that exists and is
// shown.
func (l *link) works() bool {
	return l.act != nil && l.act.TargetFound && l.hidden == "" && l.target != audit.NoNode && l.act.Moved()
}

// words names the link for a message: `skip link "Skip to content"`, or
// for a link without a name `unnamed skip link`, followed by its target
// when withTarget is set.
func (l *link) words(p *audit.Page, withTarget bool) string {
	if name := linkName(p, l.node); name != "" {
		return fmt.Sprintf("skip link %q", name)
	}
	if withTarget {
		return fmt.Sprintf("unnamed skip link to \"#%s\"", l.frag)
	}
	return "unnamed skip link"
}

// skipLinks returns the page's skip links in document order: the in-page
// links of the top document that come before the first link to another
// page (as axe-core's isSkipLink), and the in-page links outside the story
// that the keyboard walk reached, which also finds skip links placed
// after an admin bar or a consent banner's links. A link that points back
// up the page (to "#top", say) is not a skip link.
func skipLinks(p *audit.Page) []link {
	return p.Memo(linksKey{}, func() any { return findSkipLinks(p) }).([]link)
}

// Memo keys of the family's derived facts.
type (
	linksKey    struct{}
	headlineKey struct{}
	mainsKey    struct{}
)

// headlineMatch is a memoized result of headline.Find.
type headlineMatch struct {
	m  headline.Match
	ok bool
}

// findHeadline returns the page's rendered headline, as headline.Find,
// computed once per page.
func findHeadline(p *audit.Page) (headline.Match, bool) {
	h := p.Memo(headlineKey{}, func() any {
		m, ok := headline.Find(p)
		return headlineMatch{m, ok}
	}).(headlineMatch)
	return h.m, h.ok
}

// findSkipLinks computes skipLinks.
func findSkipLinks(p *audit.Page) []link {
	found := map[audit.NodeID]bool{}
	var ids []audit.NodeID
	add := func(id audit.NodeID) {
		if !found[id] {
			found[id] = true
			ids = append(ids, id)
		}
	}
	for id := range p.Elements() {
		n := p.Node(id)
		if n.Frame != 0 || !n.Is("a", "area") {
			continue
		}
		if a11y.IsLinkToOtherDocument(p, id) {
			break
		}
		if _, ok := a11y.Fragment(p, id); ok {
			add(id)
		}
	}
	if p.Walk != nil {
		story := storyStart(p)
		for i, s := range p.Walk.Stops {
			if s.Node == audit.NoNode {
				continue
			}
			if inStory(p, s.Node, story) {
				continue // a link in the story (a footnote) is no skip link
			}
			if frag, ok := a11y.Fragment(p, s.Node); ok && s.Fragment != "" && skipsAStop(p, i, frag) {
				add(s.Node)
			}
		}
	}
	slices.Sort(ids)
	var out []link
	for _, id := range ids {
		if !isLink(p, id) {
			continue // a script button written as a link: role=button, href="#0"
		}
		frag, _ := a11y.Fragment(p, id)
		l := link{node: id, frag: frag, target: a11y.ResolveFragment(p, 0, frag), stop: -1}
		if l.target != audit.NoNode && (l.target <= id || p.Contains(l.target, id)) {
			continue // points back up the page
		}
		if l.target != audit.NoNode {
			l.hidden = hiddenTarget(p, l.target)
		}
		if p.Walk != nil {
			for i, s := range p.Walk.Stops {
				if s.Node == id {
					l.stop = i
					break
				}
			}
			for i := range p.Walk.Activations {
				if a := &p.Walk.Activations[i]; a.Stop == l.stop && l.stop >= 0 {
					l.act = a
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// isLink reports whether an element is a link for assistive technology:
// no role other than link, by the accessibility tree when it exposes the
// element, else by the role attribute.
func isLink(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if n.AX != nil && !n.AX.Ignored && n.AX.Role != "" {
		return n.AX.Role == "link"
	}
	r := n.Role()
	return r == "" || r == "link"
}

// skipsAStop reports whether the in-page link at walk stop i is there to
// skip something: it leads to the story, or following it passes over at
// least one tab stop (the next stop comes before its target). A menu
// button written as a link to the menu that follows it ("#site-menu")
// does neither. A link whose target is missing may be a broken skip link,
// so it counts.
func skipsAStop(p *audit.Page, i int, frag string) bool {
	t := a11y.ResolveFragment(p, 0, frag)
	stops := p.Walk.Stops
	if t == audit.NoNode || i+1 >= len(stops) || stops[i+1].Node == audit.NoNode {
		return true
	}
	if storyish(p, t) || holdsOrPrecedes(p, t, mainLandmarks(p)) {
		return true
	}
	next := stops[i+1].Node
	return next < t && !p.Contains(t, next)
}

// storyStart returns the element where the story starts: the headline
// element when the page has one, else NoNode.
func storyStart(p *audit.Page) audit.NodeID {
	if m, ok := findHeadline(p); ok {
		return m.Node
	}
	return audit.NoNode
}

// inStory reports whether an element is part of the story rather than the
// blocks before it: at or after the headline, or in the story as the page
// marks it with main or an article. On a page that marks no story, only
// the headline tells them apart.
func inStory(p *audit.Page, id, story audit.NodeID) bool {
	if story != audit.NoNode && id >= story {
		return true
	}
	return regions.MarksStory(p) && regions.InStory(p, id)
}

// firstWorking returns the first skip link, in tab order, whose Enter
// press worked, or nil.
func firstWorking(links []link) *link {
	var best *link
	for i := range links {
		l := &links[i]
		if l.works() && (best == nil || l.stop < best.stop) {
			best = l
		}
	}
	return best
}

// linkName returns the accessible name of a link for a message, or its
// text when it has no name because it is hidden.
func linkName(p *audit.Page, id audit.NodeID) string {
	name := a11y.Name(p, id)
	if name == "" && !p.Exposed(id) {
		name = audit.CollapseSpace(p.Node(id).AttrOr("aria-label", ""))
		if name == "" {
			name = p.TextContent(id)
		}
	}
	return audit.Truncate(name, 80)
}

// describe names an element the way messages do, e.g.
// "<header#masthead.sticky>".
func describe(p *audit.Page, id audit.NodeID) string {
	if !p.Valid(id) {
		return ""
	}
	return "<" + audit.Describe(p, id) + ">"
}

// inDialog reports whether an element sits in a dialog (a consent banner,
// say): a dialog element, role dialog or alertdialog, aria-modal, or a
// fixed-position layer that is not part of the masthead or navigation.
func inDialog(p *audit.Page, id audit.NodeID) bool {
	if id == audit.NoNode {
		return false
	}
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		n := p.Node(a)
		if n.Kind != audit.ElementNode {
			continue
		}
		role := n.Role()
		if n.AX != nil && !n.AX.Ignored && (n.AX.Role == "dialog" || n.AX.Role == "alertdialog") {
			return true
		}
		if n.Is("dialog") || role == "dialog" || role == "alertdialog" || strings.EqualFold(n.AttrOr("aria-modal", ""), "true") {
			return true
		}
		if l := n.Layout; l != nil && l.Style != nil && l.Style.Position == "fixed" {
			if r := a11y.LandmarkRole(p, a); r == a11y.Banner || r == a11y.Navigation {
				return false
			}
			if _, r := a11y.Landmark(p, a); r == a11y.Banner || r == a11y.Navigation {
				return false
			}
			for d := range p.Descendants(a) {
				if a11y.LandmarkRole(p, d) == a11y.Navigation {
					return false
				}
			}
			return true
		}
	}
	return false
}

// where names the part of the page an element is in: "a dialog",
// "navigation", "main", "an iframe", "outside any landmark".
func where(p *audit.Page, id audit.NodeID) string {
	if id == audit.NoNode {
		return ""
	}
	if inDialog(p, id) {
		return "a dialog"
	}
	return a11y.RegionName(p, id)
}

// stopLabel names a tab stop for a message or a report: its role word and
// accessible name, e.g. `link "World"`.
func stopLabel(p *audit.Page, s *audit.TabStop) string {
	return label(p, s.Node, s.Tag, s.Name)
}

// label names an element by its role and name, e.g. `link "World"`, or
// `link "World" (hidden from screen readers)` when assistive technology
// does not get it.
func label(p *audit.Page, id audit.NodeID, tag, name string) string {
	kind, hidden := tag, false
	if id != audit.NoNode {
		if ax := p.Node(id).AX; ax != nil {
			if ax.Ignored {
				hidden = true
			} else if roleWords[ax.Role] != "" {
				kind = ax.Role
			}
		}
		if name == "" {
			name = p.TextContent(id)
		}
	}
	if w := roleWords[kind]; w != "" {
		kind = w
	}
	if kind == "" {
		kind = "element"
	}
	name = audit.Truncate(audit.CollapseSpace(name), 60)
	s := kind + " \"" + name + "\""
	if name == "" {
		s = kind + " with no name"
	}
	if hidden {
		s += " (hidden from screen readers)"
	}
	return s
}

// roleWords are the words reports use for the roles and tags of tab
// stops; others are named by their tag.
var roleWords = map[string]string{
	"a": "link", "link": "link", "button": "button", "textbox": "text field", "searchbox": "search field",
	"input": "field", "checkbox": "checkbox", "radio": "radio button", "combobox": "menu", "select": "menu",
	"menuitem": "menu item", "tab": "tab", "switch": "switch", "slider": "slider", "textarea": "text field",
	"iframe": "embedded frame", "summary": "summary", "video": "video", "audio": "audio player",
}
