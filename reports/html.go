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

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"imageURI": imageURI}).ParseFS(templateFS, "templates/*.html.tmpl"))

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

// cspHash is the hash source that admits the inline style block.
var cspHash = func() string {
	sum := sha256.Sum256([]byte(reportCSS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// htmlView is the data the template renders.
type htmlView struct {
	Tool    audit.Tool
	Summary string
	Counts  Counts
	Pages   []htmlPage
	CSS     template.CSS
	CSP     string
}

type htmlPage struct {
	audit.PageResult
	Anchor    string
	Heading   string
	CountText string
	Groups    []htmlGroup
}

type htmlGroup struct {
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
		Tool:    r.Tool,
		Summary: summaryLine(c),
		Counts:  c,
		CSS:     template.CSS(reportCSS),
		CSP:     "default-src 'none'; style-src " + cspHash + "; img-src data:; base-uri 'none'; form-action 'none'",
	}
	for i, p := range r.Pages {
		hp := htmlPage{PageResult: p, Anchor: fmt.Sprintf("page-%d", i+1), Heading: p.Title}
		if hp.Heading == "" {
			hp.Heading = p.URL
		}
		var viol, rev int
		for _, f := range p.Findings {
			if f.Outcome == audit.Violation {
				viol++
			} else {
				rev++
			}
		}
		hp.CountText = fmt.Sprintf("%s, %d to check", plural(viol, "problem", "problems"), rev)
		if p.Failed() {
			hp.CountText = "could not be loaded"
		}
		for _, g := range groupByRule(p.Findings) {
			ri := info[g[0].Rule]
			hg := htmlGroup{
				ID: g[0].Rule, Title: ri.Title, Help: g[0].Help, HelpURL: g[0].HelpURL,
				Outcome: audit.Review, Severity: g[0].Severity, WCAG: g[0].WCAG, Findings: g,
			}
			if hg.Title == "" {
				hg.Title = g[0].Rule
			}
			for _, f := range g {
				if f.Outcome == audit.Violation {
					hg.Outcome = audit.Violation
				}
				hg.Severity = max(hg.Severity, f.Severity)
			}
			hp.Groups = append(hp.Groups, hg)
		}
		v.Pages = append(v.Pages, hp)
	}
	return htmlTemplate.ExecuteTemplate(w, "report.html.tmpl", v)
}
