package caption_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules/internal/caption"
)

// want is what ForImage must find for an image of testdata/captions.html.
type want struct {
	img, source, text, credit string
	// hidden is the visually hidden label set aside; static lists what
	// only the static loader sees differently ("" when the same).
	hidden, staticHidden string
}

var captionWants = []want{
	{img: "bbc", source: caption.FromFigcaption, text: "The president said he would continue fighting for greater gun control laws", hidden: "Image caption,"},
	{img: "bbc-legacy", source: caption.FromFigcaption, text: "Mr Obama told the BBC that gun control was his biggest frustration", hidden: "Media caption"},
	{img: "nyt", source: caption.FromFigcaption, text: "In the late 1800s, overhead utilities were buried to lessen the exposure to winter weather.",
		credit: "Kirsten Luce for The New York Times", hidden: "Credit", staticHidden: "-"},
	{img: "citylab", source: caption.FromFigcaption, text: "The Moulin Rouge cabaret in Paris", credit: "Benoit Tessier/Reuters"},
	{img: "guardian", source: caption.FromFigcaption, text: "A pod of pilot whales stranded on Farewell Spit.", credit: "Photograph: NASA/AFP/Getty Images"},
	{img: "liberation", source: caption.FromFigcaption, text: "«Vape Wave», «6 Days» et «Braguino»", credit: "DR"},
	{img: "described", source: caption.FromDescribedBy, text: "Flood waters reach the town hall."},
	{img: "sibling", source: caption.FromSibling, text: "Fog over the lake at dawn.", credit: "Jane Doe/AP"},
	{img: "yahoo", source: caption.FromSibling, text: "Vanessa Hicks"},
	{img: "bbc-source", source: caption.FromFigcaption, text: "Crowds gather in the square", credit: "Jane Doe", hidden: "Image source,"},
	{img: "in-link", source: caption.FromSibling, text: "Hráči slaví výhru.", credit: "Foto: Reuters"},
	{img: "in-link-teaser"},
	{img: "no-caption"},
	{img: "in-caption"},
}

func checkCaptions(t *testing.T, p *audit.Page) {
	t.Helper()
	for _, w := range captionWants {
		img := p.ElementByID(0, w.img)
		if img == audit.NoNode {
			t.Fatalf("no #%s", w.img)
		}
		caps := caption.ForImage(p, img)
		if w.source == "" {
			if len(caps) != 0 {
				t.Errorf("#%s: found caption %+v, want none", w.img, caps[0])
			}
			continue
		}
		if len(caps) != 1 {
			t.Errorf("#%s: found %d captions, want 1: %+v", w.img, len(caps), caps)
			continue
		}
		c := caps[0]
		if c.Source != w.source || c.Text != w.text || c.Credit != w.credit {
			t.Errorf("#%s: got source %q text %q credit %q\nwant source %q text %q credit %q", w.img, c.Source, c.Text, c.Credit, w.source, w.text, w.credit)
		}
		hidden := w.hidden
		if p.Loader == "static" && w.staticHidden != "" {
			hidden = strings.Trim(w.staticHidden, "-")
		}
		if hidden == "" && len(c.Hidden) > 0 || hidden != "" && !slices.Contains(c.Hidden, hidden) {
			t.Errorf("#%s: hidden %q, want %q", w.img, c.Hidden, hidden)
		}
	}
}

func TestCaptionsStatic(t *testing.T) {
	f, err := os.Open(audittest.Page(t, "pages/caption/captions.html").Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := static.Parse(f, "http://example.test/story")
	if err != nil {
		t.Fatal(err)
	}
	checkCaptions(t, p)
}

// TestCaptionsChrome reads the same captions from the snapshot Chromium
// recorded of the page (replayed, no browser needed), where
// computed style and layout decide what is visually hidden (the NYT label
// has only a hashed class name).
func TestCaptionsChrome(t *testing.T) {
	p := audittest.Replay(t, audittest.Page(t, "pages/caption/captions.html"))
	checkCaptions(t, p)
	for id, want := range map[string]bool{"bbc": true, "nyt": true, "citylab": false} {
		fig := caption.Figcaption(p, p.ElementByID(0, id))
		span := p.ElementChildren(fig)[0]
		if id == "nyt" {
			span = p.ElementChildren(p.ElementChildren(fig)[1])[0]
		}
		if got := caption.VisuallyHidden(p, span); got != want {
			t.Errorf("VisuallyHidden(first label of #%s) = %v, want %v", id, got, want)
		}
	}
}
