package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/newsa11y/newsa11y/audit"
)

// SARIF writes the report as SARIF 2.1.0, the format code-scanning tools
// read: one rule descriptor per rule with its WCAG criteria as a taxonomy,
// one result per finding located by the page URL and the element's CSS
// selector, with a stable partial fingerprint, and the baseline state when
// the run was compared with a baseline. Pages that failed to load are
// error notifications of the invocation.
//
// GitHub's code scanning anchors alerts to files in a repository, so page
// URLs do not annotate code lines there; the results still list and
// dedupe by fingerprint.
type SARIF struct{}

var _ Writer = SARIF{}

// sarifSchema is the address of the SARIF 2.1.0 JSON schema.
const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names newsa11y's partial fingerprint.
const fingerprintKey = "newsa11y/v1"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Taxonomies  []sarifComponent  `json:"taxonomies,omitempty"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  *sarifRunProps    `json:"properties,omitempty"`
}

type sarifRunProps struct {
	Pages       int `json:"pages"`
	FailedPages int `json:"failedPages"`
	New         int `json:"new"`
	Known       int `json:"known"`
	Fixed       int `json:"fixed"`
}

type sarifTool struct {
	Driver sarifComponent `json:"driver"`
}

type sarifComponent struct {
	Name                string              `json:"name"`
	Version             string              `json:"version,omitempty"`
	InformationURI      string              `json:"informationUri,omitempty"`
	Organization        string              `json:"organization,omitempty"`
	ShortDescription    *sarifMessage       `json:"shortDescription,omitempty"`
	Rules               []sarifRule         `json:"rules,omitempty"`
	Taxa                []sarifTaxon        `json:"taxa,omitempty"`
	SupportedTaxonomies []sarifComponentRef `json:"supportedTaxonomies,omitempty"`
}

type sarifComponentRef struct {
	Name string `json:"name"`
}

type sarifTaxon struct {
	ID               string       `json:"id"`
	Name             string       `json:"name"`
	ShortDescription sarifMessage `json:"shortDescription"`
	HelpURI          string       `json:"helpUri"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifMessage        `json:"shortDescription"`
	FullDescription      sarifMessage        `json:"fullDescription"`
	Help                 sarifMessage        `json:"help"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Relationships        []sarifRelationship `json:"relationships,omitempty"`
	Properties           sarifRuleProps      `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRelationship struct {
	Target sarifTaxonRef `json:"target"`
	Kinds  []string      `json:"kinds"`
}

type sarifTaxonRef struct {
	ID            string            `json:"id"`
	ToolComponent sarifComponentRef `json:"toolComponent"`
}

type sarifRuleProps struct {
	Tags     []string `json:"tags"`
	Severity string   `json:"severity"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	ExitCode            *int                `json:"exitCode,omitempty"`
	ExitCodeDescription string              `json:"exitCodeDescription,omitempty"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Kind                string            `json:"kind"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Severity        string   `json:"severity"`
	BaseSeverity    string   `json:"baseSeverity,omitempty"`
	SeverityReasons []string `json:"severityReasons,omitempty"`
	Also            []string `json:"also,omitempty"`
	Outcome         string   `json:"outcome"`
	Region          string   `json:"region,omitempty"`
	WCAG            []string `json:"wcag,omitempty"`
	Key             string   `json:"key,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical  `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical  `json:"logicalLocations,omitempty"`
	Message          *sarifMessage   `json:"message,omitempty"`
	Properties       *sarifLocationP `json:"properties,omitempty"`
}

type sarifLocationP struct {
	PageURL string `json:"pageUrl"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	Snippet sarifSnippet `json:"snippet"`
}

type sarifSnippet struct {
	Text string `json:"text"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevel maps a violation's severity to a SARIF level.
func sarifLevel(s audit.Severity) string {
	switch s {
	case audit.Critical, audit.Serious:
		return "error"
	case audit.Moderate:
		return "warning"
	}
	return "note"
}

// Write writes r as a SARIF log.
func (SARIF) Write(w io.Writer, r *audit.Report) error {
	driver := sarifComponent{
		Name:                r.Tool.Name,
		Version:             r.Tool.Version,
		InformationURI:      "https://github.com/newsa11y/newsa11y",
		SupportedTaxonomies: []sarifComponentRef{{Name: "WCAG"}},
	}
	ruleIndex := map[string]int{}
	usedSC := map[string]bool{}
	for i, ri := range r.Rules {
		ruleIndex[ri.ID] = i
		rule := sarifRule{
			ID:                   ri.ID,
			Name:                 ruleName(ri.ID),
			ShortDescription:     sarifMessage{Text: sentence(ri.Title)},
			FullDescription:      sarifMessage{Text: ri.Summary},
			Help:                 sarifMessage{Text: ri.Help, Markdown: ri.Help + " [More about " + ri.ID + "](" + ri.HelpURL + ")"},
			HelpURI:              ri.HelpURL,
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(ri.Severity)},
			Properties:           sarifRuleProps{Tags: ruleTags(ri), Severity: ri.Severity.String()},
		}
		for _, sc := range ri.WCAG {
			usedSC[sc] = true
			rule.Relationships = append(rule.Relationships, sarifRelationship{
				Target: sarifTaxonRef{ID: sc, ToolComponent: sarifComponentRef{Name: "WCAG"}},
				Kinds:  []string{"relevant"},
			})
		}
		driver.Rules = append(driver.Rules, rule)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	if len(usedSC) > 0 {
		run.Taxonomies = []sarifComponent{wcagTaxonomy(usedSC)}
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	props := sarifRunProps{Pages: len(r.Pages)}
	for _, p := range r.Pages {
		if p.Failed() {
			inv.ExecutionSuccessful = false
			props.FailedPages++
			inv.Notifications = append(inv.Notifications, sarifNotification{
				Level:     "error",
				Message:   sarifMessage{Text: fmt.Sprintf("page not audited (%s): %s", p.ErrorCause, p.Error)},
				Locations: []sarifLocation{{PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: p.URL}}}},
			})
			continue
		}
		for _, f := range p.Findings {
			run.Results = append(run.Results, sarifResultOf(p, f, ruleIndex))
		}
		for _, fx := range p.Fixed {
			idx, ok := ruleIndex[fx.Rule]
			if !ok {
				idx = -1
			}
			run.Results = append(run.Results, sarifResult{
				RuleID: fx.Rule, RuleIndex: idx, Kind: "pass", Level: "none",
				Message:             sarifMessage{Text: "fixed since the baseline: " + fx.Message},
				Locations:           []sarifLocation{location(p, fx.Selector, "")},
				PartialFingerprints: map[string]string{fingerprintKey: fx.Fingerprint},
				BaselineState:       "absent",
				Properties:          sarifResultProps{Severity: fx.Severity.String(), Outcome: string(fx.Outcome), Key: fx.Key},
			})
		}
	}
	for _, warning := range r.Warnings {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifMessage{Text: warning}})
	}
	if v := r.Verdict; v != nil {
		code := v.Exit
		inv.ExitCode, inv.ExitCodeDescription = &code, v.Line()
		if v.Partial {
			inv.ExecutionSuccessful = false
			inv.Notifications = append(inv.Notifications, sarifNotification{Level: "error", Message: sarifMessage{Text: "the run was interrupted; the results cover only the pages finished before it stopped"}})
		}
	}
	run.Invocations = []sarifInvocation{inv}
	if r.Baseline != nil {
		props.New, props.Known, props.Fixed = r.Baseline.New, r.Baseline.Known, r.Baseline.Fixed
	}
	run.Properties = &props
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifResultOf(p audit.PageResult, f audit.Finding, ruleIndex map[string]int) sarifResult {
	idx, ok := ruleIndex[f.Rule]
	if !ok {
		idx = -1
	}
	res := sarifResult{
		RuleID: f.Rule, RuleIndex: idx,
		Message:             sarifMessage{Text: f.Message + ". How to fix: " + f.Help},
		Locations:           []sarifLocation{location(p, f.Selector, f.Snippet)},
		PartialFingerprints: map[string]string{fingerprintKey: f.Fingerprint},
		Properties:          sarifResultProps{Severity: f.Severity.String(), Outcome: string(f.Outcome), Region: f.Region, WCAG: f.WCAG, Key: f.Key},
	}
	if f.Outcome == audit.Violation {
		res.Kind, res.Level = "fail", sarifLevel(f.Severity)
	} else {
		// SARIF requires level "none" for anything but a failure.
		res.Kind, res.Level = "review", "none"
	}
	switch f.Baseline {
	case audit.BaselineNew:
		res.BaselineState = "new"
	case audit.BaselineKnown:
		res.BaselineState = "unchanged"
	}
	if f.BaseSeverity != 0 && (f.BaseSeverity != f.Severity || len(f.SeverityReasons) > 0) {
		res.Properties.BaseSeverity = f.BaseSeverity.String()
		res.Properties.SeverityReasons = f.SeverityReasons
	}
	for _, a := range f.Also {
		res.Properties.Also = append(res.Properties.Also, a.Rule+": "+a.Message)
	}
	return res
}

// location places a result on a page (the artifact) at an element (the
// logical location, by CSS selector).
func location(p audit.PageResult, selector, snippet string) sarifLocation {
	loc := sarifLocation{
		PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: p.URL}},
		LogicalLocations: []sarifLogical{{FullyQualifiedName: selector, Kind: "element"}},
	}
	if snippet != "" {
		loc.PhysicalLocation.Region = &sarifRegion{Snippet: sarifSnippet{Text: snippet}}
	}
	return loc
}

// wcagTaxonomy describes the success criteria the rules refer to.
func wcagTaxonomy(used map[string]bool) sarifComponent {
	ids := make([]string, 0, len(used))
	for sc := range used {
		ids = append(ids, sc)
	}
	sort.Slice(ids, func(i, j int) bool { return scLess(ids[i], ids[j]) })
	tax := sarifComponent{
		Name: "WCAG", Version: "2.2", Organization: "W3C",
		InformationURI:   "https://www.w3.org/TR/WCAG22/",
		ShortDescription: &sarifMessage{Text: "Web Content Accessibility Guidelines 2.2"},
	}
	for _, sc := range ids {
		name := wcagNames[sc]
		if name == "" {
			name = sc
		}
		tax.Taxa = append(tax.Taxa, sarifTaxon{
			ID: sc, Name: name, ShortDescription: sarifMessage{Text: "WCAG " + sc + " " + name},
			HelpURI: "https://www.w3.org/TR/WCAG22/",
		})
	}
	return tax
}

// scLess orders success criteria numerically: 2.4.2 before 2.4.10.
func scLess(a, b string) bool {
	var a1, a2, a3, b1, b2, b3 int
	fmt.Sscanf(a, "%d.%d.%d", &a1, &a2, &a3)
	fmt.Sscanf(b, "%d.%d.%d", &b1, &b2, &b3)
	if a1 != b1 {
		return a1 < b1
	}
	if a2 != b2 {
		return a2 < b2
	}
	return a3 < b3
}

// ruleTags returns a rule's tags plus its WCAG criteria as "wcag111"-style
// tags, as accessibility tools label them.
func ruleTags(ri audit.RuleInfo) []string {
	tags := append([]string{"accessibility"}, ri.Tags...)
	for _, sc := range ri.WCAG {
		tag := "wcag"
		for _, c := range sc {
			if c != '.' {
				tag += string(c)
			}
		}
		tags = append(tags, tag)
	}
	return tags
}

// ruleName turns a rule id into the PascalCase name SARIF viewers show:
// "img-alt-missing" becomes "ImgAltMissing".
func ruleName(id string) string {
	out := make([]byte, 0, len(id))
	upper := true
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c == '-' {
			upper = true
			continue
		}
		if upper && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		out = append(out, c)
	}
	return string(out)
}
