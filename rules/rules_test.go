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

func TestEveryRuleHasAFamily(t *testing.T) {
	for _, r := range rules.All() {
		switch r.Family() {
		case "skip-links", "images", "headings":
		default:
			t.Errorf("rule %s has family %q", r.ID, r.Family())
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
