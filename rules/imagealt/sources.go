package imagealt

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
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

func checkLazyUnresolved(pass *audit.Pass) error {
	p := pass.Page
	for _, id := range p.ElementsByTag("img") {
		if !p.Rendered(id) || inTemplate(p, id) || a11y.AriaHidden(p, id) {
			continue
		}
		ph := newPhoto(p, id)
		waiting, ok := unresolvedLazy(ph)
		if !ok {
			continue
		}
		shown := "no source"
		switch cur := ph.currentSrc(); {
		case strings.HasPrefix(cur, "data:"):
			shown = "a data: placeholder"
		case baseName(cur) != "":
			shown = quote(baseName(cur), 60)
		}
		alt := ""
		if !ph.hasAlt && !ph.named() {
			alt = ", and it has no alt text yet"
			if v := strings.TrimSpace(ph.node.AttrOr("data-alt", "")); v != "" {
				alt = fmt.Sprintf(", and its alt text (%s) waits in data-alt too", quote(v, 60))
			}
		}
		ev := ph.evidence()
		ev.Fix = "Check that the lazy-loading script runs for every reader; give the img a real src (or use loading=\"lazy\") and its alt text in the HTML."
		ph.report(pass, fmt.Sprintf("lazy image still shows %s after the page was scrolled, while its real source %s waits in a data attribute%s; its size and picture could not be judged",
			shown, quote(baseName(waiting), 60), alt), ev, audit.AsReview())
	}
	return nil
}
