package headings

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

// Empty is the rule heading-empty.
var Empty = Family.Rule(audit.Rule{
	ID:       "heading-empty",
	Title:    "headings must have an accessible name",
	WCAG:     []string{"1.3.1", "2.4.6"},
	Severity: audit.Moderate,
	// Without the browser's accessibility tree an icon font or generated
	// content would look empty.
	Needs: audit.CapDOM | audit.CapAX,
	Check: checkEmpty,
})

func checkEmpty(pass *audit.Pass) error {
	p := pass.Page
	for _, e := range outlineOf(p) {
		if !audit.IsBlank(e.Text) {
			continue
		}
		if text, holder := unnamedText(p, e.Node); text != "" {
			// The accname algorithm takes a heading's name from all its
			// content; a browser that leaves visible text out differs from
			// the specification, which a person should confirm.
			msg := fmt.Sprintf("level-%d heading has an empty accessible name in this browser although it shows the text %q, %s", e.Level, audit.Truncate(text, 60), e.place.where())
			if holder != audit.NoNode {
				msg += fmt.Sprintf("; the text sits in %s, whose role (%s) keeps it out of the name", audit.Snippet(p, holder), p.Node(holder).AX.Role)
			}
			pass.Report(e.Node, msg, audit.AsReview())
			continue
		}
		pass.Report(e.Node, fmt.Sprintf("level-%d heading has no accessible name: %s, %s", e.Level, whyEmpty(p, e.Node), e.place.where()))
	}
	return nil
}

// unnamedText returns the rendered text an unnamed heading shows to
// everyone, and the element with a role of its own that holds it (NoNode
// when none does), or "" when it shows no such text.
func unnamedText(p *audit.Page, id audit.NodeID) (string, audit.NodeID) {
	text := p.VisibleText(id)
	if audit.IsBlank(text) {
		return "", audit.NoNode
	}
	for d := range p.Descendants(id) {
		if n := p.Node(d); n.Kind == audit.TextNode && !audit.IsBlank(n.Data) && p.Rendered(d) && a11y.AriaHiddenBy(p, d, id) == audit.NoNode {
			for a := p.ParentElement(d); a != audit.NoNode && a != id; a = p.ParentElement(a) {
				if ax := p.Node(a).AX; ax != nil && !ax.Ignored && ax.Role != "generic" && ax.Role != "none" && ax.Role != "" {
					return text, a
				}
			}
			return text, audit.NoNode
		}
	}
	return "", audit.NoNode
}

// whyEmpty says what an unnamed heading holds.
func whyEmpty(p *audit.Page, id audit.NodeID) string {
	var text, blank, hiddenText, images, unnamedImages, elements int
	for d := range p.Descendants(id) {
		n := p.Node(d)
		switch {
		case n.Kind == audit.TextNode && !audit.IsBlank(n.Data):
			text++
			if !p.Rendered(d) || a11y.AriaHiddenBy(p, d, id) != audit.NoNode {
				hiddenText++
			}
		case n.Kind == audit.TextNode && n.Data != "":
			blank++
		case n.Is("img", "svg"):
			images++
			if alt, ok := n.Attr("alt"); n.Is("svg") || !ok || audit.IsBlank(alt) {
				unnamedImages++
			}
		case n.IsElement():
			elements++
		}
	}
	switch {
	case text > 0 && hiddenText == text:
		return "its text is hidden from assistive technology"
	case images > 0 && unnamedImages == images && text == 0:
		if images == 1 {
			return "its only content is an image without alt text"
		}
		return fmt.Sprintf("its only content is %d images without alt text", images)
	case text == 0 && images == 0 && elements > 0:
		return "it holds only empty elements"
	case text == 0 && images == 0 && blank > 0:
		return "it holds only white space"
	case text == 0 && images == 0:
		return "it has no content at all"
	}
	return "its content gives no name"
}
