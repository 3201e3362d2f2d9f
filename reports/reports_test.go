package reports_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func readReport(t *testing.T) *audit.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "in-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r audit.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// golden compares got with testdata/golden-NAME, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden-"+name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./reports -update and review the diff\n--- got ---\n%s", name, got)
	}
}

func render(t *testing.T, format string, r *audit.Report) []byte {
	t.Helper()
	w, err := reports.ForFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	// Writers are pure: a second rendering gives the same bytes.
	var again bytes.Buffer
	if err := w.Write(&again, r); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("%s writer is not deterministic", format)
	}
	return buf.Bytes()
}

func TestJSONGolden(t *testing.T) {
	got := render(t, "json", readReport(t))
	golden(t, "report.json", got)
	// The contract's field names are held, and the output reads back.
	var back map[string]any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	page := back["pages"].([]any)[0].(map[string]any)
	for _, key := range []string{"url", "final_url", "status", "error", "title", "findings", "skipped_rules"} {
		if _, ok := page[key]; !ok {
			t.Errorf("page object lacks %q", key)
		}
	}
	finding := page["findings"].([]any)[0].(map[string]any)
	for _, key := range []string{"rule", "outcome", "severity", "selector", "snippet", "message", "wcag", "help"} {
		if _, ok := finding[key]; !ok {
			t.Errorf("finding object lacks %q", key)
		}
	}
	outline, ok := page["outline"].([]any)
	if !ok || len(outline) == 0 {
		t.Fatal("the first page has no outline list")
	}
	entry := outline[3].(map[string]any)
	for key, want := range map[string]any{"level": 4.0, "region": "main", "skipped_from": 2.0} {
		if entry[key] != want {
			t.Errorf("outline[3].%s = %v, want %v", key, entry[key], want)
		}
	}
	if _, ok := back["pages"].([]any)[2].(map[string]any)["outline"]; ok {
		t.Error("a page without headings carries an outline key")
	}
	if back["schema_version"].(float64) != 1 {
		t.Errorf("schema_version = %v", back["schema_version"])
	}
}

func TestTextGolden(t *testing.T) {
	golden(t, "report.txt", render(t, "text", readReport(t)))
}

func TestHTMLGoldenAndEscaping(t *testing.T) {
	got := render(t, "html", readReport(t))
	golden(t, "report.html", got)
	if bytes.Contains(got, []byte("<script>alert(1)</script>")) {
		t.Error("page-derived text reached the HTML unescaped")
	}
	doc, err := html.Parse(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	// Nothing in the report loads from the network.
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if (a.Key == "src" || (a.Key == "href" && n.Data == "link")) && !strings.HasPrefix(a.Val, "data:") {
					t.Errorf("<%s %s=%q> loads a resource", n.Data, a.Key, a.Val)
				}
			}
			if n.Data == "script" {
				for _, a := range n.Attr {
					t.Errorf("the report's script has an attribute %s=%q; only its own inline script is allowed", a.Key, a.Val)
				}
				if n.FirstChild == nil || !strings.Contains(n.FirstChild.Data, "getElementById('filters')") {
					t.Error("the report holds a script that is not its own filter code")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
}

func TestHTMLDrawsTheOutline(t *testing.T) {
	r := readReport(t)
	got := string(render(t, "html", r))
	outline := r.Pages[0].Outline
	if n := strings.Count(got, `<li class="oh oh-l`); n != len(outline) {
		t.Errorf("the report draws %d outline entries, want %d", n, len(outline))
	}
	for _, want := range []string{
		`<li class="oh oh-l4 oh-flagged">`,                  // the h4 after an h2 is marked
		`<span class="oh-mark oh-mark-skip">h2 → h4</span>`, // with the jump it makes
		`<span class="oh-mark oh-mark-headline">headline</span>`,
		`<em>(empty)</em>`,
		`complementary · ad iframe`,
		`iframe from video.example`,
		`main · shadow DOM`,
		`its text &#34;By Jane Doe&#34; is a byline`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the outline lacks %s", want)
		}
	}
	// A page without an outline draws none.
	if strings.Count(got, `<details class="outline"`) != 1 {
		t.Error("pages without headings should not get an outline")
	}
}
