package skiplink

import (
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
)

// TestLeftWords holds how a press that left the page is worded: a
// reload, another page, or an address handed to another application.
func TestLeftWords(t *testing.T) {
	p := &audit.Page{FinalURL: "https://news.example/story#top"}
	for left, want := range map[string]string{
		"https://news.example/story":     "reloads the page",
		"https://news.example/search?q=": "loads another page (https://news.example/search?q=)",
		"mailto:?subject=Story":          "hands an address to another application (mailto:?subject=Story)",
		"TEL:+15551234":                  "hands an address to another application (TEL:+15551234)",
		"file:///srv/pages/story.html":   "loads another page (file:///srv/pages/story.html)",
	} {
		if got := leftWords(p, &audit.Activation{LeftPage: left}); got != want {
			t.Errorf("leftWords(%q) = %q, want %q", left, got, want)
		}
	}
}

// TestWorthPressing holds which controls before the story the keyboard
// walk presses, on a recorded page with one of each kind: a skip button
// (its name), a menu button (aria-expanded), and a search button and an
// icon button with no name, which no rule could judge.
func TestWorthPressing(t *testing.T) {
	p := audittest.Replay(t, audittest.Page(t, "rules/bypass-mechanism/pass-controls-worth-pressing.html"))
	want := map[string]bool{"skip": true, "search": false, "icon": false, "sections": true}
	seen := 0
	for i := range p.Walk.Stops {
		s := &p.Walk.Stops[i]
		id := p.Node(s.Node).AttrOr("id", "")
		w, ok := want[id]
		if !ok {
			continue
		}
		seen++
		if got := WorthPressing(p, s); got != w {
			t.Errorf("WorthPressing(#%s, named %q) = %v, want %v", id, s.Name, got, w)
		}
	}
	if seen != len(want) {
		t.Fatalf("found %d of the %d controls among the recorded tab stops; the test no longer sees what it checks", seen, len(want))
	}
}
