package target_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/target"
)

func TestReadURLList(t *testing.T) {
	got, err := target.ReadURLList(strings.NewReader("# pages\nhttps://a.test/1\n\n  pages/b.html  # a local copy\nhttps://a.test/1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "https://a.test/1 pages/b.html https://a.test/1" {
		t.Errorf("ReadURLList = %q (duplicates are the resolver's business)", got)
	}
}

// newsSite serves a sitemap index pointing at a gzipped news sitemap and a
// plain sitemap.
func newsSite(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>` + srv.URL + `/news.xml.gz</loc></sitemap>
  <sitemap><loc>` + srv.URL + `/pages.xml</loc></sitemap>
</sitemapindex>`))
	})
	mux.HandleFunc("/news.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/today</loc><lastmod>2026-01-01</lastmod>
    <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-27T08:00:00+00:00</news:publication_date><news:title>Today</news:title></news:news></url>
  <url><loc>https://news.example/yesterday</loc>
    <news:news><news:publication_date>2026-11-26T06:00:00Z</news:publication_date></news:news></url>
  <url><loc>https://news.example/last-week</loc>
    <news:news><news:publication_date>2026-11-19</news:publication_date></news:news></url>
</urlset>`))
		zw.Close()
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("/pages.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example/about</loc><lastmod>2026-11-27T10:00:00Z</lastmod></url>
  <url><loc>https://news.example/today</loc></url>
  <url><loc>https://news.example/undated</loc></url>
</urlset>`))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// collect adds the pages of the sitemaps and feeds through a collector
// with the filter, and returns the kept targets' inputs and the notes.
func collect(t *testing.T, f target.Filter, r *target.Resolver, sitemaps, feeds []string) ([]string, []string, error) {
	t.Helper()
	if r == nil {
		r = &target.Resolver{}
	}
	t.Cleanup(func() { r.Close() })
	c := &target.Collector{Fetcher: &target.Fetcher{}, Resolver: r, Filter: f}
	for _, src := range sitemaps {
		if err := c.Sitemap(context.Background(), src); err != nil {
			return nil, c.Notes(), err
		}
	}
	for _, src := range feeds {
		if err := c.Feed(context.Background(), src); err != nil {
			return nil, c.Notes(), err
		}
	}
	var inputs []string
	for _, tg := range r.Targets() {
		inputs = append(inputs, tg.Input)
	}
	return inputs, c.Notes(), nil
}

func TestSitemapIndexWithNewsSitemapAndSince(t *testing.T) {
	srv := newsSite(t)
	var entries []target.Entry
	f := &target.Fetcher{}
	err := f.ReadSitemap(context.Background(), srv.URL+"/sitemap.xml", func(e target.Entry) bool {
		entries = append(entries, e)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	// today is listed twice: removing duplicates is the resolver's job.
	if len(entries) != 6 || entries[0].URL != "https://news.example/today" || entries[0].Source != srv.URL+"/news.xml.gz" {
		t.Fatalf("%d entries, want 6: %+v", len(entries), entries)
	}
	if all, _, err := collect(t, target.Filter{}, nil, []string{srv.URL + "/sitemap.xml"}, nil); err != nil || len(all) != 5 {
		t.Errorf("collected %q, %v; want 5 pages (today once)", all, err)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	since, err := target.ParseSince("36h", now)
	if err != nil {
		t.Fatal(err)
	}
	filter := target.Filter{Since: since, Find: "https://news.example", Replace: "https://staging.news.example", Exclude: regexp.MustCompile(`/about$`)}
	urls, notes, err := collect(t, filter, nil, []string{srv.URL + "/sitemap.xml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The news publication date wins over lastmod: "today" is in the
	// window although its lastmod is January.
	if got := strings.Join(urls, " "); got != "https://staging.news.example/today https://staging.news.example/yesterday" {
		t.Errorf("filtered = %s", got)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "left out 2 pages without a date") {
		t.Errorf("notes = %q, want one for the 2 undated pages", notes)
	}
}

func TestReadFeeds(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>x</title><atom:link href="https://news.example/rss" rel="self"/>
<item><link>https://news.example/a</link><pubDate>Fri, 27 Nov 2026 09:00:00 +0000</pubDate></item>
<item><title>b</title><link>
  https://news.example/b
</link><pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>`))
	})
	mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><link href="https://news.example/feed-home"/>
<entry><link rel="edit" href="https://cms/c"/><link rel="alternate" href="https://news.example/c"/><updated>2026-11-27T07:00:00Z</updated></entry>
</feed>`))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`<html></html>`)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := &target.Fetcher{}
	read := func(src string) ([]target.Entry, error) {
		var out []target.Entry
		err := f.ReadFeed(context.Background(), src, func(e target.Entry) bool {
			out = append(out, e)
			return true
		})
		return out, err
	}
	rss, err := read(srv.URL + "/rss")
	if err != nil || len(rss) != 2 || rss[0].URL != "https://news.example/a" || rss[1].URL != "https://news.example/b" || rss[1].Date.Day() != 2 {
		t.Errorf("RSS = %+v, %v", rss, err)
	}
	atom, err := read(srv.URL + "/atom")
	if err != nil || len(atom) != 1 || atom[0].URL != "https://news.example/c" || atom[0].Date.IsZero() {
		t.Errorf("Atom = %+v, %v", atom, err)
	}
	if _, err := read(srv.URL + "/html"); err == nil {
		t.Error("an HTML page was read as a feed")
	}
	err = f.ReadSitemap(context.Background(), srv.URL+"/missing", func(target.Entry) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a missing sitemap: %v", err)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"24h":        now.Add(-24 * time.Hour),
		"7d":         now.Add(-7 * 24 * time.Hour),
		"2026-11-20": time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
	} {
		if got, err := target.ParseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-3h", "0d"} {
		if _, err := target.ParseSince(bad, now); err == nil {
			t.Errorf("ParseSince(%q) accepted", bad)
		}
	}
}
