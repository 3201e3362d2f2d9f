package reports_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
)

// sarifSchemaPath returns the SARIF 2.1.0 schema's path, skipping the test
// when it is absent (failing under NEWSA11Y_REQUIRE_SARIF_SCHEMA=1).
func sarifSchemaPath(t *testing.T) string {
	t.Helper()
	path := audittest.SARIFSchema(t)
	if path == "" {
		t.Skip("skipping: no SARIF schema")
	}
	return path
}

func TestSARIFGoldenAndSchema(t *testing.T) {
	got := render(t, "sarif", readReport(t))
	golden(t, "report.sarif", got)
	audittest.ValidateJSON(t, sarifSchemaPath(t), got)

	var log struct {
		Runs []struct {
			Results []struct {
				RuleID, Kind, Level, BaselineState string
				PartialFingerprints                map[string]string
			}
			Invocations []struct{ ExecutionSuccessful bool }
		}
	}
	if err := json.Unmarshal(got, &log); err != nil {
		t.Fatal(err)
	}
	rs := log.Runs[0].Results
	// One result per finding, and one per fixed baseline finding.
	rep := readReport(t)
	want := 0
	for _, p := range rep.Pages {
		want += len(p.Findings) + len(p.Fixed)
	}
	if len(rs) != want {
		t.Fatalf("%d results, want %d", len(rs), want)
	}
	for _, r := range rs {
		if r.PartialFingerprints["newsa11y/v1"] == "" {
			t.Errorf("%s result has no fingerprint", r.RuleID)
		}
		if r.Kind != "fail" && r.Level != "none" {
			t.Errorf("%s: kind %s with level %s; SARIF wants level none", r.RuleID, r.Kind, r.Level)
		}
	}
	byRule := map[string]int{}
	for i, r := range rs {
		if _, seen := byRule[r.RuleID+r.BaselineState]; !seen {
			byRule[r.RuleID+r.BaselineState] = i
		}
	}
	if rs[byRule["img-alt-missingunchanged"]].Level != "error" || rs[byRule["img-alt-duplicates-captionnew"]].Level != "warning" ||
		rs[byRule["heading-level-skipunchanged"]].Kind != "review" || rs[byRule["page-has-h1absent"]].Kind != "pass" {
		t.Errorf("levels, kinds, baseline states: %+v", rs)
	}
	if log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Error("a run with a failed page reports success")
	}
}

func TestJUnitGoldenAndCounts(t *testing.T) {
	rep := readReport(t)
	got := render(t, "junit", rep)
	golden(t, "report.junit.xml", got)
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				ClassName string    `xml:"classname,attr"`
				Name      string    `xml:"name,attr"`
				Failure   *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(got, &suites); err != nil {
		t.Fatalf("the JUnit XML does not parse: %v", err)
	}
	// Counts match the JSON: failures are the violations that gate (new
	// or, without a baseline, all), errors the failed pages.
	wantFailures, wantErrors := 0, 0
	for _, p := range rep.Pages {
		if p.Failed() {
			wantErrors++
		}
		for _, f := range p.Findings {
			if f.Outcome == "violation" && f.Baseline != "known" {
				wantFailures++
			}
		}
	}
	if suites.Failures != wantFailures || suites.Errors != wantErrors || len(suites.Suites) != len(rep.Pages) {
		t.Errorf("failures %d errors %d suites %d; want %d, %d, %d", suites.Failures, suites.Errors, len(suites.Suites), wantFailures, wantErrors, len(rep.Pages))
	}
	for _, s := range suites.Suites {
		seen := map[string]bool{}
		for _, c := range s.Cases {
			key := c.ClassName + " " + c.Name
			if seen[key] {
				t.Errorf("suite %s has two test cases named %q", s.Name, key)
			}
			seen[key] = true
		}
	}
}

func TestMarkdownGoldenAndEscaping(t *testing.T) {
	got := string(render(t, "markdown", readReport(t)))
	golden(t, "report.md", []byte(got))
	if strings.Contains(got, "<script>") {
		t.Error("page-derived HTML reached the Markdown unescaped")
	}
	if !strings.Contains(got, "New since the baseline | 1") || !strings.Contains(got, "Fixed since the baseline | 1") {
		t.Errorf("the summary lacks the baseline counts:\n%s", got)
	}
}

func TestJSONReportMatchesItsSchema(t *testing.T) {
	audittest.ValidateJSON(t, filepath.Join("..", "docs", "report.schema.json"), render(t, "json", readReport(t)))
}

// sarifLocation is what the GitHub checks read of a SARIF location.
type sarifLocation struct {
	PhysicalLocation *struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine *int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
	LogicalLocations []struct {
		Name, FullyQualifiedName, Kind string
	} `json:"logicalLocations"`
}

// checkGitHubSARIF holds a SARIF log to the rules GitHub code scanning
// adds to the schema (its "SARIF support for code scanning" page and its
// upload limits), and to the SARIF rule that ties uriBaseId to relative
// URIs, and returns the log's results' locations.
func checkGitHubSARIF(t *testing.T, data []byte) []sarifLocation {
	t.Helper()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID                                string
						ShortDescription, FullDescription struct{ Text string }
						Help                              struct{ Text string }
						Properties                        struct{ Tags []string }
					}
				}
			}
			OriginalURIBaseIDs map[string]json.RawMessage `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID              string
				RuleIndex           int
				Message             struct{ Text string }
				Locations           []sarifLocation
				PartialFingerprints map[string]string
			}
			Invocations []struct {
				ToolExecutionNotifications []struct{ Locations []sarifLocation }
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	// Upload limits: runs per file, results and rules per run, tags per
	// rule (10 shown), locations per result.
	if len(log.Runs) == 0 || len(log.Runs) > 20 {
		t.Fatalf("%d runs; GitHub takes 1 to 20", len(log.Runs))
	}
	var all []sarifLocation
	for _, run := range log.Runs {
		if run.Tool.Driver.Name == "" {
			t.Error("tool.driver.name is empty")
		}
		if len(run.Results) > 25000 || len(run.Tool.Driver.Rules) > 25000 {
			t.Errorf("%d results, %d rules; GitHub rejects more than 25,000", len(run.Results), len(run.Tool.Driver.Rules))
		}
		for _, r := range run.Tool.Driver.Rules {
			if len(r.Properties.Tags) > 10 {
				t.Errorf("rule %s has %d tags; GitHub shows 10", r.ID, len(r.Properties.Tags))
			}
			if r.ID == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" {
				t.Errorf("rule %q lacks an id, a description or help", r.ID)
			}
		}
		checkLoc := func(what string, l sarifLocation, result bool) {
			p := l.PhysicalLocation
			if p == nil {
				return
			}
			uri, base := p.ArtifactLocation.URI, p.ArtifactLocation.URIBaseID
			u, err := url.Parse(uri)
			switch {
			case uri == "" || err != nil:
				t.Errorf("%s: artifact URI %q does not parse", what, uri)
			case base != "" && (u.IsAbs() || strings.HasPrefix(uri, "/")):
				t.Errorf("%s: URI %q is absolute but has a uriBaseId", what, uri)
			case base == "" && !u.IsAbs():
				t.Errorf("%s: URI %q is relative without a uriBaseId", what, uri)
			}
			if _, ok := run.OriginalURIBaseIDs[base]; base != "" && !ok {
				t.Errorf("%s: uriBaseId %q is not in originalUriBaseIds", what, base)
			}
			if result && base != "" && (p.Region == nil || p.Region.StartLine == nil || *p.Region.StartLine < 1) {
				t.Errorf("%s: a file in the repository without a region.startLine code scanning can show", what)
			}
			if p.Region != nil && (p.Region.StartLine == nil || *p.Region.StartLine < 1) {
				t.Errorf("%s: a region without a startLine of 1 or more", what)
			}
		}
		for i, res := range run.Results {
			what := fmt.Sprintf("result %d (%s)", i, res.RuleID)
			if res.RuleID == "" || res.Message.Text == "" || len(res.PartialFingerprints) == 0 {
				t.Errorf("%s lacks a ruleId, a message or fingerprints", what)
			}
			// -1: a fixed baseline finding of a rule that no longer runs.
			if res.RuleIndex < -1 || res.RuleIndex >= len(run.Tool.Driver.Rules) || res.RuleIndex >= 0 && run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s: ruleIndex %d does not name its rule", what, res.RuleIndex)
			}
			if len(res.Locations) != 1 {
				t.Errorf("%s has %d locations; one is what code scanning shows", what, len(res.Locations))
			}
			for _, l := range res.Locations {
				checkLoc(what, l, true)
				if len(l.LogicalLocations) != 1 || l.LogicalLocations[0].Kind != "element" || l.LogicalLocations[0].Name == "" ||
					!strings.HasSuffix(l.LogicalLocations[0].FullyQualifiedName, " "+l.LogicalLocations[0].Name) {
					t.Errorf("%s: logical location %+v is not the page and the element's selector", what, l.LogicalLocations)
				}
			}
			all = append(all, res.Locations...)
		}
		for _, inv := range run.Invocations {
			for _, n := range inv.ToolExecutionNotifications {
				for _, l := range n.Locations {
					checkLoc("notification", l, false)
				}
			}
		}
	}
	return all
}

func TestSARIFMeetsGitHubRules(t *testing.T) {
	locs := checkGitHubSARIF(t, render(t, "sarif", readReport(t)))
	// The local page's finding is anchored at its line, relative to the
	// source root; the web page's is the URL.
	var local, web int
	for _, l := range locs {
		p := l.PhysicalLocation
		switch {
		case p.ArtifactLocation.URI == "static.html" && p.ArtifactLocation.URIBaseID == "%SRCROOT%" && *p.Region.StartLine == 12:
			local++
		case p.ArtifactLocation.URI == "https://news.example/world/2022/02/07/macron-putin" && p.Region == nil:
			web++
		}
	}
	if local != 1 || web == 0 {
		t.Errorf("%d results on static.html line 12 (want 1), %d on the web page", local, web)
	}
}

func TestSARIFLocatesEveryKindOfPage(t *testing.T) {
	finding := audit.Finding{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Critical,
		Selector: "main > img", Snippet: `<img src="a.png">`, Message: "m", Help: "h", Fingerprint: "00112233445566778899"}
	withLine := finding
	withLine.Line = 7
	r := &audit.Report{Tool: audit.Tool{Name: "newsa11y", Version: "test"},
		Rules: []audit.RuleInfo{{ID: "img-alt-missing", Title: "t", Summary: "s", Help: "h", Severity: audit.Critical}},
		Pages: []audit.PageResult{
			{URL: "site/world/story.html", Findings: []audit.Finding{withLine}},
			{URL: "site/a story: draft.html", Findings: []audit.Finding{finding}},
			{URL: "/srv/site/story.html", Findings: []audit.Finding{finding}},
			{URL: "-", Findings: []audit.Finding{finding}},
			{URL: "https://news.example/story", Findings: []audit.Finding{finding}},
			{URL: "gone.html", Error: "no such file", ErrorCause: "input"},
		}}
	got := render(t, "sarif", r)
	audittest.ValidateJSON(t, sarifSchemaPath(t), got)
	locs := checkGitHubSARIF(t, got)
	type where struct {
		uri, base string
		line      int
	}
	var seen []where
	for _, l := range locs {
		w := where{}
		if p := l.PhysicalLocation; p != nil {
			w.uri, w.base = p.ArtifactLocation.URI, p.ArtifactLocation.URIBaseID
			if p.Region != nil {
				w.line = *p.Region.StartLine
			}
		}
		seen = append(seen, w)
	}
	want := []where{
		{"site/world/story.html", "%SRCROOT%", 7},
		{"site/a%20story:%20draft.html", "%SRCROOT%", 1}, // line unknown: the file's first
		{"file:///srv/site/story.html", "", 0},
		{"", "", 0}, // standard input: only the logical location
		{"https://news.example/story", "", 0},
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("locations\n got %v\nwant %v", seen, want)
	}
}

func TestCodeQualityGoldenAndGitLabFields(t *testing.T) {
	rep := readReport(t)
	got := render(t, "codequality", rep)
	golden(t, "report.codequality.json", got)
	var issues []map[string]any
	if err := json.Unmarshal(got, &issues); err != nil {
		t.Fatalf("the report is not a JSON array of issues: %v", err)
	}
	// One issue per finding and per failed page.
	want := 0
	for _, p := range rep.Pages {
		if p.Failed() {
			want++
		}
		want += len(p.Findings)
	}
	if len(issues) != want {
		t.Fatalf("%d issues, want %d", len(issues), want)
	}
	severities := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	fingerprints := map[string]bool{}
	lines := map[string]float64{}
	for i, is := range issues {
		for _, key := range []string{"description", "check_name", "fingerprint", "severity"} {
			if s, _ := is[key].(string); s == "" {
				t.Errorf("issue %d has no %s", i, key)
			}
		}
		if !severities[is["severity"].(string)] {
			t.Errorf("issue %d: severity %q is not one GitLab knows", i, is["severity"])
		}
		fp := is["fingerprint"].(string)
		if fingerprints[fp] {
			t.Errorf("issue %d: fingerprint %s used twice; GitLab keeps one", i, fp)
		}
		fingerprints[fp] = true
		loc, _ := is["location"].(map[string]any)
		path, _ := loc["path"].(string)
		begin, _ := loc["lines"].(map[string]any)["begin"].(float64)
		if path == "" || begin < 1 {
			t.Errorf("issue %d: location %v lacks a path or a first line", i, loc)
		}
		lines[path+" "+is["check_name"].(string)] = begin
	}
	for key, line := range map[string]float64{
		"static.html img-alt-missing":                                        12, // Finding.Line
		"https://news.example/world/2022/02/07/macron-putin img-alt-missing": 1,
		"saved/offline.html newsa11y/page-not-audited":                       1,
	} {
		if lines[key] != line {
			t.Errorf("%s: line %v, want %v", key, lines[key], line)
		}
	}
	// Severities follow the finding: a critical violation blocks, a review
	// is information.
	for _, is := range issues {
		if is["check_name"] == "img-alt-missing" && is["severity"] != "blocker" ||
			is["check_name"] == "heading-level-skip" && is["severity"] != "info" {
			t.Errorf("%s has severity %s", is["check_name"], is["severity"])
		}
	}
}

func TestCodeQualityFingerprintsAreStableAndDistinct(t *testing.T) {
	f := audit.Finding{Rule: "img-alt-missing", Outcome: audit.Violation, Severity: audit.Serious, Selector: "img", Message: "m", Fingerprint: "00112233445566778899"}
	page := audit.PageResult{URL: "a.html", Findings: []audit.Finding{f, f}}
	r := &audit.Report{Pages: []audit.PageResult{page, {URL: "b.html", Findings: []audit.Finding{f}}}}
	var first []struct{ Fingerprint string }
	if err := json.Unmarshal(render(t, "codequality", r), &first); err != nil {
		t.Fatal(err)
	}
	if len(first) != 3 || first[0].Fingerprint == first[1].Fingerprint || first[0].Fingerprint == first[2].Fingerprint {
		t.Fatalf("two findings sharing a fingerprint on one page, or the same finding on two pages, share an issue fingerprint: %+v", first)
	}
	// Another run that finds a new problem first on page b keeps the
	// fingerprints of the others.
	other := f
	other.Fingerprint = "99887766554433221100"
	r.Pages[1].Findings = []audit.Finding{other, f}
	var second []struct{ Fingerprint string }
	if err := json.Unmarshal(render(t, "codequality", r), &second); err != nil {
		t.Fatal(err)
	}
	if second[3].Fingerprint != first[2].Fingerprint || second[0].Fingerprint != first[0].Fingerprint {
		t.Errorf("fingerprints moved between runs: %+v then %+v", first, second)
	}
}
