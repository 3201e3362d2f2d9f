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
		alts := "no alt attribute"
		if first.hasAlt {
			alts = "an empty alt (alt=\"\")"
		}
		what := fmt.Sprintf("image %s with %s", first.fileName(), alts)
		if len(imgs) > 1 {
			what = fmt.Sprintf("%d images, none with alt text", len(imgs))
		}
		ev := first.evidence()
		ev.Fix = "Give the image alt text that says where the " + controlKind(n) + " goes (the story's headline, say), or add an aria-label to the " + controlKind(n) + "."
		opts := []audit.ReportOption{audit.WithImage(ev)}
		if thumbnailable(p, id) {
			opts = append(opts, audit.WithThumbnail())
		}
		target := ""
		if href := strings.TrimSpace(n.AttrOr("href", "")); href != "" {
			target = " to " + quote(href, 80)
		}
		pass.Report(id, fmt.Sprintf("%s%s holds only %s, so it has no name: screen readers announce %q and nothing else",
			controlKind(n), target, what, controlKind(n)), opts...)
	}
	return nil
}
