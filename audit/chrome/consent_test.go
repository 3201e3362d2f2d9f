package chrome_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// consentBrowser starts a browser with a consent mode of its own.
func consentBrowser(t *testing.T, mode string) *chrome.Browser {
	t.Helper()
	b, err := chrome.Launch(chrome.Options{ExecPath: chrometest.ExecPath(t), Timeout: testtime.Bound(10 * time.Second), Consent: mode})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// hasClassOrID reports whether the snapshot holds an element with the id.
func hasID(p *audit.Page, id string) bool {
	for n := range p.Elements() {
		if p.Node(n).AttrOr("id", "") == id {
			return true
		}
	}
	return false
}

// labels lists the consent stops' labels, with a * for those in the
// dialog.
func labels(d *audit.ConsentDialog) []string {
	var out []string
	for _, s := range d.Stops {
		l := s.Label
		if s.InDialog {
			l = "*" + l
		}
		out = append(out, l)
	}
	return out
}

// TestConsentAccept checks a banner built like a common platform's: its
// stops are recorded as Tab meets them, its own accept button is pressed
// from the keyboard, and the capture and the walk judge the page behind:
// no banner in the snapshot, the skip link the first stop.
func TestConsentAccept(t *testing.T) {
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, chrometest.Browser(t), srv.URLFor("consent-platform.html"), walkNeeds)
	d := p.Consent
	if d == nil {
		t.Fatal("no consent dialog recorded")
	}
	got := strings.Join(labels(d), " | ")
	want := `*button "Cookie settings" | *button "Reject all" | *button "Accept all cookies"`
	if d.Platform != "OneTrust" || d.Action != audit.ConsentAccepted || d.Key != audit.KeyEnter || d.Trapped ||
		d.Control != `button "Accept all cookies"` || d.Dismissable == nil || !*d.Dismissable || !strings.HasPrefix(got, want) {
		t.Errorf("consent = %+v, stops %q; want OneTrust accepted with Enter, stops starting %q", d, got, want)
	}
	if d.ControlStop != 3 {
		t.Errorf("control stop = %d, want 3", d.ControlStop)
	}
	if hasID(p, "onetrust-banner-sdk") {
		for n := range p.Elements() {
			if p.Node(n).AttrOr("id", "") == "onetrust-consent-sdk" && p.Rendered(n) {
				t.Error("the accepted banner still shows in the snapshot")
			}
		}
	}
	if ids := stopIDs(p); len(ids) == 0 || ids[0] != "skip" {
		t.Errorf("after the banner closed the walk starts at %q, want the skip link", ids)
	}
}

// TestConsentTrap checks a dialog that keeps Tab among its links while
// its accept control cannot take focus: trapped, not dismissable, and
// removed so that the page behind it is judged.
func TestConsentTrap(t *testing.T) {
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, chrometest.Browser(t), srv.URLFor("consent-trap.html"), walkNeeds)
	d := p.Consent
	if d == nil {
		t.Fatal("no consent dialog recorded")
	}
	if d.Platform != "modal dialog" || !d.Trapped || d.Dismissable == nil || *d.Dismissable || d.Action != audit.ConsentRemoved ||
		!strings.Contains(d.Why, "cannot take focus") || len(d.Stops) != 2 {
		t.Errorf("consent = %+v, stops %q; want a trapped modal dialog removed", d, labels(d))
	}
	if ids := stopIDs(p); len(ids) == 0 || ids[0] != "skip" {
		t.Errorf("with the dialog removed the walk starts at %q, want the skip link", ids)
	}
}

// TestConsentMouseOnly checks a banner whose accept button ignores Enter
// and Space: pressed, it stays open, so it is removed and says why.
func TestConsentMouseOnly(t *testing.T) {
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, chrometest.Browser(t), srv.URLFor("consent-mouse-only.html"), walkNeeds)
	d := p.Consent
	if d == nil {
		t.Fatal("no consent dialog recorded")
	}
	if d.Platform != "Cookiebot" || d.Trapped || d.Dismissable == nil || *d.Dismissable || d.Action != audit.ConsentRemoved ||
		!strings.Contains(d.Why, "left it open") || d.Key != "" {
		t.Errorf("consent = %+v; want a Cookiebot banner that Enter and Space leave open", d)
	}
	if hasID(p, "CybotCookiebotDialog") {
		t.Error("the removed banner is in the snapshot")
	}
}

// TestConsentModes checks --consent keep and hide on the platform banner:
// keep leaves it in the snapshot and the walk, hide removes it without a
// key press.
func TestConsentModes(t *testing.T) {
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, consentBrowser(t, audit.ConsentKeep), srv.URLFor("consent-platform.html"), walkNeeds)
	if d := p.Consent; d == nil || d.Action != audit.ConsentKept || d.Key != "" || len(d.Stops) == 0 || !hasID(p, "onetrust-banner-sdk") {
		t.Errorf("keep: consent = %+v, banner in snapshot %v", d, hasID(p, "onetrust-banner-sdk"))
	}
	p = loadWalk(t, consentBrowser(t, audit.ConsentHide), srv.URLFor("consent-platform.html"), walkNeeds)
	if d := p.Consent; d == nil || d.Action != audit.ConsentHidden || d.Key != "" || len(d.Stops) != 0 || hasID(p, "onetrust-consent-sdk") {
		t.Errorf("hide: consent = %+v, banner in snapshot %v", d, hasID(p, "onetrust-consent-sdk"))
	}
	if ids := stopIDs(p); len(ids) == 0 || ids[0] != "skip" {
		t.Errorf("with the banner hidden the walk starts at %q, want the skip link", ids)
	}
	// A page without a dialog records none.
	p = loadWalk(t, chrometest.Browser(t), srv.URLFor("walk.html"), walkNeeds)
	if p.Consent != nil {
		t.Errorf("walk.html: consent = %+v, want none", p.Consent)
	}
}

// TestConsentReload checks a notice whose agree button loads the page
// again: the page that loads after the press, without the notice, is the
// one captured and walked.
func TestConsentReload(t *testing.T) {
	srv := audittest.Serve(t, "testdata")
	p := loadWalk(t, chrometest.Browser(t), srv.URLFor("consent-reload.html"), walkNeeds)
	d := p.Consent
	if d == nil || d.Platform != "Didomi" || d.Action != audit.ConsentAccepted || d.Key != audit.KeyEnter {
		t.Fatalf("consent = %+v; want a Didomi notice accepted with Enter", d)
	}
	if hasID(p, "didomi-host") {
		t.Error("the notice is in the snapshot of the page loaded after it")
	}
	if ids := stopIDs(p); len(ids) == 0 || ids[0] != "skip" {
		t.Errorf("after the reload the walk starts at %q, want the skip link", ids)
	}
}
