package caption

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplit checks the caption splitter and the comparison built on it on
// any text: valid UTF-8 stays valid, the body and credit are no longer
// than the caption and trimmed, the same text always splits the same way,
// and an alt text compared with its own comparable form is an exact
// match.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"Boats in the harbour at low tide. Photograph: Jane Doe/AP",
		"Image caption, Firefighters at the scene (Photo Prakash Mathema. AFP)",
		"© Reuters", "REUTERS/Benoit Tessier", "Foto: dpa", "via Getty Images",
		"Legenda da foto, Manifestantes em Brasília - Heinrich Aikawa/Instituto Lula",
		"(((((", "Photo: ", ". . . /", "", "Credit:Credit:Credit:", "\xff(AFP)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p := Split(text)
		if utf8.ValidString(text) && (!utf8.ValidString(p.Body) || !utf8.ValidString(p.Credit) || !utf8.ValidString(p.Prefix)) {
			t.Fatalf("Split(%q) = %+v: invalid UTF-8", text, p)
		}
		// Invalid bytes may come back as U+FFFD, which is longer.
		if utf8.ValidString(text) && (len(p.Body) > len(text) || len(p.Prefix) > len(text)) {
			t.Fatalf("Split(%q) = %+v: a part longer than the caption", text, p)
		}
		if strings.TrimSpace(p.Body) != p.Body || strings.TrimSpace(p.Credit) != p.Credit {
			t.Fatalf("Split(%q) = %+v: untrimmed parts", text, p)
		}
		if again := split(text); again != p {
			t.Fatalf("Split(%q) is not deterministic: %+v then %+v", text, p, again)
		}
		// The rules compare an alt text with a caption's body; an alt
		// text compared with its own comparable form is an exact match.
		if c := ComparableAlt(text); c != "" && utf8.ValidString(text) {
			if m := Compare(text, c); m.Kind != Exact {
				t.Fatalf("Compare(%q, %q) = %+v, want exact", text, c, m)
			}
		}
	})
}
