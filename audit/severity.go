package audit

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// The severity model. A rule gives each finding a base severity; what the
// finding costs a reader also depends on where its element is and what it
// is. AdjustSeverity weighs that context, in this order, from the page
// snapshot the finding was made on:
//
//  1. Skipped: an img with no source at all (no src or srcset, no data
//     attribute holding an image address, no source element in its
//     picture, nothing the browser chose) that has no rendered size is a
//     placeholder a script never filled; it shows nothing and is not
//     reported.
//  2. Key content keeps its severity and is raised one step: the lead
//     photo (the page's share image, og:image or a JSON-LD article image,
//     when no other image has its file name and it is not drawn small, or
//     else the first photo of at least 200×150 px; outside the masthead,
//     navigation, rails, footer and ad slots) and the headline (the first
//     rendered h1 whose text the page's metadata states, else the first
//     rendered h1). No lowering applies to them.
//  3. Otherwise each of these lowers it one step, down to minor:
//     - an element in an ad slot: an element, or one inside an element,
//     whose id or class token starts or ends with an ad's word (ad-slot,
//     ads_top, sidebar-ad, advert…, dfp-…, gpt-ad, google_ads, sponsor…,
//     taboola…, outbrain…), with a data-ad… attribute, or inside an
//     iframe served from an ad network's host; html, body and any element
//     holding a main, an article or the headline are never ad slots;
//     - an element off-screen: its box lies wholly left or right of the
//     window, or it sits in a carousel's clone (class …clone…,
//     swiper-slide-duplicate);
//     - an icon: an image drawn at most 24×24 px (an img that failed to
//     load, or still shows a data: placeholder while its real source
//     waits in a data attribute, is not judged by its box, which is not
//     the picture's).
//     A spinner (an image whose file, id or class says spinner, loader or
//     loading) is lowered to minor, and so is an empty frame: an img with
//     no source at all (as in 1) that does have a size, a placeholder a
//     script never filled, which shows no picture to anyone.
//
// Findings about the page as a whole, and elements in the story or the
// template elsewhere, keep the rule's severity: a template defect is fixed
// once, but readers meet it on every page. Reviews are weighed the same
// way as violations.

// Size thresholds of the severity model, in CSS pixels.
const (
	// iconSize is the largest width and height of an icon.
	iconSize = 24
	// leadWidth and leadHeight are the smallest size of a lead photo.
	leadWidth  = 200
	leadHeight = 150
)

// AdjustSeverities sets each finding's BaseSeverity and adjusts its
// Severity by its context on page p (see AdjustSeverity), and returns the
// findings with those the model skips left out. Region must be set.
func AdjustSeverities(p *Page, findings []Finding) []Finding {
	out := findings[:0]
	for i := range findings {
		if AdjustSeverity(p, &findings[i]) {
			out = append(out, findings[i])
		}
	}
	return out
}

// AdjustSeverity sets f's BaseSeverity to its severity as the rule gave
// it and adjusts Severity by the model above, recording why in
// SeverityReasons. It returns false when the finding is to be skipped.
// f.Region must be set; findings already adjusted are left as they are.
func AdjustSeverity(p *Page, f *Finding) bool {
	if f.BaseSeverity != 0 {
		return true
	}
	f.BaseSeverity = f.Severity
	if !p.Valid(f.Node) || f.Region == "page" {
		return true
	}
	n := p.Node(f.Node)
	if n.Kind != ElementNode {
		return true
	}
	if emptyPlaceholder(p, n) {
		return false
	}
	switch {
	case isLeadPhoto(p, f):
		f.raise("the story's lead photo")
		return true
	case f.Node == headline(p) && f.Region != "template":
		f.raise("the headline")
		return true
	}
	if why := adSlot(p, f.Node); why != "" {
		f.lower("in an ad slot (" + why + ")")
	}
	if why := offScreen(p, f.Node); why != "" {
		f.lower("off-screen (" + why + ")")
	}
	if isImageNode(n) {
		if why := spinner(n); why != "" {
			f.Severity = Minor
			f.SeverityReasons = append(f.SeverityReasons, "a loading spinner ("+why+")")
		} else if w, h, ok := drawnSize(p, n); ok && w <= iconSize && h <= iconSize {
			f.lower(fmt.Sprintf("an icon of %d×%d px", w, h))
		} else if n.Is("img") && noSource(p, n) {
			f.Severity = Minor
			f.SeverityReasons = append(f.SeverityReasons, "an image with no source, which shows nothing")
		}
	}
	return true
}

// raise raises f's severity one step, up to critical, for a reason,
// which is recorded even at critical: it also keeps the severity from
// being lowered.
func (f *Finding) raise(why string) {
	if f.Severity < Critical {
		f.Severity++
	}
	f.SeverityReasons = append(f.SeverityReasons, why)
}

// lower lowers f's severity one step, down to minor, for a reason.
func (f *Finding) lower(why string) {
	if f.Severity > Minor {
		f.Severity--
		f.SeverityReasons = append(f.SeverityReasons, why)
	}
}

// isImageNode reports whether n is an image: img, svg, picture, an image
// input, or an element with role img.
func isImageNode(n *Node) bool {
	return n.Is("img", "svg", "picture") || n.Is("input") && strings.EqualFold(n.AttrOr("type", ""), "image") || n.Role() == "img"
}

// emptyPlaceholder reports whether n is an img with no source and no
// rendered size. Without layout, the size is unknown and nothing is
// skipped.
func emptyPlaceholder(p *Page, n *Node) bool {
	if !n.Is("img") || !p.Captured.Has(CapLayout) {
		return false
	}
	if n.Layout != nil && n.Layout.Box.W >= 1 && n.Layout.Box.H >= 1 {
		return false
	}
	return noSource(p, n)
}

// noSource reports whether the img n has no source at all: no file name,
// nothing the browser chose, no src, srcset or data attribute holding an
// image address, and no source element in its picture.
func noSource(p *Page, n *Node) bool {
	if imageFileName(n) != "" || n.Image != nil && n.Image.CurrentSrc != "" || hasSource(n) {
		return false
	}
	// A picture's source elements are sources of its img.
	if par := n.Parent; par != NoNode && p.Nodes[par].Is("picture") {
		for _, c := range p.Nodes[par].Children {
			if cn := &p.Nodes[c]; cn.Is("source") && hasSource(cn) {
				return false
			}
		}
	}
	return true
}

// sourceLike matches an attribute value that names an image file or an
// address: a lazy loader's source in a data attribute of its own naming.
var sourceLike = regexp.MustCompile(`(?i)^(https?:|//|/|\.)|\.(jpe?g|png|gif|webp|avif|svg)(\?|#|\s|$)`)

// hasSource reports whether an element has a src or srcset, or a data
// attribute holding an image address.
func hasSource(n *Node) bool {
	for _, a := range n.Attrs {
		v := strings.TrimSpace(a.Value)
		switch {
		case v == "":
		case a.Name == "src" || a.Name == "srcset":
			return true
		case strings.HasPrefix(a.Name, "data-") && sourceLike.MatchString(v):
			return true
		}
	}
	return false
}

// lazySource reports whether an element keeps an image address in a data
// attribute, where lazy loaders wait with the real picture.
func lazySource(n *Node) bool {
	for _, a := range n.Attrs {
		if strings.HasPrefix(a.Name, "data-") && sourceLike.MatchString(strings.TrimSpace(a.Value)) {
			return true
		}
	}
	return false
}

// drawnSize returns an image's rendered size in whole CSS pixels, and
// false when it has no box or is an img that did not load.
func drawnSize(p *Page, n *Node) (int, int, bool) {
	if n.Layout == nil || n.Layout.Box.W <= 0 || n.Layout.Box.H <= 0 {
		return 0, 0, false
	}
	if n.Is("img") && (n.Image == nil || !n.Image.Loaded() || strings.HasPrefix(n.Image.CurrentSrc, "data:") && lazySource(n)) {
		// Not loaded, or a lazy image on its placeholder: the box is not
		// the picture's. A data: picture with no other source waiting is
		// the picture itself (an inlined icon).
		return 0, 0, false
	}
	return int(n.Layout.Box.W + 0.5), int(n.Layout.Box.H + 0.5), true
}

// spinnerWord finds a spinner's name in a file name, id or class.
var spinnerWord = regexp.MustCompile(`(?i)spinner|loader|loading`)

// spinner returns what names an image a loading spinner, or "".
func spinner(n *Node) string {
	if m := spinnerWord.FindString(imageFileName(n)); m != "" {
		return "file " + imageFileName(n)
	}
	for _, a := range []string{"id", "class"} {
		if v := n.AttrOr(a, ""); spinnerWord.MatchString(v) {
			return a + " " + Truncate(strings.TrimSpace(v), 40)
		}
	}
	return ""
}

// adToken matches an id or class token of an ad container: one that
// starts with an ad word (ad-slot, ads_top, advert, dfp-…, taboola…) or
// ends with one (sidebar-ad, internal-ad). Page-wide feature flags
// (f_comments_taboola_ad_on, flag-piiBlockDFP-on) do not match.
var adToken = regexp.MustCompile(`(?i)^(ad|ads|adv|advert\w*|advertisement|advertising|adslot|adunit|adsense|dfp|gpt-ad|google_ads|sponsor|sponsored|taboola|outbrain)([-_].*)?$|^(.*[-_])?(ad|ads|adslot|adunit|advert|advertisement)$`)

// adHosts are the ad networks' hosts; an iframe served from one or a
// subdomain of one is an ad slot.
var adHosts = []string{
	"doubleclick.net", "googlesyndication.com", "googleadservices.com", "adnxs.com",
	"amazon-adsystem.com", "taboola.com", "outbrain.com", "criteo.com", "criteo.net",
	"adsrvr.org", "rubiconproject.com", "pubmatic.com", "teads.tv",
}

// adSlot returns what makes the element or one of its ancestors an ad
// slot, or "". The html and body elements, and any element that holds the
// story (a main, an article or the headline), are never ad slots, whatever
// their ids and classes say: sites name page-wide flags and wrappers
// after ads too.
func adSlot(p *Page, id NodeID) string {
	c := contextOf(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.adSlot(p, id)
}

// A pageContext holds what the model found of a page's elements, each
// element judged once: a hostile page's findings share deep ancestries
// and huge attributes.
type pageContext struct {
	mu sync.Mutex
	// ad is adSlot's answer for each element asked about.
	ad map[NodeID]string
	// clone is cloneOf's answer for each element asked about.
	clone map[NodeID]string
	// story marks the page's main and article elements, its headline and
	// all their ancestors.
	story map[NodeID]bool
}

// contextOf returns the page's context, made on first use.
func contextOf(p *Page) *pageContext {
	return p.Memo(contextKey, func() any {
		c := &pageContext{ad: map[NodeID]string{}, clone: map[NodeID]string{}, story: map[NodeID]bool{}}
		var roots []NodeID
		roots = append(roots, p.ElementsByTag("main")...)
		roots = append(roots, p.ElementsByTag("article")...)
		if h := headline(p); h != NoNode {
			roots = append(roots, h)
		}
		for _, r := range roots {
			for a := r; a != NoNode && !c.story[a]; a = p.Nodes[a].Parent {
				c.story[a] = true
			}
		}
		return c
	}).(*pageContext)
}

// adSlot is the package function adSlot, with c locked.
func (c *pageContext) adSlot(p *Page, id NodeID) string {
	if id == NoNode {
		return ""
	}
	if v, ok := c.ad[id]; ok {
		return v
	}
	v := ""
	n := &p.Nodes[id]
	if n.Kind == ElementNode && !n.Is("html", "body") && !c.story[id] {
		v = ownAdMark(n)
	}
	if v == "" {
		v = c.adSlot(p, n.Parent)
	}
	c.ad[id] = v
	return v
}

// ownAdMark returns what marks an element itself as an ad slot, or "".
func ownAdMark(n *Node) string {
	for _, attr := range []string{"id", "class"} {
		for _, tok := range strings.Fields(Truncate(n.AttrOr(attr, ""), maxTokensText)) {
			if adToken.MatchString(tok) {
				return fmt.Sprintf("%s %s", attr, Truncate(tok, 40))
			}
		}
	}
	for _, at := range n.Attrs {
		if strings.HasPrefix(at.Name, "data-ad-") || at.Name == "data-ad" || at.Name == "data-google-query-id" {
			return at.Name
		}
	}
	if n.Is("iframe") {
		if host := adHost(n.AttrOr("src", "")); host != "" {
			return "an iframe from " + host
		}
	}
	return ""
}

// maxTokensText bounds how much of an id or class attribute the model
// reads for ad and clone words.
const maxTokensText = 2000

// adHost returns the ad network's host an address is served from, or "".
func adHost(src string) string {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	for _, ad := range adHosts {
		if h == ad || strings.HasSuffix(h, "."+ad) {
			return ad
		}
	}
	return ""
}

// cloneToken matches the class of a carousel's clone slide.
var cloneToken = regexp.MustCompile(`(?i)clone|swiper-slide-duplicate`)

// offScreen returns why an element is off-screen, or "": its box lies
// wholly left or right of the window, or it sits in a carousel clone.
func offScreen(p *Page, id NodeID) string {
	n := &p.Nodes[id]
	if l := n.Layout; l != nil && l.Box.W > 0 && n.Frame == 0 {
		if l.Box.X+l.Box.W <= 0 {
			return "left of the window"
		}
		if w := float64(p.Viewport.Width); w > 0 && l.Box.X >= w {
			return "right of the window"
		}
	}
	c := contextOf(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cloneOf(p, id)
}

// cloneOf returns why the element or its nearest ancestor with a
// carousel clone's class is a clone, or "", with c locked.
func (c *pageContext) cloneOf(p *Page, id NodeID) string {
	if id == NoNode {
		return ""
	}
	if v, ok := c.clone[id]; ok {
		return v
	}
	v := ""
	if n := &p.Nodes[id]; n.Kind == ElementNode {
		for _, tok := range strings.Fields(Truncate(n.AttrOr("class", ""), maxTokensText)) {
			if cloneToken.MatchString(tok) {
				v = "a carousel clone, class " + Truncate(tok, 40)
				break
			}
		}
	}
	if v == "" {
		v = c.cloneOf(p, p.Nodes[id].Parent)
	}
	c.clone[id] = v
	return v
}

// severityKey is the Memo key of the page facts the model shares.
type severityKey int

const (
	leadKey severityKey = iota
	headlineKey
	contextKey
)

// headline returns the page's headline: the first rendered h1 of the top
// document whose text the page's metadata states (the JSON-LD headline,
// og:title, twitter:title or the title contains it), else the first
// rendered h1; NoNode when there is none.
func headline(p *Page) NodeID {
	return p.Memo(headlineKey, func() any {
		var stated []string
		for _, s := range append([]string{p.Facts.OGTitle, p.Facts.TwitterTitle, p.Facts.Title}, p.Facts.Headlines...) {
			if s = keyText(s); s != "" {
				stated = append(stated, s)
			}
		}
		first := NoNode
		for _, id := range p.ElementsByTag("h1") {
			if p.Nodes[id].Frame != 0 || !p.Rendered(id) {
				continue
			}
			if first == NoNode {
				first = id
			}
			text := keyText(p.TextContent(id))
			for _, s := range stated {
				if text != "" && strings.Contains(s, text) {
					return id
				}
			}
		}
		return first
	}).(NodeID)
}

// isLeadPhoto reports whether f is about the story's lead photo: an
// image outside the template and ad slots that is the page's share image
// or, failing one on the page, its first large photo outside the
// template.
func isLeadPhoto(p *Page, f *Finding) bool {
	n := p.Node(f.Node)
	if !n.Is("img", "picture") || f.Region == "template" {
		return false
	}
	return f.Node == leadPhoto(p) || n.Is("picture") && p.Contains(f.Node, leadPhoto(p))
}

// leadPhoto returns the page's lead photo, or NoNode.
func leadPhoto(p *Page) NodeID {
	return p.Memo(leadKey, func() any {
		shared := map[string]bool{}
		for _, s := range append([]string{p.Facts.OGImage}, p.Facts.Images...) {
			if f := fileOf(s); f != "" {
				shared[f] = true
			}
		}
		// A file name many images share (an image proxy's "dims", say)
		// names none of them.
		names := map[string]int{}
		for _, id := range p.ElementsByTag("img") {
			names[imageFileName(&p.Nodes[id])]++
		}
		first := NoNode
		for _, id := range p.ElementsByTag("img") {
			n := &p.Nodes[id]
			if n.Frame != 0 || !p.Rendered(id) || inChrome(p, id) || adSlot(p, id) != "" {
				continue
			}
			w, h, sized := drawnSize(p, n)
			large := sized && w >= leadWidth && h >= leadHeight
			if name := imageFileName(n); shared[name] && names[name] == 1 && (large || !sized) {
				return id
			}
			if large && first == NoNode {
				first = id
			}
		}
		return first
	}).(NodeID)
}

// fileOf returns the file name of an image address as imageFileName
// writes it, or "".
func fileOf(addr string) string {
	if strings.TrimSpace(addr) == "" {
		return ""
	}
	return imageFileName(&Node{Kind: ElementNode, Tag: "img", Attrs: []Attr{{Name: "src", Value: addr}}})
}

// inChrome reports whether an element sits in the masthead, navigation,
// a rail or the footer: nav and aside elements, header and footer
// elements outside any article or main, or the banner, navigation,
// complementary and contentinfo roles.
func inChrome(p *Page, id NodeID) bool {
	for a := id; a != NoNode; a = p.Nodes[a].Parent {
		n := &p.Nodes[a]
		if n.Kind != ElementNode {
			continue
		}
		switch n.Role() {
		case "banner", "navigation", "complementary", "contentinfo":
			return true
		}
		if n.Is("nav", "aside") || n.Is("header", "footer") && p.Closest(a, "article", "main") == NoNode {
			return true
		}
	}
	return false
}
