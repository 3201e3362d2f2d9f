package config_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/config"
)

// Issue 16, row 9: a .json configuration is read as JSON, so what JSON
// forbids (a trailing comma, a comment) is an error in JSON's words, with
// the line and column, and never a YAML message.
func TestContractRow09JSONConfigParsedAsJSON(t *testing.T) {
	bad := []struct{ name, doc, want string }{
		{"trailing comma", "{\"defaults\": {\n  \"fail_on\": \"serious\",\n}}", "line 2, column 24: JSON syntax error"},
		{"comment", "# team config\n{\"defaults\": {}}", "line 1, column 1: JSON syntax error"},
		{"bare word", "{\"defaults\": {\"fail_on\": serious}}", "JSON syntax error"},
		{"two objects", "{}\n{}", "line 2: more than one JSON value"},
		{"unknown key", "{\"defaults\": {\n  \"failon\": \"serious\"}}", `line 2: unknown key "defaults.failon"`},
		{"wrong type", "{\"defaults\": {\"concurrency\": \"4\"}}", `defaults.concurrency is "4"; want a whole number`},
		{"cut short", "{\"defaults\": {", "the document ends early"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse(".newsa11y.json", []byte(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(strings.ToLower(err.Error()), "yaml") {
				t.Errorf("err = %v, want it to contain %q and never mention YAML", err, c.want)
			}
		})
	}
	f, err := config.Parse("team.json", []byte(`{"defaults": {"fail_on": "serious", "timeout": "45s", "isolation": "cleared"},
 "urls": ["a.html", {"url": "b.html", "timeout": "5s"}],
 "ignore": [{"rule": "*", "selector": "#ad", "reason": "ads", "expires": "2027-03-01"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if *f.Defaults.FailOn != "serious" || *f.Defaults.Isolation != "cleared" || len(f.URLs) != 2 || f.URLs[1].Line != 2 || f.Ignore[0].Line != 3 {
		t.Errorf("parsed %+v", f)
	}
}

// Issue 16, row 10: an unknown key is named by its place in the file, not
// by a Go type; so is a value of the wrong kind.
func TestContractRow10ConfigErrorsNameTheKey(t *testing.T) {
	for _, name := range []string{"c.yml", "c.json"} {
		doc := "defaults:\n  failon: serious\n"
		if strings.HasSuffix(name, ".json") {
			doc = "{\"defaults\": {\n  \"failon\": \"serious\"}}"
		}
		_, err := config.Parse(name, []byte(doc))
		if err == nil || !strings.Contains(err.Error(), `config `+name+`: line 2: unknown key "defaults.failon" (known in defaults: reports, fail_on`) || strings.Contains(err.Error(), "config.Options") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// readmeSection returns the README's text from the heading to the next
// heading of the same level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q section", heading)
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	return after
}

// Issue 16, rows 11 and 12: the README's configuration example parses,
// and the options it lists are exactly those the parser accepts.
func TestContractRow12READMEConfigMatchesTheParser(t *testing.T) {
	sec := readmeSection(t, "## Configuration file")
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("no YAML example in the README's configuration section")
	}
	if _, err := config.Parse(".newsa11y.yml", []byte(m[1])); err != nil {
		t.Errorf("the README's example: %v", err)
	}
	_, list, ok := strings.Cut(sec, "Options `defaults` accepts:")
	if !ok {
		t.Fatal("the README does not list the options defaults accepts")
	}
	list, _, _ = strings.Cut(list, ". ")
	var listed []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(list, -1) {
		listed = append(listed, m[1])
	}
	if want := config.OptionKeys(); !slices.Equal(listed, want) {
		t.Errorf("the README lists %v\nthe parser accepts %v", listed, want)
	}
}
