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
	"slices"
	"sort"
	"strings"
	"unicode"

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

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"imageURI": imageURI, "severityNote": func(f audit.Finding) string { return severityNote(&f) }}).ParseFS(templateFS, "templates/*.html.tmpl"))

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
	Tool      audit.Tool
	Summary   string
	Counts    Counts
	Baseline  *audit.BaselineSummary
	Verdict   *audit.Verdict
	Warnings  []string
	Templates []htmlTemplateGroup
	// TemplateCount is how many site-template problems there are.
	TemplateCount int
	Pages         []htmlPage
	Severities    []string
	RuleIDs       []string
	CSS           template.CSS
	JS            template.JS
	CSP           string
}

// htmlTemplateGroup is one rule's site-template findings, with the
// rule's words said once.
type htmlTemplateGroup struct {
	ID, Title, Help, HelpURL string
	Outcome                  audit.Outcome
	Severity                 audit.Severity
	Findings                 []htmlTemplateFinding
}

// htmlTemplateFinding is a site-template finding with its id in the
// document, which transcript lines link to.
type htmlTemplateFinding struct {
	audit.TemplateFinding
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
	// SharedRefs are those findings, which the page does not show but
	// the filters count.
	SharedRefs []audit.Finding
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

// htmlGroup is one rule's findings on a page: the entries to show, most
// important first, and under a baseline the known ones, folded.
type htmlGroup struct {
	ID, Title, Help, HelpURL string
	Outcome                  audit.Outcome
	Severity                 audit.Severity
	WCAG                     []string
	// Places counts the findings of the group.
	Places int
	// Entries are the new (or, without a baseline, all) findings, the
	// identical ones collapsed.
	Entries []htmlEntry
	// Known are the findings the baseline already held, collapsed alike.
	Known []htmlEntry
	// KnownPlaces counts the findings in Known.
	KnownPlaces int
}

// htmlEntry is one finding shown with its evidence, standing for Count
// identical findings (the same rule on the same image file or link
// target); Others are the selectors of the rest, Members the fingerprints
// of all. Anchor is its id in the document.
type htmlEntry struct {
	audit.Finding
	Count   int
	Others  []string
	Members []string
	Anchor  string
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
		Verdict:  r.Verdict,
		Warnings: r.Warnings,
		CSS:      template.CSS(reportCSS),
		JS:       template.JS(filtersJS),
		CSP:      csp,
	}
	shared := map[string]string{} // template key → the template finding's id
	v.TemplateCount = len(r.Templates)
	byRule := map[string]int{}
	for n, t := range r.Templates {
		anchor := fmt.Sprintf("template-%d", n+1)
		shared[audit.TemplateKey(t.Site, t.SiteFingerprint)] = anchor
		i, ok := byRule[t.Rule+"\x00"+string(t.Outcome)]
		if !ok {
			ri := info[t.Rule]
			i = len(v.Templates)
			byRule[t.Rule+"\x00"+string(t.Outcome)] = i
			v.Templates = append(v.Templates, htmlTemplateGroup{ID: t.Rule, Title: sentence(orID(ri.Title, t.Rule)), Help: ri.Help, HelpURL: ri.HelpURL, Outcome: t.Outcome, Severity: t.Severity})
		}
		g := &v.Templates[i]
		g.Severity = max(g.Severity, t.Severity)
		g.Findings = append(g.Findings, htmlTemplateFinding{TemplateFinding: t, Anchor: anchor})
	}
	sevSeen, ruleSeen := map[audit.Severity]bool{}, map[string]bool{}
	// Pages show most important first, but keep the ids of the run's
	// order, so that a link to a page survives a change in its findings.
	number := map[*audit.PageResult]int{}
	for i := range r.Pages {
		number[&r.Pages[i]] = i + 1
	}
	for _, pp := range pagesByImportance(r) {
		p := *pp
		hp := htmlPage{PageResult: p, Anchor: fmt.Sprintf("page-%d", number[pp]), Heading: p.Title}
		if hp.Heading == "" {
			hp.Heading = p.URL
		}
		var viol, rev int
		var story, tmpl []audit.Finding
		anchors := map[string]string{} // fingerprint → the id of what shows it
		for _, f := range p.Findings {
			sevSeen[f.Severity], ruleSeen[f.Rule] = true, true
			if f.Outcome == audit.Violation {
				viol++
			} else {
				rev++
			}
			switch {
			case f.Region == "template" && shared[audit.TemplateKey(p.SiteKey(), audit.SiteFingerprint(&f))] != "":
				hp.Shared++
				hp.SharedRefs = append(hp.SharedRefs, f)
				if f.Fingerprint != "" {
					anchors[f.Fingerprint] = shared[audit.TemplateKey(p.SiteKey(), audit.SiteFingerprint(&f))]
				}
			case f.Region == "template":
				tmpl = append(tmpl, f)
			default:
				story = append(story, f)
			}
		}
		hp.CountText = fmt.Sprintf("%s, %d to check", plural(viol, "problem", "problems"), rev)
		if p.Failed() {
			hp.CountText = "could not be loaded"
		}
		hp.Story = htmlGroups(hp.Anchor, story, info)
		hp.Template = htmlGroups(hp.Anchor, tmpl, info)
		for _, g := range append(slices.Clone(hp.Story), hp.Template...) {
			for _, e := range append(slices.Clone(g.Entries), g.Known...) {
				for _, fp := range e.Members {
					anchors[fp] = e.Anchor
				}
			}
		}
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

// htmlGroups groups findings by rule, worst first, with the rule's words;
// within a group the findings go most important first, identical ones
// collapsed, and known ones folded apart.
func htmlGroups(page string, fs []audit.Finding, info map[string]audit.RuleInfo) []htmlGroup {
	var out []htmlGroup
	for _, g := range groupByRule(fs) {
		ri := info[g[0].Rule]
		hg := htmlGroup{
			ID: g[0].Rule, Title: sentence(orID(ri.Title, g[0].Rule)), Help: g[0].Help, HelpURL: g[0].HelpURL,
			Outcome: audit.Review, Severity: g[0].Severity, WCAG: g[0].WCAG, Places: len(g),
		}
		var fresh, known []audit.Finding
		for _, f := range g {
			if f.Outcome == audit.Violation {
				hg.Outcome = audit.Violation
			}
			hg.Severity = max(hg.Severity, f.Severity)
			if f.Baseline == audit.BaselineKnown {
				known = append(known, f)
			} else {
				fresh = append(fresh, f)
			}
		}
		hg.Entries = htmlEntries(page, fresh, hg.Help)
		hg.Known = htmlEntries(page, known, hg.Help)
		hg.KnownPlaces = len(known)
		out = append(out, hg)
	}
	return out
}

// htmlEntries orders findings by importance and collapses identical ones.
// A photo's "what to write" that only restates the rule's help (said once
// above the findings) is left out.
func htmlEntries(page string, fs []audit.Finding, help string) []htmlEntry {
	groups := collapse(byImportance(fs))
	out := make([]htmlEntry, len(groups))
	index := map[string]int{}
	for i, g := range groups {
		out[i] = htmlEntry{Finding: g.First, Count: g.Count, Anchor: findingAnchor(page, g.First.Fingerprint)}
		if g.First.Fingerprint != "" {
			out[i].Members = []string{g.First.Fingerprint}
		}
		// What the finding absorbed is shown here too.
		for _, a := range g.First.Also {
			if a.Fingerprint != "" {
				out[i].Members = append(out[i].Members, a.Fingerprint)
			}
		}
		if img := g.First.Image; img != nil && restates(img.Fix, help) {
			plain := *img
			plain.Fix = ""
			out[i].Image = &plain
		}
		if g.Count > 1 {
			index[collapseKey(&g.First)] = i
		}
	}
	for _, f := range fs {
		i, ok := index[collapseKey(&f)]
		if !ok || f.Fingerprint == out[i].Fingerprint && f.Selector == out[i].Selector {
			continue
		}
		if f.Selector != out[i].Selector {
			out[i].Others = append(out[i].Others, f.Selector)
		}
		if f.Fingerprint != "" && f.Fingerprint != out[i].Fingerprint {
			out[i].Members = append(out[i].Members, f.Fingerprint)
		}
	}
	return out
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

func orID(title, id string) string {
	if title == "" {
		return id
	}
	return title
}

// restates reports whether advice says little that help does not: at
// least 70% of its distinct words are in help.
func restates(advice, help string) bool {
	words := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			m[w] = true
		}
		return m
	}
	a, h := words(advice), words(help)
	if len(a) == 0 {
		return false
	}
	shared := 0
	for w := range a {
		if h[w] {
			shared++
		}
	}
	return shared*10 >= len(a)*7
}
