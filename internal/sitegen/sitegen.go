// Package sitegen writes a synthetic local news site: article pages that
// share a template, with a photo, a skip link and headings, every third
// photo with alt text that repeats its caption. Tests and benchmarks use
// it to audit sites of any size without a network; its sitemaps and long
// texts feed the tests of hostile inputs.
package sitegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// photo is the site's one image, a plain SVG.
const photo = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#89a"/></svg>`

// Write writes n article pages, story-0001.html and up, and their photo
// into dir.
func Write(dir string, n int) error {
	if err := os.WriteFile(filepath.Join(dir, "photo.svg"), []byte(photo), 0o644); err != nil {
		return fmt.Errorf("write site: %w", err)
	}
	for i := 1; i <= n; i++ {
		alt := "Boats in the harbour at low tide"
		if i%3 == 0 {
			alt = fmt.Sprintf("The harbour on day %d.", i)
		}
		page := fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><title>Story %d | Harbour News</title></head>
<body><a href="#content">Skip to content</a><header><a href="/"><img src="photo.svg" alt="Harbour News" width="40" height="30"></a></header>
<nav><a href="/world">World</a></nav>
<main id="content"><article><h1>Story %d</h1>
<figure><img src="photo.svg" alt="%s" width="400" height="300"><figcaption>The harbour on day %d.</figcaption></figure>
<p>Body text of story %d.</p></article></main></body></html>`, i, i, alt, i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("story-%04d.html", i)), []byte(page), 0o644); err != nil {
			return fmt.Errorf("write site: %w", err)
		}
	}
	return nil
}

// Large returns an article page of about n elements: the site's template
// and story, then a list of other stories (a headline link and a summary
// each, a thumbnail every hundredth) long enough to reach n. Benchmarks
// use it to show how the capture grows with a page's size.
func Large(n int) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>A long page | Harbour News</title></head>
<body><a href="#content">Skip to content</a><header><a href="/"><img src="photo.svg" alt="Harbour News" width="40" height="30"></a></header>
<nav><a href="/world">World</a></nav>
<main id="content"><article><h1>A long page</h1>
<figure><img src="photo.svg" alt="Boats in the harbour at low tide" width="400" height="300"><figcaption>The harbour at dawn.</figcaption></figure>
<p>Body text of the story.</p></article>
<section><h2>More stories</h2><ul>
`)
	const template = 22 // the elements written above and below the list
	for i, count := 0, template; count < n; i++ {
		if i%100 == 99 {
			fmt.Fprintf(&b, `<li><article><img src="photo.svg" alt="" width="80" height="60"><h3><a href="/story-%d">Story %d</a></h3><p>Summary of story %d.</p></article></li>`+"\n", i, i, i)
			count += 6
			continue
		}
		fmt.Fprintf(&b, `<li><article><h3><a href="/story-%d">Story %d</a></h3><p>Summary of story %d.</p></article></li>`+"\n", i, i, i)
		count += 5
	}
	b.WriteString("</ul></section></main><footer><p>Harbour News</p></footer></body></html>\n")
	return b.String()
}

// WriteLarge writes Large(n) as large-N.html into dir, with the photo it
// shows, and returns the page's path.
func WriteLarge(dir string, n int) (string, error) {
	if err := os.WriteFile(filepath.Join(dir, "photo.svg"), []byte(photo), 0o644); err != nil {
		return "", fmt.Errorf("write large page: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("large-%d.html", n))
	if err := os.WriteFile(path, []byte(Large(n)), 0o644); err != nil {
		return "", fmt.Errorf("write large page: %w", err)
	}
	return path, nil
}
