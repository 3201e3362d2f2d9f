package history

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// HTML writes the history as one self-contained page for people: per
// site, the trend as two inline SVG charts (violations by severity per
// run; in the story, the template and the page as a whole), then the runs
// table, the changes between the two runs compared and the worst rules
// and sections. No script, no network: the Content-Security-Policy is the
// HTML report's (reports.HTML), which admits only the page's own style
// block and data: images.
type HTML struct{}

var _ Writer = HTML{}

//go:embed templates/history.html.tmpl
var htmlSource string

//go:embed templates/history.css
var historyCSS string

var htmlTemplate = template.Must(template.New("history").Funcs(template.FuncMap{"sentence": sentence}).Parse(htmlSource))

// csp admits the page's own style block and data: images, and nothing
// else: the HTML report's policy, with no script to admit.
var csp = "default-src 'none'; style-src " + hashSource(historyCSS) + "; img-src data:; base-uri 'none'; form-action 'none'"

// hashSource returns the CSP source that admits an inline block with
// exactly this content.
func hashSource(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// chartRuns is how many of the latest runs the charts draw.
const chartRuns = 60

// htmlChanges is how many new and how many fixed findings the page lists
// per site; the JSON history lists them all.
const htmlChanges = 200

// htmlRuns is how many of the latest runs the trend tables show, one
// column each.
const htmlRuns = 8

// htmlView is the data the template renders.
type htmlView struct {
	Tool  audit.Tool
	Since string
	CSS   template.CSS
	CSP   string
	Sites []htmlSite
}

// htmlSite is one site's part of the page.
type htmlSite struct {
	Site, Anchor, Span string
	// Latest sums up the last run against the one before it.
	Latest   string
	Notes    []string
	Charted  string
	Severity barChart
	Region   barChart
	Runs     []htmlRun
	Diff     *htmlDiff
	// Heads name the run columns of the trend tables: "#7".
	Heads    []string
	Rules    []htmlTrend
	Sections []htmlSection
}

// htmlRun is a row of the runs table.
type htmlRun struct {
	RunSummary
	Number  int
	Started string
}

// htmlDiff is the changes between the two runs compared.
type htmlDiff struct {
	*Diff
	FromStarted, ToStarted string
	// UncheckedText and UncheckedPagesText count the findings on pages
	// the later run did not audit, and those pages, in words.
	UncheckedText, UncheckedPagesText string
	New, Fixed                        []htmlChange
	MoreNew, MoreFixed                int
	// Persisting counts the persisting findings by rule, most first.
	Persisting []htmlCount
}

// htmlChange is one listed change, with its rule's title.
type htmlChange struct {
	Change
	Title string
}

// htmlCount is a rule's count of persisting findings.
type htmlCount struct {
	Rule, Title string
	Count       int
}

// htmlTrend is a row of a trend table.
type htmlTrend struct {
	Rule, Title string
	Cells       []string
	Total       int
}

// htmlSection is a section with its rules.
type htmlSection struct {
	htmlTrend
	Rules []htmlTrend
}

// Write writes r as HTML.
func (HTML) Write(w io.Writer, r *Report) error {
	v := htmlView{Tool: r.Tool, CSS: template.CSS(historyCSS), CSP: csp}
	if r.Since != nil {
		v.Since = r.Since.Format(stamp)
	}
	for i := range r.Sites {
		v.Sites = append(v.Sites, htmlSiteOf(r, &r.Sites[i], i))
	}
	if err := htmlTemplate.Execute(w, v); err != nil {
		return fmt.Errorf("write history HTML: %w", err)
	}
	return nil
}

// htmlSiteOf makes the view of one site's history, the i-th.
func htmlSiteOf(r *Report, s *Site, i int) htmlSite {
	h := htmlSite{Site: s.Site, Anchor: fmt.Sprintf("site-%d", i+1), Notes: s.Notes}
	first, last := s.Runs[0], s.Runs[len(s.Runs)-1]
	h.Span = fmt.Sprintf("%s, from %s to %s", plural(len(s.Runs), "run", "runs"), first.Started.Format(stamp), last.Started.Format(stamp))
	h.Latest = fmt.Sprintf("The last run, #%d, found %s on %s", len(s.Runs), plural(last.Violations, "violation", "violations"), plural(last.Pages-last.Failed, "page", "pages"))
	if len(s.Runs) > 1 {
		prev := s.Runs[len(s.Runs)-2]
		switch d := last.Violations - prev.Violations; {
		case d > 0:
			h.Latest += fmt.Sprintf(", %d more than run #%d", d, len(s.Runs)-1)
		case d < 0:
			h.Latest += fmt.Sprintf(", %d fewer than run #%d", -d, len(s.Runs)-1)
		default:
			h.Latest += fmt.Sprintf(", as many as run #%d", len(s.Runs)-1)
		}
	}
	if last.Failed > 0 {
		h.Latest += fmt.Sprintf("; %s could not be audited", plural(last.Failed, "page", "pages"))
	}
	h.Latest += "."
	for n, run := range s.Runs {
		h.Runs = append(h.Runs, htmlRun{RunSummary: run, Number: n + 1, Started: run.Started.Format("2006-01-02 15:04")})
	}
	// The charts draw the latest chartRuns runs.
	from := max(0, len(s.Runs)-chartRuns)
	if from > 0 {
		h.Charted = fmt.Sprintf("The charts show the last %d of the %d runs.", chartRuns, len(s.Runs))
	}
	var labels []runLabel
	sev := make([][]int, 4)
	reg := make([][]int, 3)
	for n := from; n < len(s.Runs); n++ {
		run := s.Runs[n]
		labels = append(labels, runLabel{Number: n + 1, Date: run.Started.Format("01-02"), Long: run.Started.Format(stamp), Unfinished: run.Status != "" && run.Status != "done"})
		for k, c := range []int{run.BySeverity.Critical, run.BySeverity.Serious, run.BySeverity.Moderate, run.BySeverity.Minor} {
			sev[k] = append(sev[k], c)
		}
		for k, c := range []int{run.ByRegion.Story, run.ByRegion.Template, run.ByRegion.Page} {
			reg[k] = append(reg[k], c)
		}
	}
	h.Severity = barChart{
		ID: h.Anchor + "-severity", Title: "Violations by severity, run by run",
		Desc: fmt.Sprintf("Stacked bars, one a run, oldest first: critical, serious, moderate and minor violations on %s. The runs table below gives the numbers.", s.Site),
		Runs: labels,
		Series: []series{
			{Name: "critical", Class: "sev-critical", Values: sev[0]}, {Name: "serious", Class: "sev-serious", Values: sev[1]},
			{Name: "moderate", Class: "sev-moderate", Values: sev[2]}, {Name: "minor", Class: "sev-minor", Values: sev[3]},
		},
	}
	h.Region = barChart{
		ID: h.Anchor + "-region", Title: "Violations in the story against the template, run by run",
		Desc: fmt.Sprintf("Stacked bars, one a run, oldest first: violations in the stories themselves, in the site's template (masthead, navigation, rails, footer) and about the page as a whole on %s. The runs table below gives the numbers.", s.Site),
		Runs: labels,
		Series: []series{
			{Name: "story", Class: "reg-story", Values: reg[0]}, {Name: "template", Class: "reg-template", Values: reg[1]},
			{Name: "whole page", Class: "reg-page", Values: reg[2]},
		},
	}
	for _, l := range labels {
		if l.Unfinished {
			h.Charted = strings.TrimSpace(h.Charted + " Paler bars are runs that did not finish (see the runs table).")
			break
		}
	}
	if d := s.Diff; d != nil {
		hd := &htmlDiff{Diff: d, FromStarted: d.FromStarted.Format(stamp), ToStarted: d.ToStarted.Format(stamp),
			UncheckedText: plural(d.Unchecked, "finding", "findings"), UncheckedPagesText: plural(d.UncheckedPages, "page", "pages")}
		hd.New, hd.MoreNew = htmlChangesOf(r, d.New)
		hd.Fixed, hd.MoreFixed = htmlChangesOf(r, d.Fixed)
		counts := map[string]int{}
		for _, c := range d.Persisting {
			if counts[c.Rule] == 0 {
				hd.Persisting = append(hd.Persisting, htmlCount{Rule: c.Rule, Title: r.title(c.Rule)})
			}
			counts[c.Rule]++
		}
		for k := range hd.Persisting {
			hd.Persisting[k].Count = counts[hd.Persisting[k].Rule]
		}
		h.Diff = hd
	}
	tfrom := max(0, len(s.Runs)-htmlRuns)
	for n := tfrom; n < len(s.Runs); n++ {
		h.Heads = append(h.Heads, fmt.Sprintf("#%d", n+1))
	}
	trend := func(rt RuleTrend) htmlTrend {
		t := htmlTrend{Rule: rt.Rule, Title: r.title(rt.Rule), Total: rt.Total}
		for n := tfrom; n < len(rt.Violations); n++ {
			t.Cells = append(t.Cells, fmt.Sprintf("%d (%d)", rt.Violations[n], rt.Pages[n]))
		}
		return t
	}
	for _, rt := range s.Rules {
		h.Rules = append(h.Rules, trend(rt))
	}
	for _, st := range s.Sections {
		sec := htmlSection{htmlTrend: trend(RuleTrend{Rule: st.Section, Violations: st.Violations, Pages: st.Audited, Total: st.Total})}
		for _, rt := range st.Rules {
			sec.Rules = append(sec.Rules, trend(rt))
		}
		h.Sections = append(h.Sections, sec)
	}
	return h
}

// htmlChangesOf returns the first htmlChanges changes with their rules'
// titles, and how many more there are.
func htmlChangesOf(r *Report, cs []Change) ([]htmlChange, int) {
	var out []htmlChange
	for i, c := range cs {
		if i == htmlChanges {
			return out, len(cs) - i
		}
		out = append(out, htmlChange{Change: c, Title: r.title(c.Rule)})
	}
	return out, 0
}

// sentence capitalises the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
