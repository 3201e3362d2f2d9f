package chrome_test

import (
	"flag"
	"slices"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/rules"
)

// record makes TestRecord write every fixture's recording:
// go test ./audit/chrome -run TestRecord -record
var record = flag.Bool("record", false, "record the snapshot of every fixture under testdata in Chromium")

// familyRules returns the rules a fixture is checked with: every rule of
// the family of its folder's rule; none for pages outside testdata/rules.
func familyRules(t *testing.T, f audittest.Fixture) []*audit.Rule {
	t.Helper()
	if f.Rule == "" {
		return nil
	}
	r := rules.ByID(f.Rule)
	if r == nil {
		t.Fatalf("fixture %s is in the folder of %q, which is no rule", f.Rel, f.Rule)
	}
	return slices.DeleteFunc(rules.All(), func(o *audit.Rule) bool { return o.Family() != r.Family() })
}

// captureFixture captures a fixture live, with everything any rule needs,
// and normalizes it as a recording is.
func captureFixture(t *testing.T, srvURL func(string) string, origin string, f audittest.Fixture) *audit.Page {
	t.Helper()
	p := audittest.Load(t, chrometest.Browser(t), srvURL(f.URLPath()), rules.All()...)
	norm, err := audittest.Normalize(p, origin)
	if err != nil {
		t.Fatal(err)
	}
	return norm
}

// TestRecord records the snapshot of every fixture, with -record.
func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("records fixtures only with -record: " + audittest.RecordCommand)
	}
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, audittest.TestData(t))
	for _, f := range audittest.AllFixtures(t) {
		t.Run(f.Rel, func(t *testing.T) {
			t.Parallel()
			p := captureFixture(t, srv.URLFor, srv.URL, f)
			if err := audittest.WriteRecording(f, p, b.Version()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestFixturesLive is the Chrome tier of the rule fixtures: it captures
// every fixture in Chromium now, checks its annotations against the
// findings, and checks that its recording, which the rule tests replay,
// is current: made from this version of the fixture, giving the same
// findings, and holding the same snapshot.
func TestFixturesLive(t *testing.T) {
	if *record {
		t.Skip("recording")
	}
	chrometest.Browser(t)
	srv := audittest.Serve(t, audittest.TestData(t))
	for _, f := range audittest.AllFixtures(t) {
		t.Run(f.Rel, func(t *testing.T) {
			t.Parallel()
			fam := familyRules(t, f)
			live := captureFixture(t, srv.URLFor, srv.URL, f)
			if fam != nil {
				audittest.Check(t, live, fam)
			}
			recorded := audittest.Replay(t, f)
			if got, want := findingKeys(live, fam), findingKeys(recorded, fam); !slices.Equal(got, want) {
				t.Errorf("the recording of %s gives other findings than a capture now:\nnow:      %q\nrecorded: %q\nrecord it again with %s", f.Rel, got, want, audittest.RecordCommand)
			}
			diff, err := audittest.Difference(recorded, live)
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Errorf("the recording of %s is stale: %s\nrecord it again with %s", f.Rel, diff, audittest.RecordCommand)
			}
		})
	}
}

// findingKeys lists a page's findings under the rules as comparable
// strings.
func findingKeys(p *audit.Page, rs []*audit.Rule) []string {
	findings, _, _ := audit.CheckPage(p, rs)
	keys := make([]string, 0, len(findings))
	for _, f := range findings {
		keys = append(keys, f.Rule+" "+string(f.Outcome)+" "+f.Selector+" "+f.Message)
	}
	slices.Sort(keys)
	return keys
}
