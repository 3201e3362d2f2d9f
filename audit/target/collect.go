package target

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// maxListedRefusals is how many refused entries a Collector lists for each
// sitemap or feed named on the command line; the others are counted.
const maxListedRefusals = 20

// A Collector adds the pages that sitemaps and feeds list to a Resolver
// as their entries are read, so that a sitemap of any size is read in
// constant memory and no further than the resolver needs. Each entry is
// dated, rewritten and excluded by the Filter, then confined to what its
// source may name, then added; reading stops once the resolver is full.
//
// Sitemaps and feeds are not the user's word: an entry from one on the web
// may only be an http(s) URL, and one from a file on disk may also be a
// regular file under that file's folder. Folders, standard input ("-"),
// FIFOs, devices and other URL schemes are refused, each with a note.
type Collector struct {
	// Fetcher reads the sitemaps and feeds; its Refused is the
	// collector's own.
	Fetcher *Fetcher
	// Resolver receives the pages.
	Resolver *Resolver
	// Filter narrows and rewrites the entries.
	Filter Filter

	notes []string
	// For the source being read: refusals listed and left unlisted, and
	// entries left out for want of a date.
	listed, unlisted, undated int
}

// Sitemap adds the pages of the sitemap (or sitemap index) at src, a URL
// or a file. It reads nothing when the resolver is full already.
func (c *Collector) Sitemap(ctx context.Context, src string) error {
	return c.read(ctx, "sitemap", src, c.Fetcher.ReadSitemap)
}

// Feed adds the pages of the RSS or Atom feed at src, a URL or a file.
func (c *Collector) Feed(ctx context.Context, src string) error {
	return c.read(ctx, "feed", src, c.Fetcher.ReadFeed)
}

// Notes returns what the collector left out and why, one line each, safe
// to print on a terminal: refused entries and sitemaps, and pages left
// out for want of a date.
func (c *Collector) Notes() []string { return c.notes }

func (c *Collector) read(ctx context.Context, kind, src string, readOne func(context.Context, string, func(Entry) bool) error) error {
	if c.Resolver.Full() {
		return nil
	}
	c.listed, c.unlisted, c.undated = 0, 0, 0
	c.Fetcher.Refused = c.refuse
	var addErr error
	err := readOne(ctx, src, func(e Entry) bool {
		if c.Resolver.Full() {
			return false
		}
		u, undated := c.Filter.apply(e)
		if undated {
			c.undated++
		}
		if u == "" {
			return true
		}
		var in, reason string
		if len(e.URL) > maxFieldBytes {
			reason = fmt.Sprintf("longer than %d bytes", maxFieldBytes)
		} else {
			in, reason = confineEntry(u, e.from)
		}
		if reason != "" {
			c.refuse(Refusal{Source: e.Source, Entry: u, Reason: reason})
			return true
		}
		if addErr = c.Resolver.Add(in); addErr != nil {
			return false
		}
		return !c.Resolver.Full()
	})
	if c.unlisted > 0 {
		c.notes = append(c.notes, fmt.Sprintf("%s %s: refused %d more entries (the first %d are listed above)", kind, termsafe.String(src), c.unlisted, c.listed))
	}
	if c.undated > 0 {
		c.notes = append(c.notes, fmt.Sprintf("%s %s: left out %d pages without a date, as --since asks for dated ones", kind, termsafe.String(src), c.undated))
	}
	if err != nil {
		return err
	}
	return addErr
}

// refuse notes a refused entry, up to maxListedRefusals for the source
// being read, and counts the others.
func (c *Collector) refuse(r Refusal) {
	if c.listed >= maxListedRefusals {
		c.unlisted++
		return
	}
	c.listed++
	c.notes = append(c.notes, r.String())
}

// confineEntry decides what a page entry (once rewritten) from the origin
// from may be audited as: an http(s) URL from anywhere; from disk, also a
// regular file under the root folder, as its absolute path. It returns
// that input, or the reason for refusing the entry.
func confineEntry(u string, from origin) (string, string) {
	if isWebURL(u) {
		return u, ""
	}
	if !from.local {
		if strings.TrimSpace(u) == "-" {
			return "", "a sitemap or feed on the web may list only http(s) pages, not standard input"
		}
		return "", "a sitemap or feed on the web may list only http(s) pages"
	}
	return confinePath(u, from)
}
