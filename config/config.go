// Package config reads newsa11y's configuration file: .newsa11y.yml (then
// .newsa11y.yaml, .newsa11y.json) in the current folder, or the file given
// with --config. The shape follows pa11y-ci: a defaults block with the
// options every page gets, a urls list whose entries are addresses or
// objects overriding defaults for one page, and an ignore list whose every
// entry needs a reason. Unknown keys are errors that name the key and its
// line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Names are the file names looked for in the current folder, in order.
var Names = []string{".newsa11y.yml", ".newsa11y.yaml", ".newsa11y.json"}

// A File is a parsed configuration file.
type File struct {
	// Path is where the file was read.
	Path string `yaml:"-"`
	// Defaults are the options of every run and page; command-line flags
	// and NEWSA11Y_* environment variables override them.
	Defaults Options `yaml:"defaults"`
	// URLs are the pages to audit when the command line names none.
	URLs []URL `yaml:"urls"`
	// Ignore lists accepted findings.
	Ignore []Ignore `yaml:"ignore"`
}

// Options are the settings a configuration file can give. A nil field is
// unset.
type Options struct {
	// Reports are --report values, e.g. "sarif=out/a11y.sarif".
	Reports []string `yaml:"reports"`
	// FailOn is --fail-on.
	FailOn *string `yaml:"fail_on"`
	// FailOnReview is --fail-on-review.
	FailOnReview *bool `yaml:"fail_on_review"`
	// AllowFailedPages is --allow-failed-pages.
	AllowFailedPages *int `yaml:"allow_failed_pages"`
	// Concurrency is --concurrency.
	Concurrency *int `yaml:"concurrency"`
	// Timeout is --timeout.
	Timeout *Duration `yaml:"timeout"`
	// ChromePath is --chrome-path.
	ChromePath *string `yaml:"chrome_path"`
	// BlockThirdParty is --block-third-party.
	BlockThirdParty *bool `yaml:"block_third_party"`
	// Viewport is --viewport.
	Viewport *string `yaml:"viewport"`
	// Static is --static.
	Static *bool `yaml:"static"`
	// Baseline is --baseline.
	Baseline *string `yaml:"baseline"`
	// Mobile is --mobile.
	Mobile *bool `yaml:"mobile"`
	// HideElements are --hide-elements selectors.
	HideElements []string `yaml:"hide_elements"`
}

// A URL is one page to audit, with its own overrides.
type URL struct {
	// URL is the address or path, as on the command line.
	URL string `yaml:"url"`
	// Timeout overrides the page's load timeout.
	Timeout *Duration `yaml:"timeout"`
	// Line is the entry's line in the file.
	Line int `yaml:"-"`
}

// An Ignore accepts findings: of a rule (or "*"), on pages matching a URL
// pattern, at a selector, for a reason, until a date.
type Ignore struct {
	// Rule is the rule id or "*".
	Rule string `yaml:"rule"`
	// URL is a pattern for the page, "*" matching any characters.
	URL string `yaml:"url"`
	// Selector is the finding's CSS selector.
	Selector string `yaml:"selector"`
	// Reason says why; it is required.
	Reason string `yaml:"reason"`
	// Expires is the last day, YYYY-MM-DD.
	Expires string `yaml:"expires"`
	// Line is the entry's line in the file.
	Line int `yaml:"-"`
}

// A Duration is a Go duration written as text, such as "30s" or "1m30s".
type Duration time.Duration

// UnmarshalYAML reads a duration written as text.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil || n.Tag == "!!int" || n.Tag == "!!float" {
		return fmt.Errorf("line %d: duration %q needs a unit, e.g. 30s or 2m", n.Line, n.Value)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a positive duration such as 30s", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalYAML reads a URL entry: an address, or a mapping with url and
// overrides.
func (u *URL) UnmarshalYAML(n *yaml.Node) error {
	u.Line = n.Line
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&u.URL)
	}
	if err := checkKeys(n, "url", "timeout"); err != nil {
		return err
	}
	type plain URL
	if err := n.Decode((*plain)(u)); err != nil {
		return err
	}
	if strings.TrimSpace(u.URL) == "" {
		return fmt.Errorf("line %d: a urls entry needs a url", n.Line)
	}
	return nil
}

// UnmarshalYAML reads an ignore entry and records its line.
func (ig *Ignore) UnmarshalYAML(n *yaml.Node) error {
	ig.Line = n.Line
	if err := checkKeys(n, "rule", "url", "selector", "reason", "expires"); err != nil {
		return err
	}
	type plain Ignore
	return n.Decode((*plain)(ig))
}

// checkKeys fails on a mapping key that is not one of known, naming it and
// its line. Custom decoders need it: the decoder's own check does not
// reach inside them.
func checkKeys(n *yaml.Node, known ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, name := range known {
			if k.Value == name {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("line %d: unknown key %q (known here: %s)", k.Line, k.Value, strings.Join(known, ", "))
		}
	}
	return nil
}

// Parse reads a configuration from data; name is used in messages and to
// tell JSON from YAML (JSON is read as the YAML it is, so errors carry line
// numbers either way).
func Parse(name string, data []byte) (*File, error) {
	f := &File{Path: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil {
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	for i := range f.Ignore {
		ig := &f.Ignore[i]
		if strings.TrimSpace(ig.Reason) == "" {
			return nil, fmt.Errorf("config %s: line %d: the ignore of %q has no reason; say why these findings are accepted", name, ig.Line, ig.Rule)
		}
		if strings.TrimSpace(ig.Rule) == "" {
			return nil, fmt.Errorf("config %s: line %d: the ignore has no rule; name one, or \"*\" for every rule", name, ig.Line)
		}
		if ig.Expires != "" {
			if _, err := time.Parse(time.DateOnly, ig.Expires); err != nil {
				return nil, fmt.Errorf("config %s: line %d: expires %q is not a date like 2027-03-01", name, ig.Line, ig.Expires)
			}
		}
	}
	return f, nil
}

// Find returns the configuration to use: the file at explicit when given
// (it must exist), else the first of Names in dir, else nil.
func Find(dir, explicit string) (*File, error) {
	if explicit != "" {
		data, err := os.ReadFile(explicit)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
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
