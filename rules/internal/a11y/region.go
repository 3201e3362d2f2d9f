package a11y

import "github.com/newsa11y/newsa11y/audit"

// Regions of a page, as reports separate findings.
const (
	// RegionStory is the article itself: what an editor can change in the
	// CMS.
	RegionStory = "story"
	// RegionTemplate is the masthead, navigation, rails, footer and
	// embeds that repeat on every page: what developers change once.
	RegionTemplate = "template"
	// RegionPage is the page as a whole (a finding about the document).
	RegionPage = "page"
)

// StoryOrTemplate says whether an element belongs to the story or to the
// page template. Anything inside a banner, navigation, complementary or
// contentinfo landmark, a search or form landmark, or an iframe is
// template, even when it sits inside an article (a teaser card in a rail);
// otherwise anything inside main or an article is story. On a page with
// neither main nor article, the story cannot be told from the template and
// everything counts as story.
func StoryOrTemplate(p *audit.Page, id audit.NodeID) string {
	if !p.Valid(id) {
		return RegionPage
	}
	n := p.Node(id)
	if n.Kind != audit.ElementNode || n.Tag == "html" || n.Tag == "body" {
		return RegionPage
	}
	if n.Frame > 0 {
		return RegionTemplate
	}
	inStory := false
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		switch LandmarkRole(p, a) {
		case Banner, Navigation, Complementary, ContentInfo, Search, Form:
			return RegionTemplate
		case Main:
			inStory = true
		}
		if an := p.Node(a); an.Is("article") || an.Role() == "article" || an.AttrOr("itemprop", "") == "articleBody" {
			inStory = true
		}
	}
	if inStory {
		return RegionStory
	}
	if hasStoryContainer(p) {
		return RegionTemplate
	}
	return RegionStory
}

// hasStoryContainer reports whether the page marks its story with main or
// article at all.
func hasStoryContainer(p *audit.Page) bool {
	if len(p.ElementsByTag("article")) > 0 || len(p.ElementsByTag("main")) > 0 {
		return true
	}
	for id := range p.Elements() {
		if r := p.Node(id).Role(); r == "main" || r == "article" {
			return true
		}
	}
	return false
}

// InStory reports whether an element belongs to the story, as
// StoryOrTemplate decides.
func InStory(p *audit.Page, id audit.NodeID) bool {
	return StoryOrTemplate(p, id) == RegionStory
}

// MarksStory reports whether the page marks its story with a main
// landmark or an article at all. Where it does not, StoryOrTemplate
// counts everything as story, and rules that need to tell the blocks
// before the story from the story must find it some other way.
func MarksStory(p *audit.Page) bool { return hasStoryContainer(p) }
