package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
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
