package imagealt

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

func checkWhitespace(pass *audit.Pass) error {
	p := pass.Page
	for _, id := range p.ElementsByTag("img") {
		n := p.Node(id)
		alt, ok := n.Attr("alt")
		if !ok || alt == "" || !audit.IsBlank(alt) || !p.Rendered(id) || inTemplate(p, id) || a11y.AriaHidden(p, id) || presentational(n) {
			continue
		}
		ph := newPhoto(p, id)
		if ph.nameFrom != "" && ph.nameFrom != "alt" && ph.named() {
			continue // aria-label or aria-labelledby names the image instead
		}
		ev := ph.evidence()
		ev.Alt = alt
		ev.Fix = "Use alt=\"\" with nothing between the quotes if the image is decoration; otherwise say what it shows."
		what := "Chrome exposes it as an image with a blank name instead of skipping it"
		if !p.Exposed(id) {
			what = "browsers that do not trim it announce an unnamed image instead of skipping it"
		}
		ph.report(pass, fmt.Sprintf("alt text of image %s is only white space (%s); %s", ph.fileName(), codePoints(alt), what), ev)
	}
	return nil
}

// codePoints lists the characters of a short string as U+ codes.
func codePoints(s string) string {
	var parts []string
	for i, r := range s {
		if i >= 24 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("U+%04X", r))
	}
	return strings.Join(parts, " ")
}

var (
	// imageExtension matches a file name extension of an image format.
	imageExtension = regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|avif|svg|tiff?|bmp|heic)\b`)
	// cameraID matches the names cameras, phones and agencies give files.
	cameraID = regexp.MustCompile(`(?i)^((img|dsc|dscf|dscn|pxl|dji|gopr|mvimg)[_-]?\d{3,}|p\d{6,}|gettyimages-\d+|000_[a-z0-9]{4,}|screen ?shot[ _-]\d{4}-\d\d-\d\d.*)$`)
	// hexID matches a long hexadecimal id or a UUID.
	hexID = regexp.MustCompile(`(?i)^([0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	// fileStem matches a file name without extension: no spaces, and a
	// separator or a digit.
	fileStem = regexp.MustCompile(`^[\p{L}\p{N}]+([_.-][\p{L}\p{N}]+)+$|^[\p{L}_-]*\d[\p{L}\p{N}_-]*$`)
)

func checkFilename(pass *audit.Pass) error {
	for _, ph := range photos(pass.Page) {
		why := filenameReason(ph)
		if why == "" {
			continue
		}
		ev := ph.evidence()
		ev.Fix = "Replace the file name with a short description of what the photo shows."
		ph.report(pass, fmt.Sprintf("alt text %s is %s, not a description", quote(ph.text(), 100), why), ev)
	}
	return nil
}

// filenameReason says why an image's text alternative is a file name, or
// returns "".
func filenameReason(ph *photo) string {
	t := ph.text()
	if t == "" {
		return ""
	}
	for _, src := range ph.sources() {
		base := baseName(src)
		if base == "" {
			continue
		}
		if strings.EqualFold(t, base) {
			return "the file name of its source"
		}
		stem := strings.TrimSuffix(base, path.Ext(base))
		if stem != base && strings.EqualFold(t, stem) && fileStem.MatchString(t) {
			return "the file name of its source without the extension"
		}
	}
	stem := imageExtension.ReplaceAllString(t, "")
	switch {
	case strings.HasPrefix(strings.ToLower(t), "http://") || strings.HasPrefix(strings.ToLower(t), "https://"):
		return "an address"
	case imageExtension.MatchString(t) && !strings.Contains(strings.TrimSpace(stem), " "):
		return "a file name"
	case cameraID.MatchString(stem):
		return "a camera or agency file name"
	case hexID.MatchString(stem):
		return "a file id"
	}
	return ""
}

// sources returns every source an image may show: current source, src,
// srcset and their lazy data- twins, and its picture's source elements.
func (ph *photo) sources() []string {
	out := []string{ph.currentSrc()}
	for _, attr := range []string{"src", "srcset", "data-src", "data-srcset", "data-lazy-src", "data-original"} {
		out = append(out, srcsetURLs(ph.node.AttrOr(attr, ""))...)
	}
	if pic := ph.page.Node(ph.id).Parent; pic != audit.NoNode && ph.page.Node(pic).Is("picture") {
		for _, c := range ph.page.ElementChildren(pic) {
			if n := ph.page.Node(c); n.Is("source") {
				out = append(out, srcsetURLs(n.AttrOr("srcset", ""))...)
				out = append(out, srcsetURLs(n.AttrOr("data-srcset", ""))...)
			}
		}
	}
	return out
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

func checkPlaceholder(pass *audit.Pass) error {
	lex := lexicon.Default()
	for _, ph := range photos(pass.Page) {
		t := ph.text()
		if t == "" || !lex.IsPlaceholder(t) {
			continue
		}
		ev := ph.evidence()
		ev.Fix = "Say what the photo shows, or use alt=\"\" if it is decoration."
		ph.report(pass, fmt.Sprintf("alt text %s is a placeholder that says nothing about image %s", quote(t, 60), ph.fileName()), ev)
	}
	return nil
}

func checkRedundantPhrase(pass *audit.Pass) error {
	lex := lexicon.Default()
	for _, ph := range photos(pass.Page) {
		t := ph.text()
		if t == "" || lex.IsPlaceholder(t) || caption.IsCredit(t) {
			continue // the placeholder and credit rules say more
		}
		ev := ph.evidence()
		ev.Fix = "Drop the words that announce a picture; screen readers already say \"image\"."
		if start, ok := lex.RedundantStart(t); ok {
			ph.report(pass, fmt.Sprintf("alt text opens with %q (%s); screen readers already announce an image, so the words add nothing", start, quote(t, 80)), ev, audit.AsReview())
			continue
		}
		if end, ok := lex.RedundantEnd(t); ok {
			ph.report(pass, fmt.Sprintf("alt text ends with %q (%s); screen readers already announce an image, so the word adds nothing", end, quote(t, 80)), ev, audit.AsReview())
		}
	}
	return nil
}

// MaxAltLength is the length in characters over which alt text is
// reported as too long. WAVE uses 100; the catalogue 150.
var MaxAltLength = 150

func checkTooLong(pass *audit.Pass) error {
	for _, ph := range photos(pass.Page) {
		t := ph.text()
		n := utf8.RuneCountInString(t)
		if n <= MaxAltLength || duplicatesACaption(ph) {
			continue // a caption duplicate is reported, and fixed, as one
		}
		ev := ph.evidence()
		ev.Fix = "Keep the alt text to a sentence about what the photo shows; put the rest in the caption or the article."
		ph.report(pass, fmt.Sprintf("alt text is %d characters long (over %d), read in one go with no way to skim: %s", n, MaxAltLength, quote(t, 120)), ev, audit.AsReview())
	}
	return nil
}
