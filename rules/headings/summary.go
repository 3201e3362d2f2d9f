package headings

import (
	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
)

// Summarize puts the page's heading outline on its result: every exposed
// heading in order with its level, text, region and frame, the headline
// marked, level jumps marked, and the findings of this family's rules at
// each heading. It is an audit.Summarizer.
func Summarize(p *audit.Page, r *audit.PageResult) {
	out := outlineOf(p)
	if len(out) == 0 {
		return
	}
	family := map[string]bool{}
	for _, rule := range Rules {
		family[rule.ID] = true
	}
	issues := map[audit.NodeID][]audit.OutlineIssue{}
	for _, f := range r.Findings {
		if family[f.Rule] {
			issues[f.Node] = append(issues[f.Node], audit.OutlineIssue{Rule: f.Rule, Outcome: f.Outcome, Message: f.Message})
		}
	}
	head := audit.NoNode
	if m, ok := headline.Find(p); ok {
		head = m.Heading
	}
	skipped := map[int]int{}
	for _, s := range levelSkips(out) {
		skipped[s.cur] = out[s.prev].Level
	}
	entries := make([]audit.OutlineEntry, len(out))
	for i, e := range out {
		entries[i] = audit.OutlineEntry{
			Level:       e.Level,
			Text:        e.Text,
			Selector:    audit.Selector(p, e.Node),
			Region:      e.place.landmark,
			InShadow:    e.place.shadow,
			Headline:    e.Node == head,
			SkippedFrom: skipped[i],
			Issues:      issues[e.Node],
		}
		switch {
		case e.place.frame == audit.NoNode:
		case e.place.ad:
			entries[i].Frame = "ad"
		case e.place.thirdParty:
			entries[i].Frame, entries[i].FrameHost = "third-party", e.place.host
		default:
			entries[i].Frame = "iframe"
		}
	}
	r.Outline = entries
}
