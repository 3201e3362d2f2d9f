package imagealt

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// CreditOnly is the rule img-alt-credit-only.
var CreditOnly = Family.Rule(audit.Rule{
	ID:       "img-alt-credit-only",
	Title:    "alt text must not be only the photo credit",
	WCAG:     []string{"1.1.1"},
	Tags:     []string{"news"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkCreditOnly,
})

func checkCreditOnly(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range photos(p) {
		t := ph.text()
		if t == "" || siteChrome(p, ph.id) {
			continue
		}
		ev := ph.evidence()
		ev.Fix = "Say what the photo shows; keep the credit in the caption."
		if caption.IsCredit(t) {
			ev.Credit = t
			ph.report(pass, fmt.Sprintf("alt text %s is only a photo credit: it says who took image %s, not what it shows", quote(t, 80), ph.fileName()), ev)
			continue
		}
		for _, c := range caption.ForImage(p, ph.id) {
			if c.Credit == "" || creditCore(c.Credit) == "" || creditCore(t) != creditCore(c.Credit) {
				continue
			}
			withCaption(ev, c)
			ev.Match = &audit.TextMatch{Kind: caption.Exact, Score: 1, Against: "credit", AltNormalized: creditCore(t), OtherNormalized: creditCore(c.Credit)}
			ph.report(pass, fmt.Sprintf("alt text %s is the photo's credit, as its %s gives it (%s): it says who took the picture, not what it shows",
				quote(t, 80), sourceLabel(c.Source), quote(c.Credit, 80)), ev)
			break
		}
	}
	return nil
}

// siteChrome reports whether an image belongs to the site's furniture
// rather than the story: in the banner, navigation or footer, a logo, or
// a link to the home page. A news agency's own logo ("Reuters") is not a
// credit.
func siteChrome(p *audit.Page, id audit.NodeID) bool {
	switch _, role := a11y.Landmark(p, id); role {
	case a11y.Banner, a11y.Navigation, a11y.ContentInfo:
		return true
	}
	depth := 0
	for a := id; a != audit.NoNode && depth < maxChromeDepth; a = p.Node(a).Parent {
		n := p.Node(a)
		if n.Kind != audit.ElementNode {
			continue
		}
		depth++
		if strings.Contains(strings.ToLower(n.AttrOr("class", "")+" "+n.AttrOr("id", "")), "logo") {
			return true
		}
		if n.Is("a") && homePageLink(n.AttrOr("href", "")) {
			return true
		}
	}
	return strings.Contains(strings.ToLower(p.Node(id).AttrOr("src", "")), "logo")
}

// maxChromeDepth bounds how far up siteChrome looks for a logo wrapper.
const maxChromeDepth = 4

// homePageLink reports whether an href points to a site's home page: "/",
// or an address whose path is empty or "/" ("http://www.ap.org/").
func homePageLink(href string) bool {
	u, err := parseURL(href)
	if err != nil {
		return false
	}
	return (u.Path == "" || u.Path == "/") && u.RawQuery == "" && (u.Host != "" || u.Path == "/")
}
