package chrome

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed js/walk.js
var walkJS string

// Keyboard walk limits.
const (
	// DefaultWalkStops is how many Tab presses the walk makes unless
	// Options.WalkStops says otherwise.
	DefaultWalkStops = 15
	// minStops is how many stops the walk records at least before it ends
	// on reaching the main content.
	minStops = 8
	// maxActivations bounds the Enter presses per page: the skip links of
	// a news page's first block (three at most in the corpus) and a few
	// more.
	maxActivations = 5
	// maxControls bounds the presses on controls before the main content
	// (buttons, elements with role button or link, script links, links
	// to another document with a fragment): a skip button or a collapse
	// control comes among the first of them.
	maxControls = 4
	// controlReserve is the time left in the walk's budget below which
	// it presses no more controls: a control's presses take up to two
	// scroll waits, and a walk cut short proves nothing.
	controlReserve = 2*scrollWait + time.Second
	// transitionWait bounds the wait for a focused element's transitions.
	transitionWait = 800 * time.Millisecond
	// scrollWait bounds the wait for scrolling to settle after Enter.
	scrollWait = 1500 * time.Millisecond
)

// walkBudget bounds the whole walk; a page that takes longer keeps what
// was recorded, with the reason. Only tests change it.
var walkBudget = 15 * time.Second

// errNavigated ends a walk whose page loaded another document.
var errNavigated = errors.New("the page loaded another document")

// A walker presses the keys of one page's keyboard walk.
type walker struct {
	pl *pageLoad
	// ctx bounds the walk.
	ctx  context.Context
	page *audit.Page
	// byBackend joins the browser's nodes to the snapshot.
	byBackend map[cdp.BackendNodeID]audit.NodeID
	walk      *audit.KeyboardWalk
	// backends holds each stop's backend node id.
	backends []cdp.BackendNodeID
	// inContent holds, for each stop, whether it is in or after the
	// page's main content.
	inContent []bool
	// href is the address the walk started at, restored between
	// activations.
	href string
	// navigations is the session's count of cross-document navigations
	// when the walk started.
	navigations int
	// retabbed is set by reach when Tab presses got to the stop.
	retabbed bool
	// trips counts the DevTools protocol commands the walk sent.
	trips int
	// ahead is how many Tab presses the focus log expects to reach its
	// next halt (see ahead in js/walk.js).
	ahead int
	// script is the page's instance of js/walk.js (see evalIn), "" until
	// the first call.
	script runtime.RemoteObjectID
}

// walkCall sends one DevTools protocol command for the walk and counts
// the round trip.
func walkCall[P, R any](w *walker, ctx context.Context, cmd cdp.Command[P, R], params P) (R, error) {
	w.trips++
	return chromedp.Call(ctx, cmd, params)
}

// walkKeyboard presses Tab through the first tab stops of the captured
// page and Enter on each same-document link among them, and stores what
// happened in the snapshot. A walk cut short keeps what it recorded and
// says why; it never fails the page by itself, but it returns the error
// that cut it short, so that the caller can tell a crashed renderer. It
// also returns how many DevTools protocol round trips the walk made.
func (pl *pageLoad) walkKeyboard(p *audit.Page, byBackend map[cdp.BackendNodeID]audit.NodeID) (int, error) {
	start := time.Now()
	stops := pl.b.opts.WalkStops
	if stops <= 0 {
		stops = DefaultWalkStops
	}
	ctx, cancel := context.WithTimeout(pl.tab, walkBudget)
	defer cancel()
	w := &walker{
		pl: pl, ctx: ctx, page: p, byBackend: byBackend,
		walk:        &audit.KeyboardWalk{MaxStops: stops, Stops: []audit.TabStop{}, FailedScripts: pl.sess.failedScriptCount()},
		navigations: pl.sess.navigationCount(),
	}
	p.Walk = w.walk
	p.Captured |= audit.CapKeyboard
	err := w.run()
	if err != nil && w.walk.Stopped == "" {
		w.walk.Stopped = w.stopReason(err)
	}
	if !errors.Is(err, errNavigated) {
		// Leave the page as it was for thumbnails: nothing focused, the
		// original address, the top of the page, no guard.
		if items, ferr := w.eval(fmt.Sprintf("reset(%s)", jsString(w.href)), false); ferr == nil {
			w.noteLate(items)
		}
		// Let the page forget the script and what its calls returned.
		if w.script != "" {
			_, _ = walkCall(w, w.ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: walkObjectGroup})
		}
	} else {
		pl.leftPage = true
	}
	w.walk.Millis = time.Since(start).Milliseconds()
	return w.trips, err
}

// stopReason words why the walk ended early.
func (w *walker) stopReason(err error) string {
	switch {
	case errors.Is(err, errNavigated):
		return "pressing a key loaded another document, so the walk stopped there"
	case errors.Is(w.ctx.Err(), context.DeadlineExceeded):
		return fmt.Sprintf("the walk ran out of time after %s", walkBudget)
	}
	return "the walk failed: " + err.Error()
}

func (w *walker) run() error {
	href, err := w.eval(fmt.Sprintf("record(%d)", minStops), false)
	if err != nil {
		return err
	}
	if len(href) != 2 || decodeJSON(href[0].Value, &w.href) != nil || decodeJSON(href[1].Value, &w.ahead) != nil {
		return errors.New("start the focus log: unexpected result")
	}
	if err := w.tabThrough(); err != nil {
		return err
	}
	for i := range w.walk.Stops {
		if w.walk.Stops[i].Fragment == "" || w.backends[i] == 0 {
			continue
		}
		if len(w.walk.Activations) >= maxActivations {
			break
		}
		if err := w.activate(i); err != nil {
			return err
		}
	}
	controls := 0
	for i := range w.walk.Stops {
		if w.inContent[i] || controls >= maxControls {
			break
		}
		role := controlRole(w.page, &w.walk.Stops[i])
		if role == "" || w.backends[i] == 0 {
			continue
		}
		if press := w.pl.b.opts.PressControl; press != nil && !press(w.page, &w.walk.Stops[i]) {
			continue // no rule could judge what pressing it does
		}
		if d, ok := w.ctx.Deadline(); ok && time.Until(d) < controlReserve {
			break // the walk keeps what it proved rather than run out of time
		}
		controls++
		if err := w.activateControl(i, role); err != nil {
			return err
		}
	}
	return nil
}

// tabThrough presses Tab up to MaxStops times from the page as it
// settled, recording each element that takes focus. It ends early when
// focus comes back to the first stop, or leaves the page for good (three
// presses in a row find nothing focused): the whole tab order was seen. It
// also ends, after at least minStops stops, at the first stop in the main
// content (the first main landmark, article or h1 and what follows): the
// blocks a skip link bypasses are behind it.
// Focus inside a frame the walk cannot look into (a cross-origin iframe)
// is recorded at the iframe element.
//
// It also ends at a focus trap: a Tab press that leaves focus on the stop
// it was on, or sends it back to an earlier stop without focus leaving the
// page first, as a real wrap does (see trapped).
//
// The presses go in batches, back to back, and the page's focus log (see
// record in js/walk.js) measures each state while it holds focus; one
// read per batch returns them. The log halts a batch at each state the
// walk must look at before the next press, so the walk presses and
// records what it would press and record one press at a time. When focus
// goes into a frame, whose presses the log cannot see, the walk keeps the
// states before it, puts focus back on the last of them and goes on one
// press at a time.
func (w *walker) tabThrough() error {
	empty := 0
	limit := w.walk.MaxStops
	presses := 0
	slow := false
	// last is the backend node of the latest state, 0 for none.
	var last cdp.BackendNodeID
	for len(w.walk.Stops) < limit && presses < limit+5 {
		if len(w.walk.Stops) == w.walk.MaxStops-1 && w.skipLinkAhead() {
			limit = extendedStops(w.walk.MaxStops)
		}
		n := min(limit-len(w.walk.Stops), limit+5-presses)
		if limit == w.walk.MaxStops && len(w.walk.Stops) < w.walk.MaxStops-1 {
			// The walk decides at MaxStops-1 stops whether to go further.
			n = min(n, w.walk.MaxStops-1-len(w.walk.Stops))
		}
		if slow {
			n = 1
		}
		n = max(1, min(n, w.ahead))
		for range n {
			if err := w.press(keyTab); err != nil {
				return err
			}
		}
		states, lost, err := w.drain(n)
		if err != nil {
			return err
		}
		for _, st := range states {
			presses++
			stop, backend, inContent, err := w.stopOf(st)
			if err != nil {
				return err
			}
			last = backend
			if stop == nil {
				// Focus left the page, briefly (the browser's own stop
				// between the last element and the first) or for good.
				if empty++; empty == 3 {
					w.walk.Wrapped = true
					return nil
				}
				continue
			}
			left := empty > 0
			empty = 0
			if !left && w.trapped(backend, stop.Node) {
				return w.probeTrap()
			}
			if len(w.backends) > 0 && backend == w.backends[0] && backend != 0 {
				w.walk.Wrapped = true
				return nil
			}
			w.walk.Stops = append(w.walk.Stops, *stop)
			w.backends = append(w.backends, backend)
			w.inContent = append(w.inContent, inContent)
			if inContent && len(w.walk.Stops) >= minStops {
				// Past the repeated blocks: later stops are the story's own.
				w.walk.ReachedContent = true
				return nil
			}
		}
		if lost {
			slow = true
			if last != 0 {
				if _, err := walkCall(w, w.ctx, dom.Focus, dom.FocusParams{BackendNodeID: last}); err != nil {
					return fmt.Errorf("focus the last stop seen before focus went into a frame: %w", err)
				}
			}
		}
	}
	return nil
}

// focusState is one state of the focus log: the focused element, the
// element at its centre, and what js/walk.js measured.
type focusState struct {
	el, hit jsItem
	facts   stopFacts
}

// drain reads the focus log after sent Tab presses: the state after each
// press that the log saw. lost reports that some presses went where the
// log could not see them (into a frame): the states returned are those
// before, and the rest must be pressed again one at a time.
func (w *walker) drain(sent int) (states []focusState, lost bool, err error) {
	items, err := w.eval(fmt.Sprintf("drain(%d, %d)", transitionWait.Milliseconds(), sent), true)
	if err != nil {
		return nil, false, err
	}
	var log struct {
		Entries []stopFacts `json:"entries"`
		Keys    int         `json:"keys"`
		Halted  bool        `json:"halted"`
		Entered int         `json:"entered"`
		Ahead   int         `json:"ahead"`
	}
	if len(items) == 0 || unmarshalString(items[len(items)-1], &log) != nil || len(items) != 2*len(log.Entries)+1 {
		return nil, false, errors.New("focus log: unexpected result")
	}
	w.ahead = log.Ahead
	for i, f := range log.Entries {
		states = append(states, focusState{el: items[2*i], hit: items[2*i+1], facts: f})
	}
	if sent > 1 && log.Keys != sent {
		// The states the log measured before focus went into a frame
		// stand: the press that went in was the Entered-th, and the
		// state after it is unknown.
		keep := 0
		if log.Entered > 0 {
			keep = min(log.Entered-1, len(states))
		}
		return states[:keep], true, nil
	}
	return states, false, nil
}

// stopOf turns a state of the focus log into a tab stop, with its backend
// node and whether it is in or after the page's main content. It returns
// a nil stop when no element had focus.
func (w *walker) stopOf(st focusState) (*audit.TabStop, cdp.BackendNodeID, bool, error) {
	f := st.facts
	if f.None {
		return nil, 0, false, nil
	}
	backend := backendOf(st.el)
	s := &audit.TabStop{
		Node: w.nodeOf(backend), Tag: f.Tag, Href: f.Href, Fragment: f.Fragment,
		Box: f.Box, Visible: f.Visible, Clip: f.Clip, Opacity: f.Opacity, Visibility: f.Visibility,
		ScrollY: f.ScrollY,
		Hit:     audit.Hit{Relation: audit.HitNone, Node: audit.NoNode},
	}
	s.Name = w.nameOf(s.Node, backend)
	if f.Point != nil {
		// The page's own hit test stands for most stops; for the links
		// within the page, which rules judge as skip links, overlays
		// with pointer-events:none are found too, and what is on top is
		// judged by what it paints. The log halts at such a link, so it
		// holds focus still.
		s.Hit = audit.Hit{X: f.Point.X, Y: f.Point.Y, Relation: f.HitRelation, Node: w.nodeOf(backendOf(st.hit)), Tag: f.HitTag, Fixed: f.HitFixed}
		if f.Fragment != "" {
			s.Hit = w.hitTest(f.Point.X, f.Point.Y, f.Visible, backendOf(st.hit), f)
		}
	}
	return s, backend, f.InContent, nil
}

// trapped reports whether focus, having just moved to the element with
// the backend id without leaving the page, is caught in a trap, and
// records the trap's stops. Focus that stays on the same stop is a trap,
// unless that stop is an element whose inside the walk cannot see (an
// iframe, a shadow host), where each press moves focus on unseen. Focus
// that goes back to an earlier stop is a trap round the stops since.
func (w *walker) trapped(backend cdp.BackendNodeID, node audit.NodeID) bool {
	if backend == 0 {
		return false
	}
	at := slices.Index(w.backends, backend)
	if at < 0 {
		return false
	}
	if at == len(w.backends)-1 && w.holdsUnseenFocus(node) {
		return false
	}
	for i := at; i < len(w.backends); i++ {
		w.walk.Trap = append(w.walk.Trap, i)
	}
	return true
}

// holdsUnseenFocus reports whether focus can move inside the element
// while the page reports the element itself as focused: a frame, or the
// host of a shadow tree the walk's script cannot enter (a closed one).
func (w *walker) holdsUnseenFocus(node audit.NodeID) bool {
	if node == audit.NoNode {
		return true // not in the snapshot: nothing to go by
	}
	p := w.page
	if p.Node(node).Is("iframe", "frame") {
		return true
	}
	for _, c := range p.Node(node).Children {
		if p.Node(c).InShadow {
			return true
		}
	}
	return false
}

// probeTrap ends the walk at the trap it ran into: it says so, and
// presses Shift+Tab on the trap's first stop to see whether focus can at
// least leave it backwards.
func (w *walker) probeTrap() error {
	trap := w.walk.Trap
	if len(trap) == 1 {
		w.walk.Stopped = fmt.Sprintf("Tab kept focus on tab stop %d, so the walk could go no further", trap[0]+1)
	} else {
		w.walk.Stopped = fmt.Sprintf("Tab kept focus among tab stops %d to %d, so the walk could go no further", trap[0]+1, trap[len(trap)-1]+1)
	}
	first := w.backends[trap[0]]
	if _, err := walkCall(w, w.ctx, dom.Focus, dom.FocusParams{BackendNodeID: first}); err != nil {
		return nil // the stop cannot be focused again: nothing to learn
	}
	if err := w.press(keyShiftTab); err != nil {
		return err
	}
	items, err := w.eval("active()", false)
	if err != nil {
		return err
	}
	at := -1
	if len(items) == 1 {
		if b := backendOf(items[0]); b != 0 {
			at = slices.Index(w.backends, b)
		}
	}
	w.walk.TrapLeftBackwards = !slices.Contains(trap, at)
	return nil
}

// extendedStops is how far the walk goes to reach a skip link it has not
// met by MaxStops.
func extendedStops(maxStops int) int { return 3 * maxStops }

// skipLinkAhead reports whether the walk should go on past MaxStops: no
// stop so far is a link within the page, and the page has such a link
// before its main content (a skip link behind a long admin bar or menu).
func (w *walker) skipLinkAhead() bool {
	for _, s := range w.walk.Stops {
		if s.Fragment != "" {
			return false
		}
	}
	items, err := w.eval("linksBeforeContent()", false)
	if err != nil || len(items) != 1 {
		return false
	}
	var n int
	return decodeJSON(items[0].Value, &n) == nil && n > 0
}

// stopFacts is what js/walk.js measures of a focused element.
type stopFacts struct {
	None       bool       `json:"none"`
	Tag        string     `json:"tag"`
	Href       string     `json:"href"`
	Fragment   string     `json:"fragment"`
	Box        audit.Rect `json:"box"`
	Visible    audit.Rect `json:"visible"`
	Clip       string     `json:"clip"`
	Opacity    float64    `json:"opacity"`
	Visibility string     `json:"visibility"`
	ScrollX    float64    `json:"scrollX"`
	ScrollY    float64    `json:"scrollY"`
	Point      *struct {
		X float64 `json:"x"`
		Y float64 `json:"y"`
	} `json:"point"`
	HitRelation string `json:"hitRelation"`
	HitTag      string `json:"hitTag"`
	HitFixed    bool   `json:"hitFixed"`
	Relation    string `json:"relation"`
	InContent   bool   `json:"inContent"`
}

// hitTest finds what is on top of the focused element at a point, with
// every element hit-testable (overlays with pointer-events:none too), and
// judges whether what lies above the element there paints over its
// visible box (see the paint model in js/walk.js). Style settles most
// cases; when only pixels can tell (a picture that may be transparent),
// it compares screenshots of the visible box with and without the
// elements in doubt. When the script fails, the page's own hit test,
// measured with the focused element's facts, stands, unjudged.
func (w *walker) hitTest(x, y float64, visible audit.Rect, jsHit cdp.BackendNodeID, f stopFacts) audit.Hit {
	h := audit.Hit{X: x, Y: y, Relation: f.HitRelation, Node: w.nodeOf(jsHit), Tag: f.HitTag, Fixed: f.HitFixed}
	items, err := w.eval(fmt.Sprintf("paintAt(%s, %s)", jsNumber(x), jsNumber(y)), false)
	var facts struct {
		Relation   string `json:"relation"`
		Tag        string `json:"tag"`
		Fixed      bool   `json:"fixed"`
		Painted    bool   `json:"painted"`
		Paint      string `json:"paint"`
		Paints     string `json:"paints"`
		Value      string `json:"value"`
		PainterTag string `json:"painterTag"`
		Hidden     int    `json:"hidden"`
	}
	if err != nil || len(items) != 3 || unmarshalString(items[2], &facts) != nil {
		return h
	}
	h.Relation, h.Node, h.Tag, h.Fixed = facts.Relation, w.nodeOf(backendOf(items[0])), facts.Tag, facts.Fixed
	if h.Relation != audit.HitOther {
		return h
	}
	h.Paint, h.Painted, h.Paints, h.PaintValue, h.PaintTag = facts.Paint, facts.Painted, facts.Paints, facts.Value, facts.PainterTag
	if facts.Paint == audit.PaintPixels {
		// The screenshot's clip is in document coordinates.
		box := audit.Rect{X: visible.X + f.ScrollX, Y: visible.Y + f.ScrollY, W: visible.W, H: visible.H}
		painted, err := w.paintsPixels(box, facts.Hidden > 0)
		if err != nil {
			h.Paint = "" // unjudged: the hit covers, as before paint was judged
			return h
		}
		h.Painted = painted
	}
	return h
}

// Pixel comparison bounds.
const (
	// shotWait bounds each screenshot of the pixel comparison.
	shotWait = 3 * time.Second
	// paintShare is the share of a box's pixels that must differ with and
	// without a cover for the cover to paint over it: below it, the
	// difference is noise (a caret, an antialiased edge).
	paintShare = 0.01
)

// paintsPixels compares a screenshot of the box (document CSS pixels)
// taken while js/walk.js's paintAt has the elements in doubt hidden with
// one taken after reveal gives them back, and reports whether they
// differ in at least paintShare of the pixels. hidden says whether
// paintAt hid anything; the elements are given back whatever happens.
func (w *walker) paintsPixels(box audit.Rect, hidden bool) (bool, error) {
	// Give the page back even when the walk's time ran out.
	ctx, cancel := context.WithTimeout(w.pl.tab, shotWait)
	defer cancel()
	reveal := func() error {
		_, err := w.evalIn(ctx, "reveal()", false)
		return err
	}
	if !hidden {
		return false, errors.New("nothing to compare")
	}
	without, err := w.shot(ctx, box)
	if err != nil {
		_ = reveal()
		return false, err
	}
	if err := reveal(); err != nil {
		return false, fmt.Errorf("give the hidden elements back: %w", err)
	}
	with, err := w.shot(ctx, box)
	if err != nil {
		return false, err
	}
	share, err := differing(with, without)
	if err != nil {
		return false, err
	}
	return share >= paintShare, nil
}

// shot takes a lossless screenshot of a box in document CSS pixels, at
// one device pixel per CSS pixel.
func (w *walker) shot(ctx context.Context, box audit.Rect) ([]byte, error) {
	res, err := walkCall(w, ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng,
		Clip:   &page.Viewport{X: box.X, Y: box.Y, Width: box.W, Height: box.H, Scale: 1},
	})
	if err != nil {
		return nil, fmt.Errorf("screenshot of the focused element's box: %w", err)
	}
	return res.Data, nil
}

// differing returns the share of pixels that differ between two PNG
// screenshots of the same box: by more than a little in any channel.
func differing(a, b []byte) (float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, fmt.Errorf("decode screenshot: %w", err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, fmt.Errorf("decode screenshot: %w", err)
	}
	ra, rb := ia.Bounds(), ib.Bounds()
	if ra.Dx() != rb.Dx() || ra.Dy() != rb.Dy() {
		return 1, nil
	}
	if ra.Empty() {
		return 0, nil
	}
	n := 0
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			r1, g1, b1, a1 := ia.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			r2, g2, b2, a2 := ib.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				n++
			}
		}
	}
	return float64(n) / float64(ra.Dx()*ra.Dy()), nil
}

// far reports whether two 16-bit channel values differ by more than 2
// in 8 bits.
func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > 2 || d < -2
}

// jsNumber writes a coordinate as a JavaScript number literal.
func jsNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// activate presses Enter on the same-document link at stop i, reached
// again by Tab from the first stop, and records where focus went, what
// the next Tab press focused, and what covers the target after the jump.
func (w *walker) activate(i int) error {
	stop := w.walk.Stops[i]
	act := audit.Activation{
		Stop: i, Fragment: stop.Fragment, Target: audit.NoNode, Focused: audit.NoNode, Next: audit.NoNode,
		FocusRelation: audit.RelNone, NextRelation: audit.RelNone, Block: audit.NoNode,
		Landing: audit.Coverage{Node: audit.NoNode, By: audit.NoNode},
		Content: audit.Coverage{Node: audit.NoNode, By: audit.NoNode},
	}
	reached, err := w.reach(i)
	if err != nil {
		return err
	}
	if !reached {
		return nil // the link cannot be focused again: nothing to press
	}
	act.Retabbed = w.retabbed
	items, err := w.eval(fmt.Sprintf("before(%s)", jsString(stop.Fragment)), false)
	if err != nil {
		return err
	}
	var before struct {
		Hash    string  `json:"hash"`
		ScrollY float64 `json:"scrollY"`
		Found   bool    `json:"found"`
	}
	if len(items) != 3 || unmarshalString(items[2], &before) != nil {
		return errors.New("before Enter: unexpected result")
	}
	if backendOf(items[0]) != w.backends[i] {
		return nil // something else took focus; do not press Enter on it
	}
	act.HashBefore, act.ScrollBefore, act.TargetFound = before.Hash, before.ScrollY, before.Found
	act.Target = w.nodeOf(backendOf(items[1]))
	if err := w.guard(); err != nil {
		return err
	}
	act.Keys = []string{audit.KeyEnter}
	if err := w.press(keyEnter); err != nil {
		return err
	}
	if err := w.checkNavigation(); err != nil {
		return err
	}
	items, err = w.eval(fmt.Sprintf("after(%s, %d)", jsString(stop.Fragment), scrollWait.Milliseconds()), true)
	if err != nil {
		return err
	}
	var after struct {
		Hash       string        `json:"hash"`
		ScrollY    float64       `json:"scrollY"`
		FocusedTag string        `json:"focusedTag"`
		Relation   string        `json:"relation"`
		Landing    coverageFacts `json:"landing"`
		Content    coverageFacts `json:"content"`
		// Left is the address of another document the page tried to
		// load while the guard ran (see js/walk.js), "" when none.
		Left string `json:"left"`
	}
	if len(items) != 7 || unmarshalString(items[6], &after) != nil {
		return errors.New("after Enter: unexpected result")
	}
	act.HashAfter, act.ScrollAfter = after.Hash, after.ScrollY
	act.Focused, act.FocusedTag, act.FocusRelation = w.nodeOf(backendOf(items[0])), after.FocusedTag, after.Relation
	act.LeftPage = after.Left
	if act.Target == audit.NoNode {
		act.Target = w.nodeOf(backendOf(items[1]))
	}
	act.Landing = w.coverage(after.Landing, backendOf(items[2]), backendOf(items[3]))
	act.Content = w.coverage(after.Content, backendOf(items[4]), backendOf(items[5]))
	if err := w.press(keyTab); err != nil {
		return err
	}
	if err := w.checkNavigation(); err != nil {
		return err
	}
	if err := w.readNext(fmt.Sprintf("next(%s)", jsString(stop.Fragment)), &act); err != nil {
		return err
	}
	if act.LeftPage != "" || act.HashAfter != act.HashBefore || act.ScrollAfter != act.ScrollBefore || act.Moved() {
		act.Key = audit.KeyEnter
	}
	w.walk.Activations = append(w.walk.Activations, act)
	return nil
}

// controlRole says whether a tab stop is a control the walk presses, and
// how: ControlButton for a button or an element with role button,
// ControlLink for an element with role link that is not a link, a script
// link ("#", "#!…", "javascript:") or a link to another document with a
// fragment (a skip link written with the site's address). Links within
// the page are activated as links, other links not at all, and nothing
// in a dialog (a consent banner's buttons bypass nothing) or a frame.
// The words of a control's name play no part here; Options.PressControl,
// the rules' own choice, may leave a control unpressed.
func controlRole(p *audit.Page, s *audit.TabStop) string {
	if s.Node == audit.NoNode || s.Fragment != "" {
		return ""
	}
	n := p.Node(s.Node)
	if n.Frame != 0 || inDialogSnapshot(p, s.Node) {
		return ""
	}
	link := n.Is("a", "area") && n.HasAttr("href")
	switch n.Role() {
	case "button":
		return audit.ControlButton
	case "link":
		if !link {
			return audit.ControlLink
		}
	case "":
		if n.Is("button") {
			return audit.ControlButton
		}
	default:
		return ""
	}
	if !link {
		return ""
	}
	if t := strings.ToLower(strings.TrimSpace(n.AttrOr("target", ""))); t != "" && t != "_self" {
		return "" // opens another window
	}
	href := strings.TrimSpace(n.AttrOr("href", ""))
	lower := strings.ToLower(href)
	switch {
	case href == "#", strings.HasPrefix(href, "#!"), strings.HasPrefix(href, "#/"), strings.HasPrefix(lower, "javascript:"):
		return audit.ControlLink
	case !strings.HasPrefix(href, "#") && strings.Contains(href, "#") && !strings.HasSuffix(href, "#"):
		return audit.ControlLink
	}
	return ""
}

// inDialogSnapshot reports whether an element sits in a dialog by the
// snapshot's markup: a dialog element, role dialog or alertdialog, or
// aria-modal.
func inDialogSnapshot(p *audit.Page, id audit.NodeID) bool {
	for a := id; a != audit.NoNode; a = p.Node(a).Parent {
		n := p.Node(a)
		if n.Kind != audit.ElementNode {
			continue
		}
		if r := n.Role(); n.Is("dialog") || r == "dialog" || r == "alertdialog" || strings.EqualFold(n.AttrOr("aria-modal", ""), "true") {
			return true
		}
	}
	return false
}

// controlFacts is what js/walk.js records of a control before and after
// a key press.
type controlFacts struct {
	Hash       string        `json:"hash"`
	ScrollY    float64       `json:"scrollY"`
	Expanded   string        `json:"expanded"`
	Stops      int           `json:"stops"`
	Block      string        `json:"block"`
	Left       string        `json:"left"`
	FocusedTag string        `json:"focusedTag"`
	Relation   string        `json:"relation"`
	Landing    coverageFacts `json:"landing"`
	Content    coverageFacts `json:"content"`
}

// coverageFacts is what js/walk.js samples over an element after a jump
// (see audit.Coverage); the elements themselves come as separate items.
type coverageFacts struct {
	Tag     string `json:"tag"`
	Text    string `json:"text"`
	Points  int    `json:"points"`
	Covered int    `json:"covered"`
	ByTag   string `json:"byTag"`
}

// coverage turns sampled facts, the sampled element and its first cover
// into an audit.Coverage.
func (w *walker) coverage(f coverageFacts, node, by cdp.BackendNodeID) audit.Coverage {
	return audit.Coverage{Node: w.nodeOf(node), Tag: f.Tag, Text: f.Text, Points: f.Points, Covered: f.Covered, By: w.nodeOf(by), ByTag: f.ByTag}
}

// activateControl presses the keys its role calls for on the control at
// stop i, reached again by Tab, with navigations to other documents
// cancelled: Enter, then, for a button, Space when Enter did nothing. It
// records what the press that did something did (where focus went, what
// the next Tab focused, the tab stops of the block the control governs)
// and puts a control that changed the page back by pressing it again.
func (w *walker) activateControl(i int, role string) error {
	act := audit.Activation{
		Stop: i, Control: true, Role: role, Target: audit.NoNode, Focused: audit.NoNode, Next: audit.NoNode,
		FocusRelation: audit.RelNone, NextRelation: audit.RelNone, Block: audit.NoNode,
		Landing: audit.Coverage{Node: audit.NoNode, By: audit.NoNode},
		Content: audit.Coverage{Node: audit.NoNode, By: audit.NoNode},
	}
	reached, err := w.reach(i)
	if err != nil || !reached {
		return err
	}
	act.Retabbed = w.retabbed
	if err := w.guard(); err != nil {
		return err
	}
	items, err := w.eval("control()", false)
	if err != nil {
		return err
	}
	if len(items) != 1 || backendOf(items[0]) != w.backends[i] {
		_, err = w.eval("unguard()", false)
		return err // something else took focus; press nothing
	}
	var before controlFacts
	items, err = w.eval("controlState()", false)
	if err != nil {
		return err
	}
	if len(items) != 2 || unmarshalString(items[1], &before) != nil {
		return errors.New("before pressing a control: unexpected result")
	}
	act.HashBefore, act.ScrollBefore, act.ExpandedBefore, act.BlockStopsBefore = before.Hash, before.ScrollY, before.Expanded, before.Stops
	act.Block, act.BlockTag = w.nodeOf(backendOf(items[0])), before.Block
	keys := []key{keyEnter}
	if role == audit.ControlButton {
		keys = append(keys, keySpace)
	}
	var after controlFacts
	var pressed key
	for _, k := range keys {
		act.Keys = append(act.Keys, k.label)
		if err := w.press(k); err != nil {
			return err
		}
		items, err = w.eval(fmt.Sprintf("controlAfter(%d)", scrollWait.Milliseconds()), true)
		if err != nil {
			return err
		}
		after = controlFacts{}
		if len(items) != 7 || unmarshalString(items[6], &after) != nil {
			return errors.New("after pressing a control: unexpected result")
		}
		changed := after.Left != "" || after.Relation != audit.RelTarget || after.Hash != before.Hash ||
			after.ScrollY != before.ScrollY || after.Expanded != before.Expanded || after.Stops != before.Stops
		if changed {
			act.Key, pressed = k.label, k
			break
		}
	}
	act.HashAfter, act.ScrollAfter, act.ExpandedAfter, act.BlockStopsAfter = after.Hash, after.ScrollY, after.Expanded, after.Stops
	act.LeftPage = after.Left
	act.Focused, act.FocusedTag, act.FocusRelation = w.nodeOf(backendOf(items[0])), after.FocusedTag, after.Relation
	act.Landing = w.coverage(after.Landing, backendOf(items[2]), backendOf(items[3]))
	act.Content = w.coverage(after.Content, backendOf(items[4]), backendOf(items[5]))
	if err := w.press(keyTab); err != nil {
		return err
	}
	if err := w.readNext("nextFromControl()", &act); err != nil {
		return err
	}
	w.walk.Activations = append(w.walk.Activations, act)
	if act.Key != "" && act.LeftPage == "" && (act.ExpandedAfter != act.ExpandedBefore || act.BlockStopsAfter != act.BlockStopsBefore) {
		// Put the menu back as it was, for the presses that follow and
		// the thumbnails, by pressing the control again.
		if _, err := walkCall(w, w.ctx, dom.Focus, dom.FocusParams{BackendNodeID: w.backends[i]}); err == nil {
			if err := w.press(pressed); err != nil {
				return err
			}
		}
	}
	_, err = w.eval("unguard()", false)
	return err
}

// guard starts watching a key press (see guard in js/walk.js), which
// cancels the navigations it starts. A navigation that the previous
// press started only after the walk had read what it did, cancelled all
// the same, is given to that press's activation.
func (w *walker) guard() error {
	items, err := w.eval("guard()", false)
	if err != nil {
		return err
	}
	w.noteLate(items)
	return nil
}

// noteLate gives the address a press tried to load late, the result of
// guard() or reset() in js/walk.js, to the last activation, unless it
// already left the page. When the activation pressed one key, that key
// is its Key; after Enter and Space on a button, which of them started
// the navigation cannot be told, and its Key stays as read.
func (w *walker) noteLate(items []jsItem) {
	var late string
	n := len(w.walk.Activations)
	if n == 0 || len(items) != 1 || decodeJSON(items[0].Value, &late) != nil || late == "" {
		return
	}
	act := &w.walk.Activations[n-1]
	if act.LeftPage != "" {
		return
	}
	act.LeftPage = late
	if act.Key == "" && len(act.Keys) == 1 {
		act.Key = act.Keys[0]
	}
}

// readNext runs call, the page's reading of what the Tab press after an
// activation focused, and records it in act: the element, how it relates
// to the target, and the address the press sent the page to, if any.
func (w *walker) readNext(call string, act *audit.Activation) error {
	items, err := w.eval(call, false)
	if err != nil {
		return err
	}
	var next struct {
		Tag      string `json:"tag"`
		Relation string `json:"relation"`
		Left     string `json:"left"`
	}
	if len(items) != 2 || unmarshalString(items[1], &next) != nil {
		return errors.New("after Tab: unexpected result")
	}
	// Focus that went round to the page's first stop means nothing after
	// the target takes focus: the Tab left the page.
	if b := backendOf(items[0]); b != 0 && b != w.backends[0] {
		act.Next, act.NextTag, act.NextRelation = w.nodeOf(b), next.Tag, next.Relation
		act.NextName = w.nameOf(act.Next, b)
	}
	if act.LeftPage == "" {
		// A router may load another page only on the Tab press.
		act.LeftPage = next.Left
	}
	return nil
}

// reach puts focus on stop i the way a user gets there: it focuses the
// stop before it and presses Tab. The first stop, and a stop the Tab
// press does not land on (the page changed its tab order), are focused
// directly. It reports false when the stop cannot be focused at all.
func (w *walker) reach(i int) (bool, error) {
	w.retabbed = false
	items, err := w.eval(fmt.Sprintf("reset(%s)", jsString(w.href)), false)
	if err != nil {
		return false, err
	}
	w.noteLate(items)
	if i > 0 {
		if _, err := walkCall(w, w.ctx, dom.Focus, dom.FocusParams{BackendNodeID: w.backends[i-1]}); err == nil {
			if err := w.press(keyTab); err != nil {
				return false, err
			}
			items, err := w.eval("active()", false)
			if err != nil {
				return false, err
			}
			if len(items) == 1 && backendOf(items[0]) == w.backends[i] {
				w.retabbed = true
				return true, nil
			}
		}
	}
	if _, err := walkCall(w, w.ctx, dom.Focus, dom.FocusParams{BackendNodeID: w.backends[i]}); err != nil {
		return false, nil
	}
	return true, nil
}

// checkNavigation fails the walk when the page started loading another
// document since the walk began.
func (w *walker) checkNavigation() error {
	if w.pl.sess.navigationCount() != w.navigations {
		return errNavigated
	}
	return nil
}

// A key is one key of the walk.
type key struct {
	// name is the key's KeyboardEvent.key, dom its KeyboardEvent.code.
	name, dom string
	code      int64
	text      string
	modifiers int64
	// label names the key in an Activation.
	label string
}

var (
	keyTab      = key{name: "Tab", dom: "Tab", code: 9}
	keyShiftTab = key{name: "Tab", dom: "Tab", code: 9, modifiers: modifierShift}
	keyEnter    = key{name: "Enter", dom: "Enter", code: 13, text: "\r", label: audit.KeyEnter}
	keySpace    = key{name: " ", dom: "Space", code: 32, text: " ", label: audit.KeySpace}
)

// modifierShift is the Shift key's bit in Input.dispatchKeyEvent's
// modifiers.
const modifierShift = 8

// press sends a key down and up, as a physical key press does.
func (w *walker) press(k key) error {
	down := input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeRawKeyDown, Key: k.name, Code: k.dom,
		WindowsVirtualKeyCode: k.code, NativeVirtualKeyCode: k.code, Modifiers: k.modifiers,
	}
	if k.text != "" {
		down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, k.text, k.text
	}
	if _, err := walkCall(w, w.ctx, input.DispatchKeyEvent, down); err != nil {
		return w.wrap(fmt.Errorf("press %s: %w", k.name, err))
	}
	up := input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeKeyUp, Key: k.name, Code: k.dom,
		WindowsVirtualKeyCode: k.code, NativeVirtualKeyCode: k.code, Modifiers: k.modifiers,
	}
	if _, err := walkCall(w, w.ctx, input.DispatchKeyEvent, up); err != nil {
		return w.wrap(fmt.Errorf("release %s: %w", k.name, err))
	}
	return w.checkNavigation()
}

// wrap turns an error seen after the page navigated into errNavigated.
func (w *walker) wrap(err error) error {
	if w.checkNavigation() != nil {
		return errNavigated
	}
	return err
}

// jsItem is one entry of a deep-serialized array. An object that occurs
// twice is serialized once; both entries carry the same weak reference.
type jsItem struct {
	Type  string       `json:"type"`
	Value jsonv2.Value `json:"value"`
	Ref   int64        `json:"weakLocalObjectReference"`
}

// eval calls a method of js/walk.js, written as "name(args)", and returns
// the entries of the array it returns (a non-array result is one entry).
func (w *walker) eval(call string, await bool) ([]jsItem, error) {
	return w.evalIn(w.ctx, call, await)
}

// walkObjectGroup names the DevTools object group that holds the walk's
// instance of js/walk.js in the page. The page's next document frees it.
const walkObjectGroup = "newsa11y-walk"

// evalIn is eval bounded by ctx. The script is evaluated once per walk:
// the DevTools protocol keeps a reference to the object it makes, out of
// the page's reach, and each call is a short Runtime.callFunctionOn on
// it rather than the whole script (some 55 KB, carried, parsed and
// compiled again each time; a walk makes a dozen calls or more). The
// object lives as long as the page's document: one that loads another
// document ends the walk (see wrap).
func (w *walker) evalIn(ctx context.Context, call string, await bool) ([]jsItem, error) {
	res, err := w.callScript(ctx, call, await)
	if err != nil {
		return nil, w.wrap(err)
	}
	if res.ExceptionDetails != nil {
		return nil, w.wrap(fmt.Errorf("script failed: %s", exceptionText(res.ExceptionDetails)))
	}
	if res.Result == nil || res.Result.DeepSerializedValue == nil {
		return nil, nil
	}
	v := res.Result.DeepSerializedValue
	if v.Type != "array" {
		return []jsItem{{Type: string(v.Type), Value: v.Value}}, nil
	}
	var items []jsItem
	if err := decodeJSON(v.Value, &items); err != nil {
		return nil, fmt.Errorf("decode %s: %w", call, err)
	}
	// Give repeated objects the value of their first occurrence.
	byRef := map[int64]jsonv2.Value{}
	for _, it := range items {
		if it.Ref != 0 && len(it.Value) > 0 {
			byRef[it.Ref] = it.Value
		}
	}
	for i := range items {
		if it := &items[i]; it.Ref != 0 && len(it.Value) == 0 {
			it.Value = byRef[it.Ref]
		}
	}
	return items, nil
}

// callScript makes the page's instance of js/walk.js if the walk has
// none yet, and calls one of its methods.
func (w *walker) callScript(ctx context.Context, call string, await bool) (runtime.CallFunctionOnResult, error) {
	if w.script == "" {
		res, err := walkCall(w, ctx, runtime.Evaluate, runtime.EvaluateParams{
			Expression: "(" + walkJS + ")", ObjectGroup: walkObjectGroup, Silent: new(true),
		})
		if err != nil {
			return runtime.CallFunctionOnResult{}, fmt.Errorf("load the walk's script: %w", err)
		}
		if res.ExceptionDetails != nil {
			return runtime.CallFunctionOnResult{}, fmt.Errorf("load the walk's script: %s", exceptionText(res.ExceptionDetails))
		}
		if res.Result == nil || res.Result.ObjectID == "" {
			return runtime.CallFunctionOnResult{}, errors.New("load the walk's script: no object")
		}
		w.script = res.Result.ObjectID
	}
	return walkCall(w, ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration:  "function () { return this." + call + "; }",
		ObjectID:             w.script,
		AwaitPromise:         new(await),
		Silent:               new(true),
		SerializationOptions: &runtime.SerializationOptions{Serialization: runtime.SerializationOptionsSerializationDeep, MaxDepth: new(int64(1))},
	})
}

// backendOf returns the backend node id of a node entry, 0 for others.
func backendOf(it jsItem) cdp.BackendNodeID {
	if it.Type != "node" {
		return 0
	}
	var n struct {
		BackendNodeID cdp.BackendNodeID `json:"backendNodeId"`
	}
	if decodeJSON(it.Value, &n) != nil {
		return 0
	}
	return n.BackendNodeID
}

// unmarshalString decodes a string entry holding JSON into v.
func unmarshalString(it jsItem, v any) error {
	var s string
	if err := decodeJSON(it.Value, &s); err != nil {
		return fmt.Errorf("not a string: %w", err)
	}
	return json.Unmarshal([]byte(s), v)
}

// nodeOf maps a backend node id to the snapshot, NoNode when absent.
func (w *walker) nodeOf(b cdp.BackendNodeID) audit.NodeID {
	if b == 0 {
		return audit.NoNode
	}
	if id, ok := w.byBackend[b]; ok {
		return id
	}
	return audit.NoNode
}

// nameOf returns an element's accessible name: the snapshot's when it has
// one for the node, else the browser's (Accessibility.getPartialAXTree).
func (w *walker) nameOf(id audit.NodeID, b cdp.BackendNodeID) string {
	if id != audit.NoNode && w.page.Captured.Has(audit.CapAX) {
		if ax := w.page.Node(id).AX; ax != nil {
			return audit.CollapseSpace(ax.Name)
		}
	}
	if b == 0 {
		return ""
	}
	res, err := walkCall(w, w.ctx, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{
		BackendNodeID: b, FetchRelatives: new(false),
	})
	if err != nil {
		return ""
	}
	for _, n := range res.Nodes {
		if n.BackendDOMNodeID == b && n.Name != nil {
			return audit.CollapseSpace(axString(n.Name.Value))
		}
	}
	return ""
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
