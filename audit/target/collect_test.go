package target_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/internal/sitegen"
)

// serveDocs serves each document at its path; "{base}" in a document is
// the server's address.
func serveDocs(t *testing.T, docs map[string]string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	for path, doc := range docs {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, strings.ReplaceAll(doc, "{base}", srv.URL))
		})
	}
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// wantNotes checks that each refused entry has a note with its reason.
func wantNotes(t *testing.T, notes []string, want map[string]string) {
	t.Helper()
	for entry, reason := range want {
		found := false
		for _, n := range notes {
			if strings.Contains(n, "refused "+entry+": ") && strings.Contains(n, reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no note refuses %s because %q; notes:\n%s", entry, reason, strings.Join(notes, "\n"))
		}
	}
}

func TestRemoteSitemapListsOnlyWebPages(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "secret.html"), "<title>secret</title>")
	write(t, filepath.Join(dir, "local.xml"), sitegen.URLSet(filepath.Join(dir, "secret.html")))
	srv := serveDocs(t, map[string]string{
		"/index.xml": sitegen.SitemapIndex(filepath.Join(dir, "local.xml"), "file://"+filepath.Join(dir, "local.xml"), "ftp://example.test/s.xml", "{base}/pages.xml"),
		"/pages.xml": sitegen.URLSet(dir, "file://"+filepath.Join(dir, "secret.html"), ".", "-", "secret.html", "javascript:alert(1)", "http:///no-host", "{base}/ok.html"),
	})
	got, notes, err := collect(t, target.Filter{}, nil, []string{srv.URL + "/index.xml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{srv.URL + "/ok.html"}) {
		t.Errorf("collected %q, want only the web page", got)
	}
	sitemaps := "a sitemap on the web may list only http(s) sitemaps"
	pages := "a sitemap or feed on the web may list only http(s) pages"
	wantNotes(t, notes, map[string]string{
		filepath.Join(dir, "local.xml"):             sitemaps,
		"file://" + filepath.Join(dir, "local.xml"): sitemaps,
		"ftp://example.test/s.xml":                  sitemaps,
		dir:                                         pages,
		"file://" + filepath.Join(dir, "secret.html"): pages,
		".":                   pages,
		"-":                   "not standard input",
		"secret.html":         pages,
		"javascript:alert(1)": pages,
		"http:///no-host":     pages,
	})
}

func TestRemoteFeedLinksOnlyToWebPages(t *testing.T) {
	srv := serveDocs(t, map[string]string{
		"/rss":  `<rss version="2.0"><channel><item><link>-</link></item><item><link>/etc/passwd</link></item><item><link>{base}/a</link></item></channel></rss>`,
		"/atom": `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="."/></entry><entry><link href="{base}/b"/></entry></feed>`,
	})
	got, notes, err := collect(t, target.Filter{}, nil, nil, []string{srv.URL + "/rss", srv.URL + "/atom"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{srv.URL + "/a", srv.URL + "/b"}) {
		t.Errorf("collected %q", got)
	}
	wantNotes(t, notes, map[string]string{"-": "standard input", "/etc/passwd": "only http(s) pages", ".": "only http(s) pages"})
}

// TestRewriteCannotLeadOutside: the entry is checked once rewritten, so a
// --sitemap-find/--sitemap-replace cannot be used by a sitemap to reach
// a local file either.
func TestRewrittenEntriesAreChecked(t *testing.T) {
	srv := serveDocs(t, map[string]string{"/s.xml": sitegen.URLSet("https://news.example/etc/passwd", "https://news.example/ok")})
	got, notes, err := collect(t, target.Filter{Find: "https://news.example/etc", Replace: "/etc"}, nil, []string{srv.URL + "/s.xml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"https://news.example/ok"}) {
		t.Errorf("collected %q", got)
	}
	wantNotes(t, notes, map[string]string{"/etc/passwd": "only http(s) pages"})
}

func TestLocalSitemapStaysUnderItsFolder(t *testing.T) {
	base := t.TempDir()
	site := filepath.Join(base, "site")
	write(t, filepath.Join(site, "a.html"), "a")
	write(t, filepath.Join(site, "news", "b.html"), "b")
	write(t, filepath.Join(site, "news", "c.html"), "c")
	write(t, filepath.Join(base, "secret.html"), "secret")
	if err := os.Symlink(filepath.Join(base, "secret.html"), filepath.Join(site, "leak.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(site, "a.html"), filepath.Join(site, "alias.html")); err != nil {
		t.Fatal(err)
	}
	// A child sitemap in news/ names its pages relative to its own folder.
	write(t, filepath.Join(site, "news", "sitemap.xml"), sitegen.URLSet("c.html", "../a.html", "../../secret.html"))
	write(t, filepath.Join(site, "index.xml"), sitegen.SitemapIndex("pages.xml", "news/sitemap.xml", "../outside.xml", filepath.Join(base, "outside.xml"), "https://example.test/remote.xml"))
	write(t, filepath.Join(base, "outside.xml"), sitegen.URLSet(filepath.Join(base, "secret.html")))
	write(t, filepath.Join(site, "pages.xml"), sitegen.URLSet(
		"a.html", filepath.Join(site, "news", "b.html"), "file://"+filepath.Join(site, "news", "b.html"),
		"missing.html", "https://news.example/web",
		filepath.Join(base, "secret.html"), "../secret.html", "file://"+filepath.Join(base, "secret.html"), "leak.html",
		".", "news", "-", "file://elsewhere.example/x.html", "gopher://x", "alias.html"))
	r := &target.Resolver{}
	f := &target.Fetcher{Client: &http.Client{Transport: refuseAll{}}}
	c := &target.Collector{Fetcher: f, Resolver: r}
	defer r.Close()
	err := c.Sitemap(context.Background(), filepath.Join(site, "index.xml"))
	if err == nil || !strings.Contains(err.Error(), "remote.xml") {
		t.Fatalf("the web sitemap of a local index is read: %v", err)
	}
	var got []string
	for _, tg := range r.Targets() {
		got = append(got, strings.TrimPrefix(tg.Input, site))
	}
	want := []string{"/a.html", "/news/b.html", "/missing.html", "https://news.example/web", "/news/c.html"}
	if !slices.Equal(got, want) {
		t.Errorf("collected %q\nwant      %q", got, want)
	}
	outside := "outside the folder of the sitemap or feed that lists it"
	wantNotes(t, c.Notes(), map[string]string{
		"../outside.xml":                               outside,
		filepath.Join(base, "outside.xml"):             outside,
		filepath.Join(base, "secret.html"):             outside,
		"../secret.html":                               outside,
		"file://" + filepath.Join(base, "secret.html"): outside,
		"leak.html":                                    "symbolic link",
		"../../secret.html":                            outside,
		".":                                            "a folder",
		"news":                                         "a folder",
		"-":                                            "standard input",
		"file://elsewhere.example/x.html":              "absolute path on this machine",
		"gopher://x":                                   "unsupported URL scheme",
	})
	// alias.html is a.html again: a duplicate, dropped without a note.
	for _, n := range c.Notes() {
		if strings.Contains(n, "alias.html") {
			t.Errorf("a duplicate is refused: %s", n)
		}
	}
}

// refuseAll is a transport that fails every request.
type refuseAll struct{}

func (refuseAll) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("no network in this test")
}

// TestSitemapIsReadNoFurtherThanNeeded streams a sitemap of two million
// entries to a resolver that takes three: reading stops after a small
// part, and the shard decides which of the three are kept.
func TestSitemapIsReadNoFurtherThanNeeded(t *testing.T) {
	const total = 2_000_000
	var sent, requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		bw := bufio.NewWriter(w)
		fmt.Fprint(bw, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := range total {
			if _, err := fmt.Fprintf(bw, "<url><loc>https://news.example/%d</loc></url>\n", i/2); err != nil {
				return
			}
			sent.Add(1)
		}
		fmt.Fprint(bw, "</urlset>")
		bw.Flush()
	}))
	defer srv.Close()
	r := &target.Resolver{MaxPages: 3, Keep: func(t audit.Target) bool { return t.URL != "https://news.example/1" }}
	c := &target.Collector{Fetcher: &target.Fetcher{MaxBytes: 1 << 30}, Resolver: r}
	defer r.Close()
	if err := c.Sitemap(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range r.Targets() {
		got = append(got, fmt.Sprintf("%d:%s", tg.Index, tg.URL))
	}
	if !slices.Equal(got, []string{"0:https://news.example/0", "2:https://news.example/2"}) {
		t.Errorf("targets %q, want pages 0 and 2 at their places (1 is another shard's, duplicates dropped)", got)
	}
	// A second sitemap is not even requested.
	if err := c.Sitemap(context.Background(), srv.URL+"/again"); err != nil || requests.Load() != 1 {
		t.Errorf("%d requests, want 1: a sitemap was read for a full resolver (%v)", requests.Load(), err)
	}
	srv.CloseClientConnections()
	if n := sent.Load(); n > total/2 {
		t.Errorf("the server sent %d of %d entries; reading should have stopped after 6", n, total)
	} else {
		t.Logf("the server sent %d of %d entries", n, total)
	}
}

func TestMaxSitemaps(t *testing.T) {
	srv := serveDocs(t, map[string]string{
		"/index.xml": sitegen.SitemapIndex("{base}/1.xml", "{base}/2.xml", "{base}/3.xml", "{base}/4.xml"),
		"/1.xml":     sitegen.URLSet("https://news.example/1"),
		"/2.xml":     sitegen.URLSet("https://news.example/2"),
		"/3.xml":     sitegen.URLSet("https://news.example/3"),
		"/4.xml":     sitegen.URLSet("https://news.example/4"),
	})
	r := &target.Resolver{}
	c := &target.Collector{Fetcher: &target.Fetcher{MaxSitemaps: 3}, Resolver: r}
	defer r.Close()
	if err := c.Sitemap(context.Background(), srv.URL+"/index.xml"); err != nil {
		t.Fatal(err)
	}
	if n := len(r.Targets()); n != 2 {
		t.Errorf("%d pages, want 2: the index and two sitemaps make three", n)
	}
	wantNotes(t, c.Notes(), map[string]string{srv.URL + "/3.xml": "raise --max-sitemaps", srv.URL + "/4.xml": "raise --max-sitemaps"})
}

func TestRefusalsAreListedUpToALimit(t *testing.T) {
	var locs []string
	for i := range 50 {
		locs = append(locs, fmt.Sprintf("/etc/file-%d", i))
	}
	srv := serveDocs(t, map[string]string{"/s.xml": sitegen.URLSet(append(locs, "https://news.example/ok")...)})
	got, notes, err := collect(t, target.Filter{}, nil, []string{srv.URL + "/s.xml"}, nil)
	if err != nil || len(got) != 1 {
		t.Fatalf("collected %q, %v", got, err)
	}
	if len(notes) != 21 || !strings.Contains(notes[20], "refused 30 more entries (the first 20 are listed above)") {
		t.Errorf("%d notes, the last %q; want 20 listed and one that counts the other 30", len(notes), notes[len(notes)-1])
	}
}

func TestHostileSitemapDocuments(t *testing.T) {
	long := "https://news.example/" + strings.Repeat("a", 10_000)
	srv := serveDocs(t, map[string]string{
		"/big.xml":  sitegen.URLSet(strings.Repeat("https://news.example/page ", 100)),
		"/deep.xml": "<urlset>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</urlset>",
		"/long.xml": sitegen.URLSet(long, "https://news.example/ok"),
		"/html.xml": "<html><body>not a sitemap</body></html>",
		"/cut.xml":  `<urlset><url><loc>https://news.example/1</loc></url><url><loc>https://news`,
		"/ctl.xml":  sitegen.URLSet("https://news.example/&#x1b;"),
	})
	read := func(path string, maxBytes int64) ([]string, []string, error) {
		r := &target.Resolver{}
		defer r.Close()
		c := &target.Collector{Fetcher: &target.Fetcher{MaxBytes: maxBytes}, Resolver: r}
		err := c.Sitemap(context.Background(), srv.URL+path)
		var got []string
		for _, tg := range r.Targets() {
			got = append(got, tg.URL)
		}
		return got, c.Notes(), err
	}
	if _, _, err := read("/big.xml", 1000); err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Errorf("a sitemap over the size limit: %v", err)
	}
	if _, _, err := read("/deep.xml", 0); err == nil || !strings.Contains(err.Error(), "nest deeper") {
		t.Errorf("elements nested 100 deep: %v", err)
	}
	if got, notes, err := read("/long.xml", 0); err != nil || !slices.Equal(got, []string{"https://news.example/ok"}) || len(notes) != 1 || !strings.Contains(notes[0], "longer than 8192 bytes") || len(notes[0]) > 400 {
		t.Errorf("a 10 kB URL: %q, notes %q, %v", got, notes, err)
	}
	if _, _, err := read("/html.xml", 0); err == nil || !strings.Contains(err.Error(), "neither urlset nor sitemapindex") {
		t.Errorf("an HTML page: %v", err)
	}
	if _, _, err := read("/cut.xml", 0); err == nil {
		t.Error("a sitemap cut short was read without error")
	}
	if _, _, err := read("/ctl.xml", 0); err == nil || !strings.Contains(err.Error(), "illegal character") || strings.ContainsRune(err.Error(), 0x1b) {
		t.Errorf("an escape character: %v", err)
	}
}
