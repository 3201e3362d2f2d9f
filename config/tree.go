package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A node is one value of a configuration document, YAML or JSON, with its
// line: the common form the schema is checked on.
type node struct {
	kind  nodeKind
	typ   scalarType // for scalars
	value string     // for scalars
	line  int
	keys  []string // for mappings, in order
	klns  []int    // each key's line
	vals  []*node  // each key's value
	items []*node  // for lists
}

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	listNode
)

type scalarType int

const (
	strScalar scalarType = iota
	intScalar
	numScalar // a number that is not a whole one
	boolScalar
	nullScalar
	otherScalar // a YAML date, binary…: usable as text
)

// get returns the value of a mapping's key, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// maxDepth bounds the nesting of a document: no key of the schema is
// deeper than 4, and a bound keeps a hostile document from exhausting the
// stack.
const maxDepth = 64

// yamlTree parses a YAML document into nodes; nil for an empty one.
func yamlTree(data []byte) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	return fromYAML(doc.Content[0], 0)
}

func fromYAML(y *yaml.Node, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("line %d: values nest deeper than %d levels", y.Line, maxDepth)
	}
	n := &node{line: y.Line, value: y.Value}
	switch y.Kind {
	case yaml.ScalarNode:
		switch y.ShortTag() {
		case "!!str":
			n.typ = strScalar
		case "!!int":
			n.typ = intScalar
		case "!!float":
			n.typ = numScalar
		case "!!bool":
			n.typ = boolScalar
		case "!!null":
			n.typ = nullScalar
		default:
			n.typ = otherScalar
		}
	case yaml.MappingNode:
		n.kind = mapNode
		for i := 0; i+1 < len(y.Content); i += 2 {
			v, err := fromYAML(y.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, y.Content[i].Value)
			n.klns = append(n.klns, y.Content[i].Line)
			n.vals = append(n.vals, v)
		}
	case yaml.SequenceNode:
		n.kind = listNode
		for _, c := range y.Content {
			v, err := fromYAML(c, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
	default:
		return nil, fmt.Errorf("line %d: YAML aliases and anchors are not supported in the configuration", y.Line)
	}
	return n, nil
}

// lineIndex converts byte offsets to lines and columns.
type lineIndex []int // the offset of each line's start

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range data {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// at returns the 1-based line and column of offset.
func (idx lineIndex) at(off int64) (int, int) {
	i := sort.Search(len(idx), func(i int) bool { return int64(idx[i]) > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, int(off) - idx[i] + 1
}

// jsonTree parses a JSON document into nodes with encoding/json's token
// reader; nil for an empty one. Syntax errors (a trailing comma, a
// missing quote) are JSON's own, with their line and column.
func jsonTree(data []byte) (*node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	idx := newLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := jsonValue(dec, data, idx, 0)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, jsonError(err, idx)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, _ := idx.at(dec.InputOffset())
		return nil, fmt.Errorf("line %d: more than one JSON value; a configuration is one object", line)
	}
	return root, nil
}

func jsonValue(dec *json.Decoder, data []byte, idx lineIndex, depth int) (*node, error) {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line := tokenLine(data, idx, start)
	n := &node{line: line}
	if depth > maxDepth {
		return nil, fmt.Errorf("line %d: values nest deeper than %d levels", line, maxDepth)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = mapNode
			for dec.More() {
				kstart := dec.InputOffset()
				ktok, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := ktok.(string)
				kline := tokenLine(data, idx, kstart)
				v, err := jsonValue(dec, data, idx, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys, n.klns, n.vals = append(n.keys, key), append(n.klns, kline), append(n.vals, v)
			}
		case '[':
			n.kind = listNode
			for dec.More() {
				v, err := jsonValue(dec, data, idx, depth+1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.typ, n.value = strScalar, t
	case json.Number:
		n.value = t.String()
		n.typ = numScalar
		if _, err := strconv.Atoi(n.value); err == nil {
			n.typ = intScalar
		}
	case bool:
		n.typ, n.value = boolScalar, strconv.FormatBool(t)
	case nil:
		n.typ = nullScalar
	}
	return n, nil
}

// tokenLine returns the line of the token the decoder reads next from
// offset off: past the white space and separators before it.
func tokenLine(data []byte, idx lineIndex, off int64) int {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	line, _ := idx.at(off)
	return line
}

// jsonError gives a JSON error its line and column.
func jsonError(err error, idx lineIndex) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := idx.at(max(syn.Offset-1, 0))
		return fmt.Errorf("line %d, column %d: JSON syntax error: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		line, _ := idx.at(typ.Offset)
		return fmt.Errorf("line %d: %s: JSON %s where %s is wanted", line, typ.Field, typ.Value, typ.Type)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("JSON syntax error: the document ends early (a missing } or ])")
	}
	return err
}

// jsonStrict decodes JSON into v with encoding/json, refusing unknown
// fields.
func jsonStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, newLineIndex(data))
	}
	return nil
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// A kind is what a key of the schema takes.
type kind int

const (
	textKind kind = iota
	boolKind
	intKind
	durationKind
	textListKind
)

// optionKinds maps each key of defaults to what it takes, from Options.
func optionKinds() map[string]kind {
	kinds := map[string]kind{}
	t := reflect.TypeFor[Options]()
	for i := range t.NumField() {
		f := t.Field(i)
		k := textKind
		switch f.Type {
		case reflect.TypeFor[*bool]():
			k = boolKind
		case reflect.TypeFor[*int]():
			k = intKind
		case reflect.TypeFor[*Duration]():
			k = durationKind
		case reflect.TypeFor[[]string]():
			k = textListKind
		}
		kinds[f.Tag.Get("yaml")] = k
	}
	return kinds
}

// checkFile checks a document against the schema: the keys each mapping
// may hold and what each takes. Its errors name the key by its path and
// give its line. It records the lines of defaults' keys in lines.
func checkFile(root *node, lines map[string]int) error {
	if root.kind != mapNode {
		if root.kind == scalarNode && root.typ == nullScalar {
			return nil
		}
		return fmt.Errorf("line %d: the file must be a mapping with defaults, urls and ignore", root.line)
	}
	top := map[string]func(*node) error{
		"defaults":  func(n *node) error { return checkDefaults(n, lines) },
		"urls":      checkURLs,
		"ignore":    checkIgnores,
		"setup":     checkSetup,
		"setup_per": checkSetupPer,
		"auth":      checkAuth,
	}
	for i, key := range root.keys {
		check, ok := top[key]
		if !ok {
			return unknownKey(root.klns[i], key, "", []string{"defaults", "urls", "ignore", "setup", "setup_per", "auth"})
		}
		if err := check(root.vals[i]); err != nil {
			return err
		}
	}
	return nil
}

func unknownKey(line int, key, in string, known []string) error {
	where := "at the top"
	path := key
	if in != "" {
		where, path = "in "+in, in+"."+key
	}
	return fmt.Errorf("line %d: unknown key %q (known %s: %s)", line, path, where, strings.Join(known, ", "))
}

func isNull(n *node) bool { return n.kind == scalarNode && n.typ == nullScalar }

func checkDefaults(n *node, lines map[string]int) error {
	if isNull(n) {
		return nil
	}
	if n.kind != mapNode {
		return fmt.Errorf("line %d: defaults must be a mapping of options", n.line)
	}
	kinds := optionKinds()
	for i, key := range n.keys {
		k, ok := kinds[key]
		if !ok {
			return unknownKey(n.klns[i], key, "defaults", OptionKeys())
		}
		lines["defaults."+key] = n.klns[i]
		if err := checkValue(n.vals[i], "defaults."+key, k); err != nil {
			return err
		}
	}
	return nil
}

func checkURLs(n *node) error {
	if isNull(n) {
		return nil
	}
	if n.kind != listNode {
		return fmt.Errorf("line %d: urls must be a list of addresses or {url, timeout} entries", n.line)
	}
	for i, it := range n.items {
		path := fmt.Sprintf("urls[%d]", i)
		if it.kind == scalarNode {
			if err := checkValue(it, path, textKind); err != nil {
				return err
			}
			if strings.TrimSpace(it.value) == "" {
				return fmt.Errorf("line %d: %s is empty; want an address or a path", it.line, path)
			}
			continue
		}
		if err := checkEntry(it, path, map[string]kind{"url": textKind, "timeout": durationKind}, []string{"url", "timeout"}); err != nil {
			return err
		}
		if u := it.get("url"); u == nil || strings.TrimSpace(u.value) == "" {
			return fmt.Errorf("line %d: %s needs a url", it.line, path)
		}
	}
	return nil
}

func checkIgnores(n *node) error {
	if isNull(n) {
		return nil
	}
	if n.kind != listNode {
		return fmt.Errorf("line %d: ignore must be a list of {rule, url, selector, reason, expires} entries", n.line)
	}
	known := []string{"rule", "url", "selector", "reason", "expires"}
	kinds := map[string]kind{}
	for _, k := range known {
		kinds[k] = textKind
	}
	for i, it := range n.items {
		if err := checkEntry(it, fmt.Sprintf("ignore[%d]", i), kinds, known); err != nil {
			return err
		}
	}
	return nil
}

// checkAuth checks the auth list: entries of url (required), header
// (a list), cookies and basic_auth.
func checkAuth(n *node) error {
	if isNull(n) {
		return nil
	}
	if n.kind != listNode {
		return fmt.Errorf("line %d: auth must be a list of {%s} entries", n.line, strings.Join(AuthKeys, ", "))
	}
	kinds := map[string]kind{"url": textKind, "header": textListKind, "cookies": textKind, "basic_auth": textKind}
	for i, it := range n.items {
		path := fmt.Sprintf("auth[%d]", i)
		if err := checkEntry(it, path, kinds, AuthKeys); err != nil {
			return err
		}
		if u := it.get("url"); u == nil || strings.TrimSpace(u.value) == "" {
			return fmt.Errorf("line %d: %s needs a url pattern (\"*\" matches any characters)", it.line, path)
		}
	}
	return nil
}

// checkEntry checks a list entry that is a mapping of known keys.
func checkEntry(n *node, path string, kinds map[string]kind, known []string) error {
	if n.kind != mapNode {
		return fmt.Errorf("line %d: %s must be a mapping with %s", n.line, path, strings.Join(known, ", "))
	}
	for i, key := range n.keys {
		k, ok := kinds[key]
		if !ok {
			return unknownKey(n.klns[i], key, path, known)
		}
		if err := checkValue(n.vals[i], path+"."+key, k); err != nil {
			return err
		}
	}
	return nil
}

// checkValue checks that a value is of the kind its key takes.
func checkValue(n *node, path string, k kind) error {
	bad := func(want string) error {
		got := "a mapping"
		switch {
		case n.kind == listNode:
			got = "a list"
		case n.kind == scalarNode && n.typ == nullScalar:
			got = "nothing"
		case n.kind == scalarNode:
			got = strconv.Quote(n.value)
		}
		return fmt.Errorf("line %d: %s is %s; want %s", n.line, path, got, want)
	}
	switch k {
	case textKind:
		if n.kind != scalarNode || n.typ == nullScalar || (n.typ != strScalar && n.typ != otherScalar && n.typ != intScalar && n.typ != numScalar) {
			return bad("text")
		}
	case boolKind:
		if n.kind != scalarNode || n.typ != boolScalar {
			return bad("true or false")
		}
	case intKind:
		if n.kind != scalarNode || n.typ != intScalar {
			return bad("a whole number")
		}
	case durationKind:
		if n.kind == scalarNode && (n.typ == intScalar || n.typ == numScalar) {
			return fmt.Errorf("line %d: %s is %s, which needs a unit: want a duration such as 30s or 2m", n.line, path, n.value)
		}
		if n.kind != scalarNode || n.typ != strScalar {
			return bad("a duration such as 30s or 2m")
		}
		if _, err := parseDuration(n.value); err != nil {
			return fmt.Errorf("line %d: %s %q: %v", n.line, path, n.value, err)
		}
	case textListKind:
		if n.kind != listNode {
			return bad("a list of text, e.g. [a, b]")
		}
		for i, it := range n.items {
			if err := checkValue(it, fmt.Sprintf("%s[%d]", path, i), textKind); err != nil {
				return err
			}
		}
	}
	return nil
}
