package audit

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// ElementKey names the element of a finding in a way that survives edits
// elsewhere on the page: an image by its file name, a heading by its text, a
// link by its target, the page itself as "page"; other elements by their id,
// or their tag and the start of their text. Baselines match findings by it,
// not by a brittle DOM path.
func ElementKey(p *Page, id NodeID) string {
	if !p.Valid(id) {
		return "page"
	}
	n := p.Node(id)
	switch {
	case n.Kind != ElementNode || n.Tag == "html":
		return "page"
	case n.Is("img", "picture", "source", "image"):
		if f := imageFileName(n); f != "" {
			return "img:" + f
		}
		return "img-alt:" + keyText(n.AttrOr("alt", ""))
	case n.Is("h1", "h2", "h3", "h4", "h5", "h6") || n.Role() == "heading":
		return "heading:" + keyText(p.TextContent(id))
	case n.Is("a", "area") && n.HasAttr("href"):
		return "link:" + Truncate(strings.TrimSpace(n.AttrOr("href", "")), maxKeyHref) + " " + keyText(p.TextContent(id))
	}
	if v := strings.TrimSpace(n.AttrOr("id", "")); v != "" {
		return n.Tag + "#" + v
	}
	if t := keyText(p.TextContent(id)); t != "" {
		return n.Tag + ":" + t
	}
	return n.Tag + "@" + Selector(p, id)
}

// maxKeyHref bounds the link target kept in an element key, which a page
// could otherwise make a megabyte long.
const maxKeyHref = 300

// sizeSuffix matches the dimensions CMSs append to resized image files,
// as in "photo-1024x683.jpg".
var sizeSuffix = regexp.MustCompile(`[-_]\d{2,5}x\d{2,5}$`)

// imageFileName returns the lower-case base name of an image's source,
// without query, extension-preserving, with any size suffix removed.
func imageFileName(n *Node) string {
	for _, attr := range []string{"data-src", "src", "data-srcset", "srcset", "xlink:href", "href"} {
		v := strings.TrimSpace(n.AttrOr(attr, ""))
		if v == "" || strings.HasPrefix(v, "data:") {
			continue
		}
		if f := strings.Fields(v); len(f) > 0 {
			v = f[0]
		}
		if u, err := url.Parse(v); err == nil {
			v = u.Path
		}
		base := strings.ToLower(path.Base(v))
		if base == "." || base == "/" || base == "" {
			continue
		}
		ext := path.Ext(base)
		return sizeSuffix.ReplaceAllString(strings.TrimSuffix(base, ext), "") + ext
	}
	return ""
}

// keyText lower-cases and collapses text and keeps its first 80
// characters.
func keyText(s string) string {
	return Truncate(strings.ToLower(CollapseSpace(s)), 80)
}

// PagePath returns the part of a page address that identifies it within a
// site: the URL path, so that the same page on production and staging
// compares equal.
func PagePath(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || u.Scheme == "" {
		return pageURL
	}
	if u.Path == "" {
		return "/"
	}
	return u.EscapedPath()
}

// Fingerprint returns a finding's stable identity: a hash of the rule, the
// page path, the element key and the finding's position among findings of
// the same rule and key on the page (0 for the first).
func Fingerprint(rule, pagePath, key string, occurrence int) string {
	sum := sha256.Sum256([]byte(rule + "\x00" + pagePath + "\x00" + key + "\x00" + strconv.Itoa(occurrence)))
	return hex.EncodeToString(sum[:10])
}

// SiteFingerprint identifies a finding across pages: the rule, the element
// key and the region, without the page. Findings that share it on many
// pages come from the site's template.
func SiteFingerprint(f *Finding) string {
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Key + "\x00" + f.Region))
	return hex.EncodeToString(sum[:10])
}

// SiteRelative writes an address on the same site (scheme and host) as
// pageURL as its path, query and fragment, and leaves any other address as
// it is.
func SiteRelative(pageURL, addr string) string {
	page, err := url.Parse(pageURL)
	if err != nil || page.Host == "" {
		return addr
	}
	u, err := url.Parse(addr)
	if err != nil || u.Scheme != page.Scheme || u.Host != page.Host {
		return addr
	}
	u.Scheme, u.Host, u.User = "", "", nil
	return u.String()
}

// SiteKey names the site a page belongs to, which template findings are
// grouped by: findings repeat across the pages of one site, not across
// sites.
//
//   - A page on the web (an http or https input on a host other than
//     loopback) belongs to its host, lower-cased, with its port when it is
//     not the scheme's default: "news.example", "staging.example:8080".
//   - A page saved to disk is served from a loopback server, whose address
//     says nothing of its publisher: folders of saved pages often mix
//     sites. Such a page (a local file, a page on a loopback URL, standard
//     input, the embedded sample) belongs to the site it names itself: the
//     host of its canonical link, else of its og:url, else of its base
//     element's href (absolute http or https addresses only). A page that
//     names none belongs to its folder: the directory of the file path
//     ("pages/saved", or "/srv/saved" for file:///srv/saved/a.html), or,
//     on a loopback URL, the server and the URL path's directory
//     ("127.0.0.1:8000/saved/"); standard input and the sample belong to
//     their input.
//
// p may be nil (a result read back from a report without its site); the
// page's own claim is then not consulted.
func SiteKey(input string, p *Page) string {
	u, err := url.Parse(input)
	web := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	if web && !isLoopback(u.Hostname()) {
		return hostKey(u)
	}
	if p != nil {
		if claim := claimedSite(p); claim != "" {
			return claim
		}
	}
	switch {
	case web:
		dir := path.Dir(u.EscapedPath())
		if !strings.HasSuffix(dir, "/") {
			dir += "/"
		}
		return strings.ToLower(u.Host) + dir
	case err == nil && u.Scheme == "file":
		return path.Dir(u.Path)
	case input == "-" || strings.Contains(input, ":") && !strings.ContainsAny(input, `/\`):
		// Standard input and the embedded sample ("sample:…").
		return input
	}
	return filepath.Dir(input)
}

// hostKey returns a URL's host, lower-cased, without the scheme's default
// port.
func hostKey(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		return net.JoinHostPort(host, port)
	}
	return host
}

// isLoopback reports whether a host name is the local machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// claimedSite returns the host a page names as its own address: its
// canonical link, else its og:url, else its base href, each only when it is
// an absolute http or https address on a host other than loopback; "" when
// it names none.
func claimedSite(p *Page) string {
	var canonical, ogURL, base string
	for id := range p.Elements() {
		n := &p.Nodes[id]
		if n.Frame != 0 {
			continue
		}
		switch {
		case n.Tag == "link" && canonical == "" && hasToken(n.AttrOr("rel", ""), "canonical"):
			canonical = siteOf(n.AttrOr("href", ""))
		case n.Tag == "meta" && ogURL == "" && strings.EqualFold(strings.TrimSpace(n.AttrOr("property", "")), "og:url"):
			ogURL = siteOf(n.AttrOr("content", ""))
		case n.Tag == "base" && base == "":
			base = siteOf(n.AttrOr("href", ""))
		}
	}
	return cmp.Or(canonical, ogURL, base)
}

// siteOf returns the host key of an absolute web address on a host other
// than loopback, or "".
func siteOf(addr string) string {
	u, err := url.Parse(strings.TrimSpace(addr))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || isLoopback(u.Hostname()) {
		return ""
	}
	return hostKey(u)
}

// hasToken reports whether a space-separated list holds a token, ignoring
// case.
func hasToken(list, token string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}
