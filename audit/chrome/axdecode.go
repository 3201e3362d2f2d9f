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
	// strings holds each text that repeats (roles, name sources,
	// property names) once, by its JSON form.
	strings map[string]string
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
// is read. The decoding functions below read objects member by member
// without closures, and texts that repeat (roles, name sources, property
// names) through intern, so that a node costs few allocations.
func (t *axTree) UnmarshalJSONFrom(dec *jsonv2.Decoder) error {
	if err := openObject(dec); err != nil {
		return err
	}
	for {
		name, err := nextMember(dec)
		if err != nil || name == nil {
			return err
		}
		if string(name) == tapMember {
			// The tap decoded the tree as it streamed (see pipeTap).
			tree, err := readTapped[*axTree](dec)
			if err != nil {
				return err
			}
			*t = *tree
			continue
		}
		if string(name) != "nodes" {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		null, err := openArray(dec)
		if err != nil {
			return err
		}
		for !null && dec.PeekKind() != ']' {
			if err := t.add().read(dec, t); err != nil {
				return err
			}
		}
		if !null {
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
		}
	}
}

// read decodes one AXNode object, keeping role, name and where it came
// from, description, ignored, level and focusable.
func (e *axEntry) read(dec *jsonv2.Decoder, t *axTree) error {
	if err := openObject(dec); err != nil {
		return err
	}
	for {
		name, err := nextMember(dec)
		if err != nil || name == nil {
			return err
		}
		switch string(name) {
		case "ignored":
			e.node.Ignored, err = readBool(dec)
		case "backendDOMNodeId":
			var n int64
			n, err = readInt(dec)
			e.backend = cdp.BackendNodeID(n)
		case "role":
			e.node.Role, _, err = t.readAXValue(dec, true, false)
		case "name":
			e.node.Name, e.node.NameFrom, err = t.readAXValue(dec, false, true)
		case "description":
			e.node.Description, _, err = t.readAXValue(dec, false, false)
		case "properties":
			err = e.readProperties(dec, t)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
}

// readProperties decodes the array of {"name": …, "value": {…}}
// properties, keeping level and focusable.
func (e *axEntry) readProperties(dec *jsonv2.Decoder, t *axTree) error {
	null, err := openArray(dec)
	if err != nil || null {
		return err
	}
	for dec.PeekKind() != ']' {
		if err := openObject(dec); err != nil {
			return err
		}
		var prop, value string
		var hasValue bool
		for {
			name, err := nextMember(dec)
			if err != nil {
				return err
			}
			if name == nil {
				break
			}
			switch string(name) {
			case "name":
				prop, err = t.intern(dec)
			case "value":
				hasValue = dec.PeekKind() != 'n'
				value, _, err = t.readAXValue(dec, true, false)
			default:
				err = dec.SkipValue()
			}
			if err != nil {
				return err
			}
		}
		if !hasValue {
			continue
		}
		switch accessibility.PropertyName(prop) {
		case accessibility.PropertyNameLevel:
			e.node.Level = int(parseFloat(value, 0))
		case accessibility.PropertyNameFocusable:
			e.node.Focusable = value == "true"
		}
	}
	_, err = dec.ReadToken()
	return err
}

// readAXValue decodes an AXValue object: its value as text (see
// scalarText; interned when asked, for texts that repeat) and, when
// sources is set, the source that gave it (see readSource). A null is the
// empty value.
func (t *axTree) readAXValue(dec *jsonv2.Decoder, interned, sources bool) (text, from string, err error) {
	if dec.PeekKind() == 'n' {
		_, err = dec.ReadToken()
		return "", "", err
	}
	if err := openObject(dec); err != nil {
		return "", "", err
	}
	for {
		name, err := nextMember(dec)
		if err != nil || name == nil {
			return text, from, err
		}
		switch {
		case string(name) == "value" && interned:
			text, err = t.intern(dec)
		case string(name) == "value":
			text, err = scalarText(dec)
		case string(name) == "sources" && sources:
			from, err = t.readSources(dec)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return "", "", err
		}
	}
}

// readSources decodes an array of AXValueSource and names the first one
// that gave the value, as Chrome lists them in precedence order: its
// native source, else its attribute, else its type. Superseded sources
// and sources with no value are passed over.
func (t *axTree) readSources(dec *jsonv2.Decoder) (string, error) {
	null, err := openArray(dec)
	if err != nil || null {
		return "", err
	}
	from := ""
	for dec.PeekKind() != ']' {
		if err := openObject(dec); err != nil {
			return "", err
		}
		var typ, attr, native string
		var superseded, hasValue bool
		for {
			name, err := nextMember(dec)
			if err != nil {
				return "", err
			}
			if name == nil {
				break
			}
			switch string(name) {
			case "type":
				typ, err = t.intern(dec)
			case "attribute":
				attr, err = t.intern(dec)
			case "nativeSource":
				native, err = t.intern(dec)
			case "superseded":
				superseded, err = readBool(dec)
			case "value":
				hasValue = dec.PeekKind() != 'n'
				err = dec.SkipValue()
			default:
				err = dec.SkipValue()
			}
			if err != nil {
				return "", err
			}
		}
		if from != "" || superseded || !hasValue {
			continue
		}
		switch {
		case native != "":
			from = native
		case attr != "":
			from = attr
		default:
			from = typ
		}
	}
	_, err = dec.ReadToken()
	return from, err
}

// intern reads a value as scalarText does, returning the one copy the
// tree keeps of its text.
func (t *axTree) intern(dec *jsonv2.Decoder) (string, error) {
	raw, err := dec.ReadValue()
	if err != nil {
		return "", err
	}
	if s, ok := t.strings[string(raw)]; ok {
		return s, nil
	}
	s := strings.TrimSpace(string(raw))
	if len(raw) > 0 && raw[0] == '"' {
		if err := jsonv2.Unmarshal(raw, &s, lenientJSON); err != nil {
			return "", err
		}
	}
	if t.strings == nil {
		t.strings = map[string]string{}
	}
	t.strings[string(raw)] = s
	return s, nil
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

// openObject reads the '{' that starts an object.
func openObject(dec *jsonv2.Decoder) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("want a JSON object, got %s", tok.Kind())
	}
	return nil
}

// nextMember returns the raw name of an object's next member, with the
// decoder at its value, or nil once it has read the object's '}'. The
// name is valid until the next read; the names the browser sends need no
// unescaping.
func nextMember(dec *jsonv2.Decoder) ([]byte, error) {
	if dec.PeekKind() == '}' {
		_, err := dec.ReadToken()
		return nil, err
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return nil, err
	}
	if len(raw) < 2 {
		return nil, fmt.Errorf("bad member name %s", raw)
	}
	return raw[1 : len(raw)-1], nil
}

// openArray reads the '[' that starts an array, or a null, which it
// reports.
func openArray(dec *jsonv2.Decoder) (null bool, err error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return false, err
	}
	switch tok.Kind() {
	case 'n':
		return true, nil
	case '[':
		return false, nil
	}
	return false, fmt.Errorf("want a JSON array, got %s", tok.Kind())
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
