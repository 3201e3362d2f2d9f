package chrome_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/internal/sitegen"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules"
)

// hugeTextPages serves the pages: a title of 40,000 or 80,000
// characters over an h1 of other words, and ten photos whose alt text and
// caption a script sets to one text of a megabyte.
func hugeTextPages(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	titlePage := func(n int) http.HandlerFunc {
		title := sitegen.Words(n, "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf")
		h1 := sitegen.Words(n, "north", "south", "east", "west", "river", "valley", "harbour")
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>%s</title></head><body>
<a href="#main">Skip to content</a><main id="main"><h1>%s</h1><p>The story.</p></main></body></html>`, title, h1)
		}
	}
	mux.Handle("/title-40k", titlePage(40_000))
	mux.Handle("/title-80k", titlePage(80_000))
	mux.HandleFunc("/alt-1mb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var figs strings.Builder
		for i := range 10 {
			fmt.Fprintf(&figs, `<figure><img src="/photo.gif?%d" width="320" height="200" alt="x"><figcaption>x</figcaption></figure>`, i)
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Storm</title></head><body>
<a href="#main">Skip to content</a><main id="main"><h1>Storm</h1>%s</main>
<script>
const words = ["crowds", "gather", "outside", "the", "parliament", "in", "Kyiv"];
let parts = [];
for (let i = 0, n = 0; n < 1048576; i++) { const w = words[(i*7 + (i/3|0)) %% words.length]; parts.push(w); n += w.length + 1; }
const text = parts.join(" ").slice(0, 1048576);
for (const img of document.images) img.alt = text;
for (const c of document.querySelectorAll("figcaption")) c.textContent = text;
</script></body></html>`, figs.String())
	})
	mux.HandleFunc("/photo.gif", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write(pixelGIF)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestHugeTextsThroughTheRunner audits the pages of huge texts in
// a real browser through the runner, at the issue's --timeout of 10 s
// (stretched: the pages must load): each page is audited, not failed, its
// rules take a few seconds at most (they took 70 s and 54 s), the page
// ends within its timeout and graces, and its JSON stays small (the ten
// alt texts wrote 39 MB).
func TestHugeTextsThroughTheRunner(t *testing.T) {
	testtime.Log(t)
	srv := hugeTextPages(t)
	timeout := testtime.Bound(10 * time.Second)
	b := launch(t, chrome.Options{Tabs: 1, Timeout: timeout})
	var table []string
	for _, path := range []string{"/title-40k", "/title-80k", "/alt-1mb"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			r := &audit.Runner{
				Loader: b, Rules: rules.All(), Summarizers: rules.Summarizers(),
				Concurrency: 1, Timeout: timeout, Timings: true,
			}
			start := time.Now()
			rep := r.Run(context.Background(), []audit.Target{{Input: srv.URL + path, URL: srv.URL + path}})
			took := time.Since(start)
			p := rep.Pages[0]
			data, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var rulesMS float64
			for _, s := range p.Timings {
				if s.Step == "rules" || s.Step == "summarize" {
					rulesMS += s.MS
				}
			}
			table = append(table, fmt.Sprintf("%-10s %-14s page %6.2fs, rules and summaries %6.0f ms, JSON %d KB", path, map[bool]string{true: p.ErrorCause, false: "audited"}[p.Failed()], took.Seconds(), rulesMS, len(data)>>10))
			if p.Failed() {
				t.Fatalf("the page failed (%s): %s", p.ErrorCause, p.Error)
			}
			if limit := testtime.Bound(3 * time.Second); time.Duration(rulesMS*float64(time.Millisecond)) > limit {
				t.Errorf("rules and summaries took %.0f ms, more than %s", rulesMS, limit)
			}
			if limit := timeout + chrome.CaptureGrace + audit.DefaultRulesGrace + testtime.Bound(hostileSlack); took > limit {
				t.Errorf("the page took %s, more than its timeout, graces and slack (%s)", took, limit)
			}
			if len(data) > 1<<20 {
				t.Errorf("the JSON report is %d KB", len(data)>>10)
			}
			if len(p.Findings) == 0 {
				t.Error("no findings: the rules did not judge the page")
			}
			for _, f := range p.Findings {
				if f.Image != nil && len(f.Image.Alt) > 4*audit.MaxText {
					t.Errorf("%s kept an alt text of %d bytes", f.Rule, len(f.Image.Alt))
				}
			}
		})
	}
	t.Logf("\n%s", strings.Join(table, "\n"))
}
