package headings

import (
	"net"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
)

// A place says where a heading sits: its landmark, and the iframe and
// shadow tree it lives in, if any.
type place struct {
	// landmark is the role of the nearest landmark ("main", "banner", …),
	// looking through the iframe into the page around it; "" outside any.
	landmark string
	// frame is the iframe element whose document holds the heading, NoNode
	// in the top document.
	frame audit.NodeID
	// thirdParty is set for an iframe from another site, and ad for an
	// iframe that carries an advertisement; authors often cannot fix what
	// such frames hold.
	thirdParty, ad bool
	// host is the third-party frame's host.
	host string
	// shadow is set inside a shadow tree.
	shadow bool
}

// foreign reports whether the heading comes from an ad or another site's
// iframe.
func (pl place) foreign() bool { return pl.thirdParty || pl.ad }

// String describes the place for a message: "main", "banner", "an iframe in
// main", "an ad iframe in complementary", "a third-party iframe
// (player.example) outside any landmark".
func (pl place) String() string {
	where := pl.landmark
	if where == "" {
		where = "outside any landmark"
	}
	if pl.frame == audit.NoNode {
		return where
	}
	if where != "outside any landmark" {
		where = "in " + where
	}
	switch {
	case pl.ad:
		return "an ad iframe " + where
	case pl.thirdParty:
		return "a third-party iframe (" + pl.host + ") " + where
	}
	return "an iframe " + where
}

// where describes the place after a comma in a message: "in main",
// "outside any landmark", "in an ad iframe in complementary".
func (pl place) where() string {
	s := pl.String()
	if s == "outside any landmark" {
		return s
	}
	return "in " + s
}

// placeOf finds where a node sits.
func placeOf(p *audit.Page, id audit.NodeID) place {
	pl := place{frame: frameElement(p, id), shadow: p.Node(id).InShadow}
	_, pl.landmark = a11y.Landmark(p, id)
	// An iframe inside an iframe: the outermost foreign frame decides.
	for f := pl.frame; f != audit.NoNode; f = frameElement(p, f) {
		if host, ok := thirdPartyHost(p, f); ok {
			pl.thirdParty, pl.host = true, host
		}
		if isAdFrame(p, f) {
			pl.ad = true
		}
	}
	return pl
}

// frameElement returns the iframe element whose document holds id, or
// NoNode for nodes of the top document.
func frameElement(p *audit.Page, id audit.NodeID) audit.NodeID {
	frame := p.Node(id).Frame
	if frame == 0 {
		return audit.NoNode
	}
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		n := p.Node(a)
		if n.Kind == audit.DocumentNode && n.Frame == frame {
			return n.Parent
		}
	}
	return audit.NoNode
}

// thirdPartyHost reports whether an iframe element loads a document from
// another site than the page's (another registrable domain), and its host.
// Frames without a source of their own (about:blank, srcdoc) belong to the
// page that wrote them.
func thirdPartyHost(p *audit.Page, iframe audit.NodeID) (string, bool) {
	src := strings.TrimSpace(p.Node(iframe).AttrOr("src", ""))
	if src == "" || strings.HasPrefix(src, "about:") || strings.HasPrefix(src, "javascript:") || strings.HasPrefix(src, "data:") {
		return "", false
	}
	base, err := url.Parse(p.FinalURL)
	if err != nil {
		return "", false
	}
	u, err := base.Parse(src)
	if err != nil || u.Hostname() == "" {
		return "", false
	}
	if site(u.Hostname()) == site(base.Hostname()) {
		return "", false
	}
	return u.Hostname(), true
}

// site returns the registrable domain of a host, or the host itself for IP
// addresses and hosts without a public suffix.
func site(host string) string {
	if net.ParseIP(host) != nil {
		return host
	}
	if s, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return s
	}
	return host
}

// adMarkers are words of id, class, name and title values that mark an
// advertising slot: "google_ads_iframe_…", "ad-slot", "dfp-ad", "3rd party
// ad content" (the title ad servers give their frames).
var adMarkers = lexicon.Default().List(lexicon.AdMarker)

// isAdFrame reports whether an iframe, or one of the three elements around
// it, carries the marks of an advertising slot.
func isAdFrame(p *audit.Page, iframe audit.NodeID) bool {
	n := p.Node(iframe)
	for _, attr := range []string{"title", "aria-label", "name"} {
		if hasAdMarker(n.AttrOr(attr, "")) {
			return true
		}
	}
	a := iframe
	for range 4 {
		if a == audit.NoNode || !p.Node(a).IsElement() {
			break
		}
		an := p.Node(a)
		if hasAdMarker(an.AttrOr("id", "")) || hasAdMarker(an.AttrOr("class", "")) {
			return true
		}
		a = an.Parent
	}
	return false
}

// hasAdMarker reports whether any word of s, split at punctuation and at
// lower-to-upper case changes, is an ad marker.
func hasAdMarker(s string) bool {
	for _, w := range identifierWords(s) {
		if adMarkers.Has(w) {
			return true
		}
	}
	return false
}

// identifierWords splits class names, ids and labels into lower-case words:
// "google_ads_iframe_/1/x" gives google, ads, iframe, 1, x and "mostReadList"
// gives most, read, list.
func identifierWords(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			cur = append(cur, r)
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}
