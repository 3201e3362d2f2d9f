package config_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/config"
)

// The setup list of issue 15 reads the same from YAML and JSON, each step
// with its line.
func TestSetupParses(t *testing.T) {
	yml := `setup:
  - navigate: https://cms.example/login
  - type: {selector: "#user", text: editor}
  - type: {selector: "#password", env: CMS_PASSWORD}
  - click: "#sign-in"
  - press: Enter
  - wait_for: "#dashboard"
  - wait_gone: ".spinner"
  - wait_network_quiet
  - wait_network_quiet: true
setup_per: page
`
	json := `{"setup": [{"navigate": "https://cms.example/login"},
 {"type": {"selector": "#user", "text": "editor"}},
 {"type": {"selector": "#password", "env": "CMS_PASSWORD"}},
 {"click": "#sign-in"}, {"press": "Enter"}, {"wait_for": "#dashboard"},
 {"wait_gone": ".spinner"}, "wait_network_quiet", {"wait_network_quiet": true}],
 "setup_per": "page"}`
	want := []config.SetupStep{
		{Kind: "navigate", URL: "https://cms.example/login"},
		{Kind: "type", Selector: "#user", Text: "editor"},
		{Kind: "type", Selector: "#password", Env: "CMS_PASSWORD"},
		{Kind: "click", Selector: "#sign-in"},
		{Kind: "press", Key: "Enter"},
		{Kind: "wait_for", Selector: "#dashboard"},
		{Kind: "wait_gone", Selector: ".spinner"},
		{Kind: "wait_network_quiet"},
		{Kind: "wait_network_quiet"},
	}
	for name, doc := range map[string]string{"c.yml": yml, "c.json": json} {
		f, err := config.Parse(name, []byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if f.SetupPer != "page" || len(f.Setup) != len(want) {
			t.Fatalf("%s: setup_per %q, %d steps", name, f.SetupPer, len(f.Setup))
		}
		for i, w := range want {
			got := f.Setup[i]
			w.Line = i + 2
			if name == "c.json" {
				w.Line = got.Line // JSON puts several steps on a line
			}
			if got != w {
				t.Errorf("%s: step %d = %+v, want %+v", name, i, got, w)
			}
		}
		if f.Setup[3].Line < 2 {
			t.Errorf("%s: step lines not recorded: %+v", name, f.Setup[3])
		}
	}
}

// Every mistake in the setup list is refused when the file is read, in a
// message naming the step by its place and line.
func TestSetupErrorsNameTheStep(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"setup:\n  - navigate: https://a.example/\n  - tap: \"#x\"\n", `line 3: setup[1]: unknown step "tap" (known: navigate, type, click, wait_for, press, wait_gone, wait_network_quiet)`},
		{"setup:\n  - click: \"#x\"\n", `line 2: setup[0] is click; the setup must start with navigate`},
		{"setup:\n  - navigate: https://a.example/\n  - click:\n", `line 3: setup[1].click needs a CSS selector`},
		{"setup:\n  - navigate: https://a.example/\n  - type: {text: x}\n", `setup[1].type needs a selector`},
		{"setup:\n  - navigate: https://a.example/\n  - type: {selector: \"#p\"}\n", `setup[1].type needs text, or env`},
		{"setup:\n  - navigate: https://a.example/\n  - type: {selector: \"#p\", text: a, env: B}\n", `setup[1].type has both text and env`},
		{"setup:\n  - navigate: https://a.example/\n  - type: {selector: \"#p\", secret: B}\n", `unknown key "setup[1].type.secret"`},
		{"setup:\n  - navigate: https://a.example/\n  - press: Enterr\n", `setup[1].press "Enterr": unknown key`},
		{"setup:\n  - navigate: ftp://a.example/\n", `setup[0].navigate "ftp://a.example/": want an http or https address`},
		{"setup:\n  - navigate: https://u:hunter2@a.example/\n  - wait_network_quiet: 5\n", `setup[1].wait_network_quiet takes no argument`},
		{"setup:\n  - {navigate: https://a.example/, click: \"#x\"}\n", `setup[0] has 2 keys`},
		{"setup: {navigate: https://a.example/}\n", `setup must be a list of steps`},
		{"setup_per: tab\n", `setup_per "tab": want context`},
	} {
		_, err := config.Parse(".newsa11y.yml", []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.doc, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows a password: %v", err)
		}
	}
	// An address's password never shows in an error about it.
	_, err := config.Parse(".newsa11y.yml", []byte("setup:\n  - navigate: ftp://u:hunter2@a.example/\n"))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v, want one without the password", err)
	}
}
