package target

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// An Entry is a page a sitemap or feed lists, with its date.
type Entry struct {
	// URL is the page's address.
	URL string
	// Date is the news publication date when given, else the last
	// modification (sitemaps) or the publication date (feeds); zero when
	// the source gives none.
	Date time.Time
}

// ReadURLList reads one URL or path per line; blank lines and lines
// starting with # are skipped, as are trailing comments after " #".
func ReadURLList(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read URL list: %w", err)
	}
	return out, nil
}

// A Fetcher reads sitemaps and feeds from URLs or files.
type Fetcher struct {
	// Client makes the requests; nil means a client with a 30-second
	// timeout.
	Client *http.Client
	// MaxBytes bounds one document after decompression; zero means 50 MB,
	// the sitemap protocol's limit.
	MaxBytes int64
}

// maxSitemapDepth bounds how deep sitemap indexes may nest.
const maxSitemapDepth = 3

// fetch returns the bytes at src (an http(s) URL or a file path),
// decompressed when gzipped.
func (f *Fetcher) fetch(ctx context.Context, src string) ([]byte, error) {
	limit := f.MaxBytes
	if limit == 0 {
		limit = 50 << 20
	}
	var r io.Reader
	if u, err := url.Parse(src); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		client := f.Client
		if client == nil {
			client = &http.Client{Timeout: 30 * time.Second}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 400 {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		r = resp.Body
	} else {
		file, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		r = file
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		if data, err = io.ReadAll(io.LimitReader(zr, limit+1)); err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

// sitemapDoc reads both a urlset and a sitemapindex: the first has url
// entries, the second sitemap entries.
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapURL `xml:"url"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	// PublicationDate is Google News's news:news/news:publication_date.
	PublicationDate string `xml:"news>publication_date"`
}

// ReadSitemap returns the pages a sitemap lists, following sitemap indexes
// (gzipped or not) up to three levels deep, in document order without
// duplicates.
func (f *Fetcher) ReadSitemap(ctx context.Context, src string) ([]Entry, error) {
	var out []Entry
	seen := map[string]bool{}
	visited := map[string]bool{}
	var walk func(src string, depth int) error
	walk = func(src string, depth int) error {
		if visited[src] {
			return nil
		}
		visited[src] = true
		data, err := f.fetch(ctx, src)
		if err != nil {
			return fmt.Errorf("read sitemap %s: %w", src, err)
		}
		var doc sitemapDoc
		if err := xml.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("read sitemap %s: %w", src, err)
		}
		switch doc.XMLName.Local {
		case "sitemapindex":
			if depth >= maxSitemapDepth {
				return fmt.Errorf("read sitemap %s: sitemap indexes nest deeper than %d levels", src, maxSitemapDepth)
			}
			for _, sm := range doc.Sitemaps {
				if loc := strings.TrimSpace(sm.Loc); loc != "" {
					if err := walk(loc, depth+1); err != nil {
						return err
					}
				}
			}
		case "urlset":
			for _, u := range doc.URLs {
				loc := strings.TrimSpace(u.Loc)
				if loc == "" || seen[loc] {
					continue
				}
				seen[loc] = true
				e := Entry{URL: loc, Date: parseDate(u.LastMod)}
				if d := parseDate(u.PublicationDate); !d.IsZero() {
					e.Date = d
				}
				out = append(out, e)
			}
		default:
			return fmt.Errorf("read sitemap %s: root element <%s> is neither urlset nor sitemapindex", src, doc.XMLName.Local)
		}
		return nil
	}
	if err := walk(src, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// feedDoc reads RSS 2.0 (channel/item) and Atom (feed/entry).
type feedDoc struct {
	XMLName xml.Name
	Items   []struct {
		Link    string `xml:"link"`
		PubDate string `xml:"pubDate"`
		Date    string `xml:"date"`
	} `xml:"channel>item"`
	Entries []struct {
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
	} `xml:"entry"`
}

// ReadFeed returns the pages an RSS or Atom feed links to, in feed order
// without duplicates.
func (f *Fetcher) ReadFeed(ctx context.Context, src string) ([]Entry, error) {
	data, err := f.fetch(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("read feed %s: %w", src, err)
	}
	var doc feedDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read feed %s: %w", src, err)
	}
	var out []Entry
	seen := map[string]bool{}
	add := func(link, date string) {
		link = strings.TrimSpace(link)
		if link == "" || seen[link] {
			return
		}
		seen[link] = true
		out = append(out, Entry{URL: link, Date: parseDate(date)})
	}
	switch doc.XMLName.Local {
	case "rss":
		for _, it := range doc.Items {
			add(it.Link, firstNonEmpty(it.PubDate, it.Date))
		}
	case "feed":
		for _, e := range doc.Entries {
			href := ""
			for _, l := range e.Links {
				if l.Rel == "" || l.Rel == "alternate" {
					href = l.Href
					break
				}
			}
			add(href, firstNonEmpty(e.Published, e.Updated))
		}
	default:
		return nil, fmt.Errorf("read feed %s: root element <%s> is neither rss nor feed", src, doc.XMLName.Local)
	}
	return out, nil
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// dateLayouts are the date forms sitemaps (W3C datetime) and feeds (RFC
// 822 and 3339) use.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", time.DateOnly, "2006-01",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
}

// parseDate reads a sitemap or feed date, or returns zero.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// A Filter narrows sitemap and feed entries.
type Filter struct {
	// Since keeps entries dated at or after it; zero keeps all. Entries
	// without a date are dropped when it is set.
	Since time.Time
	// Find and Replace rewrite each URL (a production sitemap aimed at
	// staging).
	Find, Replace string
	// Exclude drops URLs it matches.
	Exclude *regexp.Regexp
}

// Apply returns the URLs of the entries the filter keeps, rewritten, and
// how many undated entries a Since dropped.
func (f Filter) Apply(entries []Entry) (urls []string, undated int) {
	for _, e := range entries {
		if !f.Since.IsZero() {
			if e.Date.IsZero() {
				undated++
				continue
			}
			if e.Date.Before(f.Since) {
				continue
			}
		}
		u := e.URL
		if f.Find != "" {
			u = strings.ReplaceAll(u, f.Find, f.Replace)
		}
		if f.Exclude != nil && f.Exclude.MatchString(u) {
			continue
		}
		urls = append(urls, u)
	}
	return urls, undated
}

// ParseSince reads --since: a duration back from now ("24h", "90m", "7d")
// or a date ("2026-11-20", RFC 3339).
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == days {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	if t := parseDate(s); !t.IsZero() {
		return t, nil
	}
	return time.Time{}, errors.New(`--since wants a duration such as 24h or 7d, or a date such as 2026-11-20`)
}
