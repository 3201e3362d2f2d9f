package rules_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/rules"
)

// replayLoader loads the Chromium recordings of testdata pages, by the
// page's path below testdata.
type replayLoader struct{ tb testing.TB }

func (l replayLoader) Load(_ context.Context, t audit.Target, _ audit.Capability) (*audit.Page, error) {
	return audittest.Replay(l.tb, audittest.Page(l.tb, t.URL)), nil
}

// runRecorded audits recorded testdata pages with every rule and
// summarizer, as the command does, and runs the post-processing chain
// with the baseline, when there is one.
func runRecorded(t *testing.T, base *audit.Baseline, rels ...string) *audit.Report {
	t.Helper()
	var targets []audit.Target
	for i, rel := range rels {
		targets = append(targets, audit.Target{Input: rel, URL: rel, Index: i})
	}
	r := &audit.Runner{Loader: replayLoader{t}, Rules: rules.All(), Summarizers: rules.Summarizers(), Concurrency: 1}
	rep := r.Run(context.Background(), targets)
	audit.Process(rep, audit.Processors(audit.ProcessOptions{Baseline: base}))
	for _, p := range rep.Pages {
		if p.Failed() {
			t.Fatalf("%s failed: %s", p.URL, p.Error)
		}
	}
	return rep
}

// bySelector returns the page's finding of the rule at the selector.
func bySelector(t *testing.T, p audit.PageResult, rule, sel string) *audit.Finding {
	t.Helper()
	for i := range p.Findings {
		if f := &p.Findings[i]; f.Rule == rule && f.Selector == sel {
			return f
		}
	}
	t.Fatalf("%s: no %s finding at %s; findings:\n%s", p.URL, rule, sel, describe(p.Findings))
	return nil
}

func describe(fs []audit.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s (base %s, %q) %s, absorbs %d\n", f.Rule, f.Outcome, f.Severity, f.BaseSeverity, f.SeverityReasons, f.Selector, len(f.Also))
	}
	return b.String()
}

// TestOneDefectOneFinding: a link made only of an alt-less image is one
// finding, the link's, with the image's as evidence; a page with no way
// past its navigation is one finding, bypass-mechanism, with the missing
// skip link and main landmark as evidence.
func TestOneDefectOneFinding(t *testing.T) {
	rep := runRecorded(t, nil, "pages/context/story.html", "pages/context/no-bypass.html")
	story, page := rep.Pages[0], rep.Pages[1]

	link := bySelector(t, story, "img-link-no-name", "#home-link")
	if len(link.Also) != 1 || link.Also[0].Rule != "img-alt-missing" || link.Also[0].Selector != "#home-icon" ||
		!strings.Contains(link.Also[0].Message, "icon.svg") || link.Also[0].Fingerprint == "" {
		t.Errorf("the link's finding carries %+v, want the icon's img-alt-missing finding", link.Also)
	}
	for _, f := range story.Findings {
		if f.Selector == "#home-icon" {
			t.Errorf("the icon in the link is reported on its own too: %s %s", f.Rule, f.Message)
		}
	}

	bypass := bySelector(t, page, "bypass-mechanism", "html")
	var absorbed []string
	for _, a := range bypass.Also {
		absorbed = append(absorbed, a.Rule)
	}
	slices.Sort(absorbed)
	if strings.Join(absorbed, " ") != "main-landmark skip-link-present" {
		t.Errorf("bypass-mechanism absorbs %q, want main-landmark and skip-link-present", absorbed)
	}
	for _, f := range page.Findings {
		if f.Rule == "main-landmark" || f.Rule == "skip-link-present" {
			t.Errorf("%s is reported on its own too: %s", f.Rule, f.Message)
		}
	}

	// Before the merge, both were there: the step removed them, the rules
	// did not miss them.
	findings, _, _ := audit.CheckPage(audittest.Replay(t, audittest.Page(t, "pages/context/story.html")), rules.All())
	if !slices.ContainsFunc(findings, func(f audit.Finding) bool { return f.Rule == "img-alt-missing" && f.Selector == "#home-icon" }) {
		t.Error("the rules no longer report the icon in the link: the merge test tests nothing")
	}
}

// TestSeverityByContext: the severity model on a recorded page.
func TestSeverityByContext(t *testing.T) {
	rep := runRecorded(t, nil, "pages/context/story.html")
	p := rep.Pages[0]
	for _, c := range []struct {
		sel    string
		want   audit.Severity
		reason string
	}{
		{"#lead", audit.Critical, "the story's lead photo"},
		{"#icon", audit.Serious, "an icon of 16×16 px"},
		{"#mpu-photo", audit.Serious, "in an ad slot (class ad-slot)"},
		{"#clone", audit.Serious, "off-screen"},
		{"#empty-frame", audit.Minor, "an image with no source"},
		{"#data-icon", audit.Serious, "an icon of 16×16 px"},
	} {
		f := bySelector(t, p, "img-alt-missing", c.sel)
		if f.Severity != c.want || f.BaseSeverity != audit.Critical || len(f.SeverityReasons) != 1 || !strings.HasPrefix(f.SeverityReasons[0], c.reason) {
			t.Errorf("%s: %s from %s for %q, want %s for %q", c.sel, f.Severity, f.BaseSeverity, f.SeverityReasons, c.want, c.reason)
		}
	}
	// The placeholder with no source and no size is not reported, though
	// img-alt-missing finds it.
	if slices.ContainsFunc(p.Findings, func(f audit.Finding) bool { return f.Selector == "#placeholder" }) {
		t.Error("the empty placeholder is reported")
	}
	findings, _, _ := audit.CheckPage(audittest.Replay(t, audittest.Page(t, "pages/context/story.html")), rules.All())
	if !slices.ContainsFunc(findings, func(f audit.Finding) bool { return f.Rule == "img-alt-missing" && f.Selector == "#placeholder" }) {
		t.Error("img-alt-missing no longer reports the placeholder: the skip test tests nothing")
	}
	// The JSON carries both severities and the reasons.
	data, err := json.Marshal(bySelector(t, p, "img-alt-missing", "#icon"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(data); !strings.Contains(s, `"severity":"serious"`) || !strings.Contains(s, `"base_severity":"critical"`) || !strings.Contains(s, `"severity_reasons":["an icon of 16×16 px"]`) {
		t.Errorf("JSON of the icon's finding: %s", s)
	}
}

// withoutMerge is the post-processing chain as it was before the merge
// step: what wrote the baselines that exist.
func withoutMerge(o audit.ProcessOptions) []audit.Processor {
	return slices.DeleteFunc(audit.Processors(o), func(p audit.Processor) bool { return p.Name() == "merge" })
}

// TestMergeKeepsBaselines: a baseline written before findings were merged
// still matches every finding after, and fixes none; one written after
// does too; merged findings keep their fingerprints.
func TestMergeKeepsBaselines(t *testing.T) {
	pages := []string{"pages/context/story.html", "pages/context/no-bypass.html"}
	r := &audit.Runner{Loader: replayLoader{t}, Rules: rules.All(), Summarizers: rules.Summarizers(), Concurrency: 1}
	var targets []audit.Target
	for i, rel := range pages {
		targets = append(targets, audit.Target{Input: rel, URL: rel, Index: i})
	}
	old := r.Run(context.Background(), targets)
	audit.Process(old, withoutMerge(audit.ProcessOptions{}))
	oldBase := audit.BaselineFrom(old)
	oldFP := map[string]string{}
	for _, p := range old.Pages {
		for _, f := range p.Findings {
			oldFP[p.URL+" "+f.Rule+" "+f.Selector] = f.Fingerprint
		}
	}

	now := runRecorded(t, oldBase, pages...)
	merged := 0
	for _, p := range now.Pages {
		for _, f := range p.Findings {
			if fp := oldFP[p.URL+" "+f.Rule+" "+f.Selector]; fp != f.Fingerprint {
				t.Errorf("%s %s at %s: fingerprint %s, was %s", p.URL, f.Rule, f.Selector, f.Fingerprint, fp)
			}
			merged += len(f.Also)
		}
	}
	if merged != 3 {
		t.Fatalf("%d findings merged, want 3", merged)
	}
	want := audit.BaselineSummary{Known: len(oldBase.Findings) - merged}
	if now.Baseline == nil || *now.Baseline != want {
		t.Errorf("against the baseline from before the merge: %+v, want %+v (nothing new, nothing fixed)", now.Baseline, want)
	}

	// A baseline written from the merged report holds the absorbed
	// findings too, and matches the same run.
	newBase := audit.BaselineFrom(now)
	if len(newBase.Findings) != len(oldBase.Findings) {
		t.Errorf("the baseline from the merged report holds %d findings, the old one %d", len(newBase.Findings), len(oldBase.Findings))
	}
	again := runRecorded(t, newBase, pages...)
	if *again.Baseline != want {
		t.Errorf("against the baseline from after the merge: %+v, want %+v", again.Baseline, want)
	}

	// A baseline that holds only the absorbed finding, as one written when
	// only img-alt-missing existed would, makes the merged finding known.
	only := &audit.Baseline{SchemaVersion: 1}
	for _, e := range oldBase.Findings {
		if e.Rule == "img-alt-missing" && e.Selector == "#home-icon" {
			only.Findings = append(only.Findings, e)
		}
	}
	one := runRecorded(t, only, "pages/context/story.html")
	if f := bySelector(t, one.Pages[0], "img-link-no-name", "#home-link"); f.Baseline != audit.BaselineKnown || one.Baseline.Fixed != 0 {
		t.Errorf("the link's finding is %s, %d fixed; want known, none fixed", f.Baseline, one.Baseline.Fixed)
	}
}

// TestMergeAfterJSON: results streamed before the chain ran (a resumed
// run's pages, merged shards) merge as the live run does, from what the
// JSON holds.
func TestMergeAfterJSON(t *testing.T) {
	pages := []string{"pages/context/story.html", "pages/context/no-bypass.html"}
	live := runRecorded(t, nil, pages...)

	r := &audit.Runner{Loader: replayLoader{t}, Rules: rules.All(), Summarizers: rules.Summarizers(), Concurrency: 1}
	var targets []audit.Target
	for i, rel := range pages {
		targets = append(targets, audit.Target{Input: rel, URL: rel, Index: i})
	}
	raw := r.Run(context.Background(), targets)
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	var read audit.Report
	if err := json.Unmarshal(data, &read); err != nil {
		t.Fatal(err)
	}
	audit.Process(&read, audit.Processors(audit.ProcessOptions{}))
	a, _ := json.Marshal(live.Pages)
	b, _ := json.Marshal(read.Pages)
	if string(a) != string(b) {
		t.Errorf("merged from JSON:\n%s\nlive:\n%s", describe(read.Pages[0].Findings), describe(live.Pages[0].Findings))
	}
	// And merging again changes nothing.
	audit.Process(&read, audit.Processors(audit.ProcessOptions{}))
	if c, _ := json.Marshal(read.Pages); string(c) != string(b) {
		t.Error("a second merge changed the findings")
	}
}
