// Package sourceline finds where a finding's element starts in the source
// file of a page audited from disk, so that code-scanning reports can
// anchor the finding to a line.
//
// The browser keeps no source positions, and golang.org/x/net/html's tree
// has none either, so the element is found by its opening tag: the source
// is tokenised (which knows where each tag starts), and a tag matches when
// it is the one the finding's selector names by id, or else when its name
// and attributes are those of the finding's snippet. A finding gets a line
// only when exactly one tag matches (or all matches are on one line). So
// an element a script created or changed (a lazy image whose src was
// swapped), one of several identical tags, and one inside a shadow tree
// or an iframe document get no line; nor do pages from the web, standard
// input or the embedded sample.
package sourceline

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/target"
)

// maxSource bounds the source read for a page; a larger file gets no
// lines.
const maxSource = 32 << 20

// LocalPath returns the file a page was audited from, for a page given as
// a file path or a file: URL; ok is false for web pages, standard input
// ("-") and the embedded sample.
func LocalPath(pageURL string) (path string, ok bool) {
	if pageURL == "" || pageURL == "-" || strings.HasPrefix(pageURL, "sample:") {
		return "", false
	}
	if u, err := url.Parse(pageURL); err == nil && len(u.Scheme) > 1 {
		if strings.EqualFold(u.Scheme, "file") {
			return u.Path, u.Path != ""
		}
		return "", false
	}
	return pageURL, true
}

// Fill sets Line on the findings of each audited page that came from a
// local file, reading the file from disk (relative paths from the current
// folder). Findings already holding a line keep it; a file that cannot be
// read leaves its findings without one.
func Fill(r *audit.Report) {
	for i := range r.Pages {
		p := &r.Pages[i]
		if p.Failed() || len(p.Findings) == 0 {
			continue
		}
		path, ok := LocalPath(p.URL)
		if !ok || !strings.EqualFold(filepath.Ext(path), ".html") && !strings.EqualFold(filepath.Ext(path), ".htm") {
			continue
		}
		src, err := readSource(path)
		if err != nil {
			continue
		}
		tags := Tags(src)
		for j := range p.Findings {
			f := &p.Findings[j]
			if f.Line == 0 {
				f.Line = Find(tags, f.Selector, f.Snippet)
			}
		}
	}
}

// readSource reads a page's source: a regular file only (a FIFO or a
// device swapped in is refused without blocking), of at most maxSource
// bytes.
func readSource(path string) ([]byte, error) {
	f, err := target.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxSource+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxSource {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxSource)
	}
	return src, nil
}

// A Tag is an opening tag in a source file.
type Tag struct {
	// Name is the tag name, lower case.
	Name string
	// Attrs are its attributes, names lower case, values decoded.
	Attrs []html.Attribute
	// Line is the line the tag starts on, from 1.
	Line int
}

// Tags lists the opening tags of an HTML source in source order, each with
// the line it starts on.
func Tags(src []byte) []Tag {
	z := html.NewTokenizer(bytes.NewReader(src))
	line := 1
	var tags []Tag
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return tags
		}
		raw := z.Raw()
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			tok := z.Token()
			tags = append(tags, Tag{Name: tok.Data, Attrs: tok.Attr, Line: line})
		}
		line += bytes.Count(raw, []byte{'\n'})
	}
}

// Find returns the line of the tag a finding's selector and snippet
// describe, or 0 when no single tag matches (see the package comment).
func Find(tags []Tag, selector, snippet string) int {
	if strings.Contains(selector, ">>>") {
		return 0
	}
	if id, ok := idSelector(selector); ok {
		if line := only(tags, func(t Tag) bool { return attr(t, "id") == id }); line > 0 {
			return line
		}
	}
	want, ok := parseSnippet(snippet)
	if !ok {
		return 0
	}
	return only(tags, func(t Tag) bool { return want.matches(t) })
}

// only returns the line of the tags that satisfy match when there is one,
// or several all on one line; else 0.
func only(tags []Tag, match func(Tag) bool) int {
	line := 0
	for _, t := range tags {
		if !match(t) {
			continue
		}
		if line != 0 && line != t.Line {
			return 0
		}
		line = t.Line
	}
	return line
}

// idSelector reports whether a selector is a lone "#id" and returns the id.
func idSelector(sel string) (string, bool) {
	if !strings.HasPrefix(sel, "#") || len(sel) < 2 {
		return "", false
	}
	id := sel[1:]
	if strings.ContainsAny(id, " >+~:.[#,\\") {
		return "", false
	}
	return id, true
}

// attr returns the value of a tag's attribute, or "".
func attr(t Tag, name string) string {
	for _, a := range t.Attrs {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// pattern is an opening tag as a snippet shows it.
type pattern struct {
	name  string
	attrs []html.Attribute
	// cut marks values the snippet shortened (ending with "…"), compared
	// as prefixes.
	cut []bool
}

// parseSnippet reads a snippet (see audit.Snippet): an opening tag whose
// values have their white space collapsed and may be cut with "…", and
// which may itself be cut short, losing its last attribute.
func parseSnippet(s string) (pattern, bool) {
	if !strings.HasPrefix(s, "<") {
		return pattern{}, false
	}
	whole := strings.HasSuffix(s, ">")
	if !whole {
		// The snippet was cut: drop the attribute it was cut in.
		if i := strings.LastIndex(s, `" `); i > 0 {
			s = s[:i+1] + ">"
		} else if i := strings.IndexByte(s, ' '); i > 0 {
			s = s[:i] + ">"
		} else {
			return pattern{}, false
		}
	}
	z := html.NewTokenizer(strings.NewReader(s))
	tt := z.Next()
	if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
		return pattern{}, false
	}
	tok := z.Token()
	p := pattern{name: tok.Data, attrs: tok.Attr}
	for i, a := range p.attrs {
		v, cut := strings.CutSuffix(a.Val, "…")
		p.attrs[i].Val = v
		p.cut = append(p.cut, cut)
	}
	return p, true
}

// matches reports whether a source tag has the pattern's name and each of
// its attributes with its value.
func (p pattern) matches(t Tag) bool {
	if t.Name != p.name {
		return false
	}
	for i, a := range p.attrs {
		found := false
		for _, b := range t.Attrs {
			if b.Key != a.Key {
				continue
			}
			got := collapse(b.Val)
			want := collapse(a.Val)
			found = got == want || p.cut[i] && strings.HasPrefix(got, want)
			break
		}
		if !found {
			return false
		}
	}
	return true
}

// collapse trims a value and turns each run of white space into a space,
// as snippets show values.
func collapse(v string) string {
	return strings.Join(strings.Fields(v), " ")
}
