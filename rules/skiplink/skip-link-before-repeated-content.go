package skiplink

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

func checkPresent(pass *audit.Pass) error {
	p := pass.Page
	if p.Walk == nil {
		return nil
	}
	links := skipLinks(p)
	first := firstWorking(links)
	if first != nil && first.stop < FirstStops {
		return nil
	}
	// A skip link that is there but broken is reported by the rules on
	// targets, focus and visibility, not as missing.
	for _, l := range links {
		if l.stop >= 0 && l.stop < FirstStops {
			return nil
		}
	}
	if first != nil {
		pass.Report(first.node, fmt.Sprintf("none of the first %d tab stops is a working skip link; the first one, %q, is tab stop %d: %s",
			FirstStops, linkName(p, first.node), first.stop+1, precedingWords(p, first.stop)), audit.AsReview())
		return nil
	}
	msg := fmt.Sprintf("none of %s is a link that moves focus within the page, so keyboard users have no skip link", walkExtent(p.Walk))
	if len(p.Walk.Stops) == 0 {
		msg = "nothing on the page takes keyboard focus, so keyboard users have no skip link"
	}
	if p.Walk.Stopped != "" {
		msg += " (" + p.Walk.Stopped + ")"
	}
	pass.ReportPage(msg, audit.AsReview())
	return nil
}

// precedingWords says what comes before tab stop i: how many stops, how
// many of them in a dialog or the navigation.
func precedingWords(p *audit.Page, i int) string {
	stops := p.Walk.Stops[:i]
	dialog, nav := 0, 0
	for _, s := range stops {
		switch {
		case inDialog(p, s.Node):
			dialog++
		case inNavigation(p, s.Node):
			nav++
		}
	}
	var parts []string
	if dialog > 0 {
		parts = append(parts, fmt.Sprintf("%d in a dialog", dialog))
	}
	if nav > 0 {
		parts = append(parts, fmt.Sprintf("%d in the navigation", nav))
	}
	s := fmt.Sprintf("%s come before it", plural(len(stops), "tab stop", "tab stops"))
	if len(stops) == 1 {
		s = "1 tab stop comes before it"
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// inNavigation reports whether an element sits in a navigation landmark.
func inNavigation(p *audit.Page, id audit.NodeID) bool {
	return id != audit.NoNode && landmarkAncestor(p, id, a11y.Navigation) != audit.NoNode
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func checkBeforeRepeatedContent(pass *audit.Pass) error {
	p := pass.Page
	var first *link
	links := skipLinks(p)
	for i := range links {
		if l := &links[i]; l.stop >= 0 && (first == nil || l.stop < first.stop) {
			first = l
		}
	}
	if first == nil || first.stop == 0 {
		return nil
	}
	before := p.Walk.Stops[:first.stop]
	counted, nav := 0, audit.NoNode
	for _, s := range before {
		if inDialog(p, s.Node) {
			continue // a consent dialog may come first
		}
		counted++
		if nav == audit.NoNode && inNavigation(p, s.Node) {
			nav = s.Node
		}
	}
	name := linkName(p, first.node)
	switch {
	case nav != audit.NoNode:
		navEl := landmarkAncestor(p, nav, a11y.Navigation)
		pass.Report(first.node, fmt.Sprintf("skip link %q comes after the navigation %s in tab order: it is tab stop %d and %s",
			name, navLabel(p, navEl), first.stop+1, precedingWords(p, first.stop)), audit.AsReview())
	case counted > FirstStops:
		pass.Report(first.node, fmt.Sprintf("skip link %q is tab stop %d: %s", name, first.stop+1, precedingWords(p, first.stop)), audit.AsReview())
	}
	return nil
}

// navLabel names a navigation landmark: its accessible name, else its
// element.
func navLabel(p *audit.Page, id audit.NodeID) string {
	if id == audit.NoNode {
		return "landmark"
	}
	if name := a11y.Name(p, id); name != "" && p.Node(id).AX != nil && p.Node(id).AX.NameFrom != "contents" {
		return fmt.Sprintf("%q", audit.Truncate(name, 60))
	}
	return describe(p, id)
}

func checkTargetAfterHeadline(pass *audit.Pass) error {
	p := pass.Page
	m, ok := findHeadline(p)
	if !ok {
		return nil
	}
	story := storyContainer(p, m.Node)
	// Only the first skip link into the story counts: later ones ("Skip
	// to key events") lead further on by design.
	for _, l := range skipLinks(p) {
		t := l.target
		if t == audit.NoNode {
			continue
		}
		if story != audit.NoNode && !p.Contains(story, t) && !p.Contains(t, story) {
			continue // leads elsewhere: the navigation, the footer
		}
		if _, role := a11y.Landmark(p, t); role != "" && role != a11y.Main {
			continue // leads to the navigation or a rail, not the story
		}
		if t > m.Node && !p.Contains(t, m.Node) {
			pass.Report(l.node, fmt.Sprintf("%s lands on %s, after the headline %q, so keyboard users who follow it miss the headline",
				l.words(p, true), describe(p, t), audit.Truncate(m.Text, 80)), audit.AsReview())
		}
		break
	}
	return nil
}

// storyContainer returns the main landmark or article that holds the
// headline, the main landmark when both do, or NoNode.
func storyContainer(p *audit.Page, h audit.NodeID) audit.NodeID {
	if mainEl := landmarkAncestor(p, h, a11y.Main); mainEl != audit.NoNode {
		return mainEl
	}
	return p.Closest(h, "article")
}

// landmarkAncestor returns id or its nearest ancestor that is a landmark
// with the role, or NoNode.
func landmarkAncestor(p *audit.Page, id audit.NodeID, role string) audit.NodeID {
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		if a11y.LandmarkRole(p, a) == role {
			return a
		}
	}
	return audit.NoNode
}
