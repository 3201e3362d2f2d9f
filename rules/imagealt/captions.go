package imagealt

import (
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// captionMatch is the best match of an alt text with one of its captions.
type captionMatch struct {
	caption caption.Caption
	match   caption.Match
}

// bestCaptionMatch compares an image's text alternative with each of its
// captions, and with short text blocks right next to it (a caption written
// as a plain paragraph), and returns the strongest match: an exact one
// first, else the highest score.
func bestCaptionMatch(ph *photo) (captionMatch, bool) {
	t := ph.text()
	if t == "" {
		return captionMatch{}, false
	}
	var best captionMatch
	found := false
	caps := caption.ForImage(ph.page, ph.id)
	for _, c := range caption.Adjacent(ph.page, ph.id) {
		if !slices.ContainsFunc(caps, func(x caption.Caption) bool { return x.Node == c.Node }) {
			caps = append(caps, c)
		}
	}
	labels := strings.Fields(ph.node.AttrOr("aria-labelledby", ""))
	control := ph.page.ClosestFunc(ph.id, func(_ audit.NodeID, n *audit.Node) bool { return isControl(n) })
	for _, c := range caps {
		if c.Text == "" || slices.Contains(labels, ph.page.Node(c.Node).AttrOr("id", "\x00")) {
			continue // the text names the image on purpose: it is its label
		}
		if control != audit.NoNode && ph.page.Contains(control, c.Node) && textmatch.Equal(t, ph.page.VisibleText(control)) {
			continue // the caption is all the link says: img-alt-duplicates-link-text
		}
		m := caption.Compare(t, c.Text)
		if !m.Found() {
			continue
		}
		better := !found || m.Kind == caption.Exact && best.match.Kind != caption.Exact ||
			(m.Kind == caption.Exact) == (best.match.Kind == caption.Exact) && m.Score > best.match.Score
		if better {
			best, found = captionMatch{c, m}, true
		}
	}
	return best, found
}

// duplicatesACaption reports whether an image's alt text repeats one of
// its captions, exactly or nearly.
func duplicatesACaption(ph *photo) bool {
	_, ok := bestCaptionMatch(ph)
	return ok
}

// creditCore returns a credit without its label and brackets, normalised:
// "Photograph: Jane Doe/AP" and "(Jane Doe / AP)" both give "jane doe ap".
func creditCore(credit string) string {
	s := strings.TrimSpace(credit)
	s = strings.TrimSpace(strings.Trim(s, "()[]"))
	for _, m := range lexicon.Default().Markers() {
		if start, end := m.Find(s, 0); start == 0 && !m.NeedsAgency {
			s = s[end:]
			break
		}
	}
	return textmatch.FoldAccents(s)
}
