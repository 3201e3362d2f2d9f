package main_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// copySite copies testdata/site to a temporary folder the test may edit.
func copySite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(filepath.Join("testdata", "site"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "site", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// allFormats returns --report flags writing every format into dir.
func allFormats(dir string) []string {
	return []string{
		"--report", "json=" + filepath.Join(dir, "a11y.json"),
		"--report", "sarif=" + filepath.Join(dir, "a11y.sarif"),
		"--report", "junit=" + filepath.Join(dir, "a11y.xml"),
		"--report", "markdown=" + filepath.Join(dir, "a11y.md"),
		"--report", "html=" + filepath.Join(dir, "a11y.html"),
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestBaselineWorkflow runs the CI story: a first run writes a baseline;
// the same pages then pass; one new violation on one page fails the build,
// and every format reports exactly one new finding.
func TestBaselineWorkflow(t *testing.T) {
	needChrome(t)
	site := copySite(t)
	out := t.TempDir()
	base := filepath.Join(out, "baseline.json")

	r := run(t, "", nil, append(append([]string{"audit", "--no-config", "--update-baseline", base}, allFormats(out)...), site)...)
	if r.code != 2 {
		t.Fatalf("first run: exit %d, want 2 (the template logo has no alt)\nstderr: %s", r.code, r.stderr)
	}
	var first struct {
		Pages []struct {
			Findings []struct{ Rule, Region, Outcome string }
		}
		Templates []struct {
			Rule  string
			Pages int
		} `json:"template_findings"`
	}
	if err := json.Unmarshal(read(t, filepath.Join(out, "a11y.json")), &first); err != nil {
		t.Fatal(err)
	}
	// The logo link left without a name by its image without alt is one
	// defect, listed once, on the three pages; the image's finding is its
	// evidence.
	if len(first.Pages) != 3 || len(first.Templates) != 1 || first.Templates[0].Rule != "img-link-no-name" || first.Templates[0].Pages != 3 {
		t.Fatalf("first run: %d pages, template findings %+v; want 3 pages and the logo link's finding once on 3 pages", len(first.Pages), first.Templates)
	}
	for _, p := range first.Pages {
		for _, f := range p.Findings {
			if f.Rule == "img-alt-missing" {
				t.Errorf("the logo image is reported beside its link: %+v", f)
			}
		}
	}
	audittest.ValidateJSON(t, filepath.Join("..", "..", "docs", "report.schema.json"), read(t, filepath.Join(out, "a11y.json")))
	if schema := audittest.SARIFSchema(t); schema != "" {
		audittest.ValidateJSON(t, schema, read(t, filepath.Join(out, "a11y.sarif")))
	}

	known, knownViolations := 0, 0
	for _, p := range first.Pages {
		for _, f := range p.Findings {
			known++
			if f.Outcome == "violation" {
				knownViolations++
			}
		}
	}
	if r := run(t, "", nil, "audit", "--no-config", "--baseline", base, site); r.code != 0 {
		t.Fatalf("same pages against their baseline: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	story := filepath.Join(site, "story-2.html")
	page := strings.Replace(string(read(t, story)), `alt="A lake under fog at dawn, seen from the north shore"`, `alt="The lake on day 2 of the survey."`, 1)
	if err := os.WriteFile(story, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", nil, append(append([]string{"audit", "--no-config", "--baseline", base}, allFormats(out)...), site)...)
	if r.code != 2 {
		t.Fatalf("one new violation: exit %d, want 2\n%s", r.code, r.stderr)
	}

	var rep struct {
		Pages []struct {
			Findings []struct{ Rule, Baseline string }
		}
		Baseline struct{ New, Known, Fixed int }
	}
	if err := json.Unmarshal(read(t, filepath.Join(out, "a11y.json")), &rep); err != nil {
		t.Fatal(err)
	}
	newInJSON := 0
	for _, p := range rep.Pages {
		for _, f := range p.Findings {
			if f.Baseline == "new" {
				newInJSON++
				if f.Rule != "img-alt-duplicates-caption" {
					t.Errorf("new finding of rule %s", f.Rule)
				}
			}
		}
	}
	if newInJSON != 1 || rep.Baseline.New != 1 || rep.Baseline.Known != known {
		t.Errorf("JSON: %d new findings, summary %+v; want 1 new, %d known", newInJSON, rep.Baseline, known)
	}

	var sarif struct {
		Runs []struct {
			Results []struct{ BaselineState string }
		}
	}
	if err := json.Unmarshal(read(t, filepath.Join(out, "a11y.sarif")), &sarif); err != nil {
		t.Fatal(err)
	}
	newInSARIF := 0
	for _, res := range sarif.Runs[0].Results {
		if res.BaselineState == "new" {
			newInSARIF++
		}
	}
	if newInSARIF != 1 {
		t.Errorf("SARIF: %d new results, want 1", newInSARIF)
	}

	var junit struct {
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
	}
	if err := xml.Unmarshal(read(t, filepath.Join(out, "a11y.xml")), &junit); err != nil {
		t.Fatal(err)
	}
	if junit.Failures != 1 || junit.Skipped != knownViolations {
		t.Errorf("JUnit: %d failures, %d skipped; want 1 new failure and the %d known violations skipped", junit.Failures, junit.Skipped, knownViolations)
	}
	if md := string(read(t, filepath.Join(out, "a11y.md"))); !strings.Contains(md, "New since the baseline | 1 |") || !strings.Contains(md, "1 new violation on 3 pages") {
		t.Errorf("Markdown does not report one new finding:\n%s", md)
	}
	if html := string(read(t, filepath.Join(out, "a11y.html"))); !strings.Contains(html, fmt.Sprintf("<strong>1</strong> new · %d known · 0 fixed", known)) || strings.Count(html, `class="tag tag-new"`) != 1 {
		t.Errorf("HTML does not report one new finding")
	}
}

// TestConfigFileAndEnvironment runs with a configuration file giving the
// URLs, a gate and an ignore with a reason, and an environment variable
// overriding the file.
func TestConfigFileAndEnvironment(t *testing.T) {
	needChrome(t)
	site := copySite(t)
	cfg := `defaults:
  fail_on: critical
  reports: [json=` + filepath.Join(site, "out.json") + `]
urls:
  - ` + filepath.Join(site, "story-1.html") + `
  - url: ` + filepath.Join(site, "story-2.html") + `
    timeout: ` + testtime.Bound(20*time.Second).String() + `
ignore:
  - rule: img-alt-missing
    selector: "html > body > header > a > img"
    reason: the logo is replaced in the redesign, ticket WEB-1
  - rule: heading-level-skip
    reason: nothing matches this
`
	path := filepath.Join(site, "newsa11y.yml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", nil, "audit", "--config", path)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0: the logo finding is ignored\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "newsa11y.yml:12: the ignore of heading-level-skip matched nothing") {
		t.Errorf("the unused ignore is not reported:\n%s", r.stderr)
	}
	var rep struct {
		Pages []struct {
			URL     string
			Ignored int
		}
	}
	if err := json.Unmarshal(read(t, filepath.Join(site, "out.json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Pages) != 2 || rep.Pages[0].Ignored != 1 {
		t.Errorf("report: %+v; want the two configured pages, one finding ignored on each", rep.Pages)
	}

	// Without the ignore the critical logo finding reaches the file's
	// gate; an environment variable overrides the file.
	noIgnore := strings.Split(cfg, "ignore:")[0]
	if err := os.WriteFile(path, []byte(noIgnore), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", nil, "audit", "--config", path); r.code != 2 {
		t.Errorf("fail_on: critical with a critical finding: exit %d, want 2", r.code)
	}
	if r := run(t, "", []string{"NEWSA11Y_FAIL_ON=none"}, "audit", "--config", path); r.code != 0 {
		t.Errorf("NEWSA11Y_FAIL_ON=none over fail_on: critical: exit %d, want 0", r.code)
	}
	bad := "defaults:\n  fail_on: minor\n  colour: blue\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", nil, "audit", "--config", path); r.code != 1 || !strings.Contains(r.stderr, `line 3: unknown key "defaults.colour"`) {
		t.Errorf("unknown key: exit %d\n%s", r.code, r.stderr)
	}
}

func TestAllowFailedPagesAndFailOnReview(t *testing.T) {
	needChrome(t)
	clean := filepath.Join("testdata", "clean.html")
	if r := run(t, "", nil, "audit", "--no-config", clean, "testdata/missing.html"); r.code != 1 {
		t.Errorf("a missing page: exit %d, want 1", r.code)
	}
	if r := run(t, "", nil, "audit", "--no-config", "--allow-failed-pages", "1", clean, "testdata/missing.html"); r.code != 0 {
		t.Errorf("a missing page allowed: exit %d, want 0\n%s", r.code, r.stderr)
	}
	site := copySite(t)
	page := filepath.Join(site, "story-1.html")
	html := strings.Replace(string(read(t, page)), "<h1>Story 1</h1>", "<h1>Story 1</h1><h3>A skipped level</h3>", 1)
	html = strings.Replace(html, `<img src="logo.svg"`, `<img alt="The Daily Example" src="logo.svg"`, 1)
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", nil, "audit", "--no-config", page); r.code != 0 {
		t.Errorf("only a review: exit %d, want 0\n%s", r.code, r.stdout)
	}
	if r := run(t, "", nil, "audit", "--no-config", "--fail-on-review", page); r.code != 2 {
		t.Errorf("only a review with --fail-on-review: exit %d, want 2", r.code)
	}
}
