package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/sourceline"
)

// SARIF writes the report as SARIF 2.1.0, the format code-scanning tools
// read: one rule descriptor per rule with its WCAG criteria as a taxonomy,
// one result per finding, with a stable partial fingerprint, and the
// baseline state when the run was compared with a baseline. Pages that
// failed to load are error notifications of the invocation.
//
// Each result has one location. Its physical location is the page: a
// local file given by a relative path is a URI relative to %SRCROOT% (the
// folder newsa11y ran in, a repository's checkout in CI), with a region
// whose startLine is the line of the element's opening tag (Finding.Line;
// line 1 when it is not known), so GitHub code scanning annotates the
// file; a page from the web, or a file given by an absolute path, is an
// absolute URI, which code scanning lists but cannot annotate. Its
// logical location is the element: the page and its CSS selector. A page
// read from standard input has only the logical location.
type SARIF struct{}

var _ Writer = SARIF{}

// sarifSchema is the address of the SARIF 2.1.0 JSON schema.
const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names newsa11y's partial fingerprint.
const fingerprintKey = "newsa11y/v1"

// srcRoot is the URI base id of local files: the folder newsa11y ran in.
const srcRoot = "%SRCROOT%"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	Taxonomies         []sarifComponent         `json:"taxonomies,omitempty"`
	Invocations        []sarifInvocation        `json:"invocations"`
	Results            []sarifResult            `json:"results"`
	Properties         *sarifRunProps           `json:"properties,omitempty"`
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
	// Snippet is the element's opening tag, for a result whose location
	// has no region to hold it (a page from the web).
	Snippet string `json:"snippet,omitempty"`
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
	URI         string        `json:"uri,omitempty"`
	URIBaseID   string        `json:"uriBaseId,omitempty"`
	Description *sarifMessage `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine int           `json:"startLine"`
	Snippet   *sarifSnippet `json:"snippet,omitempty"`
}

type sarifSnippet struct {
	Text string `json:"text"`
}

type sarifLogical struct {
	Name               string `json:"name"`
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
				Locations: pageLocations(p.URL),
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
				Locations:           []sarifLocation{location(p, fx.Selector, "", 0)},
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
	if usesSrcRoot(run) {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{srcRoot: {
			Description: &sarifMessage{Text: "The folder newsa11y ran in (in CI, the repository's checkout); local pages given by a relative path are relative to it."},
		}}
	}
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
		Locations:           []sarifLocation{location(p, f.Selector, f.Snippet, f.Line)},
		PartialFingerprints: map[string]string{fingerprintKey: f.Fingerprint},
		Properties:          sarifResultProps{Severity: f.Severity.String(), Outcome: string(f.Outcome), Region: f.Region, WCAG: f.WCAG, Key: f.Key},
	}
	if l := res.Locations[0].PhysicalLocation; l == nil || l.Region == nil {
		res.Properties.Snippet = f.Snippet
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

// location places a result on a page (the physical location, see SARIF)
// at an element (the logical location: the page and the element's CSS
// selector). line is the element's line in a local file, 0 when unknown.
func location(p audit.PageResult, selector, snippet string, line int) sarifLocation {
	loc := sarifLocation{
		LogicalLocations: []sarifLogical{{Name: selector, FullyQualifiedName: p.URL + " " + selector, Kind: "element"}},
	}
	art, local, ok := artifactOf(p.URL)
	if !ok {
		return loc
	}
	loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: art}
	if local {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: max(line, 1)}
		if snippet != "" {
			loc.PhysicalLocation.Region.Snippet = &sarifSnippet{Text: snippet}
		}
	}
	return loc
}

// pageLocations places a notification on a page, when the page has a
// physical location.
func pageLocations(pageURL string) []sarifLocation {
	art, _, ok := artifactOf(pageURL)
	if !ok {
		return nil
	}
	return []sarifLocation{{PhysicalLocation: &sarifPhysical{ArtifactLocation: art}}}
}

// artifactOf returns a page's artifact location: a relative URI under
// %SRCROOT% for a local file given by a relative path (local is true),
// else an absolute URI: the page's URL, or a file: URL for a file given by
// an absolute path. ok is false for standard input, which has no URI.
func artifactOf(pageURL string) (art sarifArtifact, local, ok bool) {
	path, isFile := sourceline.LocalPath(pageURL)
	if !isFile {
		if pageURL == "-" || pageURL == "" {
			return sarifArtifact{}, false, false
		}
		return sarifArtifact{URI: pageURL}, false, true
	}
	slashed := filepath.ToSlash(filepath.Clean(path))
	if filepath.IsAbs(path) || strings.HasPrefix(slashed, "/") {
		u := url.URL{Scheme: "file", Path: slashed}
		if !strings.HasPrefix(u.Path, "/") {
			u.Path = "/" + u.Path // a Windows drive path
		}
		return sarifArtifact{URI: u.String()}, false, true
	}
	// A relative reference: its path escaped, and "./" before a first
	// segment holding a colon, so that it does not read as a scheme.
	return sarifArtifact{URI: (&url.URL{Path: slashed}).String(), URIBaseID: srcRoot}, true, true
}

// usesSrcRoot reports whether any location of the run is relative to
// %SRCROOT%.
func usesSrcRoot(run sarifRun) bool {
	for _, res := range run.Results {
		for _, l := range res.Locations {
			if l.PhysicalLocation != nil && l.PhysicalLocation.ArtifactLocation.URIBaseID != "" {
				return true
			}
		}
	}
	for _, inv := range run.Invocations {
		for _, n := range inv.Notifications {
			for _, l := range n.Locations {
				if l.PhysicalLocation != nil && l.PhysicalLocation.ArtifactLocation.URIBaseID != "" {
					return true
				}
			}
		}
	}
	return false
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
