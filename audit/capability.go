package audit

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A Capability is a set of facts a loader can capture about a page. Rules
// declare the capabilities they need; a loader declares the ones it captured.
// A rule whose needs were not captured is reported as skipped for that page,
// never silently passed.
type Capability uint16

const (
	// CapDOM is the document tree: elements, attributes and text.
	CapDOM Capability = 1 << iota
	// CapScripts means the tree is the live DOM after the page's own scripts
	// ran, not the HTML as served.
	CapScripts
	// CapLayout is the rendered box and the computed style of each element.
	CapLayout
	// CapAX is the browser's accessibility tree joined to the DOM: roles,
	// accessible names and their sources, levels, ignored nodes.
	CapAX
	// CapKeyboard is a keyboard walk: real Tab and Enter presses recorded
	// after the page settled.
	CapKeyboard
)

var capabilityNames = []struct {
	cap  Capability
	name string
	// what says, in words a user reads, what the capability is.
	what string
}{
	{CapDOM, "dom", "the document tree"},
	{CapScripts, "scripts", "the live DOM after scripts ran"},
	{CapLayout, "layout", "layout and computed styles"},
	{CapAX, "ax", "the browser's accessibility tree"},
	{CapKeyboard, "keyboard", "a keyboard walk with real key presses"},
}

// Has reports whether c includes every capability of x.
func (c Capability) Has(x Capability) bool { return c&x == x }

// Missing returns the capabilities of needs that c lacks.
func (c Capability) Missing(needs Capability) Capability { return needs &^ c }

// String returns the capability names joined by "|", e.g. "dom|layout".
func (c Capability) String() string {
	var names []string
	for _, n := range capabilityNames {
		if c&n.cap != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// Describe returns the capabilities in words, e.g. "layout and computed
// styles, the browser's accessibility tree".
func (c Capability) Describe() string {
	var parts []string
	for _, n := range capabilityNames {
		if c&n.cap != 0 {
			parts = append(parts, n.what)
		}
	}
	return strings.Join(parts, ", ")
}

// ParseCapability parses names joined by "|" as String writes them.
func ParseCapability(s string) (Capability, error) {
	var c Capability
	if s == "none" || s == "" {
		return 0, nil
	}
	for _, part := range strings.Split(s, "|") {
		found := false
		for _, n := range capabilityNames {
			if n.name == part {
				c |= n.cap
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown capability %q", part)
		}
	}
	return c, nil
}

// MarshalJSON writes the capability as its String form.
func (c Capability) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads the String form.
func (c *Capability) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseCapability(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}
