package audit

// A Transcript is the start of a page as a screen reader's browse mode
// speaks it, read from the browser's accessibility tree: one line per
// thing the reader announces, from the top of the page through the
// headline, the lead photo and the first paragraphs of the story. Lines
// that repeat what was just heard are marked, and lines are linked to the
// findings at their elements, so that an editor sees a problem as a blind
// reader meets it.
type Transcript struct {
	// Lines are what is spoken, in reading order.
	Lines []TranscriptLine `json:"lines,omitempty"`
	// End says where and why the transcript stops: after the first
	// paragraphs of the story, at the cap on lines, or at the end of the
	// page.
	End string `json:"end,omitempty"`
	// MaxLines is the cap on lines the transcript was built with.
	MaxLines int `json:"max_lines,omitempty"`
	// Unavailable says why the page has no transcript (the static loader
	// reads no accessibility tree); empty when it has one.
	Unavailable string `json:"unavailable,omitempty"`
}

// A TranscriptLine is one thing a screen reader announces: a role and its
// spoken text ("link", "Skip to main content"), or plain text.
type TranscriptLine struct {
	// Role is the role as spoken, e.g. "link", "heading level 1",
	// "image", "navigation", "list, 3 items"; empty for plain text.
	Role string `json:"role,omitempty"`
	// Text is what is spoken after the role: the element's accessible
	// name, or the text of a paragraph, caption or other run of text. On
	// a line that stands for what was left out, it says of what ("items
	// of this list").
	Text string `json:"text,omitempty"`
	// Selector finds the element the line comes from, as in findings.
	Selector string `json:"selector"`
	// Repeats is the number (counting from 1) of an earlier, nearby line
	// whose text this line says again; 0 when it says something new.
	Repeats int `json:"repeats,omitempty"`
	// Omitted is set on a line that is not speech but stands for what the
	// transcript leaves out: how many items of a long list, or links and
	// other items of a long navigation, banner, side rail or footer.
	Omitted int `json:"omitted,omitempty"`
	// Findings are the findings at the line's element, and for a repeated
	// line those of the line it repeats.
	Findings []TranscriptFinding `json:"findings,omitempty"`
}

// A TranscriptFinding points from a transcript line to a finding of the
// same page.
type TranscriptFinding struct {
	// Rule is the id of the rule that reported it.
	Rule string `json:"rule"`
	// Outcome is violation or review.
	Outcome Outcome `json:"outcome"`
	// Fingerprint is the finding's fingerprint, which reports link by.
	Fingerprint string `json:"fingerprint"`
}
