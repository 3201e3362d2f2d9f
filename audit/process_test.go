package audit_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

func finding(rule, fp, sel string, region string) audit.Finding {
	return audit.Finding{Rule: rule, Fingerprint: fp, Key: "k-" + fp, Selector: sel, Message: "m " + fp,
		Outcome: audit.Violation, Severity: audit.Serious, Region: region}
}

func TestBaselineRoundTripAndApply(t *testing.T) {
	old := &audit.Report{SchemaVersion: 1, Pages: []audit.PageResult{
		{URL: "/a", Findings: []audit.Finding{finding("r1", "f1", "#x", "story"), finding("r2", "f2", "#y", "story")}},
		{URL: "/b", Findings: []audit.Finding{finding("r1", "f3", "#z", "story")}},
		{URL: "/c", Findings: []audit.Finding{finding("r1", "f4", "#w", "story")}},
	}}
	var buf bytes.Buffer
	if err := audit.WriteBaseline(&buf, audit.BaselineFrom(old)); err != nil {
		t.Fatal(err)
	}
	b, err := audit.ReadBaseline(&buf)
	if err != nil || len(b.Findings) != 4 {
		t.Fatalf("read back %v findings, err %v", b, err)
	}
	now := &audit.Report{Pages: []audit.PageResult{
		{URL: "/a", Findings: []audit.Finding{finding("r1", "f1", "#x", "story"), finding("r3", "f9", "#n", "story")}},
		{URL: "/b", Findings: []audit.Finding{finding("r1", "f3", "#z", "story")}},
		{URL: "/c", Error: "timeout"},
	}}
	audit.ApplyBaseline{Baseline: b}.Process(now)
	if now.Baseline == nil || *now.Baseline != (audit.BaselineSummary{New: 1, Known: 2, Fixed: 1}) {
		t.Errorf("summary = %+v, want 1 new, 2 known, 1 fixed", now.Baseline)
	}
	a := now.Pages[0]
	if a.Findings[0].Baseline != "known" || a.Findings[1].Baseline != "new" || len(a.Fixed) != 1 || a.Fixed[0].Fingerprint != "f2" {
		t.Errorf("page /a: %+v fixed %+v", a.Findings, a.Fixed)
	}
	if len(now.Pages[2].Fixed) != 0 {
		t.Error("a page that failed to load marked its baseline findings fixed")
	}
	// A JSON report serves as a baseline too.
	var rep bytes.Buffer
	rep.WriteString(`{"schema_version":1,"pages":[{"url":"/a","findings":[{"rule":"r1","fingerprint":"f1"}]}]}`)
	if b2, err := audit.ReadBaseline(&rep); err != nil || len(b2.Findings) != 1 {
		t.Errorf("report as baseline: %+v %v", b2, err)
	}
	if _, err := audit.ReadBaseline(strings.NewReader(`{"schema_version":7}`)); err == nil {
		t.Error("an unknown schema version was accepted")
	}
}

func TestApplyIgnores(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	rep := &audit.Report{Pages: []audit.PageResult{
		{URL: "https://news.example/tag/ads", Findings: []audit.Finding{finding("img-alt-missing", "f1", "#sponsor", "template"), finding("img-alt-missing", "f2", "#hero", "story")}},
		{URL: "https://news.example/world/x", Findings: []audit.Finding{finding("img-alt-missing", "f3", "#sponsor", "template"), finding("page-has-h1", "f4", "html", "page")}},
	}}
	ignores := []audit.Ignore{
		{Rule: "img-alt-missing", URL: "https://news.example/tag/*", Selector: "#sponsor", Reason: "vendor ad", Source: "cfg:3"},
		{Rule: "page-has-h1", Reason: "until the redesign", Expires: day("2026-01-31"), Source: "cfg:8"},
		{Rule: "*", Selector: "#nothing", Reason: "stale", Source: "cfg:12"},
	}
	rep.Warnings = []string{"an earlier warning"}
	audit.ApplyIgnores{Ignores: ignores, Today: day("2026-11-27")}.Process(rep)
	if n := len(rep.Pages[0].Findings); n != 1 || rep.Pages[0].Ignored != 1 || rep.Pages[0].Findings[0].Selector != "#hero" {
		t.Errorf("page 1: %d findings, %d ignored", n, rep.Pages[0].Ignored)
	}
	if n := len(rep.Pages[1].Findings); n != 2 {
		t.Errorf("page 2: %d findings, want 2 (the URL pattern does not match, the ignore expired)", n)
	}
	// The step adds its warnings after those the report had.
	w := rep.Warnings
	if len(w) != 3 || w[0] != "an earlier warning" || !strings.Contains(w[1], "cfg:8") || !strings.Contains(w[1], "expired on 2026-01-31") || !strings.Contains(w[2], "cfg:12") || !strings.Contains(w[2], "matched nothing") {
		t.Errorf("warnings = %q", w)
	}
	if err := (&audit.Ignore{Rule: "x", Source: "cfg:1"}).Validate(); err == nil || !strings.Contains(err.Error(), "no reason") {
		t.Errorf("an ignore without a reason: %v", err)
	}
}

func TestTemplateFindings(t *testing.T) {
	logo := finding("img-alt-missing", "fp", "#logo", "template")
	logo.Key = "img:logo.svg"
	hero := finding("img-alt-missing", "fp2", "#hero", "story")
	hero.Key = "img:logo.svg"
	rep := &audit.Report{Pages: []audit.PageResult{
		{URL: "/a", Findings: []audit.Finding{logo, hero}},
		{URL: "/b", Findings: []audit.Finding{logo}},
		{URL: "/c", Findings: []audit.Finding{logo}},
		{URL: "/d", Findings: []audit.Finding{finding("r", "once", "#x", "template")}},
	}}
	audit.FindTemplates{}.Process(rep)
	ts := rep.Templates
	if len(ts) != 1 || ts[0].Pages != 3 || ts[0].Rule != "img-alt-missing" || strings.Join(ts[0].URLs, ",") != "/a,/b,/c" {
		t.Errorf("template findings = %+v", ts)
	}
}

func TestApplyBaselineWithoutOneCountsTheMarks(t *testing.T) {
	known, fresh := finding("r1", "f1", "#x", "story"), finding("r1", "f2", "#y", "story")
	known.Baseline, fresh.Baseline = audit.BaselineKnown, audit.BaselineNew
	read := &audit.Report{Pages: []audit.PageResult{
		{URL: "/a", Findings: []audit.Finding{known, fresh}, Fixed: []audit.BaselineEntry{{URL: "/a", Fingerprint: "f0"}}},
		{URL: "/b", Findings: []audit.Finding{known}},
	}}
	audit.ApplyBaseline{}.Process(read)
	if read.Baseline == nil || *read.Baseline != (audit.BaselineSummary{New: 1, Known: 2, Fixed: 1}) {
		t.Errorf("recounted summary = %+v, want 1 new, 2 known, 1 fixed", read.Baseline)
	}
	unmarked := &audit.Report{
		Pages:    []audit.PageResult{{URL: "/a", Findings: []audit.Finding{finding("r1", "f1", "#x", "story")}}},
		Baseline: &audit.BaselineSummary{New: 9},
	}
	audit.ApplyBaseline{}.Process(unmarked)
	if unmarked.Baseline != nil {
		t.Errorf("no finding was compared with a baseline, yet the summary is %+v", unmarked.Baseline)
	}
}

func TestPageSteps(t *testing.T) {
	rep := &audit.Report{Pages: []audit.PageResult{
		{URL: "/c", Index: 2},
		{URL: "/b", Index: 1, Error: "not audited: the run was interrupted", ErrorCause: string(audit.CauseInterrupted)},
		{URL: "/a", Index: 0, Error: "timeout", ErrorCause: string(audit.CauseTimeout)},
	}}
	audit.DropUnfinished{}.Process(rep)
	if urls := pageURLs(rep); urls != "/c,/a" {
		t.Errorf("after dropping unfinished pages: %s, want /c,/a (a page that failed to load stays)", urls)
	}
	audit.AddResumed{Pages: []audit.PageResult{{URL: "/b", Index: 1}, {URL: "/a2", Index: 0}}}.Process(rep)
	if urls := pageURLs(rep); urls != "/c,/a,/b,/a2" {
		t.Errorf("after adding resumed pages: %s", urls)
	}
	audit.SortPages{}.Process(rep)
	if urls := pageURLs(rep); urls != "/a,/a2,/b,/c" {
		t.Errorf("sorted: %s, want input order, ties kept in place", urls)
	}
}

func pageURLs(r *audit.Report) string {
	var urls []string
	for _, p := range r.Pages {
		urls = append(urls, p.URL)
	}
	return strings.Join(urls, ",")
}

func TestProcessorsOrder(t *testing.T) {
	var names []string
	for _, p := range audit.Processors(audit.ProcessOptions{}) {
		names = append(names, p.Name())
	}
	if got := strings.Join(names, " "); got != "unfinished resumed order ignores merge templates baseline" {
		t.Errorf("chain = %s", got)
	}
}

// TestProcessChain runs the whole chain over a run that was interrupted
// and resumed, and checks what each step must have seen of the others.
func TestProcessChain(t *testing.T) {
	logo := finding("img-alt-missing", "fp-logo", "#logo", "template")
	banner := finding("img-alt-missing", "fp-ad", "#ad", "template")
	rep := &audit.Report{Pages: []audit.PageResult{
		{URL: "/c", Index: 2, Findings: []audit.Finding{logo, banner}},
		{URL: "/d", Index: 3, Error: "not audited: the run was interrupted", ErrorCause: string(audit.CauseInterrupted)},
		{URL: "/b", Index: 1, Findings: []audit.Finding{logo, banner}},
	}}
	resumed := []audit.PageResult{{URL: "/a", Index: 0, Findings: []audit.Finding{logo}}}
	base := &audit.Baseline{SchemaVersion: 1, Findings: []audit.BaselineEntry{{URL: "/a", Fingerprint: "fp-logo"}, {URL: "/b", Fingerprint: "fp-ad"}}}
	audit.Process(rep, audit.Processors(audit.ProcessOptions{
		Resumed:  resumed,
		Ignores:  []audit.Ignore{{Rule: "img-alt-missing", Selector: "#ad", Reason: "the ad vendor's markup", Source: "cfg:1"}},
		Today:    time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Baseline: base,
	}))
	// The interrupted page left, the resumed one joined, in input order.
	if urls := pageURLs(rep); urls != "/a,/b,/c" {
		t.Fatalf("pages = %s, want /a,/b,/c", urls)
	}
	// Ignores ran before templates: the ignored banner on /b and /c is
	// not a template finding; the logo is, listed in input order.
	if len(rep.Templates) != 1 || rep.Templates[0].Selector != "#logo" || strings.Join(rep.Templates[0].URLs, ",") != "/a,/b,/c" {
		t.Errorf("template findings = %+v", rep.Templates)
	}
	// Ignores ran before the baseline: the banner on /b, in the baseline
	// but ignored, is counted fixed, not known; the logo is known on /a
	// only.
	if rep.Baseline == nil || *rep.Baseline != (audit.BaselineSummary{New: 2, Known: 1, Fixed: 1}) {
		t.Errorf("baseline summary = %+v, want 2 new, 1 known, 1 fixed", rep.Baseline)
	}
	if rep.Pages[1].Ignored != 1 || rep.Pages[2].Ignored != 1 || len(rep.Warnings) != 0 {
		t.Errorf("ignored %d and %d, warnings %q", rep.Pages[1].Ignored, rep.Pages[2].Ignored, rep.Warnings)
	}
}
