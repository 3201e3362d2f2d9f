package reports_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
)

// hostile are strings a page controls, each aimed at one of the formats:
// markup and script for HTML, tables, links and raw HTML for Markdown,
// characters XML forbids for JUnit, terminal escapes for the text report,
// and quotes and separators for all.
var hostile = []string{
	`<script>alert("x")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`</style><svg onload=alert(2)>`,
	`' onmouseover='alert(3)`,
	`| cell | injected |` + "\n" + `| --- | --- |`,
	`[click](javascript:alert(4)) ![i](http://tracker.invalid/p.gif)`,
	"<!-- comment --> ]]> <![CDATA[ x ]]>",
	"control \x00\x01\x08\x0b\x0c\x1b[2J\x1b]0;title\x07 end",
	"\u2028line\u2029para\ufeff\ufffe",
	"`code` *em* _u_ # heading \\ backslash",
}

// hostileStringsReport is a report in which every page-derived string carries a
// hostile string.
func hostileStringsReport() *audit.Report {
	h := strings.Join(hostile, " ")
	page := audit.PageResult{
		URL: "http://127.0.0.1/a?q=" + hostile[1], FinalURL: "http://127.0.0.1/a?q=" + hostile[0], Status: 200,
		Title: h,
		Findings: []audit.Finding{{
			Rule: "img-alt-duplicates-caption", Outcome: audit.Violation, Severity: audit.Serious,
			Selector: "#x" + hostile[3], Snippet: `<img alt="` + hostile[1] + `">`, Message: "alt repeats the caption: " + h,
			WCAG: []string{"1.1.1"}, Help: "Write alt text.", HelpURL: "https://www.w3.org/WAI/WCAG22/Understanding/non-text-content",
			Key: "k1", Fingerprint: "f1", Region: hostile[4],
			Image: &audit.ImageEvidence{Alt: h, AltSource: "alt", Caption: h, CaptionSource: "figcaption", Credit: hostile[5]},
		}},
		Outline: []audit.OutlineEntry{{Level: 1, Text: h, Selector: "h1"}},
		Walks:   []audit.WalkSummary{{Viewport: "desktop", Verdict: "works", Steps: []audit.WalkStep{{N: 1, What: h}}, Note: h}},
		Transcript: &audit.Transcript{End: h, Lines: []audit.TranscriptLine{
			{Role: h, Text: h, Selector: h, Findings: []audit.TranscriptFinding{{Rule: "img-alt-duplicates-caption", Outcome: audit.Violation, Fingerprint: "f1"}}},
			{Text: h, Selector: h, Repeats: 1, Findings: []audit.TranscriptFinding{{Rule: hostile[2], Outcome: audit.Outcome(hostile[3]), Fingerprint: hostile[1]}}},
		}},
	}
	failed := audit.PageResult{URL: "http://127.0.0.1/b", Error: "load failed: " + h, ErrorCause: "network"}
	return &audit.Report{
		SchemaVersion: 1, Tool: audit.Tool{Name: "newsa11y", Version: "test"},
		Pages: []audit.PageResult{page, failed},
		Rules: []audit.RuleInfo{{ID: "img-alt-duplicates-caption", Title: "Alt text repeats the caption", Severity: audit.Serious}},
	}
}

// TestHostileStringsInEveryFormat renders a report full of hostile page
// text in every format and checks each output against its own syntax.
func TestHostileStringsInEveryFormat(t *testing.T) {
	rep := hostileStringsReport()

	t.Run("html", func(t *testing.T) {
		got := render(t, "html", rep)
		doc, err := html.Parse(bytes.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		scripts := 0
		var visit func(n *html.Node)
		visit = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script":
					scripts++
				case "svg", "iframe", "object", "embed":
					t.Errorf("a page's <%s> became an element of the report", n.Data)
				case "img":
					for _, a := range n.Attr {
						if a.Key == "src" && !strings.HasPrefix(a.Val, "data:") {
							t.Errorf("an <img src=%q> reached the report", a.Val)
						}
					}
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("<%s %s=%q>: an event handler reached the report", n.Data, a.Key, a.Val)
					}
					if a.Key == "href" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
						t.Errorf("a javascript: link reached the report")
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(doc)
		if scripts != 1 {
			t.Errorf("%d scripts in the report, want only its own", scripts)
		}
		if !bytes.Contains(got, []byte("&lt;script&gt;alert(")) {
			t.Error("the hostile text is not shown, escaped, as text")
		}
	})

	t.Run("markdown", func(t *testing.T) {
		got := string(render(t, "markdown", rep))
		// Inside code spans text is literal; outside them nothing may
		// open markup or a link: no angle bracket but the report's own
		// <details> and <summary>, no bracket without its backslash.
		prose := withoutCodeSpans(got)
		for _, own := range []string{"<details>", "</details>", "<summary>", "</summary>"} {
			prose = strings.ReplaceAll(prose, own, "")
		}
		if strings.Contains(prose, "<") {
			t.Error("the Markdown holds an angle bracket outside code")
		}
		for i, r := range prose {
			if (r == '[' || r == ']') && (i == 0 || prose[i-1] != '\\') {
				t.Errorf("an unescaped %q outside code: %.40q", r, prose[i:])
				break
			}
		}
		for _, bad := range []string{"\x1b", "\x00"} {
			if strings.Contains(got, bad) {
				t.Errorf("the Markdown holds %q", bad)
			}
		}
		// Every table keeps the column count of its header row.
		cols := -1
		for line := range strings.SplitSeq(got, "\n") {
			if !strings.HasPrefix(line, "|") {
				cols = -1
				continue
			}
			n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
			if cols == -1 {
				cols = n
			} else if n != cols {
				t.Errorf("a table row has %d separators, its header %d: %s", n, cols, line)
			}
		}
	})

	t.Run("junit", func(t *testing.T) {
		got := render(t, "junit", rep)
		d := xml.NewDecoder(bytes.NewReader(got))
		for {
			tok, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("the JUnit XML does not parse: %v", err)
				}
				break
			}
			if cd, ok := tok.(xml.CharData); ok && bytes.Contains(cd, []byte("\x1b")) {
				t.Error("a terminal escape reached the JUnit XML")
			}
		}
		if !bytes.Contains(got, []byte("&lt;script&gt;")) {
			t.Error("the hostile text is missing from the JUnit XML")
		}
	})

	t.Run("sarif", func(t *testing.T) {
		got := render(t, "sarif", rep)
		var log struct {
			Runs []struct {
				Results []struct {
					Message struct{ Text string }
				}
			}
		}
		if err := json.Unmarshal(got, &log); err != nil {
			t.Fatalf("the SARIF does not parse: %v", err)
		}
		if len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 || !strings.Contains(log.Runs[0].Results[0].Message.Text, `<script>alert("x")</script>`) {
			t.Errorf("the message did not survive as data: %+v", log.Runs)
		}
		audittest.ValidateJSON(t, sarifSchemaPath(t), got)
	})

	t.Run("json", func(t *testing.T) {
		got := render(t, "json", rep)
		var back audit.Report
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("the JSON does not parse: %v", err)
		}
		if back.Pages[0].Findings[0].Image.Alt != rep.Pages[0].Findings[0].Image.Alt {
			t.Error("the alt text did not round-trip through the JSON")
		}
	})

	t.Run("text", func(t *testing.T) {
		got := render(t, "text", rep)
		for _, c := range []byte{0x1b, 0x07, 0x00, 0x08} {
			if bytes.IndexByte(got, c) >= 0 {
				t.Errorf("the text report holds the control byte %#x", c)
			}
		}
	})
}

// withoutCodeSpans removes Markdown code spans from s: a run of backticks,
// the text, and the next run of the same length.
func withoutCodeSpans(s string) string {
	var b strings.Builder
	for {
		start := strings.IndexByte(s, '`')
		if start < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:start])
		n := start
		for n < len(s) && s[n] == '`' {
			n++
		}
		fence := s[start:n]
		rest := s[n:]
		end := -1
		for off := 0; ; {
			i := strings.Index(rest[off:], fence)
			if i < 0 {
				break
			}
			i += off
			j := i + len(fence)
			if j < len(rest) && rest[j] == '`' || i > 0 && rest[i-1] == '`' {
				off = j
				for off < len(rest) && rest[off] == '`' {
					off++
				}
				continue
			}
			end = i
			break
		}
		if end < 0 {
			b.WriteString(s[start:])
			return b.String()
		}
		s = rest[end+len(fence):]
	}
}
