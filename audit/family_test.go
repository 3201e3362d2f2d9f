package audit_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

// familyDoc documents two rules, as a family's doc.md does.
const familyDoc = "# Rule fam-one\n\nOne.\n\n## Fix\n\nFix one.\n\n## Bad\n\n```html\n<b>\n```\n\n## Good\n\n```html\n<i>\n```\n\n" +
	"# Rule fam-two\n\nTwo.\n\n## Fix\n\nFix two.\n\n## Bad\n\n```html\n<s>\n```\n\n## Good\n\n```html\n<u>\n```\n"

func nop(*audit.Pass) error { return nil }

// familyRule builds a valid rule of f with the id and extra tags.
func familyRule(f *audit.Family, id string, tags ...string) *audit.Rule {
	return f.Rule(audit.Rule{ID: id, Title: "a rule", WCAG: []string{"1.1.1"}, Tags: tags,
		Severity: audit.Minor, Needs: audit.CapDOM, Check: nop})
}

func TestFamilyRule(t *testing.T) {
	f := audit.NewFamily("fam", "A family", familyDoc)
	if f.Tag != "fam" || f.Title != "A family" || len(f.Docs) != 2 {
		t.Fatalf("family = %+v", f)
	}
	// Spare capacity: inserting the family tag in place would overwrite "news".
	extra := make([]string, 1, 4)
	extra[0] = "news"
	one := familyRule(f, "fam-one", extra...)
	two := familyRule(f, "fam-two")
	if one.Doc.Summary != "One." || one.Doc.Fix != "Fix one." || one.Doc.Bad != "<b>" || one.Doc.Good != "<i>" {
		t.Errorf("fam-one doc = %+v", one.Doc)
	}
	if two.Doc.Summary != "Two." || two.Doc.Bad != "<s>" {
		t.Errorf("fam-two doc = %+v", two.Doc)
	}
	if !slices.Equal(one.Tags, []string{"fam", "news"}) || one.Family() != "fam" {
		t.Errorf("fam-one tags = %v, family %q", one.Tags, one.Family())
	}
	if !slices.Equal(two.Tags, []string{"fam"}) || !slices.Equal(extra, []string{"news"}) {
		t.Errorf("fam-two tags = %v; the tags given became %v", two.Tags, extra)
	}
	if err := audit.Validate([]*audit.Rule{one, two}); err != nil {
		t.Errorf("rules of a family: %v", err)
	}
	if err := audit.ValidateFamily(f, []*audit.Rule{one, two}); err != nil {
		t.Errorf("family: %v", err)
	}
	// A rule the doc does not describe gets no doc, which Validate reports.
	undocumented := familyRule(f, "fam-three")
	if err := audit.Validate([]*audit.Rule{undocumented}); err == nil || !strings.Contains(err.Error(), "doc needs") {
		t.Errorf("undocumented rule: err = %v", err)
	}
}

func TestNewFamilyPanicsOnBadDoc(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic on a malformed doc")
		}
	}()
	audit.NewFamily("fam", "A family", "# Rule x\n## Nonsense\n")
}

func TestValidateFamily(t *testing.T) {
	f := audit.NewFamily("fam", "A family", familyDoc)
	other := audit.NewFamily("other", "Another family", "")
	one, two := familyRule(f, "fam-one"), familyRule(f, "fam-two")
	bad := []struct {
		name   string
		family audit.Family
		rules  []*audit.Rule
		want   string
	}{
		{"tag", audit.Family{Tag: "Fam", Title: "A family", Docs: f.Docs}, []*audit.Rule{one, two}, "kebab-case"},
		{"class tag", audit.Family{Tag: "news", Title: "A family", Docs: f.Docs}, []*audit.Rule{one, two}, "classifies"},
		{"no title", audit.Family{Tag: "fam", Docs: f.Docs}, []*audit.Rule{one, two}, "no title"},
		{"title period", audit.Family{Tag: "fam", Title: "A family.", Docs: f.Docs}, []*audit.Rule{one, two}, "period"},
		{"left out of the list", *f, []*audit.Rule{one}, `rule "fam-two" is documented but not in the family's list`},
		{"rule of another family", *f, []*audit.Rule{one, two, familyRule(other, "other-one")}, `rule "other-one" has family "other"`},
	}
	for _, b := range bad {
		if err := audit.ValidateFamily(&b.family, b.rules); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: err = %v, want it to mention %q", b.name, err, b.want)
		}
	}
}

func TestValidateTags(t *testing.T) {
	f := audit.NewFamily("fam", "A family", familyDoc)
	for _, c := range []struct {
		name string
		tags []string
		want string
	}{
		{"repeated", []string{"news", "news"}, `tag "news" repeated`},
		{"family twice", []string{"fam"}, `tag "fam" repeated`},
	} {
		if err := audit.Validate([]*audit.Rule{familyRule(f, "fam-one", c.tags...)}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	r := *familyRule(f, "fam-one")
	r.Tags = []string{"best-practice", "fam"}
	if err := audit.Validate([]*audit.Rule{&r}); err == nil || !strings.Contains(err.Error(), `first tag "best-practice" is not a family's tag`) {
		t.Errorf("class tag first: err = %v", err)
	}
}
