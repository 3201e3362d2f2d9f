package headings

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
	"github.com/newsa11y/newsa11y/rules/internal/lexicon"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// RegionHasHeading is the rule heading-region-has-heading.
var RegionHasHeading = Family.Rule(audit.Rule{
	ID:       "heading-region-has-heading",
	Title:    "asides, navigation and story rails should start with a heading or have a name",
	WCAG:     []string{"2.4.10"},
	Tags:     []string{"best-practice"},
	Severity: audit.Minor,
	Needs:    audit.CapDOM,
	Check:    checkRegionHasHeading,
})

// minRailLinks is how many links a block needs to be a rail of stories.
const minRailLinks = 3

func checkRegionHasHeading(pass *audit.Pass) error {
	p := pass.Page
	var covered []audit.NodeID // landmarks and rails already judged
	inside := func(id audit.NodeID) bool {
		for _, c := range covered {
			if p.Contains(c, id) {
				return true
			}
		}
		return false
	}
	navs := 0
	for id := range p.Elements() {
		if a11y.LandmarkRole(p, id) == a11y.Navigation && p.Rendered(id) {
			navs++
		}
	}
	for id := range p.Elements() {
		if err := pass.Err(); err != nil {
			return err
		}
		if !p.Rendered(id) {
			continue
		}
		role := a11y.LandmarkRole(p, id)
		var what string
		switch {
		case role == a11y.Navigation && navs == 1:
			covered = append(covered, id)
			continue // the page's one navigation needs no name to be found (ARIA11)
		case role == a11y.Complementary || role == a11y.Navigation:
			what = role + " landmark"
		case role == "" && !inside(id):
			rail := railName(p.Node(id))
			if rail == "" || links(p, id) < minRailLinks {
				continue
			}
			what = fmt.Sprintf("%q rail", rail)
		default:
			continue
		}
		covered = append(covered, id)
		if placeOf(p, id).foreign() || audit.IsBlank(p.VisibleText(id)) {
			continue // an ad's frame, or a region with nothing in it yet
		}
		if hasName(p, id) || startsWithHeading(p, id) || headedFromBefore(p, id) {
			continue
		}
		pass.Report(id, fmt.Sprintf("%s has neither a heading nor a name, so screen-reader users cannot tell what it holds; it starts with %q",
			what, audit.Truncate(p.VisibleText(id), 60)), audit.AsReview())
	}
	return nil
}

// railWords are the class and id words of repeated rails ("most read").
var railWords = lexicon.Default().List(lexicon.Rail)

// railName returns the rail phrase that an element's class or id spells
// ("related", "most read"), or "".
func railName(n *audit.Node) string {
	if !n.Is("div", "section", "aside", "ul", "ol") {
		return ""
	}
	for _, attr := range []string{"id", "class"} {
		for _, value := range strings.Fields(n.AttrOr(attr, "")) {
			w := identifierWords(value)
			for i := range w {
				for j := i + 1; j <= len(w) && j <= i+3; j++ {
					if ph := railWords.MatchWhole(strings.Join(w[i:j], " ")); ph != "" && (i == 0 || j == len(w)) {
						return ph
					}
				}
			}
		}
	}
	return ""
}

// links counts the links to other documents inside an element.
func links(p *audit.Page, id audit.NodeID) int {
	n := 0
	for d := range p.Descendants(id) {
		if a11y.IsLinkToOtherDocument(p, d) {
			n++
		}
	}
	return n
}

// hasName reports whether a region has an accessible name of its own.
func hasName(p *audit.Page, id audit.NodeID) bool {
	n := p.Node(id)
	if p.Captured.Has(audit.CapAX) && n.AX != nil {
		return !audit.IsBlank(n.AX.Name)
	}
	return !audit.IsBlank(n.AttrOr("aria-label", "")) || !audit.IsBlank(n.AttrOr("aria-labelledby", "")) || !audit.IsBlank(n.AttrOr("title", ""))
}

// startsWithHeading reports whether the first text the region shows is
// a heading's: a photo link before an author box's heading does not count
// against it, a list of links does.
func startsWithHeading(p *audit.Page, id audit.NodeID) bool {
	for d := range p.Descendants(id) {
		n := p.Node(d)
		if n.IsElement() && a11y.HeadingLevel(p, d) > 0 && !audit.IsBlank(a11y.Name(p, d)) {
			return true
		}
		if n.Kind == audit.TextNode && !audit.IsBlank(n.Data) && p.Rendered(d) {
			return false // text outside any heading comes first
		}
	}
	return false
}

// headedFromBefore reports whether a heading stands right before the
// region, with nothing between: <h2>Most read</h2><ol class="most-read">.
func headedFromBefore(p *audit.Page, id audit.NodeID) bool {
	for d := id - 1; d > 0; d-- {
		if p.Contains(d, id) || !isContent(p, d) {
			continue
		}
		// The last thing before the region: is it a heading's text?
		h := p.ClosestFunc(d, func(a audit.NodeID, n *audit.Node) bool { return n.IsElement() && a11y.HeadingLevel(p, a) > 0 })
		return h != audit.NoNode && textmatch.Normalize(a11y.Name(p, h)) != ""
	}
	return false
}
