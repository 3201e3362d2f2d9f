package skiplink

import (
	"testing"

	"github.com/newsa11y/newsa11y/audit"
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
