package reports_test

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
)

// withTranscripts adds transcripts to the sample report: the first page
// hears its lead photo's alt text twice, the third page was read without
// the browser.
func withTranscripts(t *testing.T) *audit.Report {
	t.Helper()
	r := readReport(t)
	dup := audit.TranscriptFinding{Rule: "img-alt-duplicates-caption", Outcome: audit.Violation, Fingerprint: "a1b2c3d4e5f60718293a"}
	tmpl := audit.TranscriptFinding{Rule: "img-alt-missing", Outcome: audit.Violation, Fingerprint: "99887766554433221100"}
	gone := audit.TranscriptFinding{Rule: "skip-link-target-exists", Outcome: audit.Violation, Fingerprint: "ffffffffffffffffffff"}
	r.Pages[0].Transcript = &audit.Transcript{
		MaxLines: 150, End: "Stopped after the first 3 paragraphs after the headline.",
		Lines: []audit.TranscriptLine{
			{Role: "link", Text: "Skip to main content", Selector: "a.skip", Findings: []audit.TranscriptFinding{gone}},
			{Role: "list, 40 items", Selector: "nav ul"},
			{Omitted: 32, Text: "items of this list", Selector: "nav li:nth-of-type(9)"},
			{Role: "link", Selector: "#partner-logo", Findings: []audit.TranscriptFinding{tmpl}},
			{Role: "heading level 1", Text: "Macron, Putin Meeting on Ukraine Crisis", Selector: "h1"},
			{Role: "image", Text: "French President Emmanuel Macron meets Putin", Selector: "#hero", Findings: []audit.TranscriptFinding{dup}},
			{Text: "French President Emmanuel Macron meets Putin", Selector: "figcaption", Repeats: 6, Findings: []audit.TranscriptFinding{dup}},
		},
	}
	r.Pages[2].Transcript = &audit.Transcript{Unavailable: "not available without the browser: the static loader reads no accessibility tree"}
	r.Pages = append(r.Pages, audit.PageResult{URL: "hidden.html", Index: 3, Findings: []audit.Finding{}, Skipped: []audit.SkippedRule{},
		Transcript: &audit.Transcript{End: "The browser exposes nothing on this page for a screen reader to read.", MaxLines: 150}})
	return r
}

// TestHTMLSaysWhatAScreenReaderHears checks the section each page gets:
// the lines in order, the repeated one highlighted and pointing back to
// the line it repeats, and the findings linked where the report shows
// them.
func TestHTMLSaysWhatAScreenReaderHears(t *testing.T) {
	r := withTranscripts(t)
	got := render(t, "html", r)
	doc, err := html.Parse(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*html.Node{}
	var hrefs []string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[a.Val] = n
				case "href":
					hrefs = append(hrefs, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	heard := ids["page-1-heard"]
	if heard == nil || heard.Data != "details" {
		t.Fatal("page 1 has no collapsible \"What a screen reader hears\" section")
	}
	if !strings.Contains(text(heard), "What a screen reader hears: the first 7 lines, 1 said again") {
		t.Errorf("the section's summary is not there:\n%s", text(heard))
	}
	for n, want := range map[int]string{
		1: "link, Skip to main content",
		2: "list, 40 items",
		3: "… and 32 more items of this list, not shown here",
		4: "link with no name",
		5: "heading level 1, Macron, Putin Meeting on Ukraine Crisis",
		6: "image, French President Emmanuel Macron meets Putin",
		7: "French President Emmanuel Macron meets Putin said again: line 6",
	} {
		li := ids["page-1-heard-"+strconv.Itoa(n)]
		if li == nil {
			t.Errorf("line %d is missing", n)
			continue
		}
		if got := text(li); !strings.HasPrefix(got, want) {
			t.Errorf("line %d reads %q, want it to start with %q", n, got, want)
		}
	}
	if c := attr(ids["page-1-heard-7"], "class"); !strings.Contains(c, "hl-repeat") {
		t.Errorf("the repeated line's class is %q, want hl-repeat", c)
	}
	if c := attr(ids["page-1-heard-6"], "class"); strings.Contains(c, "hl-repeat") {
		t.Errorf("the first reading is marked as a repeat: %q", c)
	}
	for _, want := range []string{
		"#page-1-heard-6",                // the repeat points back
		"#page-1-f-a1b2c3d4e5f60718293a", // to the finding in the story
		"#template-1",                    // a finding shown once for the site template
	} {
		if !contains(hrefs, want) {
			t.Errorf("no link to %s", want)
		}
		if ids[strings.TrimPrefix(want, "#")] == nil {
			t.Errorf("the link %s leads nowhere", want)
		}
	}
	// A finding the report does not show is named, not linked.
	if contains(hrefs, "#page-1-f-ffffffffffffffffffff") {
		t.Error("a line links to a finding the report does not show")
	}
	if !strings.Contains(text(ids["page-1-heard-1"]), "problem: skip-link-target-exists") {
		t.Errorf("line 1 does not name its finding: %q", text(ids["page-1-heard-1"]))
	}
	// The page read without the browser says why it has no transcript.
	if s := ids["page-3-heard"]; s == nil || !strings.Contains(text(s), "not available without the browser") {
		t.Error("the static page does not say its transcript is not available")
	}
	// A page the browser exposes nothing of says so.
	if s := ids["page-4-heard"]; s == nil {
		t.Error("the page with nothing to hear has no section")
	} else if !strings.Contains(text(s), "What a screen reader hears: nothing The browser exposes nothing") {
		t.Errorf("the page with nothing to hear reads %q", text(s))
	}
	// A page without a transcript gets no section.
	if ids["page-2-heard"] != nil {
		t.Error("a page without a transcript got a section")
	}
}

func TestJSONTranscriptMatchesTheSchema(t *testing.T) {
	got := render(t, "json", withTranscripts(t))
	audittest.ValidateJSON(t, filepath.Join("..", "docs", "report.schema.json"), got)
	for _, want := range []string{`"transcript"`, `"repeats": 6`, `"omitted": 32`, `"unavailable"`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("the JSON report lacks %s", want)
		}
	}
}

// text returns the text inside n with white space collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
