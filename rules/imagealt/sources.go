package imagealt

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// lazyAttr matches the attributes lazy-loading scripts keep the real
// source in: data-src, data-srcset, data-lazy-src, data-original,
// data-source-standard… but not the share images some sites keep in
// data-src-facebook and the like.
var lazyAttr = regexp.MustCompile(`^data-(lazy-?)?(src|srcset|original|source|lazy)(-[a-z]+)?$`)

// notLazy are attribute suffixes that hold other sources than the lazy
// one.
var notLazy = []string{"facebook", "twitter", "pinterest", "share", "social", "og", "zoom", "full", "large", "retina", "hires"}

// lazySources returns the URLs an image's lazy-loading attributes hold.
func lazySources(n *audit.Node) []string {
	var out []string
	for _, a := range n.Attrs {
		m := lazyAttr.FindStringSubmatch(a.Name)
		if m == nil || m[3] != "" && containsWord(notLazy, strings.TrimPrefix(m[3], "-")) {
			continue
		}
		for _, u := range srcsetURLs(a.Value) {
			if looksLikeURL(u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// looksLikeURL reports whether an attribute value can be an image's
// address: not a data: URI, not a flag such as "true".
func looksLikeURL(u string) bool {
	if u == "" || strings.HasPrefix(u, "data:") {
		return false
	}
	return strings.ContainsAny(u, "/.")
}

func containsWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// unresolvedLazy reports whether a lazy image still shows its placeholder:
// it has lazy sources, and its current source is none of them but nothing,
// a data: URI or its original src. It returns the source waiting.
func unresolvedLazy(ph *photo) (string, bool) {
	lazy := lazySources(ph.node)
	if len(lazy) == 0 || ph.node.Image == nil {
		return "", false
	}
	cur := ph.currentSrc()
	curKey := imageKey(cur)
	for _, u := range lazy {
		if curKey != "" && imageKey(ph.resolve(u)) == curKey {
			return "", false
		}
	}
	src := strings.TrimSpace(ph.node.AttrOr("src", ""))
	placeholder := cur == "" || strings.HasPrefix(cur, "data:") || src != "" && imageKey(ph.resolve(src)) == curKey
	if !placeholder {
		return "", false // the page's script swapped in a source of its own
	}
	return lazy[0], true
}

// resolve resolves a URL from the page against the page's address.
func (ph *photo) resolve(u string) string {
	base, err := parseURL(ph.page.FinalURL)
	if err != nil {
		return u
	}
	ref, err := parseURL(u)
	if err != nil {
		return u
	}
	return base.ResolveReference(ref).String()
}

// srcsetURLs returns the URLs of a src or srcset value, parsed as HTML
// parses srcset: a URL may hold commas ("c_fill,f_auto/x.jpg"); a comma
// after white space or a descriptor ends a candidate. A JSON value
// ({"default":"//host/x.jpg"}), as some lazy loaders write, gives the
// URLs it holds.
func srcsetURLs(v string) []string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
		return jsonURLs.FindAllString(v, -1)
	}
	var out []string
	for i := 0; i < len(v); {
		for i < len(v) && (v[i] == ',' || isHTMLSpace(v[i])) {
			i++
		}
		start := i
		for i < len(v) && !isHTMLSpace(v[i]) {
			i++
		}
		u := v[start:i]
		trailing := strings.HasSuffix(u, ",")
		if u = strings.TrimRight(u, ","); u != "" {
			out = append(out, u)
		}
		if trailing {
			continue
		}
		// Skip the descriptors up to the comma that ends the candidate.
		depth := 0
		for i < len(v) && (v[i] != ',' || depth > 0) {
			switch v[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
			i++
		}
	}
	return out
}

// jsonURLs finds URLs inside a JSON attribute value.
var jsonURLs = regexp.MustCompile(`(?:https?:)?//[^"'\s,}\]]+`)

func isHTMLSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f'
}

// sizeSuffix matches the size a CMS appends to a file name: "-1020x680".
var sizeSuffix = regexp.MustCompile(`[-_]\d{2,5}x\d{2,5}(\.\w+)$`)

// imageKey reduces an image URL to what stays the same across sizes: the
// path without a size suffix.
func imageKey(src string) string {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || u.Path == "" || u.Path == "/" {
		return ""
	}
	return sizeSuffix.ReplaceAllString(u.Path, "$1")
}
