package chrome

import (
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"

	"github.com/newsa11y/newsa11y/audit"
)

// getAXTree is Accessibility.getFullAXTree with a result that is decoded
// as it streams: each node of the reply goes straight into the few fields
// rules read, so the browser's whole tree (name sources, ignored reasons,
// every property, child lists) is never held in memory beside the reply.
var getAXTree = cdp.Command[accessibility.GetFullAXTreeParams, axTree]{Method: accessibility.CommandGetFullAXTree}

// An axTree is the decoded reply of getAXTree: what rules read of each
// accessibility node, in the browser's order.
type axTree struct {
	// roles holds each role's text once: a tree has a few roles and
	// many nodes.
	roles map[string]string
	// chunks hold the entries in arrays of axChunk, so that growing the
	// tree never copies it, and joined nodes can point into it.
	chunks [][]axEntry
}

// axChunk is the most entries a chunk holds.
const axChunk = 4096

// each calls f with every entry, in order.
func (t *axTree) each(f func(e *axEntry)) {
	for _, c := range t.chunks {
		for k := range c {
			f(&c[k])
		}
	}
}

// add appends an entry and returns it.
func (t *axTree) add() *axEntry {
	if n := len(t.chunks); n == 0 || len(t.chunks[n-1]) == cap(t.chunks[n-1]) {
		// A frame's small tree takes a small chunk: 64 entries, doubling
		// up to axChunk.
		size := axChunk
		if n < 6 {
			size = 64 << n
		}
		t.chunks = append(t.chunks, make([]axEntry, 0, size))
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, axEntry{})
	return &(*last)[len(*last)-1]
}

// An axEntry is one accessibility node: the DOM node it belongs to and
// what rules read of it.
type axEntry struct {
	backend cdp.BackendNodeID
	node    audit.AXNode
}

// UnmarshalJSONFrom reads {"nodes": [...]}, converting each node as it
// is read.
func (t *axTree) UnmarshalJSONFrom(dec *jsonv2.Decoder) error {
	return readObject(dec, func(name string) error {
		if name != "nodes" {
			return dec.SkipValue()
		}
		return readArray(dec, func() error { return t.add().read(dec, t) })
	})
}

// read decodes one AXNode object, keeping role, name and where it came
// from, description, ignored, level and focusable.
func (e *axEntry) read(dec *jsonv2.Decoder, t *axTree) error {
	return readObject(dec, func(name string) error {
		var err error
		switch name {
		case "ignored":
			e.node.Ignored, err = readBool(dec)
		case "backendDOMNodeId":
			var n int64
			n, err = readInt(dec)
			e.backend = cdp.BackendNodeID(n)
		case "role":
			e.node.Role, err = t.readRole(dec)
		case "name":
			e.node.Name, e.node.NameFrom, err = readAXValue(dec, true)
		case "description":
			e.node.Description, _, err = readAXValue(dec, false)
		case "properties":
			err = readArray(dec, func() error { return e.readProperty(dec) })
		default:
			err = dec.SkipValue()
		}
		return err
	})
}

// readRole decodes a role's AXValue, each role's text allocated once.
func (t *axTree) readRole(dec *jsonv2.Decoder) (string, error) {
	var role string
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return "", err
	}
	err := readObject(dec, func(name string) error {
		if name != "value" || dec.PeekKind() != '"' {
			return dec.SkipValue()
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if r, ok := t.roles[string(raw)]; ok {
			role = r
			return nil
		}
		var s string
		if err := jsonv2.Unmarshal(raw, &s, lenientJSON); err != nil {
			return err
		}
		if t.roles == nil {
			t.roles = map[string]string{}
		}
		t.roles[string(raw)] = s
		role = s
		return nil
	})
	return role, err
}

// readProperty decodes one {"name": …, "value": {…}} property, keeping
// level and focusable.
func (e *axEntry) readProperty(dec *jsonv2.Decoder) error {
	var prop, value string
	var hasValue bool
	err := readObject(dec, func(name string) error {
		var err error
		switch name {
		case "name":
			prop, err = readString(dec)
		case "value":
			if dec.PeekKind() == 'n' {
				_, err = dec.ReadToken()
				return err
			}
			hasValue = true
			value, _, err = readAXValue(dec, false)
		default:
			err = dec.SkipValue()
		}
		return err
	})
	if err != nil || !hasValue {
		return err
	}
	switch accessibility.PropertyName(prop) {
	case accessibility.PropertyNameLevel:
		e.node.Level = int(parseFloat(value, 0))
	case accessibility.PropertyNameFocusable:
		e.node.Focusable = value == "true"
	}
	return nil
}

// readAXValue decodes an AXValue object: its value as text (see
// scalarText) and, when sources is set, the source that gave it (see
// nameSource). A null is the empty value.
func readAXValue(dec *jsonv2.Decoder, sources bool) (text, from string, err error) {
	if dec.PeekKind() == 'n' {
		_, err = dec.ReadToken()
		return "", "", err
	}
	err = readObject(dec, func(name string) error {
		switch {
		case name == "value":
			var err error
			text, err = scalarText(dec)
			return err
		case name == "sources" && sources:
			return readArray(dec, func() error {
				src, err := readSource(dec)
				if from == "" {
					from = src
				}
				return err
			})
		}
		return dec.SkipValue()
	})
	return text, from, err
}

// readSource decodes one AXValueSource and names it as nameSource does:
// the native source, else the attribute, else the source type; "" when
// the source is superseded or gave no value.
func readSource(dec *jsonv2.Decoder) (string, error) {
	var typ, attr, native string
	var superseded, hasValue bool
	err := readObject(dec, func(name string) error {
		var err error
		switch name {
		case "type":
			typ, err = readString(dec)
		case "attribute":
			attr, err = readString(dec)
		case "nativeSource":
			native, err = readString(dec)
		case "superseded":
			superseded, err = readBool(dec)
		case "value":
			hasValue = dec.PeekKind() != 'n'
			err = dec.SkipValue()
		default:
			err = dec.SkipValue()
		}
		return err
	})
	switch {
	case err != nil || superseded || !hasValue:
		return "", err
	case native != "":
		return native, nil
	case attr != "":
		return attr, nil
	}
	return typ, nil
}

// scalarText reads any JSON value as text, as axString does: a string as
// it is, anything else as its JSON text.
func scalarText(dec *jsonv2.Decoder) (string, error) {
	if dec.PeekKind() == '"' {
		return readString(dec)
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(raw)), nil
}

// readObject reads a JSON object, calling member for each member's name
// with the decoder at its value; member must consume the value.
func readObject(dec *jsonv2.Decoder, member func(name string) error) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("want a JSON object, got %s", tok.Kind())
	}
	for dec.PeekKind() != '}' {
		// A member name read as a raw value is not copied; the names the
		// browser sends need no unescaping. The string conversion for the
		// call does not allocate when member only compares it.
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if len(raw) < 2 {
			return fmt.Errorf("bad member name %s", raw)
		}
		if err := member(string(raw[1 : len(raw)-1])); err != nil {
			return err
		}
	}
	_, err = dec.ReadToken()
	return err
}

// readArray reads a JSON array, calling elem with the decoder at each
// element; elem must consume it. A null is an empty array.
func readArray(dec *jsonv2.Decoder, elem func() error) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		return nil
	case '[':
	default:
		return fmt.Errorf("want a JSON array, got %s", tok.Kind())
	}
	for dec.PeekKind() != ']' {
		if err := elem(); err != nil {
			return err
		}
	}
	_, err = dec.ReadToken()
	return err
}

// readString reads a string, "" for any other value.
func readString(dec *jsonv2.Decoder) (string, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return "", err
	}
	if tok.Kind() == '"' {
		return tok.String(), nil
	}
	if k := tok.Kind(); k == '{' || k == '[' {
		return "", fmt.Errorf("want a JSON string, got %s", k)
	}
	return "", nil
}

// readBool reads true or false; anything else is false.
func readBool(dec *jsonv2.Decoder) (bool, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return false, err
	}
	if k := tok.Kind(); k == '{' || k == '[' {
		return false, fmt.Errorf("want a JSON boolean, got %s", k)
	}
	return tok.Kind() == 't', nil
}

// readInt reads an integer; anything else is 0.
func readInt(dec *jsonv2.Decoder) (int64, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return 0, err
	}
	switch tok.Kind() {
	case '0':
		return tok.Int(), nil
	case '{', '[':
		return 0, fmt.Errorf("want a JSON number, got %s", tok.Kind())
	}
	return 0, nil
}
