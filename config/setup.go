package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// SetupKinds are the kinds of setup step, in the order the README lists
// them.
var SetupKinds = []string{"navigate", "type", "click", "wait_for", "press", "wait_gone", "wait_network_quiet"}

// SetupPerValues are the values setup_per takes: the setup runs once per
// browser context (its state carries to the pages that follow), or before
// every page.
var SetupPerValues = []string{"context", "page"}

// SetupKeys are the keys the setup press step accepts besides one
// printable character.
var SetupKeys = []string{"Enter", "Tab", "Escape", "Space", "Backspace", "Delete", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"}

// A SetupStep is one step of the setup list: exactly one kind, with what
// that kind takes. Steps are checked when the file is read; the value of
// Env is read from the environment by the command, never here.
type SetupStep struct {
	// Kind is one of SetupKinds.
	Kind string
	// URL is the address of a navigate step.
	URL string
	// Selector is the CSS selector of a type, click, wait_for or wait_gone
	// step.
	Selector string
	// Text is what a type step types, when given in the file.
	Text string
	// Env names the environment variable holding what a type step types.
	Env string
	// Key is the key a press step presses.
	Key string
	// Line is the step's line in the file.
	Line int
}

// UnmarshalYAML reads a step checked by checkSetup.
func (s *SetupStep) UnmarshalYAML(n *yaml.Node) error {
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	s.Line = n.Line
	return s.from(v)
}

// UnmarshalJSON reads a step checked by checkSetup.
func (s *SetupStep) UnmarshalJSON(b []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return s.from(v)
}

// from fills a step from its decoded value: a bare kind
// ("wait_network_quiet"), or a mapping of one kind to its argument.
func (s *SetupStep) from(v any) error {
	switch v := v.(type) {
	case string:
		s.Kind = v
		return nil
	case map[string]any:
		for k, arg := range v {
			s.Kind = k
			switch arg := arg.(type) {
			case string:
				switch k {
				case "navigate":
					s.URL = arg
				case "press":
					s.Key = arg
				default:
					s.Selector = arg
				}
			case map[string]any:
				s.Selector, s.Text, s.Env = scalarText(arg["selector"]), scalarText(arg["text"]), scalarText(arg["env"])
			}
		}
		return nil
	}
	return fmt.Errorf("a setup step must be a mapping of its kind to its argument")
}

// RedactURL returns raw with any password in its user info replaced.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// checkSetup checks the setup list: each step one known kind with what it
// takes, and a navigate step first.
func checkSetup(n *node) error {
	if isNull(n) {
		return nil
	}
	if n.kind != listNode {
		return fmt.Errorf("line %d: setup must be a list of steps (%s)", n.line, strings.Join(SetupKinds, ", "))
	}
	for i, it := range n.items {
		path := fmt.Sprintf("setup[%d]", i)
		kind, arg := "", (*node)(nil)
		switch {
		case it.kind == scalarNode && it.typ == strScalar:
			kind = it.value
		case it.kind == mapNode && len(it.keys) == 1:
			kind, arg = it.keys[0], it.vals[0]
		case it.kind == mapNode:
			return fmt.Errorf("line %d: %s has %d keys (%s); a step is one of %s", it.line, path, len(it.keys), strings.Join(it.keys, ", "), strings.Join(SetupKinds, ", "))
		default:
			return fmt.Errorf("line %d: %s must be a step such as {click: \"#sign-in\"}; want one of %s", it.line, path, strings.Join(SetupKinds, ", "))
		}
		if !slices.Contains(SetupKinds, kind) {
			return fmt.Errorf("line %d: %s: unknown step %q (known: %s)", it.line, path, kind, strings.Join(SetupKinds, ", "))
		}
		if i == 0 && kind != "navigate" {
			return fmt.Errorf("line %d: %s is %s; the setup must start with navigate, to the page it begins on", it.line, path, kind)
		}
		p := path + "." + kind
		if err := checkStepArg(kind, arg, p, it.line); err != nil {
			return err
		}
	}
	return nil
}

// checkStepArg checks what one step of the given kind (step) takes.
func checkStepArg(step string, arg *node, path string, line int) error {
	if arg != nil {
		line = arg.line
	}
	text := func(what string) (string, error) {
		if arg == nil || arg.kind != scalarNode || arg.typ != strScalar || strings.TrimSpace(arg.value) == "" {
			return "", fmt.Errorf("line %d: %s needs %s", line, path, what)
		}
		return arg.value, nil
	}
	switch step {
	case "navigate":
		v, err := text("an address, such as https://cms.example/login")
		if err != nil {
			return err
		}
		if u, perr := url.Parse(v); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("line %d: %s %q: want an http or https address", line, path, RedactURL(v))
		}
	case "click", "wait_for", "wait_gone":
		if _, err := text("a CSS selector"); err != nil {
			return err
		}
	case "press":
		v, err := text("a key: " + strings.Join(SetupKeys, ", ") + " or one character")
		if err != nil {
			return err
		}
		if !slices.Contains(SetupKeys, v) && utf8.RuneCountInString(v) != 1 {
			return fmt.Errorf("line %d: %s %q: unknown key; want %s or one character", line, path, v, strings.Join(SetupKeys, ", "))
		}
	case "wait_network_quiet":
		if arg != nil && !isNull(arg) && !(arg.kind == scalarNode && arg.typ == boolScalar && arg.value == "true") {
			return fmt.Errorf("line %d: %s takes no argument (write it alone, or with true)", line, path)
		}
	case "type":
		if arg == nil || arg.kind != mapNode {
			return fmt.Errorf("line %d: %s needs {selector, text} or {selector, env}", line, path)
		}
		if err := checkEntry(arg, path, map[string]kind{"selector": textKind, "text": textKind, "env": textKind}, []string{"selector", "text", "env"}); err != nil {
			return err
		}
		if s := arg.get("selector"); s == nil || strings.TrimSpace(s.value) == "" {
			return fmt.Errorf("line %d: %s needs a selector", line, path)
		}
		t, e := arg.get("text"), arg.get("env")
		switch {
		case t == nil && e == nil:
			return fmt.Errorf("line %d: %s needs text, or env naming the variable that holds it", line, path)
		case t != nil && e != nil:
			return fmt.Errorf("line %d: %s has both text and env; want one", line, path)
		case e != nil && strings.TrimSpace(e.value) == "":
			return fmt.Errorf("line %d: %s.env is empty; want a variable's name", line, path)
		}
	}
	return nil
}

// scalarText returns a decoded scalar as the text written: a number a
// type step types is text too.
func scalarText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// checkSetupPer checks setup_per.
func checkSetupPer(n *node) error {
	if err := checkValue(n, "setup_per", textKind); err != nil {
		return err
	}
	if !slices.Contains(SetupPerValues, n.value) {
		return fmt.Errorf("line %d: setup_per %q: want context (once per browser context, like a login) or page (before every page)", n.line, n.value)
	}
	return nil
}
