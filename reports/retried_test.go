package reports_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
)

// TestRetriedPagesAreShown says, in the text, HTML and JSON reports, which
// browser of a pool died under a page before it was loaded again, on an
// audited page and on a failed one alike.
func TestRetriedPagesAreShown(t *testing.T) {
	r := readReport(t)
	moved := []audit.EndpointRetry{{Endpoint: "ws://chrome-2:9222/devtools/browser/abc", Error: "the DevTools connection closed"}}
	r.Pages[0].Retried = moved
	failed := audit.PageResult{URL: "https://example.com/gone", Error: "every browser of the pool is dead", ErrorCause: "browser",
		Findings: []audit.Finding{}, Skipped: []audit.SkippedRule{}, Retried: moved}
	r.Pages = append(r.Pages, failed)
	want := "the browser at ws://chrome-2:9222/devtools/browser/abc died under the page (the DevTools connection closed)"
	text := string(render(t, "text", r))
	if n := strings.Count(text, "  retried: "+want+"; loaded again on another\n"); n != 2 {
		t.Errorf("the text report says %d times that a page was retried, want 2 (the audited and the failed page)\n%s", n, text)
	}
	html := string(render(t, "html", r))
	if n := strings.Count(html, `<p class="retried">Retried: the browser at <code>ws://chrome-2:9222/devtools/browser/abc</code> died under the page (the DevTools connection closed); loaded again on another.</p>`); n != 2 {
		t.Errorf("the HTML report says %d times that a page was retried, want 2", n)
	}
	js := string(render(t, "json", r))
	audittest.ValidateJSON(t, filepath.Join("..", "docs", "report.schema.json"), []byte(js))
	if n := strings.Count(js, `"retried": [`); n != 2 || !strings.Contains(js, `"endpoint": "ws://chrome-2:9222/devtools/browser/abc"`) {
		t.Errorf("the JSON report holds %d retried lists, want 2 with the endpoint", n)
	}
	// A page loaded at the first try says nothing of it.
	r.Pages[0].Retried, r.Pages[len(r.Pages)-1].Retried = nil, nil
	if strings.Contains(string(render(t, "text", r)), "retried:") || strings.Contains(string(render(t, "html", r)), `class="retried"`) {
		t.Error("a page that was not retried is reported as retried")
	}
}
