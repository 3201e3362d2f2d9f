package skiplink

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// TargetAfterHeadline is the rule skip-target-after-headline.
var TargetAfterHeadline = Family.Rule(audit.Rule{
	ID:       "skip-target-after-headline",
	Title:    "the skip link should lead to the start of the story: not into the repeated blocks before it, nor past the headline",
	WCAG:     []string{"2.4.1"},
	Tags:     []string{"news"},
	Severity: audit.Minor,
	Needs:    needsTree,
	Check:    checkTargetAfterHeadline,
})

func checkTargetAfterHeadline(pass *audit.Pass) error {
	if unrendered(pass.Page) {
		return nil // page-not-rendered reports the page
	}
	reportRepeatedTarget(pass)
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

// reportRepeatedTarget reports a skip link that leads into the repeated
// content ahead of the story, or just before it: a keyboard user who
// follows it still tabs through repeated blocks before reaching the story,
// so it skips nothing. It is reported only when no skip link of the page
// leads past the repeated content (a "Skip to navigation" link beside a
// working "Skip to content" is there by design), and then the first one,
// as a violation whose message names the block. A link to a block itself
// (the navigation landmark, a search box it opens) leads there on
// purpose and is not reported.
func reportRepeatedTarget(pass *audit.Pass) {
	p := pass.Page
	var first *link
	var firstBlock block
	firstCount := 0
	links := skipLinks(p)
	for i := range links {
		l := &links[i]
		if l.target == audit.NoNode || l.hidden != "" {
			continue // skip-link-target-exists reports these
		}
		b, n := skippedPast(p, l.target)
		if n == 0 {
			return // this one leads past the repeated content
		}
		if b.node == l.target || repeatedRoles[a11y.LandmarkRole(p, l.target)] {
			continue // leads to the block itself, on purpose: "Skip to navigation", a search toggle
		}
		if first == nil {
			first, firstBlock, firstCount = l, b, n
		}
	}
	if first == nil {
		return
	}
	where := "ahead of"
	if p.Contains(firstBlock.node, first.target) {
		where = "inside"
	}
	story := "the story"
	if m, ok := findHeadline(p); ok {
		story = fmt.Sprintf("the headline %q", audit.Truncate(m.Text, 80))
	} else if start := repeatedContent(p).start; start != audit.NoNode {
		story = "the story at " + describe(p, start)
	}
	msg := fmt.Sprintf("%s lands on %s, %s %s, so it does not skip the content repeated before the story: keyboard users who follow it still meet %s of it before %s",
		first.words(p, true), describe(p, first.target), where, firstBlock.words(p), countWords(firstCount), story)
	if a := first.act; a != nil && a.Moved() && a.Next != audit.NoNode && !inStory(p, a.Next, repeatedContent(p).start) {
		msg += fmt.Sprintf("; after Enter, the next Tab went to %s", label(p, a.Next, a.NextTag, a.NextName))
	}
	pass.Report(first.node, msg, audit.WithSeverity(audit.Moderate))
}
