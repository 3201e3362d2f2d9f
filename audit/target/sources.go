package target

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// An Entry is a page a sitemap or feed lists, with its date.
type Entry struct {
	// URL is the page's address as the source lists it: for sources on
	// the web an http(s) URL, if the source keeps to the protocol.
	URL string
	// Date is the news publication date when given, else the last
	// modification (sitemaps) or the publication date (feeds); zero when
	// the source gives none.
	Date time.Time
	// Source is the sitemap or feed that listed the entry.
	Source string

	from origin
}

// An origin is where a sitemap or feed came from, which decides what its
// entries may name (see Collector).
type origin struct {
	// local is set for a document read from disk.
	local bool
	// base is the folder of a document read from disk, against which its
	// relative paths are resolved; root is the folder of the sitemap or
	// feed named on the command line, outside which no entry may lead.
	// Both are absolute, with symbolic links resolved.
	base, root string
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

// DefaultMaxSitemaps is how many sitemap documents (indexes and the
// sitemaps they list) a Fetcher reads at most, unless told otherwise.
const DefaultMaxSitemaps = 1000

// A Fetcher reads sitemaps and feeds from URLs or files, as streams: each
// entry is handed over as it is read, and reading stops when the caller
// has enough.
type Fetcher struct {
	// Client makes the requests; nil means a client with a 30-second
	// timeout.
	Client *http.Client
	// MaxBytes bounds one document after decompression; zero means 50 MB,
	// the sitemap protocol's limit.
	MaxBytes int64
	// MaxSitemaps bounds the sitemap documents read over the fetcher's
	// life, indexes included; zero means DefaultMaxSitemaps. The sitemaps
	// listed beyond it are refused.
	MaxSitemaps int
	// Refused, when set, is told of every child sitemap that is not read,
	// and why.
	Refused func(Refusal)

	sitemaps int             // sitemap documents read so far
	visited  map[string]bool // sitemaps read or refused, by address
}

// A Refusal is an entry of a sitemap or feed, or a sitemap an index
// lists, that is left out, with the reason.
type Refusal struct {
	// Source is the sitemap or feed that listed it.
	Source string
	// Entry is the entry as listed.
	Entry string
	// Reason says why it is left out.
	Reason string
}

// String describes the refusal on one line, with the page-derived parts
// made safe for a terminal and long entries shortened.
func (r Refusal) String() string {
	return fmt.Sprintf("%s: refused %s: %s", termsafe.String(r.Source), shorten(termsafe.String(r.Entry), 200), r.Reason)
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// maxSitemapDepth bounds how deep sitemap indexes may nest.
const maxSitemapDepth = 3

// originOf returns the origin of a sitemap or feed named on the command
// line: the web for an http(s) URL, else the file's folder.
func originOf(src string) (origin, error) {
	if isWebURL(src) {
		return origin{}, nil
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return origin{}, err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return origin{}, err
	}
	return origin{local: true, base: dir, root: dir}, nil
}

// isWebURL reports whether s is an http(s) URL with a host.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// open returns the document at src, an http(s) URL or a regular file,
// decompressed when gzipped, failing once it grows past the size limit.
// The caller closes it.
func (f *Fetcher) open(ctx context.Context, src string, from origin) (io.ReadCloser, error) {
	limit := f.MaxBytes
	if limit == 0 {
		limit = 50 << 20
	}
	var body io.ReadCloser
	if !from.local {
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
		if resp.StatusCode >= 400 {
			resp.Body.Close()
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		body = resp.Body
	} else {
		file, err := OpenRegular(src)
		if err != nil {
			return nil, err
		}
		body = file
	}
	br := bufio.NewReader(body)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			body.Close()
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		r = zr
	}
	return &limitedDoc{r: r, left: limit, limit: limit, body: body}, nil
}

// limitedDoc reads a document up to a limit, and fails past it instead of
// cutting the document short.
type limitedDoc struct {
	r           io.Reader
	left, limit int64
	body        io.Closer
}

func (d *limitedDoc) Read(p []byte) (int, error) {
	if d.left <= 0 {
		return 0, fmt.Errorf("larger than %d bytes", d.limit)
	}
	if int64(len(p)) > d.left {
		p = p[:d.left]
	}
	n, err := d.r.Read(p)
	d.left -= int64(n)
	return n, err
}

func (d *limitedDoc) Close() error { return d.body.Close() }

// ReadSitemap reads the sitemap at src, an http(s) URL or a file, and
// hands each page it lists to visit, in document order, as it is read;
// visit returns false to stop. Sitemap indexes (gzipped or not) are
// followed up to three levels deep, each sitemap read once. Duplicates are
// not removed here, and entries are not checked: see Collector, which
// does both.
//
// The sitemaps an index lists are confined: an index on the web may list
// only http(s) sitemaps; an index on disk may also list regular files
// under the folder of the sitemap named on the command line. The others,
// and those past MaxSitemaps, are refused (see Refused) and not read.
func (f *Fetcher) ReadSitemap(ctx context.Context, src string, visit func(Entry) bool) error {
	from, err := originOf(src)
	if err != nil {
		return fmt.Errorf("read sitemap %s: %w", termsafe.String(src), safeError{err})
	}
	_, err = f.walkSitemap(ctx, src, src, from, 0, visit)
	return err
}

// walkSitemap reads one sitemap or index, listed by the index parent (or
// named on the command line, when parent is src); it reports whether
// visit asked to stop.
func (f *Fetcher) walkSitemap(ctx context.Context, parent, src string, from origin, depth int, visit func(Entry) bool) (bool, error) {
	if f.visited == nil {
		f.visited = map[string]bool{}
	}
	if f.visited[src] {
		return false, nil
	}
	f.visited[src] = true
	limit := f.MaxSitemaps
	if limit <= 0 {
		limit = DefaultMaxSitemaps
	}
	if f.sitemaps >= limit {
		f.refuse(Refusal{Source: parent, Entry: src, Reason: fmt.Sprintf("more than %d sitemaps in one run (raise --max-sitemaps)", limit)})
		return false, nil
	}
	f.sitemaps++
	fail := func(err error) (bool, error) {
		return false, fmt.Errorf("read sitemap %s: %w", termsafe.String(src), safeError{err})
	}
	doc, err := f.open(ctx, src, from)
	if err != nil {
		return fail(err)
	}
	var children []string
	index, stopped := false, false
	lay := func(root string) ([]string, []string, error) {
		switch root {
		case "sitemapindex":
			if depth >= maxSitemapDepth {
				return nil, nil, fmt.Errorf("sitemap indexes nest deeper than %d levels", maxSitemapDepth)
			}
			index = true
			return []string{"sitemap"}, []string{"loc"}, nil
		case "urlset":
			return []string{"url"}, []string{"loc", "lastmod", "news/publication_date"}, nil
		}
		return nil, nil, fmt.Errorf("root element <%s> is neither urlset nor sitemapindex", termsafe.String(shorten(root, 40)))
	}
	err = scanXML(ctx, doc, lay, func(rec record) bool {
		loc := rec.fields["loc"]
		if loc == "" {
			return true
		}
		if index {
			// An index's sitemaps are gathered first, so that its
			// connection is not held open while they are read; no more
			// than the run may read.
			if len(children) < limit {
				children = append(children, loc)
			} else {
				f.refuse(Refusal{Source: src, Entry: loc, Reason: fmt.Sprintf("more than %d sitemaps in one run (raise --max-sitemaps)", limit)})
			}
			return true
		}
		e := Entry{URL: loc, Date: parseDate(rec.fields["lastmod"]), Source: src, from: from}
		if d := parseDate(rec.fields["news/publication_date"]); !d.IsZero() {
			e.Date = d
		}
		if !visit(e) {
			stopped = true
			return false
		}
		return true
	})
	doc.Close()
	if err != nil {
		return fail(err)
	}
	if stopped {
		return true, nil
	}
	for _, loc := range children {
		var child, reason string
		var childFrom origin
		if len(loc) > maxFieldBytes {
			reason = fmt.Sprintf("longer than %d bytes", maxFieldBytes)
		} else {
			child, childFrom, reason = confineSitemap(loc, from)
		}
		if reason != "" {
			f.refuse(Refusal{Source: src, Entry: loc, Reason: reason})
			continue
		}
		if stop, err := f.walkSitemap(ctx, src, child, childFrom, depth+1, visit); stop || err != nil {
			return stop, err
		}
	}
	return false, nil
}

// refuse passes a refusal on to Refused, if set.
func (f *Fetcher) refuse(r Refusal) {
	if f.Refused != nil {
		f.Refused(r)
	}
}

// confineSitemap decides whether an index from the origin from may have
// its sitemap loc read: from the web, only an http(s) URL; from disk,
// also a regular file under the root folder. It returns what to read and
// its origin, or the reason for refusing it.
func confineSitemap(loc string, from origin) (string, origin, string) {
	if isWebURL(loc) {
		return loc, origin{}, ""
	}
	if !from.local {
		return "", origin{}, "a sitemap on the web may list only http(s) sitemaps"
	}
	path, reason := confinePath(loc, from)
	if reason != "" {
		return "", origin{}, reason
	}
	return path, origin{local: true, base: filepath.Dir(path), root: from.root}, ""
}

// confinePath resolves an entry of a sitemap or feed read from disk to a
// regular file under its root folder: a path relative to the document's
// folder, an absolute path or a file: URL. It returns the file's path,
// symbolic links resolved, or the reason for refusing the entry.
func confinePath(entry string, from origin) (string, string) {
	if entry == "-" {
		return "", "only the command line and --urls may name standard input"
	}
	p := entry
	if u, err := url.Parse(entry); err == nil && len(u.Scheme) > 1 {
		if !strings.EqualFold(u.Scheme, "file") {
			return "", fmt.Sprintf("unsupported URL scheme %q (want http, https or a file under the sitemap's folder)", termsafe.String(shorten(u.Scheme, 20)))
		}
		if u.Host != "" && u.Host != "localhost" || !strings.HasPrefix(u.Path, "/") {
			return "", "a file: URL must hold an absolute path on this machine"
		}
		p = u.Path
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(from.base, p)
	}
	p = filepath.Clean(p)
	outside := "outside the folder of the sitemap or feed that lists it"
	if !within(from.root, p) {
		return "", outside
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		// A missing file is the resolver's to report, as a page that
		// failed; anything else is refused here.
		if errors.Is(err, fs.ErrNotExist) {
			return p, ""
		}
		return "", termsafe.String(err.Error())
	}
	if !within(from.root, real) {
		return "", outside + " (through a symbolic link)"
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", termsafe.String(err.Error())
	}
	if st.IsDir() {
		return "", "a folder: a sitemap or feed on disk may list files, not folders"
	}
	if !st.Mode().IsRegular() {
		return "", notRegular(entry, st.Mode()).Error()
	}
	return real, ""
}

// within reports whether the clean absolute path p is dir or inside it.
func within(dir, p string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) || dir == string(filepath.Separator)
}

// ReadFeed reads the RSS 2.0 or Atom feed at src, an http(s) URL or a
// file, and hands each page it links to to visit, in feed order, as it is
// read; visit returns false to stop. Like ReadSitemap, it neither removes
// duplicates nor checks entries.
func (f *Fetcher) ReadFeed(ctx context.Context, src string, visit func(Entry) bool) error {
	fail := func(err error) error {
		return fmt.Errorf("read feed %s: %w", termsafe.String(src), safeError{err})
	}
	from, err := originOf(src)
	if err != nil {
		return fail(err)
	}
	doc, err := f.open(ctx, src, from)
	if err != nil {
		return fail(err)
	}
	defer doc.Close()
	atom := false
	lay := func(root string) ([]string, []string, error) {
		switch root {
		case "rss":
			return []string{"channel", "item"}, []string{"link", "pubDate", "date"}, nil
		case "feed":
			atom = true
			return []string{"entry"}, []string{"published", "updated"}, nil
		}
		return nil, nil, fmt.Errorf("root element <%s> is neither rss nor feed", termsafe.String(shorten(root, 40)))
	}
	err = scanXML(ctx, doc, lay, func(rec record) bool {
		link, date := rec.fields["link"], firstNonEmpty(rec.fields["pubDate"], rec.fields["date"])
		if atom {
			link, date = strings.TrimSpace(rec.href), firstNonEmpty(rec.fields["published"], rec.fields["updated"])
		}
		if link == "" {
			return true
		}
		return visit(Entry{URL: link, Date: parseDate(date), Source: src, from: from})
	})
	if err != nil {
		return fail(err)
	}
	return nil
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

// apply returns the URL of an entry the filter keeps, rewritten, or ""
// when it drops it; undated tells that a Since dropped it for want of a
// date.
func (f Filter) apply(e Entry) (u string, undated bool) {
	if !f.Since.IsZero() {
		if e.Date.IsZero() {
			return "", true
		}
		if e.Date.Before(f.Since) {
			return "", false
		}
	}
	u = e.URL
	if f.Find != "" {
		u = strings.ReplaceAll(u, f.Find, f.Replace)
	}
	if f.Exclude != nil && f.Exclude.MatchString(u) {
		return "", false
	}
	return u, false
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
