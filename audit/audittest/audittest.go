// Package audittest runs rules over the project's annotated fixture pages
// and fails on unexpected findings as well as on missing ones, as
// analysistest does for Go analyzers. It never starts a browser, and no
// package it imports links chromedp, so rule tests stay fast and
// browser-free.
//
// Fixtures live in the module's top-level testdata folder, one folder per
// rule id: testdata/rules/<rule-id>/<name>.html. A fixture is checked with
// every rule of the family its folder's rule belongs to, so findings of the
// family's other rules on it must be annotated too. Pictures and other
// files that fixtures share are served from testdata/assets, which a
// fixture names as "/assets/photo.svg".
//
// A fixture is checked twice:
//
//   - live through the static loader, which parses the HTML with no browser
//     (skipped for fixtures whose first line holds <!-- audit:needs chrome -->);
//   - by replaying its recording: the snapshot Chromium captured of it,
//     stored beside it as <name>.snapshot.json (gzipped as
//     <name>.snapshot.json.gz when large). A recording made from another
//     version of the fixture fails the test with the command that records
//     it again. The Chrome tier (audit/chrome) captures every fixture live,
//     checks the same annotations, and checks that the recordings are
//     current.
//
// An annotation is an HTML comment that applies to the next element
// sibling:
//
//	<!-- want img-alt-missing "no alt attribute" -->
//	<img id="violation1" src="/assets/photo.svg">
//
//	<!-- want:review "could not" -->    a finding that needs review
//	<!-- want:page "no headings" -->    a finding about the page (at html)
//	<!-- want@chrome "…" -->            expected only in Chrome
//	<!-- want@static "…" -->            expected only from the static loader
//
// The rule id is optional; the quoted text is a regular expression matched
// against the message. Element ids name the expected outcome, as axe-core's
// fixtures do, and the harness holds them to it: an element whose id
// starts with "violation" carries a violation annotation, one whose id
// starts with "review" carries a review annotation, and one whose id
// starts with "pass" carries none, except want@static annotations for what
// only the static loader, which cannot see layout, gets wrong.
package audittest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// RecordCommand is the command that records every fixture's snapshot
// again in Chromium.
const RecordCommand = "go test ./audit/chrome -run TestRecord -record"

// Run checks every fixture of the rules' folders with the rules: live
// through the static loader (subtests "static/RULE/NAME") and by replaying
// the recordings Chromium made (subtests "chrome/RULE/NAME"). A rule with
// no fixture folder fails the test. Pass the rules of one family.
func Run(t *testing.T, rules ...*audit.Rule) {
	t.Helper()
	fixtures := RuleFixtures(t, rules)
	for _, problem := range coverageProblems(fixtures, rules) {
		t.Error(problem)
	}
	srv := Serve(t, TestData(t))
	t.Run("static", func(t *testing.T) {
		l := &static.Loader{Timeout: testtime.Bound(10 * time.Second)}
		for _, f := range fixtures {
			if f.NeedsChrome {
				continue
			}
			t.Run(f.Rule+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				Check(t, Load(t, l, srv.URLFor(f.URLPath())), rules)
			})
		}
	})
	t.Run("chrome", func(t *testing.T) {
		for _, f := range fixtures {
			t.Run(f.Rule+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				Check(t, Replay(t, f), rules)
			})
		}
	})
}

// Serve serves dir on a loopback server for the test's lifetime and
// returns the server.
func Serve(t testing.TB, dir string) *target.Server {
	t.Helper()
	srv, err := target.ServeDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// Load captures one page with a loader, with every capability the rules
// need and the accessibility tree, failing the test on error.
func Load(t testing.TB, l audit.Loader, url string, rules ...*audit.Rule) *audit.Page {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Bound(2*time.Minute))
	defer cancel()
	p, err := l.Load(ctx, audit.Target{Input: url, URL: url}, audit.Needs(rules)|audit.CapAX)
	if err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	return p
}

// Check runs the rules over a snapshot of a fixture and compares the
// findings with the fixture's annotations, reporting every unexpected
// finding, every annotation no finding met, and every element whose id
// names an outcome its annotations do not give.
func Check(t testing.TB, p *audit.Page, rules []*audit.Rule) {
	t.Helper()
	for _, problem := range Problems(p, rules) {
		t.Error(problem)
	}
}

// Problems is Check's verdict as a list: one line per problem, none when
// the findings match the annotations.
func Problems(p *audit.Page, rules []*audit.Rule) []string {
	exps, err := expectations(p)
	if err != nil {
		return []string{err.Error()}
	}
	problems := namingProblems(p)
	findings, _, ruleErrs := audit.CheckPage(p, rules)
	for _, e := range ruleErrs {
		problems = append(problems, fmt.Sprintf("rule %s failed: %s", e.Rule, e.Error))
	}
	return append(problems, match(p, findings, exps)...)
}

// TestData returns the module's top-level testdata folder.
func TestData(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(ModuleRoot(tb), "testdata")
}

// coverageProblems holds each rule's folder to its purpose: among its
// fixtures, at least one annotation names the rule, and at least one
// element is named for a pass, the clean twin that must draw nothing.
func coverageProblems(fixtures []Fixture, rules []*audit.Rule) []string {
	type cover struct{ want, pass bool }
	got := map[string]*cover{}
	for _, f := range fixtures {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return []string{err.Error()}
		}
		c := got[f.Rule]
		if c == nil {
			c = &cover{}
			got[f.Rule] = c
		}
		src := string(data)
		c.want = c.want || regexp.MustCompile(`want[:a-z@]*\s+`+regexp.QuoteMeta(f.Rule)+`\s`).MatchString(src)
		c.pass = c.pass || passID.MatchString(src)
	}
	var problems []string
	for _, r := range rules {
		c := got[r.ID]
		if c == nil {
			continue // RuleFixtures reported the missing folder
		}
		if !c.want {
			problems = append(problems, fmt.Sprintf("no fixture of testdata/rules/%s expects a finding of %s", r.ID, r.ID))
		}
		if !c.pass {
			problems = append(problems, fmt.Sprintf("no fixture of testdata/rules/%s has a clean twin (an element with an id starting \"pass\")", r.ID))
		}
	}
	return problems
}

// passID finds an element named for a pass, in markup or in a script
// that builds it.
var passID = regexp.MustCompile(`\bid\s*=\s*["']pass`)

// needsChrome reports whether a fixture's first line asks for Chrome only.
func needsChrome(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	first, _, _ := strings.Cut(string(data), "\n")
	return strings.Contains(first, "audit:needs chrome"), nil
}
