package audit

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// A Rule describes one accessibility check. Rules are plain values: each
// is declared with its Family's Rule method in a file named by its id, and
// listed in its family's list of rules; the families are listed in one
// place (rules.Families). Nothing registers itself.
type Rule struct {
	// ID is the stable kebab-case id from the rule catalogue, e.g.
	// "img-alt-missing"; config files, ignores and baselines use it.
	ID string
	// Title states the requirement in lower case with no trailing period,
	// e.g. "images must have alternative text".
	Title string
	// Doc explains the rule with a bad and a good example; Family.Rule
	// fills it from the family's documentation.
	Doc Doc
	// WCAG lists the success criteria the rule maps to, e.g. "1.1.1".
	WCAG []string
	// Tags classify the rule: its family's tag first ("skip-links",
	// "images", "headings"; Family.Rule puts it there), then
	// "best-practice", "news".
	Tags []string
	// Severity is the default severity of a violation.
	Severity Severity
	// Needs is what the snapshot must hold for the rule to run. A page
	// captured without it reports the rule as skipped.
	Needs Capability
	// Subsumes names the rules whose findings this rule's findings absorb
	// when both describe one defect on one element: the same element, an
	// image and the link or button it sits in, or, for a finding about
	// the whole page, anywhere on the page (its consequences). The merge
	// step (MergeFindings) reports one finding, this rule's, with the
	// others as evidence. Subsumption is transitive and must not loop.
	Subsumes []string
	// Check runs the rule over one page, reporting through the pass. An
	// error or a panic is recorded for the page and the other rules run.
	Check func(*Pass) error
}

// HelpURL returns the address of the rule's documentation.
func (r *Rule) HelpURL() string {
	return "https://github.com/newsa11y/newsa11y/blob/main/docs/rules.md#" + r.ID
}

// Family returns the rule's family tag, the first of its tags.
func (r *Rule) Family() string {
	if len(r.Tags) == 0 {
		return ""
	}
	return r.Tags[0]
}

// classTags are the tags that classify rules across families; a rule's
// first tag names its family and cannot be one of them.
var classTags = map[string]bool{"best-practice": true, "news": true}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	wcagPattern = regexp.MustCompile(`^[1-4]\.[0-9]+\.[0-9]+$`)
)

// Validate checks a list of rules for mistakes a test should catch: bad or
// duplicate ids, missing titles, docs, checks or WCAG references, titles
// that are capitalised or end with a period, and tags that repeat or do
// not start with a family's tag. ValidateFamily checks a family and its
// list.
func Validate(rules []*Rule) error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range rules {
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("rule %q: %s", r.ID, fmt.Sprintf(format, args...)))
		}
		if !idPattern.MatchString(r.ID) {
			fail("id is not kebab-case")
		}
		if seen[r.ID] {
			fail("duplicate id")
		}
		seen[r.ID] = true
		switch {
		case r.Title == "":
			fail("no title")
		case strings.HasSuffix(r.Title, "."):
			fail("title ends with a period")
		case strings.ToLower(r.Title[:1]) != r.Title[:1]:
			fail("title starts with a capital letter")
		}
		if r.Doc.Summary == "" || r.Doc.Bad == "" || r.Doc.Good == "" || r.Doc.Fix == "" {
			fail("doc needs a summary, a fix, a bad and a good example")
		}
		if r.Check == nil {
			fail("no check")
		}
		if r.Severity < Minor || r.Severity > Critical {
			fail("severity %d out of range", r.Severity)
		}
		if !r.Needs.Has(CapDOM) {
			fail("needs must include dom")
		}
		switch {
		case len(r.Tags) == 0:
			fail("no family tag")
		case classTags[r.Tags[0]]:
			fail("first tag %q is not a family's tag", r.Tags[0])
		}
		bestPractice := false
		tagged := map[string]bool{}
		for _, t := range r.Tags {
			if tagged[t] {
				fail("tag %q repeated", t)
			}
			tagged[t] = true
			if t == "best-practice" {
				bestPractice = true
			}
		}
		if len(r.WCAG) == 0 && !bestPractice {
			fail("no WCAG reference and not tagged best-practice")
		}
		for _, id := range r.Subsumes {
			if !idPattern.MatchString(id) || id == r.ID {
				fail("subsumes %q: not another rule's id", id)
			}
		}
		for _, sc := range r.WCAG {
			if !wcagPattern.MatchString(sc) {
				fail("malformed WCAG reference %q", sc)
			}
		}
	}
	if loop := subsumptionLoop(rules); loop != "" {
		errs = append(errs, fmt.Errorf("subsumption loops: %s", loop))
	}
	return errors.Join(errs...)
}

// subsumptionLoop returns a loop in the rules' Subsumes declarations, as
// "a > b > a", or "" when there is none.
func subsumptionLoop(rules []*Rule) string {
	next := map[string][]string{}
	for _, r := range rules {
		next[r.ID] = r.Subsumes
	}
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(id string) string
	visit = func(id string) string {
		switch state[id] {
		case open:
			return strings.Join(append(path, id), " > ")
		case done:
			return ""
		}
		state[id] = open
		path = append(path, id)
		for _, n := range next[id] {
			if loop := visit(n); loop != "" {
				return loop
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		return ""
	}
	for _, r := range rules {
		if loop := visit(r.ID); loop != "" {
			return loop
		}
	}
	return ""
}
