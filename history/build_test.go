package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// diffOf builds the history of runs with opts and returns its one site's
// diff, failing when there is not exactly one site.
func diffOf(t *testing.T, runs []RunRecord, opts Options) (*Site, *Diff) {
	t.Helper()
	rep, err := Build(runs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sites) != 1 {
		t.Fatalf("%d sites, want 1", len(rep.Sites))
	}
	return &rep.Sites[0], rep.Sites[0].Diff
}

func TestDiffChoosesTheRuns(t *testing.T) {
	runs, _ := nights(t)
	running := slices.Clone(runs)
	running[2].Status = "running"
	for _, c := range []struct {
		name     string
		runs     []RunRecord
		opts     Options
		from, to string
	}{
		{"the last two runs", runs, Options{}, "night-2", "night-3"},
		{"the last two finished runs", running, Options{}, "night-1", "night-2"},
		{"a running run asked for", running, Options{To: "night-3"}, "night-2", "night-3"},
		{"from alone: to the last run", runs, Options{From: "night-1"}, "night-1", "night-3"},
		{"to alone: from the run before", runs, Options{To: "night-2"}, "night-1", "night-2"},
		{"since: the runs since then", runs, Options{Since: nightStarts[1]}, "night-2", "night-3"},
		{"since: from the first run since then", runs, Options{Since: nightStarts[0]}, "night-1", "night-3"},
		{"since: from the first finished run", running, Options{Since: nightStarts[0]}, "night-1", "night-2"},
		{"since, with from before it", runs, Options{Since: nightStarts[2], From: "night-1"}, "night-1", "night-3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, d := diffOf(t, c.runs, c.opts)
			if d == nil || d.From != c.from || d.To != c.to {
				t.Fatalf("diff %+v, want from %s to %s", d, c.from, c.to)
			}
		})
	}
}

func TestDiffNeedsTwoRuns(t *testing.T) {
	runs, _ := nights(t)
	for _, c := range []struct {
		name string
		runs []RunRecord
		opts Options
		note string
	}{
		{"one run", runs[:1], Options{}, "only one run"},
		{"a run with itself", runs, Options{From: "night-2", To: "night-2"}, "compared with itself"},
		{"nothing before the first", runs, Options{To: "night-1"}, "no run of this site before run night-1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, d := diffOf(t, c.runs, c.opts)
			if d != nil {
				t.Errorf("diff from %s to %s, want none", d.From, d.To)
			}
			if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], c.note) {
				t.Errorf("notes %q, want one saying %q", s.Notes, c.note)
			}
		})
	}
}

func TestFailedPageFixesNothing(t *testing.T) {
	runs, _ := nights(t)
	runs = runs[1:]
	// The summit page fails to load on night 3: its review of night 2 is
	// neither fixed nor persisting, and its template finding is not fixed.
	summit := "world/2026/summit-agreement.html"
	var before int
	for _, p := range runs[0].Pages {
		if p.Page == summit {
			before = len(p.Findings)
		}
	}
	runs[1].Pages = slices.Clone(runs[1].Pages)
	for i, p := range runs[1].Pages {
		if p.Page == summit {
			runs[1].Pages[i] = PageRecord{URL: p.URL, Page: p.Page, Site: "", Failed: true}
		}
	}
	s, d := diffOf(t, runs, Options{})
	if got := s.Runs[1].Failed; got != 1 {
		t.Errorf("night 3 has %d failed pages, want 1 (a failed page belongs to the site other runs found it on)", got)
	}
	if d.UncheckedPages != 2 || d.Unchecked != before+2 {
		t.Errorf("unchecked: %d findings on %d pages, want %d on 2 (the summit page and the festival page)", d.Unchecked, d.UncheckedPages, before+2)
	}
	for _, c := range slices.Concat(d.Fixed, d.Persisting) {
		if c.Page == summit {
			t.Errorf("the summit page failed, yet its finding is %s: %+v", "fixed or persisting", c)
		}
	}
}

func TestBuildRefusesWhatIsNotThere(t *testing.T) {
	runs, _ := nights(t)
	var unknown *UnknownRunError
	if _, err := Build(runs, Options{From: "night-9"}); !errors.As(err, &unknown) || unknown.ID != "night-9" {
		t.Errorf("--from night-9: %v, want an unknown run error", err)
	}
	for _, c := range []struct {
		name string
		runs []RunRecord
		opts Options
		want string
	}{
		{"no runs", nil, Options{}, "no runs"},
		{"another site", runs, Options{Site: "other.example"}, `no runs of site "other.example"`},
		{"nothing since", runs, Options{Since: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, "no runs since 2027-01-01T00:00:00Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(c.runs, c.opts)
			if !errors.Is(err, ErrNoRuns) || err.Error() != c.want {
				t.Errorf("error %v, want ErrNoRuns saying %q", err, c.want)
			}
		})
	}
}

func TestSectionOf(t *testing.T) {
	for _, c := range []struct{ page, want string }{
		{"https://news.example/world/2026/summit.html", "/world/"},
		{"https://news.example/sport/", "/sport/"},
		{"https://news.example/about.html", "/"},
		{"https://news.example", "/"},
		{"world/2026/summit.html", "/world/"},
		{"/culture/festival.html", "/culture/"},
		{`culture\festival.html`, "/culture/"},
		{"index.html", "/"},
		{"../x/a.html", "/"},
		{"-", "/"},
	} {
		if got := SectionOf(c.page); got != c.want {
			t.Errorf("SectionOf(%q) = %q, want %q", c.page, got, c.want)
		}
	}
}

func TestScale(t *testing.T) {
	for _, c := range []struct{ top, axis, step int }{
		{0, 1, 1}, {1, 1, 1}, {5, 5, 1}, {6, 6, 2}, {7, 8, 2}, {10, 10, 2}, {11, 15, 5}, {26, 30, 10}, {123, 150, 50}, {4999, 5000, 1000},
	} {
		if axis, step := scale(c.top); axis != c.axis || step != c.step {
			t.Errorf("scale(%d) = %d, %d; want %d, %d", c.top, axis, step, c.axis, c.step)
		}
	}
}

// TestHTMLKeepsTheReportPolicy checks the history page against the HTML
// report's Content-Security-Policy: the same directives (the history has
// no script to admit), a style hash that admits the page's own style
// block, and nothing the policy would block.
func TestHTMLKeepsTheReportPolicy(t *testing.T) {
	runs, rules := nights(t)
	rep, err := Build(runs, Options{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (HTML{}).Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	report, err := os.ReadFile(filepath.Join("..", "reports", "testdata", "golden-report.html"))
	if err != nil {
		t.Fatal(err)
	}
	policyOf := regexp.MustCompile(`http-equiv="Content-Security-Policy" content="([^"]+)"`)
	hashes := regexp.MustCompile(`'sha256-[^']+'`)
	m, rm := policyOf.FindStringSubmatch(page), policyOf.FindStringSubmatch(string(report))
	if m == nil || rm == nil {
		t.Fatal("no Content-Security-Policy in the history or the report")
	}
	policy := html.UnescapeString(m[1])
	got := hashes.ReplaceAllString(policy, "HASH")
	want := regexp.MustCompile(`; script-src [^;]+`).ReplaceAllString(hashes.ReplaceAllString(html.UnescapeString(rm[1]), "HASH"), "")
	if got != want {
		t.Errorf("policy %q, want the report's without its script: %q", got, want)
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	if style == nil {
		t.Fatal("no style block")
	}
	sum := sha256.Sum256([]byte(style[1]))
	if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy, "style-src "+h) {
		t.Errorf("the policy's style hash does not admit the page's style block (%s)", h)
	}
	for _, banned := range []string{"<script", " style=\"", "src=\"http", "href=\"http", "@import", "url("} {
		if strings.Contains(page, banned) {
			t.Errorf("the page holds %q, which the policy blocks or which loads from the network", banned)
		}
	}
	if n := strings.Count(page, "<svg "); n != 4 {
		t.Errorf("%d svg charts, want 4 (two charts, each wide and narrow)", n)
	}
}

// TestSitesApart checks that the runs of two sites make two histories:
// each run counts only its site's pages, and the HTML lists the sites.
func TestSitesApart(t *testing.T) {
	runs, rules := nights(t)
	for i := range runs {
		pages := slices.Clone(runs[i].Pages)
		for _, p := range runs[i].Pages {
			// The same pages again, as a staging copy of the site.
			p.Site, p.URL = "staging.example", "staging/"+p.URL
			pages = append(pages, p)
		}
		runs[i].Pages = pages
	}
	rep, err := Build(runs, Options{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sites) != 2 || rep.Sites[0].Site != "news.example" || rep.Sites[1].Site != "staging.example" {
		t.Fatalf("sites %v, want news.example and staging.example", rep.Sites)
	}
	a, b := rep.Sites[0], rep.Sites[1]
	for i := range a.Runs {
		if a.Runs[i].Pages != b.Runs[i].Pages || a.Runs[i].Violations != b.Runs[i].Violations || a.Runs[i].Pages != len(runs[i].Pages)/2 {
			t.Errorf("run %d: %+v and %+v, want each half of the run's %d pages", i+1, a.Runs[i], b.Runs[i], len(runs[i].Pages))
		}
	}
	if len(a.Diff.New) != len(b.Diff.New) || len(a.Diff.Fixed) != len(b.Diff.Fixed) {
		t.Errorf("the two sites' diffs differ: %d/%d new, %d/%d fixed", len(a.Diff.New), len(b.Diff.New), len(a.Diff.Fixed), len(b.Diff.Fixed))
	}
	var out bytes.Buffer
	if err := (HTML{}).Write(&out, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<nav aria-label="Sites">`, `href="#site-1">news.example</a>`, `href="#site-2">staging.example</a>`, `id="site-2-severity-wide-title"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the HTML of two sites lacks %q", want)
		}
	}
}
