package a11y_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules/internal/a11y"
)

func TestAriaHidden(t *testing.T) {
	tests := []struct {
		name, html string
		// hidden is whether #x is hidden; by is the id of the element
		// that hides it, "" for none.
		hidden bool
		by     string
	}{
		{"own attribute", `<img id="x" aria-hidden="true">`, true, "x"},
		{"ancestor", `<div id="a" aria-hidden="true"><p><img id="x"></p></div>`, true, "a"},
		{"nearest ancestor wins", `<div id="a" aria-hidden="true"><p id="b" aria-hidden="true"><img id="x"></p></div>`, true, "b"},
		{"capitals", `<div id="a" aria-hidden="TRUE"><img id="x"></div>`, true, "a"},
		{"white space", `<div id="a" aria-hidden=" true "><img id="x"></div>`, true, "a"},
		{"false", `<div aria-hidden="false"><img id="x"></div>`, false, ""},
		{"empty", `<div aria-hidden=""><img id="x"></div>`, false, ""},
		{"other value", `<div aria-hidden="yes"><img id="x"></div>`, false, ""},
		{"absent", `<div><img id="x"></div>`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := static.Parse(strings.NewReader(tt.html), "http://example.test/")
			if err != nil {
				t.Fatal(err)
			}
			x := p.ElementByID(0, "x")
			if got := a11y.AriaHidden(p, x); got != tt.hidden {
				t.Errorf("AriaHidden = %v, want %v", got, tt.hidden)
			}
			by := a11y.AriaHiddenBy(p, x, audit.NoNode)
			got := ""
			if by != audit.NoNode {
				got = p.Node(by).AttrOr("id", "")
			}
			if got != tt.by {
				t.Errorf("AriaHiddenBy = #%s, want #%s", got, tt.by)
			}
		})
	}
}

func TestAriaHiddenStopsAtStop(t *testing.T) {
	p, err := static.Parse(strings.NewReader(`<div id="a" aria-hidden="true"><section id="s"><img id="x"></section></div>`), "http://example.test/")
	if err != nil {
		t.Fatal(err)
	}
	x, s := p.ElementByID(0, "x"), p.ElementByID(0, "s")
	if by := a11y.AriaHiddenBy(p, x, s); by != audit.NoNode {
		t.Errorf("an aria-hidden ancestor above stop counted: %s", p.Node(by).AttrOr("id", ""))
	}
	if by := a11y.AriaHiddenBy(p, x, audit.NoNode); by == audit.NoNode {
		t.Error("without a stop the ancestor is found")
	}
}
