package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/reports"
)

func TestMain(m *testing.M) { chrometest.Main(m) }

// hostileReport is the test report with page-derived strings that try to
// break out of every context the HTML report puts them in.
func hostileReport(t *testing.T) *audit.Report {
	r := readReport(t)
	evil := `"><img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`
	p := &r.Pages[0]
	p.Title += evil
	for i := range p.Findings {
		p.Findings[i].Message += evil
		p.Findings[i].Snippet = evil
		p.Findings[i].Selector += evil
	}
	p.Findings[1].Thumbnail = "data:image/png;base64,iVBORw0KGgo=" + `"><script>document.title='pwned'</script>`
	r.Warnings = append(r.Warnings, evil)
	return r
}

// TestHTMLReportInChrome loads the HTML report in headless Chromium: no
// console errors (which is where Content-Security-Policy violations show),
// no page-derived markup executed, the filters work, and a screenshot is
// kept for a person to look at (NEWSA11Y_REPORT_SCREENSHOT names the file).
func TestHTMLReportInChrome(t *testing.T) {
	b := chrometest.Browser(t)
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := (reports.HTML{}).Write(&buf, hostileReport(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := audittest.Serve(t, dir)
	script := `(() => {
		const shown = () => document.querySelectorAll('li[data-rule]:not([hidden]):not([data-ref])').length;
		const count = (kind) => Number(document.querySelector('[data-count="' + kind + '"]').textContent);
		const collapsed = () => Array.from(document.querySelectorAll('section.page[data-findings]'), (s) => s.querySelector('.page-body').hidden);
		const before = shown(), violationsBefore = count('violation'), collapsedBefore = collapsed();
		const form = document.getElementById('filters');
		form.elements.rule.value = 'img-alt-duplicates-caption';
		form.dispatchEvent(new Event('change'));
		return {title: document.title, formShown: !form.hidden, before, after: shown(),
			violationsBefore, violationsAfter: count('violation'), reviewsAfter: count('review'),
			collapsedBefore, collapsedAfter: collapsed(),
			tocAfter: Array.from(document.querySelectorAll('.toc-count'), (e) => e.textContent),
			injected: document.querySelectorAll('img[src="x"], main script').length};
	})()`
	v, err := b.VisitPage(context.Background(), srv.URLFor("report.html"), script, os.Getenv("NEWSA11Y_REPORT_SCREENSHOT") != "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range v.Errors {
		t.Errorf("the report logged an error: %s", e)
	}
	var got struct {
		Title                                           string
		FormShown                                       bool
		Before, After                                   int
		ViolationsBefore, ViolationsAfter, ReviewsAfter int
		CollapsedBefore, CollapsedAfter                 []bool
		TocAfter                                        []string
		Injected                                        int
	}
	if err := json.Unmarshal(v.Value, &got); err != nil {
		t.Fatal(err)
	}
	if got.Title == "pwned" || got.Injected != 0 {
		t.Errorf("page-derived markup ran or was inserted: title %q, %d injected elements", got.Title, got.Injected)
	}
	if !got.FormShown || got.Before < 3 || got.After != 1 {
		t.Errorf("filters: shown %v, %d findings visible before filtering by rule, %d after; want shown, at least 3, then 1", got.FormShown, got.Before, got.After)
	}
	// The counts follow the filters: the report's 4 violations become the
	// one img-alt-duplicates-caption finding, and the pages left with
	// nothing collapse, in the page list too.
	if got.ViolationsBefore != 4 || got.ViolationsAfter != 1 || got.ReviewsAfter != 0 {
		t.Errorf("totals: %d violations before filtering, %d and %d reviews after; want 4, then 1 and 0", got.ViolationsBefore, got.ViolationsAfter, got.ReviewsAfter)
	}
	if slices.Contains(got.CollapsedBefore, true) {
		t.Errorf("pages collapsed before any filter: %v", got.CollapsedBefore)
	}
	collapsedPages := 0
	for _, c := range got.CollapsedAfter {
		if c {
			collapsedPages++
		}
	}
	if collapsedPages != 1 || !slices.Contains(got.TocAfter, "0 problems, 0 to check") || !slices.Contains(got.TocAfter, "1 problem, 0 to check") {
		t.Errorf("after filtering, %d pages collapsed (want the static page's 1; the failed page stays) and the page list reads %q", collapsedPages, got.TocAfter)
	}
	if path := os.Getenv("NEWSA11Y_REPORT_SCREENSHOT"); path != "" {
		if err := os.WriteFile(path, v.Screenshot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
