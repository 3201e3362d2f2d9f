package headings_test

import (
	"encoding/json"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/rules/headings"
)

// TestSummarize checks the outline of a page with headings in its banner,
// its story, a shadow tree, a same-site iframe and an ad's iframe, as
// Chrome exposes them.
func TestSummarize(t *testing.T) {
	p := audittest.Replay(t, audittest.Page(t, "rules/heading-misused/outline.html"))
	var r audit.PageResult
	r.Findings, _, _ = audit.CheckPage(p, headings.Rules)
	headings.Summarize(p, &r)

	want := []audit.OutlineEntry{
		{Level: 2, Text: "Site tools", Region: "banner"},
		{Level: 1, Text: "Storm hits the coast overnight", Region: "main", Headline: true},
		{Level: 2, Text: "By Jane Doe", Region: "main"},
		{Level: 3, Text: "Inside the card", Region: "main", InShadow: true},
		{Level: 4, Text: "High tides today", Region: "main", Frame: "iframe"},
		{Level: 3, Text: "Sponsored offer", Region: "main", Frame: "ad"},
	}
	if len(r.Outline) != len(want) {
		data, _ := json.MarshalIndent(r.Outline, "", "  ")
		t.Fatalf("outline has %d entries, want %d:\n%s", len(r.Outline), len(want), data)
	}
	for i, w := range want {
		got := r.Outline[i]
		if got.Level != w.Level || got.Text != w.Text || got.Region != w.Region || got.Frame != w.Frame ||
			got.InShadow != w.InShadow || got.Headline != w.Headline {
			t.Errorf("entry %d = %+v, want %+v", i, got, w)
		}
		if got.Selector == "" {
			t.Errorf("entry %d has no selector", i)
		}
	}
	// The byline carries heading-misused's finding.
	if is := r.Outline[2].Issues; len(is) != 1 || is[0].Rule != "heading-misused" || is[0].Outcome != audit.Review {
		t.Errorf("byline issues = %+v", is)
	}
	if r.Outline[1].Issues != nil {
		t.Errorf("the headline has issues %+v", r.Outline[1].Issues)
	}
}

// TestSummarizeMarksSkips checks that a level jump is marked with the level
// it jumps from, also when the heading rules did not run.
func TestSummarizeMarksSkips(t *testing.T) {
	p := audittest.Replay(t, audittest.Page(t, "rules/heading-level-skip/level-skip.html"))
	var r audit.PageResult
	headings.Summarize(p, &r)
	var skips []string
	for _, e := range r.Outline {
		if e.SkippedFrom > 0 {
			skips = append(skips, e.Text)
		}
		if len(e.Issues) > 0 {
			t.Errorf("%q has issues without findings", e.Text)
		}
	}
	if len(skips) != 3 || skips[0] != "Reactions" || skips[1] != "An ARIA heading" || skips[2] != "Overridden level" {
		t.Errorf("skips at %q, want Reactions, An ARIA heading, Overridden level", skips)
	}
}
