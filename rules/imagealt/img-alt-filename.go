package imagealt

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// Filename is the rule img-alt-filename.
var Filename = Family.Rule(audit.Rule{
	ID:       "img-alt-filename",
	Title:    "alt text must not be a file name",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Serious,
	Needs:    audit.CapDOM,
	Check:    checkFilename,
})

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
