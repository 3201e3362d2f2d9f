// Package imagealt holds the rules on image text alternatives and their
// captions: the news photo's alt text, caption and credit.
//
// Images are judged as the reader gets them: in Chrome, after the loader
// scrolled the page, on the image's current source, rendered box and
// accessible name, so a lazy image is judged on what it became and an
// alt text set by script counts. An image that never loaded is kept out
// of the rules that judge size. Captions and credits are read by
// rules/internal/caption; word lists come from rules/internal/lexicon.
//
// Each rule is declared, with its check, in a file named by its id; the
// helpers several rules share are in image.go (an img as the reader gets
// it), sources.go, captions.go, decorative.go and controls.go.
package imagealt

import (
	_ "embed"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed doc.md
var docText string

// Family is the family of the rules on images. Each of its rules is
// built with Family.Rule and documented in doc.md.
var Family = audit.NewFamily("images", "Image alt text and captions", docText)

// What the rules need, by kind of evidence.
const (
	// needsLayout is what the size-based rules need: rendered boxes and
	// the images' load state, which only a browser captures.
	needsLayout = audit.CapDOM | audit.CapScripts | audit.CapLayout
	// needsAX is what the rules on accessible names need.
	needsAX = audit.CapDOM | audit.CapAX
)

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{
	Missing, Whitespace, Filename, Placeholder, RedundantPhrase,
	DuplicatesCaption, DuplicatesHeadline, CreditOnly, ContainsCredit, CaptionedEmptyAlt,
	InformativeEmptyAlt, TooLong, DuplicateAdjacent, LinkNoName,
	DuplicatesLinkText, RoleImgNoName, BackgroundPhotoNoName, LazyUnresolved,
}
