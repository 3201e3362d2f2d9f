package audit

import (
	"fmt"
	"unicode/utf8"
)

// MaxText is the longest page-derived text, in characters, that a result
// keeps in one field: a title, an alt text, a caption, a heading's text, a
// message. A page can make any of them a megabyte long, and ten images
// sharing such an alt text would otherwise write tens of megabytes into
// every report. Longer texts are cut, with a note of their length (see
// Cap).
const MaxText = 1000

// Cap returns s when it has at most max characters, and otherwise its
// start ending with "…" and a note of the whole length, max characters in
// all, as in "Storm hits the co… (40000 characters in all)". Capping a
// capped text changes nothing.
func Cap(s string, max int) string {
	if len(s) <= max {
		return s // no more bytes than max, so no more characters
	}
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s
	}
	note := fmt.Sprintf(" (%d characters in all)", n)
	if keep := max - len(note); keep >= len(note) {
		return Truncate(s, keep) + note
	}
	return Truncate(s, max)
}

// capText caps a text field in place at MaxText.
func capText(s *string) { *s = Cap(*s, MaxText) }

// CapText caps every page-derived text of a result at MaxText: the title,
// the error, the findings' messages and image evidence, the outline, the
// keyboard walks and the transcript. The runner applies it to every result.
func CapText(r *PageResult) {
	capText(&r.Title)
	capText(&r.Error)
	for i := range r.Findings {
		capFinding(&r.Findings[i])
	}
	for i := range r.RuleErrors {
		capText(&r.RuleErrors[i].Error)
	}
	for i := range r.Outline {
		o := &r.Outline[i]
		capText(&o.Text)
		capText(&o.Selector)
		for j := range o.Issues {
			capText(&o.Issues[j].Message)
		}
	}
	for i := range r.Walks {
		w := &r.Walks[i]
		capText(&w.Verdict)
		capText(&w.Note)
		for j := range w.Steps {
			s := &w.Steps[j]
			capText(&s.What)
			capText(&s.Selector)
			capText(&s.Where)
			capText(&s.Seen)
			capText(&s.Enter)
		}
	}
	for i := range r.Hidden {
		capText(&r.Hidden[i].Error)
	}
	if d := r.Consent; d != nil {
		capText(&d.Why)
		capText(&d.Control)
		for i := range d.Stops {
			capText(&d.Stops[i].Label)
		}
	}
	if t := r.Transcript; t != nil {
		for i := range t.Lines {
			capText(&t.Lines[i].Text)
			capText(&t.Lines[i].Selector)
		}
	}
}

// capFinding caps the page-derived texts of a finding. The selector is
// left whole, since a cut one finds nothing; Selector keeps it short.
func capFinding(f *Finding) {
	capText(&f.Message)
	capText(&f.Snippet)
	if ev := f.Image; ev != nil {
		capText(&ev.Alt)
		capText(&ev.Caption)
		capText(&ev.Credit)
		capText(&ev.CurrentSrc)
		capText(&ev.Fix)
		if m := ev.Match; m != nil {
			capText(&m.AltNormalized)
			capText(&m.OtherNormalized)
		}
	}
}
