package audit

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A Severity ranks how much a problem hurts users, on axe-core's scale.
type Severity int

const (
	// Minor problems are annoyances.
	Minor Severity = iota + 1
	// Moderate problems make content harder to use.
	Moderate
	// Serious problems block some users from some content.
	Serious
	// Critical problems block users entirely.
	Critical
)

var severityNames = map[Severity]string{Minor: "minor", Moderate: "moderate", Serious: "serious", Critical: "critical"}

// String returns the lower-case name of the severity.
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses a severity name.
func ParseSeverity(s string) (Severity, error) {
	for k, v := range severityNames {
		if strings.EqualFold(s, v) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, serious, moderate or minor)", s)
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity's name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// An Outcome says whether a finding is a definite failure or needs a person
// to look.
type Outcome string

const (
	// Violation is a definite failure of the rule.
	Violation Outcome = "violation"
	// Review is a likely problem that a person must confirm.
	Review Outcome = "review"
)

// A Finding is one problem at one element of one page.
type Finding struct {
	// Rule is the id of the rule that reported it.
	Rule string `json:"rule"`
	// Outcome is violation or review.
	Outcome Outcome `json:"outcome"`
	// Severity is how much the problem hurts users where it is: the rule's
	// base severity adjusted by the element's context (see
	// AdjustSeverity). --fail-on compares with it.
	Severity Severity `json:"severity"`
	// BaseSeverity is the severity the rule gave the finding before the
	// context was weighed; zero in results written before it existed.
	BaseSeverity Severity `json:"base_severity,omitempty"`
	// SeverityReasons says what in the element's context raised, lowered
	// or kept its severity, one short phrase a reason ("an icon of 16×16
	// px", "the story's lead photo"); empty when nothing did.
	SeverityReasons []string `json:"severity_reasons,omitempty"`
	// Selector is a CSS selector for the element: "#id" when the element
	// has a unique id. " >>> " separates the steps into a shadow tree or an
	// iframe document.
	Selector string `json:"selector"`
	// Snippet is the element's opening tag, whitespace collapsed and
	// truncated.
	Snippet string `json:"snippet"`
	// Message says what was observed and quotes the evidence.
	Message string `json:"message"`
	// WCAG lists the success criteria the rule maps to, e.g. "1.1.1".
	WCAG []string `json:"wcag"`
	// Help says in plain words how to fix the problem.
	Help string `json:"help"`
	// HelpURL points to the rule's documentation.
	HelpURL string `json:"help_url"`
	// Key names the element in a way that survives unrelated edits (an
	// image's file name, a heading's text, a link's target).
	Key string `json:"key"`
	// Fingerprint identifies the finding across runs: rule, page path,
	// element key. Baselines match on it.
	Fingerprint string `json:"fingerprint"`
	// Line is the line of the element's opening tag in the page's source
	// file (1 for the first line), for a page audited from a local file
	// when the tag could be told apart there (see audit/sourceline); 0
	// when unknown. Code-scanning reports anchor findings to it.
	Line int `json:"line,omitempty"`
	// Region is "story" for findings in the article itself, "template"
	// for the masthead, navigation, rails and footer that repeat on every
	// page, "page" for findings about the page as a whole.
	Region string `json:"region,omitempty"`
	// Baseline is "new" or "known" when the run was compared with a
	// baseline, else empty.
	Baseline string `json:"baseline,omitempty"`
	// Viewports names the viewports the finding was seen at ("desktop",
	// "mobile") when the page was audited at more than one.
	Viewports []string `json:"viewports,omitempty"`
	// Thumbnail is a small JPEG picture of the element as rendered, as a
	// data: URI; empty unless the rule asked for one and the loader could
	// take it.
	Thumbnail string `json:"thumbnail,omitempty"`
	// Image is the photo's evidence (alt text, caption, credit, how they
	// matched, load state) on findings of the image rules; nil otherwise.
	Image *ImageEvidence `json:"image,omitempty"`
	// Within is the selector of the link or button an image sits in, on
	// findings about an image inside one; empty otherwise. The merge step
	// counts an image and its link as one element.
	Within string `json:"within,omitempty"`
	// Also lists the findings of other rules about the same defect on the
	// same element that this one absorbed (see MergeFindings): their
	// explanations, kept as evidence.
	Also []RelatedFinding `json:"also,omitempty"`

	// Node is the element in the page snapshot; it is not part of the
	// JSON contract.
	Node NodeID `json:"-"`
	// WantThumbnail asks the runner for a picture of the element.
	WantThumbnail bool `json:"-"`
}

// A RelatedFinding is a finding another one absorbed because both describe
// one defect on one element: what its rule said, kept as evidence.
type RelatedFinding struct {
	// Rule is the id of the rule that reported it.
	Rule string `json:"rule"`
	// Outcome is violation or review.
	Outcome Outcome `json:"outcome"`
	// Severity is its own severity, adjusted by context.
	Severity Severity `json:"severity"`
	// Selector is where it was reported: the same element, the image in
	// the link, or an element of the page whose root cause absorbed it.
	Selector string `json:"selector"`
	// Message is what its rule observed.
	Message string `json:"message"`
	// Fingerprint is its own fingerprint: a baseline that holds it still
	// finds it (see ApplyBaseline).
	Fingerprint string `json:"fingerprint"`
}
