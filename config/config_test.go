package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/config"
)

const full = `# newsa11y configuration
defaults:
  reports: [sarif=out/a11y.sarif, html=out/a11y.html]
  fail_on: serious
  fail_on_review: true
  allow_failed_pages: 2
  concurrency: 4
  timeout: 45s
  block_third_party: true
  viewport: 1024x768
  baseline: a11y-baseline.json
urls:
  - https://news.example/world/story
  - url: https://news.example/live
    timeout: 2m
ignore:
  - rule: img-alt-missing
    url: "https://news.example/tag/*"
    selector: "#sponsor-logo"
    reason: vendor ad, ticket ADS-12
    expires: 2027-03-01
`

func TestParse(t *testing.T) {
	f, err := config.Parse("test.yml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Defaults
	if len(d.Reports) != 2 || *d.FailOn != "serious" || !*d.FailOnReview || *d.AllowFailedPages != 2 || *d.Concurrency != 4 ||
		time.Duration(*d.Timeout) != 45*time.Second || !*d.BlockThirdParty || *d.Viewport != "1024x768" || *d.Baseline != "a11y-baseline.json" {
		t.Errorf("defaults = %+v", d)
	}
	if d.Static != nil || d.ChromePath != nil {
		t.Error("unset options are not nil")
	}
	if len(f.URLs) != 2 || f.URLs[0].URL != "https://news.example/world/story" || f.URLs[0].Timeout != nil ||
		f.URLs[1].URL != "https://news.example/live" || time.Duration(*f.URLs[1].Timeout) != 2*time.Minute || f.URLs[1].Line != 14 {
		t.Errorf("urls = %+v", f.URLs)
	}
	if len(f.Ignore) != 1 || f.Ignore[0].Line != 17 || f.Ignore[0].Expires != "2027-03-01" || f.Ignore[0].Reason != "vendor ad, ticket ADS-12" {
		t.Errorf("ignore = %+v", f.Ignore)
	}
}

func TestParseErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown default", "defaults:\n  fail_on: serious\n  failon: minor\n", `line 3: unknown key "defaults.failon" (known in defaults: reports, fail_on,`},
		{"unknown top-level key", "default:\n  fail_on: serious\n", `line 1: unknown key "default" (known at the top: defaults, urls, ignore, setup, setup_per, auth)`},
		{"unknown url key", "urls:\n  - url: https://x.test/\n    timout: 3s\n", `line 3: unknown key "urls[0].timout" (known in urls[0]: url, timeout)`},
		{"unknown ignore key", "ignore:\n  - rule: x\n    reason: r\n    selectr: '#a'\n", `line 4: unknown key "ignore[0].selectr"`},
		{"ignore without reason", "ignore:\n  - rule: img-alt-missing\n    selector: '#a'\n", `line 2: the ignore of "img-alt-missing" has no reason`},
		{"ignore without rule", "ignore:\n  - reason: because\n", `line 2: the ignore has no rule`},
		{"bad expiry", "ignore:\n  - rule: x\n    reason: r\n    expires: next year\n", `line 2: ignore[0].expires "next year" is not a date`},
		{"duration without unit", "defaults:\n  timeout: 30\n", `line 2: defaults.timeout is 30, which needs a unit`},
		{"wrong type", "defaults:\n  concurrency: many\n", `line 2: defaults.concurrency is "many"; want a whole number`},
		{"negative duration", "defaults:\n  timeout: -5s\n", `line 2: defaults.timeout "-5s": want a positive duration`},
		{"url entry without url", "urls:\n  - timeout: 3s\n", `line 2: urls[0] needs a url`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse("c.yml", []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestJSONConfigAndFind(t *testing.T) {
	dir := t.TempDir()
	if f, err := config.Find(dir, ""); err != nil || f != nil {
		t.Fatalf("no config file: %v %v", f, err)
	}
	json := `{"defaults": {"fail_on": "critical"},
  "urls": ["a.html", {"url": "b.html", "timeout": "5s"}],
  "ignore": [{"rule": "*", "selector": "#ad", "reason": "ads", "bogus": 1}]}`
	if err := os.WriteFile(filepath.Join(dir, ".newsa11y.json"), []byte(json), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Find(dir, ""); err == nil || !strings.Contains(err.Error(), `line 3: unknown key "ignore[0].bogus"`) {
		t.Errorf("JSON config with an unknown key: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".newsa11y.yml"), []byte("defaults:\n  fail_on: minor\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Find(dir, "")
	if err != nil || f.Path != ".newsa11y.yml" || *f.Defaults.FailOn != "minor" {
		t.Errorf(".yml should win over .json: %+v %v", f, err)
	}
	if _, err := config.Find(dir, filepath.Join(dir, "missing.yml")); err == nil {
		t.Error("an explicit config that does not exist is not an error")
	}
	if f, err := config.Parse("empty.yml", nil); err != nil || f == nil {
		t.Errorf("an empty file: %v %v", f, err)
	}
}
