package reports_test

import (
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

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
