package config_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/config"
)

// Issue 15: auth entries give pages behind logins their headers, cookies
// and basic auth by URL pattern, in YAML and JSON, each entry with its
// line; their mistakes are named by key and line.
func TestAuthEntries(t *testing.T) {
	yml := "defaults:\n  cookies: s.json\n  header: [\"X-A: 1\"]\nauth:\n  - url: \"https://staging.example/*\"\n    basic_auth: \"ed:${PW}\"\n  - url: \"https://cms.example/*\"\n    header: [\"X-Token: ${TOKEN}\"]\n    cookies: c.txt\n"
	js := `{"defaults": {"cookies": "s.json", "header": ["X-A: 1"]},
 "auth": [{"url": "https://staging.example/*", "basic_auth": "ed:${PW}"},
  {"url": "https://cms.example/*", "header": ["X-Token: ${TOKEN}"], "cookies": "c.txt"}]}`
	for name, doc := range map[string]string{"c.yml": yml, "c.json": js} {
		f, err := config.Parse(name, []byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if *f.Defaults.Cookies != "s.json" || f.Defaults.Header[0] != "X-A: 1" || len(f.Auth) != 2 ||
			f.Auth[0].BasicAuth != "ed:${PW}" || f.Auth[1].Header[0] != "X-Token: ${TOKEN}" || f.Auth[1].Cookies != "c.txt" {
			t.Errorf("%s: parsed %+v", name, f)
		}
		if f.Auth[1].Line == 0 || f.Auth[1].Line <= f.Auth[0].Line {
			t.Errorf("%s: lines %d, %d", name, f.Auth[0].Line, f.Auth[1].Line)
		}
	}
	for _, c := range []struct{ doc, want string }{
		{"auth:\n  - header: [\"X: y\"]\n", "line 2: auth[0] needs a url pattern"},
		{"auth:\n  - url: x\n    password: y\n", `line 3: unknown key "auth[0].password" (known in auth[0]: url, header, cookies, basic_auth)`},
		{"auth:\n  - url: x\n    header: \"X: y\"\n", "line 3: auth[0].header is \"X: y\"; want a list of text"},
		{"auth: x\n", "line 1: auth must be a list"},
	} {
		_, err := config.Parse("c.yml", []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.doc, err, c.want)
		}
	}
}

// The README's example of pages behind logins is a configuration the
// parser accepts.
func TestREADMEAuthExampleParses(t *testing.T) {
	sec := readmeSection(t, "## Pages behind logins")
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("no YAML example in the README's section on pages behind logins")
	}
	f, err := config.Parse(".newsa11y.yml", []byte(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Auth) == 0 || f.Defaults.Cookies == nil || len(f.Defaults.Header) == 0 {
		t.Errorf("the example sets no auth entry, cookies or header: %+v", f)
	}
}
