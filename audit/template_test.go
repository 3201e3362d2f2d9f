package audit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

func TestSiteKey(t *testing.T) {
	page := func(head string) *audit.Page {
		p, err := static.Parse(strings.NewReader(`<html><head>`+head+`</head><body><p>x</p></body></html>`), "http://127.0.0.1:4000/saved/a.html")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	canonical := page(`<link rel="canonical" href="https://www.One.example/news/a"><meta property="og:url" content="https://two.example/a">`)
	ogURL := page(`<meta property="og:url" content="https://two.example:8443/a"><base href="https://three.example/">`)
	base := page(`<base href="https://three.example/">`)
	loopback := page(`<link rel="canonical" href="http://localhost:8000/a.html">`)
	relative := page(`<link rel="canonical" href="/news/a">`)
	tests := []struct {
		name, input string
		page        *audit.Page
		want        string
	}{
		{"a web page: its host", "https://News.example/world/a", canonical, "news.example"},
		{"a web page on another port", "http://staging.example:8080/a", nil, "staging.example:8080"},
		{"a default port is dropped", "https://news.example:443/a", nil, "news.example"},
		{"a saved page: its canonical link", "saved/a.html", canonical, "www.one.example"},
		{"a saved page: its og:url", "saved/a.html", ogURL, "two.example:8443"},
		{"a saved page: its base", "saved/a.html", base, "three.example"},
		{"a saved page naming loopback: its folder", "saved/a.html", loopback, "saved"},
		{"a saved page naming a relative address: its folder", "saved/a.html", relative, "saved"},
		{"a saved page read back from a report", "saved/a.html", nil, "saved"},
		{"a file URL: its folder", "file:///srv/saved/a.html", relative, "/srv/saved"},
		{"a loopback URL: the page's claim", "http://127.0.0.1:8000/saved/a.html", canonical, "www.one.example"},
		{"a loopback URL: its folder", "http://127.0.0.1:8000/saved/a.html", relative, "127.0.0.1:8000/saved/"},
		{"standard input", "-", relative, "-"},
		{"the sample", "sample:voa-macron-putin", nil, "sample:voa-macron-putin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := audit.SiteKey(tt.input, tt.page); got != tt.want {
				t.Errorf("SiteKey(%q) = %q, want %q", tt.input, got, tt.want)
			}
		})
	}
}

// TestTemplatesAreKeyedBySite audits saved pages of two publishers
// served from one folder: the masthead logo that each publisher's pages
// share is one template finding per publisher, and pages of different
// publishers share none.
func TestTemplatesAreKeyedBySite(t *testing.T) {
	const masthead = `<header><img src="/logo.svg"></header><main><p>Story</p></main>`
	l := &fakeLoader{pages: map[string]string{
		"http://127.0.0.1:1/a.html": `<link rel="canonical" href="https://one.example/a">` + masthead,
		"http://127.0.0.1:1/b.html": `<link rel="canonical" href="https://one.example/b">` + masthead,
		"http://127.0.0.1:1/c.html": `<meta property="og:url" content="https://two.example/c">` + masthead,
		"http://127.0.0.1:1/d.html": masthead,
		"http://127.0.0.1:1/e.html": `<link rel="canonical" href="https://three.example/e">` + masthead,
		"https://four.example/f":    masthead,
		"https://four.example/g":    masthead,
	}}
	inTemplate := func(_ *audit.Page, r *audit.PageResult) {
		for i := range r.Findings {
			r.Findings[i].Region = "template"
		}
	}
	r := &audit.Runner{Loader: l, Rules: []*audit.Rule{imgRule}, Summarizers: []audit.Summarizer{inTemplate}}
	var targets []audit.Target
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		targets = append(targets, audit.Target{Input: "saved/" + name + ".html", URL: "http://127.0.0.1:1/" + name + ".html"})
	}
	targets = append(targets, audit.Target{Input: "https://four.example/f", URL: "https://four.example/f"}, audit.Target{Input: "https://four.example/g", URL: "https://four.example/g"})
	rep := r.Run(context.Background(), targets)
	sites := map[string]string{}
	for _, p := range rep.Pages {
		if p.Failed() {
			t.Fatalf("%s failed: %s", p.URL, p.Error)
		}
		sites[p.URL] = p.Site
	}
	wantSites := map[string]string{
		"saved/a.html": "one.example", "saved/b.html": "one.example", "saved/c.html": "two.example",
		"saved/d.html": "saved", "saved/e.html": "three.example",
		"https://four.example/f": "four.example", "https://four.example/g": "four.example",
	}
	for u, want := range wantSites {
		if sites[u] != want {
			t.Errorf("%s: site %q, want %q", u, sites[u], want)
		}
	}
	audit.FindTemplates{}.Process(rep)
	got := map[string]string{}
	for _, tf := range rep.Templates {
		got[tf.Site] = strings.Join(tf.URLs, ",")
		if tf.SiteFingerprint != rep.Templates[0].SiteFingerprint {
			t.Errorf("the same finding on two sites has two site fingerprints: %s, %s", tf.SiteFingerprint, rep.Templates[0].SiteFingerprint)
		}
	}
	want := map[string]string{"one.example": "saved/a.html,saved/b.html", "four.example": "https://four.example/f,https://four.example/g"}
	if len(got) != len(want) {
		t.Errorf("template findings by site = %v, want %v", got, want)
	}
	for site, urls := range want {
		if got[site] != urls {
			t.Errorf("site %s: pages %q, want %q", site, got[site], urls)
		}
	}
}

// TestPageResultSiteKeyOfOlderResults checks that a result read back from
// a report written before results recorded their site gets one from its
// address.
func TestPageResultSiteKeyOfOlderResults(t *testing.T) {
	for _, tt := range []struct{ url, want string }{
		{"https://news.example/a", "news.example"},
		{"pages/saved/a.html", "pages/saved"},
	} {
		r := audit.PageResult{URL: tt.url}
		if got := r.SiteKey(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.url, got, tt.want)
		}
	}
	if got := (&audit.PageResult{URL: "pages/a.html", Site: "news.example"}).SiteKey(); got != "news.example" {
		t.Errorf("recorded site ignored: %q", got)
	}
}
