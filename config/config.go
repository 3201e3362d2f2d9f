// Package config reads newsa11y's configuration file: .newsa11y.yml (then
// .newsa11y.yaml, .newsa11y.json) in the current folder, or the file given
// with --config. The shape follows pa11y-ci: a defaults block with the
// options every page gets, a urls list whose entries are addresses or
// objects overriding defaults for one page, and an ignore list whose every
// entry needs a reason.
//
// A file whose name ends in .json is read as JSON (encoding/json, unknown
// fields refused), any other as YAML. Either way, every key is checked
// against one schema before the file is decoded, so errors name the key by
// its path in the file (defaults.fail_on), its line, and what it takes.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Names are the file names looked for in the current folder, in order.
var Names = []string{".newsa11y.yml", ".newsa11y.yaml", ".newsa11y.json"}

// A File is a parsed configuration file.
type File struct {
	// Path is where the file was read.
	Path string `yaml:"-" json:"-"`
	// Defaults are the options of every run and page; command-line flags
	// and NEWSA11Y_* environment variables override them.
	Defaults Options `yaml:"defaults" json:"defaults"`
	// URLs are the pages to audit when the command line names none.
	URLs []URL `yaml:"urls" json:"urls"`
	// Ignore lists accepted findings.
	Ignore []Ignore `yaml:"ignore" json:"ignore"`
	// Setup are the steps run in the browser before pages are audited
	// (a login), checked when the file is read.
	Setup []SetupStep `yaml:"setup" json:"setup"`
	// SetupPer says when the setup runs: "context" (once per browser
	// context, the default) or "page" (before every page).
	SetupPer string `yaml:"setup_per" json:"setup_per"`
	// Auth gives pages behind a login what gets them through, by URL
	// pattern.
	Auth []Auth `yaml:"auth" json:"auth"`
	// Lines maps each key of defaults, as "defaults.KEY", to its line in
	// the file, for messages about its value.
	Lines map[string]int `yaml:"-" json:"-"`
}

// Options are the settings a configuration file can give, each named as
// its flag with underscores (reports for --report). A nil field is unset.
// OptionKeys lists their names.
type Options struct {
	// Reports are --report values, e.g. "sarif=out/a11y.sarif".
	Reports []string `yaml:"reports" json:"reports"`
	// FailOn is --fail-on.
	FailOn *string `yaml:"fail_on" json:"fail_on"`
	// FailOnReview is --fail-on-review.
	FailOnReview *bool `yaml:"fail_on_review" json:"fail_on_review"`
	// AllowFailedPages is --allow-failed-pages.
	AllowFailedPages *int `yaml:"allow_failed_pages" json:"allow_failed_pages"`
	// Concurrency is --concurrency.
	Concurrency *int `yaml:"concurrency" json:"concurrency"`
	// Timeout is --timeout.
	Timeout *Duration `yaml:"timeout" json:"timeout"`
	// ChromePath is --chrome-path.
	ChromePath *string `yaml:"chrome_path" json:"chrome_path"`
	// BlockThirdParty is --block-third-party.
	BlockThirdParty *bool `yaml:"block_third_party" json:"block_third_party"`
	// Viewport is --viewport.
	Viewport *string `yaml:"viewport" json:"viewport"`
	// Static is --static.
	Static *bool `yaml:"static" json:"static"`
	// Baseline is --baseline.
	Baseline *string `yaml:"baseline" json:"baseline"`
	// Mobile is --mobile.
	Mobile *bool `yaml:"mobile" json:"mobile"`
	// HideElements are --hide-elements selectors.
	HideElements []string `yaml:"hide_elements" json:"hide_elements"`
	// Isolation is --isolation.
	Isolation *string `yaml:"isolation" json:"isolation"`
	// Consent is --consent.
	Consent *string `yaml:"consent" json:"consent"`
	// Retries is --retries.
	Retries *int `yaml:"retries" json:"retries"`
	// Sitemap are --sitemap sources, audited like urls: only when the
	// command line names no page.
	Sitemap []string `yaml:"sitemap" json:"sitemap"`
	// Feed are --feed sources, audited like urls.
	Feed []string `yaml:"feed" json:"feed"`
	// Since is --since.
	Since *string `yaml:"since" json:"since"`
	// MaxPages is --max-pages.
	MaxPages *int `yaml:"max_pages" json:"max_pages"`
	// Header are --header values, "Name: value", sent to every audited
	// page's own origin.
	Header []string `yaml:"header" json:"header"`
	// Cookies is --cookies: a cookies.txt file or a Playwright storage
	// state.
	Cookies *string `yaml:"cookies" json:"cookies"`
}

// OptionKeys returns the keys defaults accepts, in the order of Options.
func OptionKeys() []string {
	t := reflect.TypeFor[Options]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("yaml")
	}
	return keys
}

// A URL is one page to audit, with its own overrides.
type URL struct {
	// URL is the address or path, as on the command line.
	URL string `yaml:"url" json:"url"`
	// Timeout overrides the page's load timeout.
	Timeout *Duration `yaml:"timeout" json:"timeout"`
	// Line is the entry's line in the file.
	Line int `yaml:"-" json:"-"`
}

// An Ignore accepts findings: of a rule (or "*"), on pages matching a URL
// pattern, at a selector, for a reason, until a date.
type Ignore struct {
	// Rule is the rule id or "*".
	Rule string `yaml:"rule" json:"rule"`
	// URL is a pattern for the page, "*" matching any characters.
	URL string `yaml:"url" json:"url"`
	// Selector is the finding's CSS selector.
	Selector string `yaml:"selector" json:"selector"`
	// Reason says why; it is required.
	Reason string `yaml:"reason" json:"reason"`
	// Expires is the last day, YYYY-MM-DD.
	Expires string `yaml:"expires" json:"expires"`
	// Line is the entry's line in the file.
	Line int `yaml:"-" json:"-"`
}

// An Auth entry gives the pages whose address matches URL ("*" matches
// any characters) headers, cookies and basic auth. Values may name
// environment variables as ${NAME}, so that secrets stay out of the file;
// the command expands them.
type Auth struct {
	// URL is a pattern for the page; it is required.
	URL string `yaml:"url" json:"url"`
	// Header are "Name: value" headers sent to the page's own origin.
	Header []string `yaml:"header" json:"header"`
	// Cookies is a cookies.txt file or a Playwright storage state.
	Cookies string `yaml:"cookies" json:"cookies"`
	// BasicAuth is "user:password" for the page origin's basic auth.
	BasicAuth string `yaml:"basic_auth" json:"basic_auth"`
	// Line is the entry's line in the file.
	Line int `yaml:"-" json:"-"`
}

// AuthKeys are the keys an auth entry accepts.
var AuthKeys = []string{"url", "header", "cookies", "basic_auth"}

// A Duration is a Go duration written as text, such as "30s" or "1m30s".
type Duration time.Duration

// parseDuration reads a positive duration with a unit.
func parseDuration(s string) (Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return 0, errors.New("want a positive duration with a unit, such as 30s, 2m or 1m30s")
	}
	return Duration(v), nil
}

// UnmarshalYAML reads a duration written as text.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDuration(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q: want a positive duration with a unit, such as 30s or 2m", n.Line, n.Value)
	}
	*d = v
	return nil
}

// UnmarshalJSON reads a duration written as a JSON string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := jsonUnmarshal(b, &s); err != nil {
		return err
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalYAML reads a URL entry: an address, or a mapping with url and
// overrides.
func (u *URL) UnmarshalYAML(n *yaml.Node) error {
	u.Line = n.Line
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&u.URL)
	}
	type plain URL
	return n.Decode((*plain)(u))
}

// UnmarshalJSON reads a URL entry: a string, or an object with url and
// overrides.
func (u *URL) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '"' {
		return jsonUnmarshal(b, &u.URL)
	}
	type plain URL
	return jsonStrict(b, (*plain)(u))
}

// UnmarshalYAML reads an ignore entry and records its line.
func (ig *Ignore) UnmarshalYAML(n *yaml.Node) error {
	ig.Line = n.Line
	type plain Ignore
	return n.Decode((*plain)(ig))
}

// Parse reads a configuration from data; name is used in messages, and
// a name ending in .json is read as JSON, any other as YAML.
func Parse(name string, data []byte) (*File, error) {
	f, err := parse(name, data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return f, nil
}

func parse(name string, data []byte) (*File, error) {
	f := &File{Path: name, Lines: map[string]int{}}
	var root *node
	var err error
	isJSON := strings.EqualFold(filepath.Ext(name), ".json")
	if isJSON {
		root, err = jsonTree(data)
	} else {
		root, err = yamlTree(data)
	}
	if err != nil {
		return nil, err
	}
	if root == nil {
		return f, nil
	}
	if err := checkFile(root, f.Lines); err != nil {
		return nil, err
	}
	if isJSON {
		err = jsonStrict(data, f)
	} else {
		err = yamlDecode(data, f)
	}
	if err != nil {
		return nil, err
	}
	for i := range f.Ignore {
		f.Ignore[i].Line = root.get("ignore").items[i].line
	}
	for i := range f.Setup {
		f.Setup[i].Line = root.get("setup").items[i].line
	}
	for i := range f.URLs {
		f.URLs[i].Line = root.get("urls").items[i].line
	}
	for i := range f.Auth {
		f.Auth[i].Line = root.get("auth").items[i].line
	}
	for i := range f.Ignore {
		ig := &f.Ignore[i]
		if strings.TrimSpace(ig.Reason) == "" {
			return nil, fmt.Errorf("line %d: the ignore of %q has no reason; say why these findings are accepted", ig.Line, ig.Rule)
		}
		if strings.TrimSpace(ig.Rule) == "" {
			return nil, fmt.Errorf("line %d: the ignore has no rule; name one, or \"*\" for every rule", ig.Line)
		}
		if ig.Expires != "" {
			if _, err := time.Parse(time.DateOnly, ig.Expires); err != nil {
				return nil, fmt.Errorf("line %d: ignore[%d].expires %q is not a date like 2027-03-01", ig.Line, i, ig.Expires)
			}
		}
	}
	return f, nil
}

// yamlDecode decodes a YAML document that checkFile accepted.
func yamlDecode(data []byte, f *File) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// Find returns the configuration to use: the file at explicit when given
// (it must exist), else the first of Names in dir, else nil.
func Find(dir, explicit string) (*File, error) {
	if explicit != "" {
		data, err := os.ReadFile(explicit)
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		return Parse(explicit, data)
	}
	for _, name := range Names {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		return Parse(name, data)
	}
	return nil, nil
}
