// Package sample embeds the article page that "newsa11y audit" audits when
// it is given no target: the Voice of America story of 7 February 2022 on
// Macron meeting Putin, built as a realistic news page (skip links,
// masthead, navigation, breaking-news bar, headline, lead photo, body,
// related stories, footer). Its lead photo's alt text repeats the caption
// word for word, as on the real page, so the first audit a newcomer runs
// shows a real finding.
//
// The photo is an illustration drawn by gen_photo.go.
package sample

import (
	"embed"
	"io/fs"
)

//go:generate go run gen_photo.go

// Article is the path of the article page within Files.
const Article = "article.html"

//go:embed article.html style.css logo.svg photo.jpg
var files embed.FS

// Files returns the sample site: the article and its assets.
func Files() fs.FS { return files }
