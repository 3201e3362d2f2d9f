// Package imagealt holds the rules on image text alternatives and their
// captions: the news photo's alt text, caption and credit.
//
// Images are judged as the reader gets them: in Chrome, after the loader
// scrolled the page, on the image's current source, rendered box and
// accessible name, so a lazy image is judged on what it became and an
// alt text set by script counts. An image that never loaded is kept out
// of the rules that judge size. Captions and credits are read by
// rules/internal/caption; word lists come from rules/internal/lexicon.
package imagealt

import (
	_ "embed"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed doc.md
var docText string

var docs = audit.MustDocs(docText)

// rule builds a rule of the family from its id and the fields that vary.
func rule(id, title string, wcag []string, tags []string, sev audit.Severity, needs audit.Capability, check func(*audit.Pass) error) *audit.Rule {
	return &audit.Rule{
		ID: id, Title: title, Doc: docs[id], WCAG: wcag,
		Tags: append([]string{"images"}, tags...), Severity: sev, Needs: needs, Check: check,
	}
}

var (
	sc111 = []string{"1.1.1"}
	dom   = audit.CapDOM
	// layout is what the size-based rules need: rendered boxes and the
	// images' load state, which only a browser captures.
	layout = audit.CapDOM | audit.CapScripts | audit.CapLayout
	// ax is what the rules on accessible names need.
	ax = audit.CapDOM | audit.CapAX
)

// The rules of the family, in catalogue order.
var (
	// Missing is the rule img-alt-missing.
	Missing = rule("img-alt-missing", "images must have a text alternative",
		sc111, nil, audit.Critical, dom, checkMissing)
	// Whitespace is the rule img-alt-whitespace.
	Whitespace = rule("img-alt-whitespace", "alt text must not be only white space",
		sc111, nil, audit.Serious, dom, checkWhitespace)
	// Filename is the rule img-alt-filename.
	Filename = rule("img-alt-filename", "alt text must not be a file name",
		sc111, nil, audit.Serious, dom, checkFilename)
	// Placeholder is the rule img-alt-placeholder.
	Placeholder = rule("img-alt-placeholder", "alt text must not be a placeholder word",
		sc111, nil, audit.Serious, dom, checkPlaceholder)
	// RedundantPhrase is the rule img-alt-redundant-phrase.
	RedundantPhrase = rule("img-alt-redundant-phrase", "alt text should not announce that it is an image",
		sc111, nil, audit.Minor, dom, checkRedundantPhrase)
	// DuplicatesCaption is the rule img-alt-duplicates-caption.
	DuplicatesCaption = rule("img-alt-duplicates-caption", "alt text must not repeat the image's caption",
		sc111, []string{"news"}, audit.Moderate, dom, checkDuplicatesCaption)
	// CreditOnly is the rule img-alt-credit-only.
	CreditOnly = rule("img-alt-credit-only", "alt text must not be only the photo credit",
		sc111, []string{"news"}, audit.Serious, dom, checkCreditOnly)
	// ContainsCredit is the rule img-alt-contains-credit.
	ContainsCredit = rule("img-alt-contains-credit", "alt text should not carry the photo credit",
		sc111, []string{"news"}, audit.Minor, dom, checkContainsCredit)
	// CaptionedEmptyAlt is the rule img-captioned-empty-alt.
	CaptionedEmptyAlt = rule("img-captioned-empty-alt", "a captioned photo should not be marked decorative",
		sc111, nil, audit.Minor, layout|audit.CapAX, checkCaptionedEmptyAlt)
	// InformativeEmptyAlt is the rule img-informative-uncaptioned-empty-alt.
	InformativeEmptyAlt = rule("img-informative-uncaptioned-empty-alt", "a lead or in-story photo without a caption should not be marked decorative",
		sc111, []string{"news"}, audit.Moderate, layout, checkInformativeEmptyAlt)
	// TooLong is the rule img-alt-too-long.
	TooLong = rule("img-alt-too-long", "alt text should be short",
		sc111, nil, audit.Minor, dom, checkTooLong)
	// DuplicateAdjacent is the rule img-alt-duplicate-adjacent.
	DuplicateAdjacent = rule("img-alt-duplicate-adjacent", "images next to each other should not share the same alt text",
		sc111, nil, audit.Minor, ax, checkDuplicateAdjacent)
	// LinkNoName is the rule img-link-no-name.
	LinkNoName = rule("img-link-no-name", "links and buttons made of images must have a name",
		[]string{"1.1.1", "2.4.4", "4.1.2"}, nil, audit.Serious, ax, checkLinkNoName)
	// DuplicatesLinkText is the rule img-alt-duplicates-link-text.
	DuplicatesLinkText = rule("img-alt-duplicates-link-text", "alt text should not repeat the text of its link",
		sc111, nil, audit.Minor, ax, checkDuplicatesLinkText)
	// RoleImgNoName is the rule role-img-no-name.
	RoleImgNoName = rule("role-img-no-name", "elements with role img must have a name",
		sc111, nil, audit.Serious, ax, checkRoleImgNoName)
	// LazyUnresolved is the rule img-lazy-unresolved.
	LazyUnresolved = rule("img-lazy-unresolved", "lazy images should show their real source once scrolled into view",
		sc111, nil, audit.Minor, layout, checkLazyUnresolved)
)

// Rules lists the family's rules in catalogue order.
var Rules = []*audit.Rule{
	Missing, Whitespace, Filename, Placeholder, RedundantPhrase,
	DuplicatesCaption, CreditOnly, ContainsCredit, CaptionedEmptyAlt,
	InformativeEmptyAlt, TooLong, DuplicateAdjacent, LinkNoName,
	DuplicatesLinkText, RoleImgNoName, LazyUnresolved,
}
