package audittest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

// A Fixture is one page of the testdata folder that Chromium records:
// a rule fixture under testdata/rules/<rule-id>/, or a page a test of a
// shared package reads, under testdata/pages/.
type Fixture struct {
	// Rel is the page's slash-separated path below testdata, e.g.
	// "rules/img-alt-missing/missing-alt.html"; the loopback server serves
	// it at the same path.
	Rel string
	// Path is the page's file on disk.
	Path string
	// Rule is the rule id of the fixture's folder, "" for pages outside
	// testdata/rules.
	Rule string
	// Name is the file name.
	Name string
	// NeedsChrome is true when the fixture's first line asks for Chrome
	// only, so the static loader does not check it.
	NeedsChrome bool
}

// URLPath returns the path the loopback server serves the page at,
// relative to its root.
func (f Fixture) URLPath() string { return f.Rel }

// AllFixtures returns every recorded page of the testdata folder: each
// .html file below testdata/rules and testdata/pages, sorted by path.
func AllFixtures(tb testing.TB) []Fixture {
	tb.Helper()
	root := TestData(tb)
	var out []Fixture
	for _, top := range []string{"rules", "pages"} {
		dir := filepath.Join(root, top)
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			continue
		}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".html" {
				return err
			}
			f, err := newFixture(root, path)
			if err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
		if err != nil {
			tb.Fatalf("list fixtures under %s: %v", dir, err)
		}
	}
	slices.SortFunc(out, func(a, b Fixture) int { return strings.Compare(a.Rel, b.Rel) })
	return out
}

// newFixture describes the page at path below the testdata root.
func newFixture(root, path string) (Fixture, error) {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return Fixture{}, err
	}
	rel = filepath.ToSlash(rel)
	f := Fixture{Rel: rel, Path: path, Name: filepath.Base(path)}
	if parts := strings.Split(rel, "/"); len(parts) == 3 && parts[0] == "rules" {
		f.Rule = parts[1]
	}
	f.NeedsChrome, err = needsChrome(path)
	return f, err
}

// RuleFixtures returns the fixtures of the rules' folders, by rule in the
// order given and by name within a rule. A rule without a folder holding
// at least one fixture fails the test.
func RuleFixtures(tb testing.TB, rules []*audit.Rule) []Fixture {
	tb.Helper()
	byRule := map[string][]Fixture{}
	for _, f := range AllFixtures(tb) {
		if f.Rule != "" {
			byRule[f.Rule] = append(byRule[f.Rule], f)
		}
	}
	var out []Fixture
	for _, r := range rules {
		fs := byRule[r.ID]
		if len(fs) == 0 {
			tb.Errorf("rule %s has no fixtures: add testdata/rules/%s/NAME.html", r.ID, r.ID)
		}
		out = append(out, fs...)
	}
	return out
}

// Page returns the recorded page at rel, a slash-separated path below
// testdata such as "pages/caption/captions.html".
func Page(tb testing.TB, rel string) Fixture {
	tb.Helper()
	root := TestData(tb)
	f, err := newFixture(root, filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatalf("fixture %s: %v", rel, err)
	}
	return f
}
