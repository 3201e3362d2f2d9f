package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// Summarize adds the page's keyboard walk to its result in words an editor
// can follow: each tab stop in order, whether a sighted keyboard user
// could see it while it had focus, and what pressing Enter on each link
// within the page did. With several viewports it adds one walk per
// viewport.
func Summarize(p *audit.Page, r *audit.PageResult) {
	w := p.Walk
	if w == nil {
		return
	}
	links := skipLinks(p)
	byStop := map[int]*link{}
	for i := range links {
		if links[i].stop >= 0 {
			byStop[links[i].stop] = &links[i]
		}
	}
	acts := map[int]*audit.Activation{}
	for i := range w.Activations {
		acts[w.Activations[i].Stop] = &w.Activations[i]
	}
	ws := audit.WalkSummary{Viewport: p.Viewport.String(), Steps: []audit.WalkStep{}, Note: cutShortWords(p, w)}
	for i := range w.Stops {
		s := &w.Stops[i]
		step := audit.WalkStep{N: i + 1, What: stopLabel(p, s), Where: placeWords[where(p, s.Node)]}
		if s.Node != audit.NoNode {
			step.Selector = audit.Selector(p, s.Node)
		}
		step.Seen = seenWords(s)
		step.Visible = step.Seen == ""
		if a := acts[i]; a != nil && a.Control {
			c := control{node: s.Node, act: a}
			step.Enter = controlWords(p, a)
			step.Moved = c.movesToContent(p)
		} else if a != nil {
			step.Enter = enterWords(p, a)
			step.Moved = a.TargetFound && a.Moved()
		}
		ws.Steps = append(ws.Steps, step)
	}
	first := firstWorking(links)
	if first != nil && inTrap(w, first.stop) {
		first = nil // a keyboard user caught before it never gets past it
	}
	if first != nil {
		ws.SkipLink = first.stop + 1
	}
	ws.Verdict = verdict(p, links, first, ws.Note)
	if c := firstBypassControl(p); first == nil && c != nil && !inTrap(w, c.act.Stop) {
		ws.SkipLink = c.act.Stop + 1
		ws.Verdict = fmt.Sprintf("No skip link works, but %s, tab stop %d, takes keyboard users past the repeated blocks.", c.words(p), c.act.Stop+1)
	}
	r.Walks = append(r.Walks, ws)
}

// placeWords say where on the page a tab stop is, in words an editor
// uses.
var placeWords = map[string]string{
	"a dialog":             "in a dialog",
	"an iframe":            "in an embedded frame",
	"outside any landmark": "outside the page's landmarks",
	"banner":               "in the page header",
	"navigation":           "in the navigation",
	"main":                 "in the main content",
	"complementary":        "in a sidebar",
	"contentinfo":          "in the page footer",
	"search":               "in the search",
	"form":                 "in a form",
	"region":               "in a labelled section",
}

// enterWords says what pressing Enter on a link did.
func enterWords(p *audit.Page, a *audit.Activation) string {
	target := "#" + a.Fragment
	if a.Target != audit.NoNode {
		target = describe(p, a.Target)
	}
	if !a.TargetFound {
		return fmt.Sprintf("Enter led nowhere: nothing on the page is called %q", "#"+a.Fragment)
	}
	next := "the next Tab left the page"
	if a.NextRelation != audit.RelNone {
		next = "the next Tab went to " + label(p, a.Next, a.NextTag, a.NextName)
	}
	var s string
	switch {
	case a.FocusRelation == audit.RelTarget || a.FocusRelation == audit.RelInside:
		s = fmt.Sprintf("Enter moved focus to %s; %s", target, next)
	case a.Moved():
		s = fmt.Sprintf("Enter jumped to %s; %s, inside or after it", target, next)
	case a.HashAfter == a.HashBefore && a.ScrollAfter == a.ScrollBefore:
		s = fmt.Sprintf("Enter did nothing (the page did not move); %s, before %s", next, target)
	default:
		s = fmt.Sprintf("Enter scrolled the page but focus stayed behind; %s, before %s", next, target)
	}
	if c := a.Content; a.Moved() && c.Points > 0 && 2*c.Covered >= c.Points {
		s += fmt.Sprintf("; %q was then hidden under %s", audit.Truncate(c.Text, 60), coverer(&c))
	}
	return s
}

// controlWords says what pressing a control did.
func controlWords(p *audit.Page, a *audit.Activation) string {
	keys := keysWords(a)
	switch {
	case a.LeftPage != "":
		return fmt.Sprintf("%s %s; the walk cancelled that and stayed on this page", keys, leftWords(p, a))
	case a.Key == "":
		return keys + " did nothing"
	case a.BlockStopsAfter != a.BlockStopsBefore:
		return fmt.Sprintf("%s changed the tab stops of %s from %d to %d", a.Key, blockWords(a), a.BlockStopsBefore, a.BlockStopsAfter)
	case a.ExpandedAfter != a.ExpandedBefore:
		return fmt.Sprintf("%s set aria-expanded to %q; the tab stops of %s stayed %d", a.Key, a.ExpandedAfter, blockWords(a), a.BlockStopsAfter)
	case a.MovedOn():
		return fmt.Sprintf("%s moved focus to %s", a.Key, label(p, a.Focused, a.FocusedTag, ""))
	}
	return a.Key + " did not move focus past it"
}

// verdict sums the walk up in a sentence. A walk cut short (cut says
// why) that found no working skip link cannot tell whether one works.
func verdict(p *audit.Page, links []link, first *link, cut string) string {
	if first == nil && cut != "" {
		return "Whether a skip link works could not be determined: " + cut + "."
	}
	if first != nil {
		s := fmt.Sprintf("The first working skip link is tab stop %d, %q.", first.stop+1, linkName(p, first.node))
		if first.stop > 0 {
			s = fmt.Sprintf("The first working skip link is tab stop %d, %q; %s.", first.stop+1, linkName(p, first.node), precedingWords(p, first.stop))
		}
		return s
	}
	for _, l := range links {
		if l.stop >= 0 {
			return fmt.Sprintf("No skip link works: %q (tab stop %d) does not take keyboard users past the repeated blocks.", linkName(p, l.node), l.stop+1)
		}
	}
	if len(links) > 0 {
		return fmt.Sprintf("No skip link works: %q never takes keyboard focus.", linkName(p, links[0].node))
	}
	return "No link among these tab stops takes keyboard users past the repeated blocks."
}
