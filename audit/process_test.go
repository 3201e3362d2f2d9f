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
	sum := audit.ApplyBaseline(now, b)
	if sum != (audit.BaselineSummary{New: 1, Known: 2, Fixed: 1}) {
		t.Errorf("summary = %+v, want 1 new, 2 known, 1 fixed", sum)
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
	warnings := audit.ApplyIgnores(rep, ignores, day("2026-11-27"))
	if n := len(rep.Pages[0].Findings); n != 1 || rep.Pages[0].Ignored != 1 || rep.Pages[0].Findings[0].Selector != "#hero" {
		t.Errorf("page 1: %d findings, %d ignored", n, rep.Pages[0].Ignored)
	}
	if n := len(rep.Pages[1].Findings); n != 2 {
		t.Errorf("page 2: %d findings, want 2 (the URL pattern does not match, the ignore expired)", n)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "cfg:8") || !strings.Contains(warnings[0], "expired on 2026-01-31") || !strings.Contains(warnings[1], "cfg:12") || !strings.Contains(warnings[1], "matched nothing") {
		t.Errorf("warnings = %q", warnings)
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
	ts := audit.TemplateFindings(rep)
	if len(ts) != 1 || ts[0].Pages != 3 || ts[0].Rule != "img-alt-missing" || strings.Join(ts[0].URLs, ",") != "/a,/b,/c" {
		t.Errorf("template findings = %+v", ts)
	}
}
