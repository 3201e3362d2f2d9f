package audit_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

func TestParseDocs(t *testing.T) {
	md := "# Rule a-rule\n\nFirst paragraph\nwraps here.\n\nMore text.\n\n## Fix\n\nDo the\nthing.\n\n## Bad\n\n```html\n<img>\n```\n\n## Good\n\n```html\n<img alt=\"x\">\n```\n\n# Rule b-rule\n\nB.\n"
	docs, err := audit.ParseDocs(md)
	if err != nil {
		t.Fatal(err)
	}
	a := docs["a-rule"]
	if a.Summary != "First paragraph wraps here." || a.Text != "More text." || a.Fix != "Do the thing." || a.Bad != "<img>" || a.Good != `<img alt="x">` {
		t.Errorf("a-rule = %+v", a)
	}
	if docs["b-rule"].Summary != "B." {
		t.Errorf("b-rule = %+v", docs["b-rule"])
	}
	if _, err := audit.ParseDocs("# Rule x\n## Nonsense\n"); err == nil || !strings.Contains(err.Error(), "unknown section") {
		t.Errorf("unknown section: err = %v", err)
	}
	if _, err := audit.ParseDocs("# Rule x\n# Rule x\n"); err == nil {
		t.Error("duplicate rule: no error")
	}
}

func TestCapability(t *testing.T) {
	c := audit.CapDOM | audit.CapAX
	if c.String() != "dom|ax" || !c.Has(audit.CapDOM) || c.Has(audit.CapLayout) {
		t.Errorf("capability %s misbehaves", c)
	}
	if m := c.Missing(audit.CapDOM | audit.CapLayout | audit.CapAX); m != audit.CapLayout {
		t.Errorf("Missing = %s, want layout", m)
	}
	back, err := audit.ParseCapability(c.String())
	if err != nil || back != c {
		t.Errorf("ParseCapability(%q) = %v, %v", c.String(), back, err)
	}
	if _, err := audit.ParseCapability("dom|bogus"); err == nil {
		t.Error("ParseCapability accepted an unknown name")
	}
}
