package audit

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// An Ignore suppresses findings the team has decided to accept, with a
// reason and optionally an expiry date.
type Ignore struct {
	// Rule is the rule id, or "*" for any rule.
	Rule string
	// URL is a pattern for the page as given, where "*" matches any run of
	// characters; empty matches every page.
	URL string
	// Selector is the finding's selector exactly; empty matches any.
	Selector string
	// Reason says why the findings are accepted; it is required.
	Reason string
	// Expires is the last day the ignore applies; zero means never.
	Expires time.Time
	// Source says where the ignore was written, e.g. ".newsa11y.yml:12".
	Source string
}

// Validate reports an ignore that cannot work: no reason or no rule.
func (ig *Ignore) Validate() error {
	if strings.TrimSpace(ig.Reason) == "" {
		return fmt.Errorf("%s: ignore of rule %q has no reason; say why the findings are accepted", ig.Source, ig.Rule)
	}
	if strings.TrimSpace(ig.Rule) == "" {
		return fmt.Errorf("%s: ignore has no rule; name one, or \"*\" for all", ig.Source)
	}
	return nil
}

// matches reports whether the ignore covers finding f on the page with
// address url.
func (ig *Ignore) matches(url string, f *Finding) bool {
	if ig.Rule != "*" && ig.Rule != f.Rule {
		return false
	}
	if ig.Selector != "" && ig.Selector != f.Selector {
		return false
	}
	return ig.URL == "" || globMatch(ig.URL, url)
}

// globMatch matches s against a pattern where "*" stands for any run of
// characters, "/" included.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	return err == nil && re.MatchString(s)
}

// ApplyIgnores removes the findings that the configured ignores cover.
type ApplyIgnores struct {
	// Ignores are the configured ignores; none makes the step do nothing.
	Ignores []Ignore
	// Today is the date the ignores expire against.
	Today time.Time
}

var _ Processor = ApplyIgnores{}

// Name returns "ignores".
func (ApplyIgnores) Name() string { return "ignores" }

// Process removes from the report the findings that live ignores cover,
// counting them on each page in Ignored, and adds to the report's warnings
// the ignores that expired (their findings are reported again) and the
// ignores that matched nothing.
func (a ApplyIgnores) Process(r *Report) {
	r.Warnings = append(r.Warnings, applyIgnores(r, a.Ignores, a.Today)...)
}

// applyIgnores is ApplyIgnores.Process, returning the warnings.
func applyIgnores(r *Report, ignores []Ignore, today time.Time) []string {
	var warnings []string
	used := make([]bool, len(ignores))
	live := make([]bool, len(ignores))
	for i, ig := range ignores {
		live[i] = ig.Expires.IsZero() || !today.After(ig.Expires)
		if !live[i] {
			warnings = append(warnings, fmt.Sprintf("%s: the ignore of %s expired on %s; its findings are reported again", ig.Source, ig.Rule, ig.Expires.Format(time.DateOnly)))
		}
	}
	for pi := range r.Pages {
		p := &r.Pages[pi]
		kept := p.Findings[:0]
		for _, f := range p.Findings {
			ignored := false
			for i := range ignores {
				if live[i] && ignores[i].matches(p.URL, &f) {
					used[i] = true
					ignored = true
				}
			}
			if ignored {
				p.Ignored++
				continue
			}
			kept = append(kept, f)
		}
		p.Findings = kept
	}
	for i, ig := range ignores {
		if live[i] && !used[i] {
			warnings = append(warnings, fmt.Sprintf("%s: the ignore of %s matched nothing in this run; should it be removed?", ig.Source, ig.Rule))
		}
	}
	return warnings
}
