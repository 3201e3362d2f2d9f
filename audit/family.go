package audit

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A Family is a group of rules on one subject, declared once by the
// package that holds them: its tag, its title and the documentation of
// its rules. Each rule of the family is built with Family.Rule, in a file
// of its own named by its id, and the package lists its rules in one
// slice in catalogue order. The Family never lists its rules itself:
// they refer to it, and a value cannot be built from values built from
// it.
type Family struct {
	// Tag identifies the family, e.g. "images". It is the first tag of
	// each of its rules, which Rule.Family returns.
	Tag string
	// Title names the family in documentation and reports, e.g. "Image
	// alt text and captions".
	Title string
	// Docs holds the documentation of the family's rules by rule id.
	Docs map[string]Doc
}

// NewFamily declares a family from its tag, its title and its rules'
// documentation in Markdown, as ParseDocs reads it (the package's
// embedded doc.md). It panics on malformed documentation, as MustDocs
// does: rule packages call it when they are initialised, so any test of
// the package catches the mistake.
func NewFamily(tag, title, doc string) *Family {
	return &Family{Tag: tag, Title: title, Docs: MustDocs(doc)}
}

// Rule completes a rule of the family and returns it: its Doc is the
// family's documentation of its ID, and the family's tag comes first in
// its Tags, before the tags given ("news", "best-practice"). A rule with
// no documentation gets an empty Doc, which Validate reports.
func (f *Family) Rule(r Rule) *Rule {
	r.Doc = f.Docs[r.ID]
	r.Tags = append([]string{f.Tag}, r.Tags...)
	return &r
}

// ValidateFamily checks a family against the list of its rules, for
// mistakes a test should catch: a tag that is not kebab-case or is a
// class tag such as "news", a missing
// title, a rule of the list that does not carry the family's tag first,
// and a rule documented in the family's doc.md that is not in the list (a
// rule left out of the list, or a section left behind). Validate checks
// the rules themselves.
func ValidateFamily(f *Family, rules []*Rule) error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("family %q: %s", f.Tag, fmt.Sprintf(format, args...)))
	}
	switch {
	case !idPattern.MatchString(f.Tag):
		fail("tag is not kebab-case")
	case classTags[f.Tag]:
		fail("tag is one that classifies rules across families")
	}
	switch {
	case f.Title == "":
		fail("no title")
	case strings.HasSuffix(f.Title, "."):
		fail("title ends with a period")
	}
	listed := map[string]bool{}
	for _, r := range rules {
		listed[r.ID] = true
		if r.Family() != f.Tag {
			fail("rule %q has family %q", r.ID, r.Family())
		}
	}
	for _, id := range slices.Sorted(maps.Keys(f.Docs)) {
		if !listed[id] {
			fail("rule %q is documented but not in the family's list", id)
		}
	}
	return errors.Join(errs...)
}
