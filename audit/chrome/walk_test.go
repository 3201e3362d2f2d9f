package chrome_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// walkNeeds asks for everything, the keyboard walk included.
const walkNeeds = audit.CapDOM | audit.CapAX | audit.CapKeyboard

func loadWalk(t *testing.T, b *chrome.Browser, url string, needs audit.Capability) *audit.Page {
	t.Helper()
	testtime.Log(t)
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Bound(time.Minute))
	defer cancel()
	p, err := b.Load(ctx, audit.Target{URL: url}, needs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// stopIDs lists the id attributes of the walk's stops.
func stopIDs(p *audit.Page) []string {
	var ids []string
	for _, s := range p.Walk.Stops {
		id := "?"
		if s.Node != audit.NoNode {
			id = p.Node(s.Node).AttrOr("id", "")
		}
		ids = append(ids, id)
	}
	return ids
}

func TestKeyboardWalk(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("walk.html"), walkNeeds)
	if !p.Captured.Has(audit.CapKeyboard) || p.Walk == nil {
		t.Fatalf("no walk: captured %s", p.Captured)
	}
	w := p.Walk
	if got := strings.Join(stopIDs(p), " "); got != "skip hidden-skip world sport story-link wrapping" || !w.Wrapped || w.Stopped != "" {
		t.Fatalf("stops %q wrapped %v stopped %q", got, w.Wrapped, w.Stopped)
	}
	skip := w.Stops[0]
	if skip.Name != "Skip to content" || skip.Fragment != "main" || !skip.InViewport() || skip.Box.X != 8 ||
		skip.Hit.Relation != audit.HitElement || skip.Hit.Node != skip.Node {
		t.Errorf("the off-screen-until-focused skip link, focused: %+v", skip)
	}
	clipped := w.Stops[1]
	if clipped.InViewport() || !strings.HasPrefix(clipped.Clip, "clip: rect(0px") || clipped.Hit.Relation != audit.HitNone {
		t.Errorf("the clipped skip link, focused: %+v", clipped)
	}
	if story := w.Stops[4]; story.ScrollY == 0 || !story.InViewport() || story.Hit.Relation != audit.HitElement {
		t.Errorf("the story link was not scrolled into view and hit: %+v", story)
	}
	// A link on two lines has a gap in the middle of its bounding box; the
	// hit test aims at one of its lines.
	if wrap := w.Stops[5]; wrap.Box.H < 30 || wrap.Hit.Relation != audit.HitElement {
		t.Errorf("the link on two lines: %+v", wrap)
	}
	if len(w.Activations) != 2 {
		t.Fatalf("activations: %+v", w.Activations)
	}
	a := w.Activations[0]
	main := byIDNode(p, "main")
	if w.Activations[1].Stop != 1 || !w.Activations[1].Retabbed {
		t.Errorf("the second link was not reached by Tab from the first: %+v", w.Activations[1])
	}
	if a.Stop != 0 || a.Retabbed || !a.TargetFound || a.Target != main || a.HashAfter != "#main" || a.ScrollAfter <= 0 {
		t.Errorf("activation of the skip link: %+v", a)
	}
	// The target cannot take focus: focus stays on the body and the next
	// Tab goes inside it.
	if a.FocusRelation != audit.RelNone || a.FocusedTag != "body" || a.NextRelation != audit.RelInside ||
		a.Next != byIDNode(p, "story-link") || !a.Moved() {
		t.Errorf("focus after Enter: %+v", a)
	}
	if a.Landing.Node != main || a.Landing.Points == 0 || a.Landing.Covered != 0 || a.Content.Node != byIDNode(p, "headline") || a.Content.Text != "Headline" {
		t.Errorf("coverage after the jump: landing %+v content %+v", a.Landing, a.Content)
	}
}

// TestWalkPressesControls checks the presses on the controls before the
// main content: a button that moves focus with Enter, a role=button that
// answers only Space, a skip link to another document whose navigation
// is cancelled, and a collapse control that takes its menu's links out of
// the tab order and is put back afterwards.
func TestWalkPressesControls(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("controls.html"), walkNeeds)
	w := p.Walk
	if w == nil || w.Stopped != "" {
		t.Fatalf("walk %+v", w)
	}
	if got := strings.Join(stopIDs(p), " "); !strings.HasPrefix(got, "skip-button space-button away collapse world") {
		t.Fatalf("stops %q", got)
	}
	if len(w.Activations) != 4 {
		t.Fatalf("activations: %+v", w.Activations)
	}
	main := byIDNode(p, "main")
	skip, space, away, collapse := w.Activations[0], w.Activations[1], w.Activations[2], w.Activations[3]
	if !skip.Control || skip.Role != audit.ControlButton || skip.Key != audit.KeyEnter || strings.Join(skip.Keys, " ") != "Enter" ||
		skip.Focused != main || skip.FocusRelation != audit.RelAfter || !skip.MovedOn() || skip.Collapsed() {
		t.Errorf("the skip button: %+v", skip)
	}
	if space.Role != audit.ControlButton || space.Key != audit.KeySpace || strings.Join(space.Keys, " ") != "Enter Space" || space.Focused != main || !space.MovedOn() {
		t.Errorf("the role=button that answers Space: %+v", space)
	}
	if away.Role != audit.ControlLink || !strings.HasSuffix(away.LeftPage, "/elsewhere.html#main") || away.MovedOn() || strings.Join(away.Keys, " ") != "Enter" {
		t.Errorf("the skip link to another document: %+v", away)
	}
	if collapse.Key != audit.KeyEnter || collapse.ExpandedBefore != "true" || collapse.ExpandedAfter != "false" ||
		collapse.Block != byIDNode(p, "menu") || collapse.BlockStopsBefore != 3 || collapse.BlockStopsAfter != 0 || !collapse.Collapsed() {
		t.Errorf("the collapse control: %+v", collapse)
	}
	// The page is the captured document still, with its menu put back.
	if p.Facts.Title != "Controls" {
		t.Errorf("title %q", p.Facts.Title)
	}
}

func TestWalkIsSkippedWhenNoRuleNeedsIt(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("walk.html"), audit.CapDOM|audit.CapAX)
	if p.Walk != nil || p.Captured.Has(audit.CapKeyboard) {
		t.Errorf("walk %+v, captured %s; want none", p.Walk, p.Captured)
	}
}

// TestWalkCancelsNavigation checks that a same-document link whose click
// handler loads another page is recorded as leaving it, and that the walk
// goes on over the captured document.
func TestWalkCancelsNavigation(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p, open, err := b.LoadOpen(context.Background(), audit.Target{URL: srv.URLFor("navigate-away.html")}, walkNeeds)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	w := p.Walk
	if w == nil || w.Stopped != "" || len(w.Stops) != 3 || len(w.Activations) != 1 {
		t.Fatalf("walk = %+v; want it whole, with the one activation", w)
	}
	if a := w.Activations[0]; !strings.HasSuffix(a.LeftPage, "/structure.html") || a.Key != audit.KeyEnter || a.Moved() {
		t.Errorf("activation %+v; want it to record the page it tried to load", a)
	}
	if _, err := open.Thumbnail(context.Background(), byIDNode(p, "skip")); err != nil {
		t.Errorf("no thumbnail from the tab, which should still show the page: %v", err)
	}
}

// TestWalkCancelsReload checks that a control that would reload the page
// (a link with an empty href) is recorded as leaving it, with the page's
// own address, and does not end the walk.
func TestWalkCancelsReload(t *testing.T) {
	b := chrometest.PressingBrowser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("reload.html"), walkNeeds)
	w := p.Walk
	if w == nil || w.Stopped != "" || len(w.Activations) != 1 {
		t.Fatalf("walk = %+v; want it whole, with one activation", w)
	}
	if a := w.Activations[0]; !a.Control || a.Role != audit.ControlButton || a.LeftPage != srv.URLFor("reload.html") {
		t.Errorf("activation %+v; want the reload recorded", a)
	}
}

func TestWalkStopsWhenThePageNavigates(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p, open, err := b.LoadOpen(context.Background(), audit.Target{URL: srv.URLFor("navigate-on-tab.html")}, walkNeeds)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	w := p.Walk
	if w == nil || !strings.Contains(w.Stopped, "loaded another document") || len(w.Activations) != 0 || len(w.Stops) == 0 {
		t.Fatalf("walk = %+v; want it stopped at the Tab press that loaded another page, with the stops kept", w)
	}
	// The snapshot is still the page as captured.
	if p.Facts.Title != "Navigates on Tab" {
		t.Errorf("title %q", p.Facts.Title)
	}
	if _, err := open.Thumbnail(context.Background(), byIDNode(p, "skip")); err == nil {
		t.Error("a thumbnail was taken from a tab that shows another page")
	}
}

// TestWalkGoesOnPastAnotherApplication checks that a navigation to an
// address the browser hands to another application (mailto:), which the
// walk does not cancel because it comes on a Tab press, does not end the
// walk: the document stays.
func TestWalkGoesOnPastAnotherApplication(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("mail-on-focus.html"), walkNeeds)
	w := p.Walk
	if w == nil || w.Stopped != "" {
		t.Fatalf("walk = %+v; want it whole", w)
	}
	if got := strings.Join(stopIDs(p), " "); !strings.HasPrefix(got, "skip share world more") {
		t.Errorf("stops %q; want the walk to go on past the share link", got)
	}
	if len(w.Activations) != 1 || w.Activations[0].HashAfter != "#main" {
		t.Errorf("activations %+v; want the skip link pressed", w.Activations)
	}
}

// TestWalkSubmissionIsStable loads the search-form fixtures, whose
// search button submits a form, several times: the browser starts a
// submission's navigation in a later task, which the walk once read too
// early or let escape, so the verdict changed from run to run. Each run
// must record the submission on the button's press and reach the same
// findings.
func TestWalkSubmissionIsStable(t *testing.T) {
	b := chrometest.PressingBrowser(t)
	srv := audittest.Serve(t, audittest.TestData(t))
	rs := familyRules(t, audittest.Page(t, "rules/bypass-mechanism/search-form.html"))
	for _, name := range []string{"search-form", "pass-search-form-skip"} {
		var first []string
		for run := range 6 {
			p := audittest.Load(t, b, srv.URLFor("rules/bypass-mechanism/"+name+".html"), rs...)
			w := p.Walk
			if w == nil || w.Stopped != "" {
				t.Fatalf("%s, run %d: walk %+v; want it whole", name, run+1, w)
			}
			var search *audit.Activation
			for i := range w.Activations {
				if a := &w.Activations[i]; a.Control && a.Role == audit.ControlButton {
					search = a
				}
			}
			if search == nil || search.LeftPage != srv.URL+"/search?q=" || search.Key != audit.KeyEnter || strings.Join(search.Keys, " ") != "Enter" {
				t.Errorf("%s, run %d: the search button's press %+v; want Enter to load %s/search?q=", name, run+1, search, srv.URL)
			}
			keys := findingKeys(p, rs)
			if run == 0 {
				first = keys
				continue
			}
			if !slices.Equal(keys, first) {
				t.Errorf("%s, run %d: findings %q; run 1 had %q", name, run+1, keys, first)
			}
		}
		bypass := ""
		for _, k := range first {
			if strings.HasPrefix(k, "bypass-mechanism ") {
				bypass = k
			}
		}
		if want := name == "search-form"; want != strings.Contains(bypass, "no skip link works") {
			t.Errorf("%s: bypass-mechanism %q", name, bypass)
		}
	}
}

// TestWalkCancelsASubmissionByScript checks, over several runs, that a
// press whose handler calls form.submit(), which fires no submit event
// and whose navigation the browser starts in a later task, is recorded
// as loading the form's address, and the walk goes on.
func TestWalkCancelsASubmissionByScript(t *testing.T) {
	b := chrometest.PressingBrowser(t)
	srv := audittest.Serve(t, "testdata")
	for run := range 5 {
		p := loadWalk(t, b, srv.URLFor("submit-by-script.html"), walkNeeds)
		w := p.Walk
		if w == nil || w.Stopped != "" {
			t.Fatalf("run %d: walk %+v; want it whole", run+1, w)
		}
		if len(w.Activations) != 1 || w.Activations[0].LeftPage != srv.URL+"/search?from=nav" {
			t.Errorf("run %d: activations %+v; want the button's press to load %s/search?from=nav", run+1, w.Activations, srv.URL)
		}
	}
}

func TestHideElements(t *testing.T) {
	testtime.Log(t)
	path := chrometest.ExecPath(t)
	b, err := chrome.Launch(chrome.Options{ExecPath: path, Timeout: testtime.Bound(10 * time.Second), HideElements: []string{".cmp", "#nothing", "[[bad"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("consent.html"), walkNeeds)
	h := p.Hidden
	if len(h) != 3 || h[0] != (audit.HiddenSelector{Selector: ".cmp", Count: 1}) || h[1].Count != 0 || h[1].Error != "" ||
		h[2].Count != 0 || h[2].Error == "" {
		t.Errorf("hidden = %+v", h)
	}
	for id := range p.Elements() {
		if p.Node(id).HasClass("cmp") {
			t.Error("the removed banner is in the snapshot")
		}
	}
	if ids := stopIDs(p); len(ids) == 0 || ids[0] != "skip" {
		t.Errorf("with the banner removed the walk starts at %q, want the skip link", ids)
	}
	// Without the option the banner's buttons come first.
	p = loadWalk(t, chrometest.Browser(t), srv.URLFor("consent.html"), walkNeeds)
	if ids := stopIDs(p); len(ids) < 3 || ids[2] != "skip" || p.Hidden != nil {
		t.Errorf("with the banner the walk is %q, hidden %+v; want the skip link third", ids, p.Hidden)
	}
}

func TestMobileViewport(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	testtime.Log(t)
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Bound(time.Minute))
	defer cancel()
	p, err := b.Load(ctx, audit.Target{URL: srv.URLFor("responsive.html"), Viewport: audit.MobileViewport}, audit.CapDOM)
	if err != nil {
		t.Fatal(err)
	}
	if p.Viewport != audit.MobileViewport {
		t.Errorf("viewport %+v", p.Viewport)
	}
	if n := byID(t, p, "phone-only"); n.Layout == nil || n.Layout.Box.W > 390 {
		t.Errorf("the phone-only paragraph: %+v; want it laid out within 390 px", n.Layout)
	}
	if ua := p.TextContent(byIDNode(p, "ua")); !strings.Contains(ua, "Mobile") || !strings.Contains(ua, "Android") {
		t.Errorf("user agent %q", ua)
	}
	// The desktop viewport shows neither.
	p = loadWalk(t, b, srv.URLFor("responsive.html"), audit.CapDOM)
	if n := byID(t, p, "phone-only"); n.Layout != nil || p.Viewport != chrome.DefaultViewport {
		t.Errorf("desktop: phone-only layout %+v, viewport %+v", n.Layout, p.Viewport)
	}
}

// TestPaintByPixels checks that a transparent picture over a focused skip
// link is judged by pixels to paint nothing, and that the page is given
// back exactly after the comparison: the cover's style attribute, no
// adopted style sheet, nothing left on window.
func TestPaintByPixels(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("paint-restore.html"), walkNeeds)
	if ids := stopIDs(p); len(ids) < 2 || ids[0] != "skip" || ids[1] != "check" {
		t.Fatalf("stops %q, want skip, check", ids)
	}
	h := p.Walk.Stops[0].Hit
	if h.Relation != audit.HitOther || h.Paint != audit.PaintPixels || h.Painted || h.Covers() {
		t.Errorf("hit %+v: want another element, judged by pixels to paint nothing", h)
	}
	if c := p.Walk.Stops[1]; c.Box.W < 1 || c.Box.H < 1 {
		t.Errorf("the check link has no box (%+v): the page was not given back after the paint test", c.Box)
	}
}

// TestPaintByPixelsScrolled checks that the screenshots of the pixel
// comparison show the focused link where it is after the page scrolled to
// it: a picture opaque there covers it.
func TestPaintByPixelsScrolled(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("paint-scrolled.html"), walkNeeds)
	if ids := stopIDs(p); len(ids) < 1 || ids[0] != "deep" {
		t.Fatalf("stops %q, want deep first", ids)
	}
	s := p.Walk.Stops[0]
	if s.ScrollY < 1000 || s.Visible.Y < 200 {
		t.Fatalf("the link is at y=%g in a page scrolled to %g: want it scrolled to, below the picture's clear top", s.Visible.Y, s.ScrollY)
	}
	if h := s.Hit; h.Paint != audit.PaintPixels || !h.Painted || !h.Covers() {
		t.Errorf("hit %+v: want the picture, judged by pixels to paint over the link", h)
	}
}

// TestWalkFollowsFocusIntoAFrame checks the Tab presses sent back to back:
// focus that goes into a same-origin frame, where the page's focus log no
// longer sees the presses, is followed one press at a time, and a link
// that slides in when focused is measured where its transition ends.
func TestWalkFollowsFocusIntoAFrame(t *testing.T) {
	b := chrometest.Browser(t)
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, b, srv.URLFor("walk-frame.html"), walkNeeds)
	w := p.Walk
	var names []string
	for _, s := range w.Stops {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " "); got != "A1 A2 F1 F2 A3 A4" || !w.Wrapped || w.Stopped != "" {
		t.Fatalf("stops %q wrapped %v stopped %q", got, w.Wrapped, w.Stopped)
	}
	for _, i := range []int{1, 4} {
		if slide := w.Stops[i]; slide.Box.Y != 0 || !slide.InViewport() {
			t.Errorf("the link that slides in was measured before its transition ended: %+v", slide)
		}
	}
	var trips int
	for _, st := range p.Timings {
		if st.Step == "walk" {
			trips = st.RoundTrips
		}
	}
	if trips == 0 {
		t.Errorf("the walk's round trips were not counted: %+v", p.Timings)
	}
}

// TestWalkPressesControlsWorthPressing checks that the walk presses only
// the controls Options.PressControl picks (the rules' candidates, as the
// command sets it): on a page with a skip button, a menu button, a search
// button and an icon button, the first two; with no PressControl, all
// four.
func TestWalkPressesControlsWorthPressing(t *testing.T) {
	srv := audittest.Serve(t, audittest.TestData(t))
	url := srv.URLFor("rules/bypass-mechanism/pass-controls-worth-pressing.html")
	pressed := func(b *chrome.Browser) []string {
		p := loadWalk(t, b, url, walkNeeds)
		var ids []string
		for _, a := range p.Walk.Activations {
			if a.Control && a.Stop >= 0 && a.Stop < len(p.Walk.Stops) {
				ids = append(ids, p.Node(p.Walk.Stops[a.Stop].Node).AttrOr("id", "?"))
			}
		}
		return ids
	}
	if got, want := pressed(chrometest.Browser(t)), []string{"skip", "sections"}; !slices.Equal(got, want) {
		t.Errorf("with the rules' candidates, the walk pressed %v; want %v", got, want)
	}
	if got, want := pressed(chrometest.PressingBrowser(t)), []string{"skip", "search", "icon", "sections"}; !slices.Equal(got, want) {
		t.Errorf("with every control, the walk pressed %v; want %v", got, want)
	}
}
