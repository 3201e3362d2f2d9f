package audit

import (
	"encoding/json"
	"strings"
)

// Facts are page-level facts that rules and reports read: the title, the
// language and the headline as the page's metadata states it.
type Facts struct {
	// Title is the text of the top document's title element.
	Title string `json:"title"`
	// Lang is the lang attribute of the html element.
	Lang string `json:"lang,omitempty"`
	// OGTitle is the og:title meta property.
	OGTitle string `json:"og_title,omitempty"`
	// OGSiteName is the og:site_name meta property.
	OGSiteName string `json:"og_site_name,omitempty"`
	// OGImage is the og:image meta property.
	OGImage string `json:"og_image,omitempty"`
	// TwitterTitle is the twitter:title meta property.
	TwitterTitle string `json:"twitter_title,omitempty"`
	// Headlines are the headline values of article objects in the page's
	// JSON-LD, in document order, without duplicates.
	Headlines []string `json:"jsonld_headlines,omitempty"`
	// Images are the image URLs of article objects in the page's JSON-LD.
	Images []string `json:"jsonld_images,omitempty"`
}

// ExtractFacts derives the page facts from the top document of p. Both
// loaders call it, so the facts mean the same whatever captured the tree.
func ExtractFacts(p *Page) Facts {
	var f Facts
	if html := p.DocumentElement(); html != NoNode {
		f.Lang = strings.TrimSpace(p.Nodes[html].AttrOr("lang", ""))
	}
	for _, id := range p.ElementsByTag("title") {
		n := &p.Nodes[id]
		if n.Frame == 0 && !n.InShadow && p.Closest(id, "svg") == NoNode {
			f.Title = p.TextContent(id)
			if f.Title == "" {
				f.Title = CollapseSpace(rawText(p, id))
			}
			break
		}
	}
	for _, id := range p.ElementsByTag("meta") {
		n := &p.Nodes[id]
		if n.Frame != 0 {
			continue
		}
		key := strings.ToLower(n.AttrOr("property", n.AttrOr("name", "")))
		content := CollapseSpace(n.AttrOr("content", ""))
		if content == "" {
			continue
		}
		setOnce := func(dst *string) {
			if *dst == "" {
				*dst = content
			}
		}
		switch key {
		case "og:title":
			setOnce(&f.OGTitle)
		case "og:site_name":
			setOnce(&f.OGSiteName)
		case "og:image", "og:image:url", "og:image:secure_url":
			setOnce(&f.OGImage)
		case "twitter:title":
			setOnce(&f.TwitterTitle)
		}
	}
	for _, id := range p.ElementsByTag("script") {
		n := &p.Nodes[id]
		if n.Frame != 0 || !strings.EqualFold(strings.TrimSpace(n.AttrOr("type", "")), "application/ld+json") {
			continue
		}
		var doc any
		if json.Unmarshal([]byte(rawText(p, id)), &doc) != nil {
			continue
		}
		collectJSONLD(doc, &f)
	}
	return f
}

// rawText joins the text children of id without collapsing or skipping, as
// a script's or title's source text.
func rawText(p *Page, id NodeID) string {
	var b strings.Builder
	for _, c := range p.Nodes[id].Children {
		if p.Nodes[c].Kind == TextNode {
			b.WriteString(p.Nodes[c].Data)
		}
	}
	return b.String()
}

// articleTypes are the schema.org types whose headline is a page headline.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "reviewnewsarticle": true,
	"backgroundnewsarticle": true, "askpublicnewsarticle": true, "blogposting": true,
	"liveblogposting": true, "socialmediaposting": true, "scholarlyarticle": true,
	"techarticle": true, "report": true, "webpage": true, "creativework": true,
	"videoobject": true,
}

// collectJSONLD walks a decoded JSON-LD value and records the headline and
// image of every article-like object, including those inside @graph.
func collectJSONLD(v any, f *Facts) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			collectJSONLD(e, f)
		}
	case map[string]any:
		if isArticleType(v["@type"]) {
			if h, ok := v["headline"].(string); ok {
				h = CollapseSpace(h)
				if h != "" && !contains(f.Headlines, h) {
					f.Headlines = append(f.Headlines, h)
				}
			}
			for _, u := range jsonLDImageURLs(v["image"]) {
				if !contains(f.Images, u) {
					f.Images = append(f.Images, u)
				}
			}
		}
		for _, key := range []string{"@graph", "mainEntity", "mainEntityOfPage", "hasPart"} {
			if sub, ok := v[key]; ok {
				collectJSONLD(sub, f)
			}
		}
	}
}

func isArticleType(t any) bool {
	switch t := t.(type) {
	case string:
		return articleTypes[strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/"))]
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func jsonLDImageURLs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		if u, ok := v["url"].(string); ok {
			return []string{u}
		}
		if u, ok := v["contentUrl"].(string); ok {
			return []string{u}
		}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, jsonLDImageURLs(e)...)
		}
		return out
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
