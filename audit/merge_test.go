package audit_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

// TestMergeFindingsRules checks the merge step's conditions on findings
// as a report read from JSON holds them.
func TestMergeFindingsRules(t *testing.T) {
	rules := []audit.RuleInfo{
		{ID: "link", Subsumes: []string{"img"}},
		{ID: "img", Subsumes: []string{"lazy"}},
		{ID: "root", Subsumes: []string{"cause"}},
	}
	f := func(rule, sel string, o audit.Outcome, sev audit.Severity) audit.Finding {
		return audit.Finding{Rule: rule, Selector: sel, Key: "k" + sel, Outcome: o, Severity: sev, BaseSeverity: sev, Fingerprint: rule + sel, Message: rule + " at " + sel}
	}
	img := f("img", "a > img", audit.Violation, audit.Critical)
	img.Within = "a"
	lazy := f("lazy", "a > img", audit.Review, audit.Minor)
	lazy.Within = "a"
	reviewLink := f("link", "#b", audit.Review, audit.Serious)
	violImg := f("img", "#b > img", audit.Violation, audit.Critical)
	violImg.Within = "#b"
	root := f("root", "html", audit.Violation, audit.Serious)
	root.Key = "page"
	rep := &audit.Report{Rules: rules, Pages: []audit.PageResult{{URL: "/p", Findings: []audit.Finding{
		f("link", "a", audit.Violation, audit.Serious), img, lazy,
		reviewLink, violImg,
		root, f("cause", "#nav a", audit.Review, audit.Moderate),
		f("img", "#other", audit.Violation, audit.Critical),
	}}}}
	audit.MergeFindings{}.Process(rep)
	var got []string
	for _, x := range rep.Pages[0].Findings {
		s := x.Rule + "@" + x.Selector + ":" + x.Severity.String()
		for _, a := range x.Also {
			s += "+" + a.Rule + "@" + a.Selector
		}
		got = append(got, s)
	}
	want := []string{
		// The link absorbs its image and, transitively, the image's lazy
		// finding, and is as severe as the image.
		"link@a:critical+img@a > img+lazy@a > img",
		// A review link does not hide its image's violation.
		"link@#b:serious", "img@#b > img:critical",
		// A page-level root cause absorbs its consequence elsewhere.
		"root@html:serious+cause@#nav a",
		// Nothing to merge with.
		"img@#other:critical",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("merged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := rep.Pages[0].Findings[0]; r.BaseSeverity != audit.Serious || len(r.SeverityReasons) != 1 || !strings.Contains(r.SeverityReasons[0], "img") {
		t.Errorf("the link: base %s, reasons %q", r.BaseSeverity, r.SeverityReasons)
	}
	// Idempotent.
	before := len(rep.Pages[0].Findings)
	audit.MergeFindings{}.Process(rep)
	if len(rep.Pages[0].Findings) != before || len(rep.Pages[0].Findings[0].Also) != 2 {
		t.Error("a second merge changed the findings")
	}
}

func TestValidateSubsumes(t *testing.T) {
	rule := func(id string, subsumes ...string) *audit.Rule {
		return &audit.Rule{ID: id, Title: "t", Doc: audit.Doc{Summary: "s", Bad: "b", Good: "g", Fix: "f"}, Check: func(*audit.Pass) error { return nil },
			Severity: audit.Minor, Needs: audit.CapDOM, Tags: []string{"fam", "best-practice"}, Subsumes: subsumes}
	}
	if err := audit.Validate([]*audit.Rule{rule("a", "b"), rule("b", "c"), rule("c")}); err != nil {
		t.Errorf("a chain: %v", err)
	}
	err := audit.Validate([]*audit.Rule{rule("a", "b"), rule("b", "a")})
	if err == nil || !strings.Contains(err.Error(), "a > b > a") {
		t.Errorf("a loop: %v", err)
	}
	if err := audit.Validate([]*audit.Rule{rule("a", "a")}); err == nil {
		t.Error("a rule that subsumes itself passes")
	}
}
