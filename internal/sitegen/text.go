package sitegen

import (
	"fmt"
	"strings"
)

// URLSet returns a sitemap listing the locations, each written as given
// (unescaped, so that tests can hand it hostile entries).
func URLSet(locs ...string) string {
	return sitemapDoc("urlset", "url", locs)
}

// SitemapIndex returns a sitemap index listing the sitemaps at the
// locations, each written as given.
func SitemapIndex(locs ...string) string {
	return sitemapDoc("sitemapindex", "sitemap", locs)
}

// sitemapDoc writes a sitemap document of the root element whose entries
// are item elements with a loc each.
func sitemapDoc(root, item string, locs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><%s xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, root)
	for _, l := range locs {
		fmt.Fprintf(&b, "<%s><loc>%s</loc></%s>", item, l, item)
	}
	fmt.Fprintf(&b, "</%s>", root)
	return b.String()
}

// Words returns a text of exactly n bytes made of the words in a
// repeating, irregular order, as a page stuffing a title or an alt text
// would: long texts for the tests that bound the rules' work.
func Words(n int, vocab ...string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[(i*7+i/3)%len(vocab)])
	}
	return b.String()[:n]
}
