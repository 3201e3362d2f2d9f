package a11y_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

func TestStoryOrTemplate(t *testing.T) {
	p, err := static.Parse(strings.NewReader(`<html><body>
<header><img data-t="logo" src="logo.svg"></header>
<nav><a data-t="nav" href="/">Home</a></nav>
<main>
  <article><h1 data-t="headline">Story</h1><img data-t="photo" src="p.jpg"></article>
  <aside><article><img data-t="teaser" src="t.jpg"></article></aside>
</main>
<div><img data-t="outside" src="ad.jpg"></div>
<footer><p data-t="footer">©</p></footer>
</body></html>`), "http://example.test/")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"logo": "template", "nav": "template", "headline": "story", "photo": "story",
		"teaser": "template", "outside": "template", "footer": "template",
	}
	for id := range p.Elements() {
		key := p.Node(id).AttrOr("data-t", "")
		if w, ok := want[key]; ok {
			if got := a11y.StoryOrTemplate(p, id); got != w {
				t.Errorf("%s: %s, want %s", key, got, w)
			}
			delete(want, key)
		}
	}
	if len(want) > 0 {
		t.Errorf("elements not found: %v", want)
	}
	if got := a11y.StoryOrTemplate(p, p.DocumentElement()); got != "page" {
		t.Errorf("html: %s, want page", got)
	}
	bare, err := static.Parse(strings.NewReader(`<div><img src="a.jpg"></div>`), "u")
	if err != nil {
		t.Fatal(err)
	}
	if got := a11y.StoryOrTemplate(bare, bare.ElementsByTag("img")[0]); got != "story" {
		t.Errorf("without main or article everything is story, got %s", got)
	}
}
