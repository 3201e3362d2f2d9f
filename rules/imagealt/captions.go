package imagealt

import (
	"fmt"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
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
		if control != audit.NoNode && ph.page.Contains(control, c.Node) {
			continue // the caption is the link's own text: img-alt-duplicates-link-text
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

func checkDuplicatesCaption(pass *audit.Pass) error {
	for _, ph := range photos(pass.Page) {
		cm, ok := bestCaptionMatch(ph)
		if !ok {
			continue
		}
		c, m := cm.caption, cm.match
		ev := withMatch(withCaption(ph.evidence(), c), m, "caption")
		ev.Fix = fmt.Sprintf("Describe what the photo shows (who, where, what is happening); the caption already says %s", quote(c.Text, 100))
		credit := ""
		if c.Credit != "" {
			credit = fmt.Sprintf("; credit %s set aside", quote(c.Credit, 60))
		}
		label := sourceLabel(c.Source)
		if m.Kind == caption.Exact {
			ph.report(pass, fmt.Sprintf("alt text repeats the %s word for word, so screen readers read it twice: alt %s, caption %s (exact match after normalisation, score 1.00%s)",
				label, quote(ph.text(), 120), quote(c.Text, 120), credit), ev)
			continue
		}
		ph.report(pass, fmt.Sprintf("alt text nearly repeats the %s, so screen readers read most of it twice: alt %s, caption %s (%s; score %.2f%s)",
			label, quote(ph.text(), 120), quote(c.Text, 120), m.Describe("caption"), m.Score, credit), ev,
			audit.AsReview(), audit.WithSeverity(audit.Minor))
	}
	return nil
}

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

// minCreditWords is how many words a caption's credit needs before the rule
// looks for it inside an alt text: "AP" alone is too common a word.
const minCreditWords = 2

func checkContainsCredit(pass *audit.Pass) error {
	p := pass.Page
	for _, ph := range photos(p) {
		t := ph.text()
		if t == "" || caption.IsCredit(t) {
			continue // all credit: img-alt-credit-only reports it
		}
		ev := ph.evidence()
		ev.Fix = "Take the credit out of the alt text; it belongs in the caption."
		if parts := caption.Split(t); parts.Body != "" && parts.Credit != "" {
			ev.Credit = parts.Credit
			ph.report(pass, fmt.Sprintf("alt text carries a photo credit (%s), which screen readers read as part of the picture's description: %s",
				quote(parts.Credit, 80), quote(t, 100)), ev, audit.AsReview())
			continue
		}
		norm := textmatch.FoldAccents(t)
		for _, c := range caption.ForImage(p, ph.id) {
			core := creditCore(c.Credit)
			if len(strings.Fields(core)) < minCreditWords || !strings.HasSuffix(norm, " "+core) {
				continue
			}
			withCaption(ev, c)
			ph.report(pass, fmt.Sprintf("alt text ends with the photo's credit as its %s gives it (%s), which screen readers read as part of the picture's description: %s",
				sourceLabel(c.Source), quote(c.Credit, 80), quote(t, 100)), ev, audit.AsReview())
			break
		}
	}
	return nil
}
