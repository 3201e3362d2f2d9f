package rules_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md")

func TestRulesAreValid(t *testing.T) {
	if err := audit.Validate(rules.All()); err != nil {
		t.Fatal(err)
	}
}

func TestFamilies(t *testing.T) {
	families := rules.Families()
	if len(families) == 0 {
		t.Fatal("no families")
	}
	tags := map[string]bool{}
	titles := map[string]bool{}
	total := 0
	for _, f := range families {
		if tags[f.Tag] || titles[f.Title] {
			t.Errorf("family %q (%q) listed twice, or its title repeats another's", f.Tag, f.Title)
		}
		tags[f.Tag], titles[f.Title] = true, true
		if len(f.Rules) == 0 {
			t.Errorf("family %q has no rules", f.Tag)
		}
		// Each family's rules carry its tag first, and each rule it
		// documents is in its list.
		if err := audit.ValidateFamily(f.Family, f.Rules); err != nil {
			t.Error(err)
		}
		total += len(f.Rules)
	}
	all := rules.All()
	if len(all) != total {
		t.Errorf("All returns %d rules, the families list %d", len(all), total)
	}
	for _, r := range all {
		if !tags[r.Family()] {
			t.Errorf("rule %s has family %q, which is not a listed family", r.ID, r.Family())
		}
		if rules.ByID(r.ID) != r {
			t.Errorf("ByID(%q) does not find it", r.ID)
		}
	}
}

func TestDocsAreUpToDate(t *testing.T) {
	path := filepath.Join("..", "docs", "rules.md")
	got := rules.Markdown()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Error("docs/rules.md is out of date: run go test ./rules -update")
	}
}
