package imagealt

import (
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// RoleImgNoName is the rule role-img-no-name.
var RoleImgNoName = Family.Rule(audit.Rule{
	ID:       "role-img-no-name",
	Title:    "elements with role img must have a name",
	WCAG:     []string{"1.1.1"},
	Severity: audit.Serious,
	Needs:    needsAX,
	Check:    checkRoleImgNoName,
})

// imageRole reports whether an explicit role makes an element an image:
// img, its ARIA 1.3 synonym image, or the SVG graphics module's
// graphics-symbol, which maps to an image.
func imageRole(role string) bool {
	return role == "img" || role == "image" || role == "graphics-symbol"
}

func checkRoleImgNoName(pass *audit.Pass) error {
	p := pass.Page
	for id := range p.Elements() {
		if err := pass.Err(); err != nil {
			return err
		}
		n := p.Node(id)
		if n.Is("img") || !imageRole(n.Role()) || !p.Exposed(id) || inTemplate(p, id) {
			continue
		}
		if n.AX != nil && !audit.IsBlank(n.AX.Name) {
			continue
		}
		ev := &audit.ImageEvidence{Fix: "Add an aria-label that says what the picture shows (or aria-hidden=\"true\" if it is decoration)."}
		if n.Layout != nil {
			ev.RenderedWidth, ev.RenderedHeight = int(n.Layout.Box.W+0.5), int(n.Layout.Box.H+0.5)
		}
		opts := []audit.ReportOption{audit.WithImage(ev)}
		if thumbnailable(p, id) {
			opts = append(opts, audit.WithThumbnail())
		}
		pass.Report(id, fmt.Sprintf("<%s role=\"%s\"> has no accessible name: screen readers announce an image and nothing about it", n.Tag, n.Role()), opts...)
	}
	return nil
}
