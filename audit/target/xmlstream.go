package target

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// maxFieldBytes bounds the text kept of one field of a record (a URL, a
// date). A field that is longer keeps maxFieldBytes+1 bytes, enough for
// the caller to see that it is too long.
const maxFieldBytes = 8 << 10

// maxXMLDepth bounds how deep elements may nest in a sitemap or feed.
const maxXMLDepth = 64

// A record is one entry of a sitemap or feed as it was read: the text of
// the fields asked for, by their path below the record's element (local
// names joined by "/", e.g. "loc" or "news/publication_date"), and for
// Atom the address of its first link to the page itself.
type record struct {
	fields map[string]string
	href   string
}

// A layout says which elements of a document are its records, once its
// root element is known: the path of local names from the root to a
// record (["url"], ["channel", "item"]), and the fields to keep of each.
// It returns an error for a root it does not read.
type layout func(root string) (recordPath []string, fields []string, err error)

// scanXML reads an XML document token by token, so that a document of any
// size is read in constant memory. It hands each record to emit as soon as
// the record's element ends; emit returns false to stop reading. Text
// outside records is never kept.
func scanXML(ctx context.Context, r io.Reader, lay layout, emit func(record) bool) error {
	dec := xml.NewDecoder(r)
	var (
		stack      []string // local names from the root down
		recordPath []string
		want       []string
		rec        *record
		field      string // the wanted field being read, or ""
		text       strings.Builder
	)
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) == 0 && recordPath == nil {
				return errors.New("no XML element in the document")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if len(stack) > maxXMLDepth {
				return fmt.Errorf("elements nest deeper than %d levels", maxXMLDepth)
			}
			if len(stack) == 1 {
				if recordPath, want, err = lay(t.Name.Local); err != nil {
					return err
				}
				continue
			}
			depth := len(recordPath) + 1 // the record element's depth
			if rec == nil {
				if len(stack) == depth && slices.Equal(stack[1:], recordPath) {
					rec = &record{}
				}
				continue
			}
			if field != "" {
				continue
			}
			p := strings.Join(stack[depth:], "/")
			if slices.Contains(want, p) {
				field = p
				text.Reset()
			}
			if p == "link" && rec.href == "" {
				var href, rel string
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "href":
						href = a.Value
					case "rel":
						rel = a.Value
					}
				}
				if rel == "" || rel == "alternate" {
					rec.href = capText(href)
				}
			}
		case xml.CharData:
			if field != "" && text.Len() <= maxFieldBytes {
				text.Write(t[:min(len(t), maxFieldBytes+1-text.Len())])
			}
		case xml.EndElement:
			depth := len(recordPath) + 1
			if rec != nil && field != "" && strings.Join(stack[depth:], "/") == field {
				if v := strings.TrimSpace(text.String()); v != "" && rec.fields[field] == "" {
					if rec.fields == nil {
						rec.fields = map[string]string{}
					}
					rec.fields[field] = v
				}
				field = ""
			}
			if rec != nil && len(stack) == depth {
				if !emit(*rec) {
					return nil
				}
				rec = nil
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// capText keeps at most maxFieldBytes+1 bytes of s.
func capText(s string) string {
	if len(s) > maxFieldBytes {
		return s[:maxFieldBytes+1]
	}
	return s
}
