package a11y

import (
	"net/url"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// Fragment returns the fragment of a link that points into the page's own
// document: "#main", or an absolute or root-relative URL with the page's
// own path. It returns false for links to other documents and for the
// script and router fragments "#", "#!…" and "#/…", which are not in-page
// targets.
func Fragment(p *audit.Page, link audit.NodeID) (string, bool) {
	n := p.Node(link)
	href, ok := n.Attr("href")
	if !ok {
		return "", false
	}
	href = strings.TrimSpace(href)
	var frag string
	if strings.HasPrefix(href, "#") {
		frag = href[1:]
	} else {
		u, err := url.Parse(href)
		if err != nil || u.Fragment == "" && !strings.HasSuffix(href, "#") {
			return "", false
		}
		page, err := url.Parse(p.FinalURL)
		if err != nil {
			return "", false
		}
		abs := page.ResolveReference(u)
		if abs.Scheme != page.Scheme || abs.Host != page.Host || abs.Path != page.Path || abs.RawQuery != page.RawQuery {
			return "", false
		}
		frag = u.EscapedFragment()
	}
	if frag == "" || strings.HasPrefix(frag, "!") || strings.HasPrefix(frag, "/") {
		return "", false
	}
	return frag, true
}

// ResolveFragment finds the element a fragment indicates in a frame, as the
// HTML standard's "indicated part of the document" does: an element with
// that id, else an a element with that name, trying the raw fragment first
// and then its percent-decoded form.
func ResolveFragment(p *audit.Page, frame int, frag string) audit.NodeID {
	tries := []string{frag}
	if dec, err := url.PathUnescape(frag); err == nil && dec != frag {
		tries = append(tries, dec)
	}
	for _, f := range tries {
		if id := p.ElementByID(frame, f); id != audit.NoNode {
			return id
		}
		if id := p.AnchorByName(frame, f); id != audit.NoNode {
			return id
		}
	}
	return audit.NoNode
}

// IsLinkToOtherDocument reports whether an element is a link whose target
// is another document.
func IsLinkToOtherDocument(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if !n.Is("a", "area") || !n.HasAttr("href") {
		return false
	}
	href := strings.TrimSpace(n.AttrOr("href", ""))
	if href == "" || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return false
	}
	if strings.HasPrefix(href, "#") {
		return false
	}
	if _, inPage := Fragment(p, id); inPage {
		return false
	}
	return true
}
