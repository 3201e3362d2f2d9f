package audit

import "math"

// ImageEvidence is what an image finding shows of the photo: its alt text,
// caption and credit, how they matched, and how the browser loaded the
// image. Reports put it beside the finding's thumbnail; the JSON report
// carries it as the finding's "image" object.
type ImageEvidence struct {
	// Alt is the image's text alternative as assistive technology gets
	// it: the accessible name, which is usually the alt attribute.
	Alt string `json:"alt"`
	// AltSource says where Alt came from: "alt", "aria-label",
	// "aria-labelledby" or "title"; empty when the image has none.
	AltSource string `json:"alt_source,omitempty"`
	// AltMissing is true when the image has no alt attribute at all, as
	// opposed to an empty one.
	AltMissing bool `json:"alt_missing,omitempty"`
	// Caption is the caption as a reader sees it, with visually hidden
	// prefixes ("Image caption, ") and the credit removed.
	Caption string `json:"caption,omitempty"`
	// CaptionSource says where the caption came from: "figcaption",
	// "aria-describedby" or "caption element" (a caption the site marks up
	// next to the image).
	CaptionSource string `json:"caption_source,omitempty"`
	// Credit is the photo credit split off the caption or found in the
	// alt text ("Photograph: NASA/AFP/Getty Images").
	Credit string `json:"credit,omitempty"`
	// Match says how the alt text matched the text it was compared with;
	// nil when no comparison is involved.
	Match *TextMatch `json:"match,omitempty"`
	// CurrentSrc is the source the browser chose to show, after lazy
	// loading, srcset and picture selection; empty without a browser.
	// A source on the page's own site is written as its path, so that
	// reports of the same page agree between runs and hosts.
	CurrentSrc string `json:"current_src,omitempty"`
	// RenderedWidth is the width of the image's box in CSS pixels, 0 when
	// it has no box, no layout was captured or the image never loaded (a
	// broken image's box is not the picture's).
	RenderedWidth int `json:"rendered_width"`
	// RenderedHeight is the height of the image's box in CSS pixels.
	RenderedHeight int `json:"rendered_height"`
	// Loaded says whether the image was decoded and has a size; nil when
	// the loader does not know (the static loader). An image that never
	// loaded is kept out of rules that judge its size.
	Loaded *bool `json:"loaded,omitempty"`
	// Fix says in plain words what to change for this photo, quoting what
	// the caption already says.
	Fix string `json:"fix,omitempty"`
}

// A TextMatch is how an image's alt text matched another text: its
// caption, its credit, the text of its link, another image's alt.
type TextMatch struct {
	// Kind names the match: "exact" (equal after normalisation),
	// "prefix" or "substring" (the alt text is that part of the other
	// text), "contains" (the other text is part of the alt text),
	// "token-overlap" (the same words), "edit-distance" (the same
	// letters, a few changed).
	Kind string `json:"kind"`
	// Score is how alike the texts are, 0 to 1: 1 for an exact match, the
	// share of the longer text covered for containment, the Dice
	// coefficient of the word sets, or 1 minus the normalised edit
	// distance.
	Score float64 `json:"score"`
	// Against names the other text: "caption", "credit", "link text",
	// "alt text of a nearby image".
	Against string `json:"against"`
	// AltNormalized is the alt text as compared: normalised, credit and
	// phrases such as "photo of" removed.
	AltNormalized string `json:"alt_normalized"`
	// OtherNormalized is the other text as compared.
	OtherNormalized string `json:"other_normalized"`
}

// Percent returns the score as a whole percentage, for reports.
func (m *TextMatch) Percent() int { return int(math.Round(m.Score * 100)) }

// NeverLoaded reports whether the browser tried the image and it did not
// load; false when that is unknown.
func (e *ImageEvidence) NeverLoaded() bool { return e.Loaded != nil && !*e.Loaded }
