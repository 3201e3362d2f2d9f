package reports

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// HTML writes a self-contained report for people: no network requests, the
// styles inline, every page-derived string escaped by html/template. A
// Content-Security-Policy admits only the report's own style block.
type HTML struct{}

var _ Writer = HTML{}

// The report is templates/report.html.tmpl; each rule family adds its own
// blocks (templates/*.html.tmpl: finding-image, page-walk, page-outline)
// and styles (templates/*.css, joined in name order).
//
//go:embed templates
var templateFS embed.FS

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"imageURI": imageURI, "findingAnchor": findingAnchor}).ParseFS(templateFS, "templates/*.html.tmpl"))

// imageDataURI matches the thumbnails loaders embed: a base64 JPEG, PNG or
// WebP data: URI and nothing else.
var imageDataURI = regexp.MustCompile(`^data:image/(jpeg|png|webp);base64,[A-Za-z0-9+/]+=*$`)

// imageURI marks a finding's thumbnail safe as an img src, which
// html/template otherwise replaces for being a data: URI. Anything but an
// embedded picture gives "", which renders no image.
func imageURI(s string) template.URL {
	if !imageDataURI.MatchString(s) {
		return ""
	}
	return template.URL(s)
}

var reportCSS = func() string {
	names, err := fs.Glob(templateFS, "templates/*.css")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, err := fs.ReadFile(templateFS, n)
		if err != nil {
			panic(err)
		}
		b.Write(data)
	}
	return b.String()
}()

//go:embed templates/filters.js
var filtersJS string

// hashSource returns the CSP source that admits an inline block with
// exactly this content.
func hashSource(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// csp admits the report's own style and script blocks and data: images,
// and nothing else: no network, no other inline code.
var csp = "default-src 'none'; style-src " + hashSource(reportCSS) + "; script-src " + hashSource(filtersJS) +
	"; img-src data:; base-uri 'none'; form-action 'none'"

// htmlView is the data the template renders.
type htmlView struct {
	Tool       audit.Tool
	Summary    string
	Counts     Counts
	Baseline   *audit.BaselineSummary
	Warnings   []string
	Templates  []htmlTemplateFinding
	Pages      []htmlPage
	Severities []string
	RuleIDs    []string
	CSS        template.CSS
	JS         template.JS
	CSP        string
}

// htmlTemplateFinding is a site-template finding with its rule's words.
type htmlTemplateFinding struct {
	audit.TemplateFinding
	Title, Help, HelpURL string
	// Anchor is the finding's id in the document.
	Anchor string
}

type htmlPage struct {
	audit.PageResult
	Anchor    string
	Heading   string
	CountText string
	// Story groups the findings in the article and about the page.
	Story []htmlGroup
	// Template groups template-region findings not shared with other
	// pages.
	Template []htmlGroup
	// Shared counts this page's findings listed in the site-template
	// section.
	Shared int
	// Heard is the page's transcript as the report shows it; HeardOpen
	// shows it unfolded, HeardRepeats counts its repeated lines.
	Heard        []htmlHeardLine
	HeardOpen    bool
	HeardRepeats int
}

// htmlHeardLine is a line of "What a screen reader hears", numbered from 1,
// with links to its findings.
type htmlHeardLine struct {
	audit.TranscriptLine
	N     int
	Links []htmlFindingLink
}

// htmlFindingLink links a transcript line to a finding shown in the
// report; Href is empty when the report does not show the finding (an
// ignored one).
type htmlFindingLink struct {
	Rule, Title string
	Outcome     audit.Outcome
	Href        string
}

type htmlGroup struct {
	// PageAnchor is the id of the page's section, which the findings'
	// ids start with.
	PageAnchor               string
	ID, Title, Help, HelpURL string
	Outcome                  audit.Outcome
	Severity                 audit.Severity
	WCAG                     []string
	Findings                 []audit.Finding
}

// Write writes r as an HTML document.
func (HTML) Write(w io.Writer, r *audit.Report) error {
	info := ruleInfo(r)
	c := Count(r)
	v := htmlView{
		Tool:     r.Tool,
		Summary:  summaryLine(c),
		Counts:   c,
		Baseline: r.Baseline,
		Warnings: r.Warnings,
		CSS:      template.CSS(reportCSS),
		JS:       template.JS(filtersJS),
		CSP:      csp,
	}
	shared := map[string]string{} // site fingerprint → the template finding's id
	for i, t := range r.Templates {
		anchor := fmt.Sprintf("template-%d", i+1)
		shared[t.SiteFingerprint] = anchor
		ri := info[t.Rule]
		v.Templates = append(v.Templates, htmlTemplateFinding{TemplateFinding: t, Title: sentence(orID(ri.Title, t.Rule)), Help: ri.Help, HelpURL: ri.HelpURL, Anchor: anchor})
	}
	sevSeen, ruleSeen := map[audit.Severity]bool{}, map[string]bool{}
	for i, p := range r.Pages {
		hp := htmlPage{PageResult: p, Anchor: fmt.Sprintf("page-%d", i+1), Heading: p.Title}
		if hp.Heading == "" {
			hp.Heading = p.URL
		}
		var viol, rev int
		var story, tmpl []audit.Finding
		anchors := map[string]string{} // fingerprint → the finding's id
		for _, f := range p.Findings {
			sevSeen[f.Severity], ruleSeen[f.Rule] = true, true
			if f.Outcome == audit.Violation {
				viol++
			} else {
				rev++
			}
			anchor := findingAnchor(hp.Anchor, f.Fingerprint)
			switch {
			case f.Region == "template" && shared[audit.SiteFingerprint(&f)] != "":
				hp.Shared++
				anchor = shared[audit.SiteFingerprint(&f)]
			case f.Region == "template":
				tmpl = append(tmpl, f)
			default:
				story = append(story, f)
			}
			if f.Fingerprint != "" {
				anchors[f.Fingerprint] = anchor
			}
		}
		hp.CountText = fmt.Sprintf("%s, %d to check", plural(viol, "problem", "problems"), rev)
		if p.Failed() {
			hp.CountText = "could not be loaded"
		}
		hp.Story = htmlGroups(hp.Anchor, story, info)
		hp.Template = htmlGroups(hp.Anchor, tmpl, info)
		hp.Heard, hp.HeardRepeats = heardLines(p.Transcript, anchors, info)
		hp.HeardOpen = len(r.Pages) <= 3
		v.Pages = append(v.Pages, hp)
	}
	for _, s := range severitiesDesc {
		if sevSeen[s] {
			v.Severities = append(v.Severities, s.String())
		}
	}
	for _, ri := range r.Rules {
		if ruleSeen[ri.ID] {
			v.RuleIDs = append(v.RuleIDs, ri.ID)
		}
	}
	return htmlTemplate.ExecuteTemplate(w, "report.html.tmpl", v)
}

// findingAnchor returns the id of a page's finding in the document, ""
// for a finding without a fingerprint.
func findingAnchor(page, fingerprint string) string {
	if fingerprint == "" {
		return ""
	}
	return page + "-f-" + fingerprint
}

// heardLines numbers a transcript's lines and links them to the findings
// the report shows, by fingerprint; it also counts the repeated lines.
func heardLines(t *audit.Transcript, anchors map[string]string, info map[string]audit.RuleInfo) ([]htmlHeardLine, int) {
	if t == nil {
		return nil, 0
	}
	out := make([]htmlHeardLine, len(t.Lines))
	repeats := 0
	for i, l := range t.Lines {
		out[i] = htmlHeardLine{TranscriptLine: l, N: i + 1}
		if l.Repeats > 0 {
			repeats++
		}
		for _, f := range l.Findings {
			title := f.Rule
			if ri, ok := info[f.Rule]; ok && ri.Title != "" {
				title = sentence(ri.Title)
			}
			out[i].Links = append(out[i].Links, htmlFindingLink{Rule: f.Rule, Title: title, Outcome: f.Outcome, Href: anchors[f.Fingerprint]})
		}
	}
	return out, repeats
}

// htmlGroups groups findings by rule, worst first, with the rule's words.
func htmlGroups(page string, fs []audit.Finding, info map[string]audit.RuleInfo) []htmlGroup {
	var out []htmlGroup
	for _, g := range groupByRule(fs) {
		ri := info[g[0].Rule]
		hg := htmlGroup{
			PageAnchor: page,
			ID:         g[0].Rule, Title: sentence(orID(ri.Title, g[0].Rule)), Help: g[0].Help, HelpURL: g[0].HelpURL,
			Outcome: audit.Review, Severity: g[0].Severity, WCAG: g[0].WCAG, Findings: g,
		}
		for _, f := range g {
			if f.Outcome == audit.Violation {
				hg.Outcome = audit.Violation
			}
			hg.Severity = max(hg.Severity, f.Severity)
		}
		out = append(out, hg)
	}
	return out
}

func orID(title, id string) string {
	if title == "" {
		return id
	}
	return title
}
