package transcript_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules"
	"github.com/newsa11y/newsa11y/rules/transcript"
)

// summarize runs every rule over a recorded page and then its summaries,
// as the runner does, and returns the result.
func summarize(t *testing.T, p *audit.Page) audit.PageResult {
	t.Helper()
	findings, _, errs := audit.CheckPage(p, rules.All())
	for _, e := range errs {
		t.Fatalf("rule %s failed: %s", e.Rule, e.Error)
	}
	r := audit.PageResult{Findings: findings}
	for _, s := range rules.Summarizers() {
		s(p, &r)
	}
	return r
}

// spoken writes a line as the report speaks it: "role, text", with
// "(repeats N)" for a repeat.
func spoken(l audit.TranscriptLine) string {
	s := l.Role
	if l.Text != "" {
		if s != "" {
			s += ", "
		}
		s += l.Text
	}
	if l.Omitted > 0 {
		s = fmt.Sprintf("(%d more)", l.Omitted)
	}
	if l.Repeats > 0 {
		s += fmt.Sprintf(" (repeats %d)", l.Repeats)
	}
	return s
}

// TestStory reads the recording Chromium made of a small story page: a
// skip link to nowhere, a masthead, a navigation, an advertisement hidden
// from assistive technology, the headline, a lead photo whose alt text the
// caption says again with a credit, and five paragraphs, one of them not
// displayed.
func TestStory(t *testing.T) {
	p := audittest.Replay(t, audittest.Page(t, "pages/transcript/story.html"))
	r := summarize(t, p)
	tr := r.Transcript
	if tr == nil {
		t.Fatal("no transcript")
	}
	var got []string
	for _, l := range tr.Lines {
		got = append(got, spoken(l))
	}
	want := []string{
		"link, Skip to the story",
		"banner",
		"link, Daily Example home",
		"navigation, Sections",
		"list, 2 items",
		"link, News",
		"link, Sport",
		"main",
		"WEATHER",
		"heading level 1, Storm closes the harbour",
		"By Ann Writer",
		"figure",
		"image, Waves break over the harbour wall at dawn on Tuesday",
		"Waves break over the harbour wall at dawn on Tuesday. Photo: Jo Lens (repeats 13)",
		"The harbour closed on Tuesday after waves of six metres broke over its wall, the port authority said.",
		"Ferries to the islands were cancelled",
		"link, until further notice",
		", and fishing boats stayed moored.",
		"Forecasters expect the wind to ease by Thursday, when the harbour should reopen to traffic.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("transcript:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := "Stopped after the first 3 paragraphs after the headline."; tr.End != want {
		t.Errorf("end %q, want %q", tr.End, want)
	}
	if tr.MaxLines != transcript.MaxLines {
		t.Errorf("max lines %d, want %d", tr.MaxLines, transcript.MaxLines)
	}
	if len(tr.Lines) != len(want) {
		return
	}
	// The skip link to nowhere, the photo and its caption are linked to
	// their findings, by fingerprint; the caption through the line it
	// repeats.
	fingerprint := func(rule, selector string) string {
		for _, f := range r.Findings {
			if f.Rule == rule && f.Selector == selector {
				return f.Fingerprint
			}
		}
		t.Fatalf("no %s finding at %s", rule, selector)
		return ""
	}
	for _, c := range []struct {
		line           int
		rule, selector string
	}{
		{1, "skip-link-target-exists", "html > body > a"},
		{13, "img-alt-duplicates-caption", "#lead"},
		{14, "img-alt-duplicates-caption", "#lead"},
	} {
		tf := audit.TranscriptFinding{Rule: c.rule, Outcome: audit.Violation, Fingerprint: fingerprint(c.rule, c.selector)}
		if !slices.Contains(tr.Lines[c.line-1].Findings, tf) {
			t.Errorf("line %d links to %+v, want %+v among them", c.line, tr.Lines[c.line-1].Findings, tf)
		}
	}
	if got := tr.Lines[12].Selector; got != "#lead" {
		t.Errorf("the image line's selector is %q, want #lead", got)
	}
	// Lines that repeat nothing link to no finding of the photo.
	for i, l := range tr.Lines {
		if i == 12 || i == 13 {
			continue
		}
		for _, f := range l.Findings {
			if f.Rule == "img-alt-duplicates-caption" {
				t.Errorf("line %d (%s) links to the photo's finding", i+1, spoken(l))
			}
		}
	}
}

// TestStatic: the static loader reads no accessibility tree, so the page
// gets no lines, only the reason.
func TestStatic(t *testing.T) {
	f, err := os.Open(audittest.Page(t, "pages/transcript/story.html").Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := static.Parse(f, "http://example.test/story")
	if err != nil {
		t.Fatal(err)
	}
	r := summarize(t, p)
	if r.Transcript == nil || len(r.Transcript.Lines) != 0 || r.Transcript.Unavailable != transcript.Unavailable {
		t.Errorf("static transcript %+v, want none, with the reason", r.Transcript)
	}
}
