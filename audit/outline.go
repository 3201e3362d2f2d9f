package audit

// An OutlineEntry is one heading of a page's outline as reports show it:
// every heading exposed to assistive technology, in the order a
// screen-reader user meets them, with where it sits and what the heading
// rules found wrong with it.
type OutlineEntry struct {
	// Level is the heading level assistive technology gets, 1 to 9.
	Level int `json:"level"`
	// Text is the heading's accessible name; empty for an empty heading.
	Text string `json:"text"`
	// Selector finds the heading element, as in findings.
	Selector string `json:"selector"`
	// Region is the landmark the heading sits in: "main", "banner",
	// "navigation", "complementary", "contentinfo", "region", "form",
	// "search", or "" outside any landmark.
	Region string `json:"region,omitempty"`
	// Frame is empty for headings of the page itself, "iframe" for one in
	// an iframe of the same site, "third-party" for one in another site's
	// iframe and "ad" for one in an advertisement's iframe.
	Frame string `json:"frame,omitempty"`
	// FrameHost is the host of a third-party iframe.
	FrameHost string `json:"frame_host,omitempty"`
	// InShadow is true for a heading inside a shadow tree.
	InShadow bool `json:"in_shadow,omitempty"`
	// Headline is true for the heading that carries the story's headline.
	Headline bool `json:"headline,omitempty"`
	// SkippedFrom is the level of the heading before this one when the
	// level jumps down by more than one, 0 otherwise.
	SkippedFrom int `json:"skipped_from,omitempty"`
	// Issues are the heading rules' findings at this heading.
	Issues []OutlineIssue `json:"issues,omitempty"`
}

// An OutlineIssue is a finding at a heading of the outline, repeated there
// so that a reader of the outline sees what is wrong where.
type OutlineIssue struct {
	// Rule is the id of the rule that reported it.
	Rule string `json:"rule"`
	// Outcome is violation or review.
	Outcome Outcome `json:"outcome"`
	// Message says what was observed.
	Message string `json:"message"`
}
