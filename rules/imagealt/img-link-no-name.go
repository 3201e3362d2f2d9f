package imagealt

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// LinkNoName is the rule img-link-no-name.
var LinkNoName = Family.Rule(audit.Rule{
	ID:       "img-link-no-name",
	Title:    "links and buttons made of images must have a name",
	WCAG:     []string{"1.1.1", "2.4.4", "4.1.2"},
	Severity: audit.Serious,
	Needs:    needsAX,
	Subsumes: []string{"img-alt-missing"},
	Check:    checkLinkNoName,
})

func checkLinkNoName(pass *audit.Pass) error {
	p := pass.Page
	for id := range p.Elements() {
		if err := pass.Err(); err != nil {
			return err
		}
		n := p.Node(id)
		if !isControl(n) || !p.Exposed(id) || n.AX == nil || !audit.IsBlank(n.AX.Name) {
			continue
		}
		if p.VisibleText(id) != "" {
			continue // text that is hidden from the name is another problem
		}
		var imgs []*photo
		for d := range p.Descendants(id) {
			if dn := p.Node(d); dn.Is("img") && p.Rendered(d) {
				imgs = append(imgs, newPhoto(p, d))
			}
		}
		if len(imgs) == 0 {
			continue
		}
		first := imgs[0]
		ev := first.evidence()
		ev.Fix = "Give the image alt text that says where the " + controlKind(n) + " goes (the story's headline, say), or add an aria-label to the " + controlKind(n) + "."
		var msg string
		if named := namedImage(imgs); named != nil {
			// The image has a name, but the browser did not take it into
			// the control's: something between them keeps it out.
			msg = lostNameMessage(p, id, named, ev)
		} else {
			msg = noNameMessage(n, imgs)
		}
		opts := []audit.ReportOption{audit.WithImage(ev)}
		if thumbnailable(p, id) {
			opts = append(opts, audit.WithThumbnail())
		}
		pass.Report(id, msg, opts...)
	}
	return nil
}

// namedImage returns the first of a control's images that has a text
// alternative of its own, or nil.
func namedImage(imgs []*photo) *photo {
	for _, ph := range imgs {
		if ph.named() {
			return ph
		}
	}
	return nil
}

// noNameMessage says what a control holds when none of its images has
// a text alternative.
func noNameMessage(n *audit.Node, imgs []*photo) string {
	first := imgs[0]
	alts := "no alt attribute"
	switch {
	case first.hasAlt && first.alt != "":
		alts = fmt.Sprintf("an alt of only white space (alt=%q)", first.alt)
	case first.hasAlt:
		alts = "an empty alt (alt=\"\")"
	}
	what := fmt.Sprintf("image %s with %s", first.fileName(), alts)
	if len(imgs) > 1 {
		what = fmt.Sprintf("%d images, none with alt text", len(imgs))
	}
	target := ""
	if href := strings.TrimSpace(n.AttrOr("href", "")); href != "" {
		target = " to " + quote(href, 80)
	}
	return fmt.Sprintf("%s%s holds only %s, so it has no name: screen readers announce %q and nothing else",
		controlKind(n), target, what, controlKind(n))
}

// lostNameMessage says what a control holds when an image's alt text
// was left out of the control's name, naming what kept it out when that
// is a figure between them (a figure's content does not name what
// contains it), and sets the fix that works on the evidence.
func lostNameMessage(p *audit.Page, control audit.NodeID, ph *photo, ev *audit.ImageEvidence) string {
	kind := controlKind(p.Node(control))
	why := "but the browser does not take it into the " + kind + "'s name"
	ev.Fix = "Give the " + kind + " an aria-label that says where it goes, or move the alt text's words into the " + kind + " as text."
	for a := p.Node(ph.id).Parent; a != audit.NoNode && a != control; a = p.Node(a).Parent {
		if an := p.Node(a); an.Is("figure") || an.Role() == "figure" {
			why = fmt.Sprintf("but it sits inside a <%s> within the %s, and a figure's content does not count toward the name of what contains it", an.Tag, kind)
			ev.Fix = "Put the " + kind + " inside the figure, around the image alone, or give the " + kind + " an aria-label that says where it goes."
			break
		}
	}
	return fmt.Sprintf("%s holds image %s with alt text %s, %s: it has no name, so screen readers announce %q and nothing else",
		kind, ph.fileName(), quote(ph.text(), 80), why, kind)
}
