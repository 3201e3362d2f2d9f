package chrome

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pointerProbe is run in a page: it answers js/walk.js's pointerUniform,
// and whether elementsFromPoint lists the same elements, at a grid of
// points, with and without a sheet like withPointer's.
const pointerProbe = `((w) => {
  const grid = () => {
    const out = [];
    for (const x of [5, 40, 100, 200, 400]) {
      for (const y of [5, 40, 100, 200]) out.push(document.elementsFromPoint(x, y).map((e) => e.localName + '#' + e.id).join(','));
    }
    return out.join('|');
  };
  const uniform = w.pointerUniform();
  const before = grid();
  const kept = [...document.adoptedStyleSheets];
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('*, *::before, *::after { pointer-events: auto !important; }');
  document.adoptedStyleSheets = [...kept, sheet];
  const during = grid();
  document.adoptedStyleSheets = kept;
  return { uniform, same: before === during };
})(` + "%s)"

// TestPointerUniform checks that the walk leaves out withPointer's sheet
// only on pages where it would change no hit test: pointerUniform says
// yes on a page where no element or ::before/::after has pointer-events
// other than auto, and no for each way a page can set it.
func TestPointerUniform(t *testing.T) {
	if testing.Short() {
		t.Skip("needs Chromium")
	}
	path := os.Getenv("CHROME_PATH")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		t.Skip("no Chromium")
	}
	// Each page has a link under a box that covers it, at 0,0 to 300,150.
	const link = `<a id="link" href="#x" style="position:absolute;left:0;top:0;width:300px;height:150px">link</a>`
	const over = `position:absolute;left:0;top:0;width:300px;height:150px;background:rgba(0,0,0,.1)`
	cases := []struct {
		name, head, body string
		uniform          bool
		// differs: the sheet changes the hit test, so the page proves
		// that pointerUniform must say no.
		differs bool
	}{
		{name: "plain", body: link + `<div id="over" style="` + over + `"></div><p id="p">text</p>`, uniform: true},
		{name: "rule", head: `<style>#over { pointer-events: none }</style>`, body: link + `<div id="over" style="` + over + `"></div>`, differs: true},
		{name: "nested rule", head: `<style>@media screen { @supports (display: grid) { #over { pointer-events: none } } }</style>`, body: link + `<div id="over" style="` + over + `"></div>`, differs: true},
		{name: "style attribute", body: link + `<div id="over" style="` + over + `;pointer-events:none"></div>`, differs: true},
		{name: "inherited", head: `<style>#wrap { pointer-events: none }</style>`, body: link + `<div id="wrap"><div id="over" style="` + over + `"></div></div>`, differs: true},
		{name: "pseudo-element", head: `<style>#over::before { content: ""; ` + over + `; pointer-events: none }</style>`, body: link + `<div id="over"></div>`, differs: true},
		{name: "keyframes", head: `<style>@keyframes k { from { pointer-events: none } to { pointer-events: none } }</style>`, body: link},
		{name: "all", head: `<style>#over { all: unset }</style>`, body: link + `<div id="over"></div>`},
		{name: "svg attribute", body: link + `<svg id="svg" style="` + over + `" pointer-events="none"><rect id="rect" width="300" height="150"/></svg>`, differs: true},
		{name: "svg all", body: link + `<svg id="svg" style="` + over + `"><rect id="rect" width="300" height="150" fill="none" pointer-events="all"/></svg>`, differs: true},
		{name: "animation", body: link + `<div id="over" style="` + over + `"></div><script>document.getElementById('over').animate([{ pointerEvents: 'none' }, { pointerEvents: 'none' }], { duration: 1e7, fill: 'both' })</script>`, differs: true},
		{name: "adopted sheet", body: link + `<div id="over" style="` + over + `"></div><script>const s = new CSSStyleSheet(); s.replaceSync('#over { pointer-events: none }'); document.adoptedStyleSheets = [s]</script>`, differs: true},
		{name: "slot", body: link + `<div id="host"><div id="over" style="` + over + `"></div></div><script>document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<slot style="pointer-events:none"></slot>'</script>`, differs: true},
		{name: "shadow rule", body: link + `<div id="host"></div><script>document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<style>b { pointer-events: none }</style><b>x</b>'</script>`},
	}
	pages := map[string]string{}
	for i, c := range cases {
		pages[fmt.Sprintf("/%d", i)] = "<!doctype html><html><head>" + c.head + "</head><body style=\"margin:0\">" + c.body + "</body></html>"
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	br, err := Launch(Options{ExecPath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	tab, cancel := chromedp.NewContext(br.proc.ctx)
	defer cancel()
	for i, c := range cases {
		if _, err := chromedp.Run(tab, chromedp.Navigate(fmt.Sprintf("%s/%d", srv.URL, i))); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		raw, err := evaluateIn(tab, strings.Replace(pointerProbe, "%s", walkJS, 1), false)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got struct{ Uniform, Same bool }
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Uniform != c.uniform {
			t.Errorf("%s: pointerUniform = %v, want %v", c.name, got.Uniform, c.uniform)
		}
		if got.Same == c.differs {
			t.Errorf("%s: the sheet changes the hit test: %v, want %v", c.name, !got.Same, c.differs)
		}
	}
}
