package audit

// A KeyboardWalk records what pressing Tab and Enter in the real browser
// did on a settled page: the first tab stops in order and, for each link
// among them that points within the page, what pressing Enter on it did.
// The Chrome loader captures it after the snapshot, so its node ids refer
// to the snapshot; rules read it and never press keys themselves.
type KeyboardWalk struct {
	// MaxStops is how many tab stops the walk records; it goes up to three
	// times as far when none of them is a link within the page and the
	// page has one before its main content.
	MaxStops int `json:"max_stops"`
	// Stops are the elements that took focus, in Tab order: Stops[0] is
	// tab stop 1.
	Stops []TabStop `json:"stops"`
	// Wrapped is true when focus left the page after the last stop, so the
	// walk saw the page's whole tab order.
	Wrapped bool `json:"wrapped,omitempty"`
	// ReachedContent is true when the walk ended at its first stop in the
	// page's main content (its first main landmark, article or h1, and
	// what follows), having passed the blocks a skip link bypasses.
	ReachedContent bool `json:"reached_content,omitempty"`
	// Activations are the key presses on the stops that may be bypass
	// instruments: first the Enter presses on same-document links, in
	// stop order, then the presses on the controls before the main
	// content (see Activation.Control), in stop order.
	Activations []Activation `json:"activations,omitempty"`
	// FailedScripts counts the page's script requests that failed or
	// were refused (--block-third-party) before the walk: a control that
	// does nothing may only be missing the handler such a script adds.
	FailedScripts int `json:"failed_scripts,omitempty"`
	// Stopped says why the walk ended early (the page navigated away, an
	// error, the time ran out, a focus trap); empty when it ran its
	// course.
	Stopped string `json:"stopped,omitempty"`
	// Trap lists the stops (indexes into Stops) among which the Tab key
	// kept focus: a press left focus where it was, or sent it back to an
	// earlier stop without focus leaving the page, so the walk went no
	// further. Empty when there was no trap.
	Trap []int `json:"trap,omitempty"`
	// TrapLeftBackwards is true when Shift+Tab from the trap's first stop
	// moved focus out of the trap: the way out a keyboard user still has.
	TrapLeftBackwards bool `json:"trap_left_backwards,omitempty"`
	// Millis is how long the walk took, in milliseconds.
	Millis int64 `json:"millis"`
}

// A TabStop is one element that took focus during the walk, with what a
// sighted keyboard user would see of it while focused.
type TabStop struct {
	// Node is the focused element in the snapshot, NoNode when it is not
	// there (added after the capture, or inside a cross-origin frame).
	Node NodeID `json:"node"`
	// Tag is the element's lower-case tag name.
	Tag string `json:"tag"`
	// Name is the element's accessible name.
	Name string `json:"name,omitempty"`
	// Href is the href attribute of a link, as written.
	Href string `json:"href,omitempty"`
	// Fragment is set for a link to a place in the same document: the
	// fragment as written in the URL, without "#".
	Fragment string `json:"fragment,omitempty"`
	// Box is the element's border box while focused, in CSS pixels
	// relative to the top-left corner of the viewport.
	Box Rect `json:"box"`
	// Visible is the part of Box that is in the viewport and not clipped
	// away by clip, clip-path or an ancestor's overflow; zero when none.
	Visible Rect `json:"visible"`
	// Clip names what clips the element away, e.g. "clip: rect(0px, 0px,
	// 0px, 0px)", when something does.
	Clip string `json:"clip,omitempty"`
	// Opacity is the element's opacity multiplied by its ancestors'.
	Opacity float64 `json:"opacity"`
	// Visibility is the element's computed visibility while focused.
	Visibility string `json:"visibility,omitempty"`
	// ScrollY is the page's vertical scroll offset while the element had
	// focus.
	ScrollY float64 `json:"scroll_y"`
	// Hit is what a hit test at the centre of the visible part finds: the
	// browser's (DOM.getNodeForLocation) for links within the page, the
	// page's own (elementFromPoint) for other stops.
	Hit Hit `json:"hit"`
}

// InViewport reports whether any of the focused element shows in the
// viewport: at least one CSS pixel in each direction survives clipping.
func (s *TabStop) InViewport() bool { return s.Visible.W >= 1 && s.Visible.H >= 1 }

// How a hit-tested element relates to the element under test.
const (
	// HitElement: the hit test found the element itself.
	HitElement = "element"
	// HitDescendant: it found something inside the element.
	HitDescendant = "descendant"
	// HitAncestor: it found an ancestor, so the element was not painted
	// there (clipped away or transparent).
	HitAncestor = "ancestor"
	// HitOther: it found an unrelated element painted on top.
	HitOther = "other"
	// HitNone: no hit test was made (no part of the element in the
	// viewport) or it found nothing.
	HitNone = "none"
)

// A Hit is the result of a hit test at a point.
type Hit struct {
	// X and Y are the point in viewport CSS pixels.
	X float64 `json:"x"`
	// Y is the vertical coordinate of the point.
	Y float64 `json:"y"`
	// Relation is HitElement, HitDescendant, HitAncestor, HitOther or
	// HitNone.
	Relation string `json:"relation"`
	// Node is the element found, NoNode when none or not in the snapshot.
	Node NodeID `json:"node"`
	// Tag describes the element found, e.g. `div.cookie-banner`, for when
	// it is not in the snapshot.
	Tag string `json:"tag,omitempty"`
	// Fixed is true when the element found is fixed or sticky, or sits in
	// a fixed or sticky ancestor: a header or banner that stays on screen.
	Fixed bool `json:"fixed,omitempty"`
	// Paint says how it was judged whether the element found, when it is
	// HitOther, paints over the element under test: PaintStyle or
	// PaintPixels; empty when it was not judged (other relations, tab
	// stops that are not links within the page, older recordings).
	Paint string `json:"paint,omitempty"`
	// Painted is true when something above the element under test at the
	// point paints over its visible box: the element found or one of the
	// elements between it and the element under test in painting order.
	// Only then does it cover the element.
	Painted bool `json:"painted,omitempty"`
	// Paints says what paints, or, judged by pixels, what was in doubt:
	// "background", "border", "outline", "shadow", "text", "image",
	// "background image" or "generated content".
	Paints string `json:"paints,omitempty"`
	// PaintValue is the style or source that paints, e.g. the background
	// colour "rgba(0, 0, 0, 0.6)" or the image's address.
	PaintValue string `json:"paint_value,omitempty"`
	// PaintTag describes the element that paints (or was in doubt),
	// which may be an ancestor of the element found, e.g. `div.loader`.
	PaintTag string `json:"paint_tag,omitempty"`
}

// How a Hit's paint was judged.
const (
	// PaintStyle: computed styles settled it.
	PaintStyle = "style"
	// PaintPixels: only pixels could tell (a picture that may be
	// transparent), so screenshots of the box with and without the
	// elements in doubt were compared.
	PaintPixels = "pixels"
)

// Covers reports whether the element found covers the element under
// test: an unrelated element on top that paints over it. A hit whose
// paint was not judged covers when it is HitOther, as before paint was
// judged.
func (h *Hit) Covers() bool {
	return h.Relation == HitOther && (h.Paint == "" || h.Painted)
}

// How the element that took focus after an Enter press relates to the
// link's target, in tree order.
const (
	// RelTarget: the element is the target.
	RelTarget = "target"
	// RelInside: the element is inside the target.
	RelInside = "inside"
	// RelAfter: the element follows the target.
	RelAfter = "after"
	// RelBefore: the element precedes the target (or contains it).
	RelBefore = "before"
	// RelNone: no element had focus (the body), or there is no target.
	RelNone = "none"
)

// The roles a control asks to be pressed by.
const (
	// ControlLink: a link (an element with role link, a script link, a
	// link to another document), pressed with Enter.
	ControlLink = "link"
	// ControlButton: a button or an element with role button, pressed
	// with Enter, then Space when Enter did nothing.
	ControlButton = "button"
)

// The keys an Activation names.
const (
	// KeyEnter is the Enter key.
	KeyEnter = "Enter"
	// KeySpace is the space bar.
	KeySpace = "Space"
)

// An Activation is what pressing Enter on a same-document link, or the
// keys its role calls for on a control, did.
type Activation struct {
	// Stop indexes KeyboardWalk.Stops: the link or control that was
	// activated.
	Stop int `json:"stop"`
	// Control is set for a control rather than a link within the page: a
	// button, an element with role button or link, a script link ("#",
	// "javascript:") or a link to another document with a fragment,
	// among the stops before the main content. A control has no
	// fragment and no target: FocusRelation and NextRelation relate the
	// focused elements to the control itself, so RelAfter means focus
	// moved on past it, and Landing and Content are measured at the
	// element that took focus.
	Control bool `json:"control,omitempty"`
	// Role is ControlLink or ControlButton for a control, "" for a link
	// within the page.
	Role string `json:"role,omitempty"`
	// Keys are the keys pressed, in order: Enter, then Space for a
	// button when Enter did nothing.
	Keys []string `json:"keys,omitempty"`
	// Key is the key whose press did something (moved focus or the page,
	// changed the address, aria-expanded or the tab stops, or tried to
	// load another document); "" when none did.
	Key string `json:"key,omitempty"`
	// LeftPage is the address of the other document the key press tried
	// to load; the walk cancelled that navigation and went on over the
	// same document. Empty when the press stayed on the page.
	LeftPage string `json:"left_page,omitempty"`
	// ExpandedBefore and ExpandedAfter are the control's aria-expanded
	// around the press, "" when it has none.
	ExpandedBefore string `json:"expanded_before,omitempty"`
	// ExpandedAfter is the control's aria-expanded after the press.
	ExpandedAfter string `json:"expanded_after,omitempty"`
	// Block is the first element the control's aria-controls names, the
	// block whose tab stops BlockStopsBefore and BlockStopsAfter count;
	// NoNode when it names none, and they count the tab stops before the
	// main content instead.
	Block NodeID `json:"block"`
	// BlockTag describes the block, e.g. `nav#menu`; empty for the part
	// of the page before the main content.
	BlockTag string `json:"block_tag,omitempty"`
	// BlockStopsBefore counts the elements of the block in the tab
	// order (focusable, rendered, not inert, tabindex not negative)
	// before the press.
	BlockStopsBefore int `json:"block_stops_before"`
	// BlockStopsAfter counts them after the press: fewer when the
	// control collapsed or hid the block for keyboard users too.
	BlockStopsAfter int `json:"block_stops_after"`
	// Fragment is the link's fragment, without "#".
	Fragment string `json:"fragment"`
	// Target is the element the fragment indicated in the live document
	// just before the key press, NoNode when none or not in the snapshot.
	Target NodeID `json:"target"`
	// TargetFound is true when the live document had an element for the
	// fragment, whether or not it is in the snapshot.
	TargetFound bool `json:"target_found"`
	// Retabbed is true when the walk reached the link again by pressing
	// Tab from the stop before it; false when it focused it directly (the
	// first stop, or a page whose tab order changed).
	Retabbed bool `json:"retabbed"`
	// HashBefore and HashAfter are location.hash around the key press.
	HashBefore string `json:"hash_before"`
	// HashAfter is location.hash after the key press.
	HashAfter string `json:"hash_after"`
	// ScrollBefore and ScrollAfter are the vertical scroll offsets around
	// the key press, after scrolling settled.
	ScrollBefore float64 `json:"scroll_before"`
	// ScrollAfter is the vertical scroll offset after the key press.
	ScrollAfter float64 `json:"scroll_after"`
	// Focused is document.activeElement after the key press, NoNode for
	// the body or an element not in the snapshot.
	Focused NodeID `json:"focused"`
	// FocusedTag is the tag of the focused element ("body" when focus
	// stayed nowhere in particular).
	FocusedTag string `json:"focused_tag"`
	// FocusRelation is how the focused element relates to the target:
	// RelTarget, RelInside, RelBefore, RelAfter or RelNone.
	FocusRelation string `json:"focus_relation"`
	// Next is the element the next Tab press focused, NoNode when none or
	// not in the snapshot.
	Next NodeID `json:"next"`
	// NextTag and NextName describe that element.
	NextTag string `json:"next_tag,omitempty"`
	// NextName is the accessible name of that element.
	NextName string `json:"next_name,omitempty"`
	// NextRelation is how it relates to the target: RelTarget, RelInside,
	// RelAfter, RelBefore or RelNone (focus left the page).
	NextRelation string `json:"next_relation"`
	// Landing is what covers the focused element after the jump, or the
	// target when focus stayed on the body.
	Landing Coverage `json:"landing"`
	// Content is what covers the first heading at or after the target (or
	// its first text when no heading follows).
	Content Coverage `json:"content"`
}

// Moved reports whether the key press moved the focus, or the sequential
// focus navigation starting point, to the target: the focused element is
// the target or inside it, or the next Tab landed at or after the target.
// When nothing after the target takes focus, the next Tab leaves the page;
// then the page must at least have jumped (a new fragment or scroll
// position).
func (a *Activation) Moved() bool {
	switch a.FocusRelation {
	case RelTarget, RelInside:
		return true
	}
	switch a.NextRelation {
	case RelTarget, RelInside, RelAfter:
		return true
	case RelNone:
		return a.HashAfter != a.HashBefore || a.ScrollAfter != a.ScrollBefore
	}
	return false
}

// MovedOn reports whether pressing a control moved focus past it, to an
// element that follows it in tree order (or into it, for a control that
// holds what it reveals).
func (a *Activation) MovedOn() bool {
	return a.Control && a.LeftPage == "" && (a.FocusRelation == RelAfter || a.FocusRelation == RelInside)
}

// Collapsed reports whether pressing a control took tab stops out of the
// tab order: the block it controls, or the part of the page before the
// main content, held fewer of them after the press.
func (a *Activation) Collapsed() bool {
	return a.Control && a.LeftPage == "" && a.BlockStopsAfter < a.BlockStopsBefore
}

// A Coverage is what sampling points over an element found on top of it
// after a jump.
type Coverage struct {
	// Node is the sampled element, NoNode when none or not in the
	// snapshot.
	Node NodeID `json:"node"`
	// Tag describes the sampled element.
	Tag string `json:"tag,omitempty"`
	// Text is the start of the sampled element's text.
	Text string `json:"text,omitempty"`
	// Points counts the sample points that fell in the viewport.
	Points int `json:"points"`
	// Covered counts the points where fixed or sticky content outside the
	// element was on top.
	Covered int `json:"covered"`
	// By is the first covering element, NoNode when none or not in the
	// snapshot.
	By NodeID `json:"by"`
	// ByTag describes the covering element, e.g. `header.site-header`.
	ByTag string `json:"by_tag,omitempty"`
}

// A HiddenSelector is one --hide-elements selector and what it removed
// before the page was captured.
type HiddenSelector struct {
	// Selector is the CSS selector as given.
	Selector string `json:"selector"`
	// Count is how many elements it removed.
	Count int `json:"count"`
	// Error says why the selector could not be used (not valid CSS, say).
	Error string `json:"error,omitempty"`
}

// A WalkSummary is a page's keyboard walk as reports show it, in words an
// editor can follow. The skip-link family's summarizer writes it.
type WalkSummary struct {
	// Viewport names the window the walk ran in, e.g. "desktop 1280x800".
	Viewport string `json:"viewport"`
	// Verdict sums the walk up in a sentence.
	Verdict string `json:"verdict"`
	// SkipLink is the tab stop number of the first working skip link,
	// counting from 1; 0 when there is none.
	SkipLink int `json:"skip_link,omitempty"`
	// Steps are the tab stops in order.
	Steps []WalkStep `json:"steps"`
	// Note says why the walk ended early, when it did.
	Note string `json:"note,omitempty"`
}

// A WalkStep is one tab stop of a WalkSummary.
type WalkStep struct {
	// N is the tab stop number, counting from 1.
	N int `json:"n"`
	// What names the element, e.g. `link "Skip to content"`.
	What string `json:"what"`
	// Selector locates the element; empty when it is not in the snapshot.
	Selector string `json:"selector,omitempty"`
	// Where says where on the page it is: "in the navigation", "in a
	// dialog", "outside the page's landmarks".
	Where string `json:"where,omitempty"`
	// Visible is true when a sighted user could see it while it had focus.
	Visible bool `json:"visible"`
	// Seen says what hid it when it was not visible, e.g. "off-screen".
	Seen string `json:"seen,omitempty"`
	// Enter says what pressing Enter did, for a link within the page, or
	// what the keys its role calls for did, for a control.
	Enter string `json:"enter,omitempty"`
	// Moved is true when pressing Enter moved focus to the link's target,
	// or pressing the control moved it to the start of the content.
	Moved bool `json:"moved,omitempty"`
}
