package audit_test

import (
	"slices"
	"testing"
)

func TestExtractFacts(t *testing.T) {
	p := parse(t, `<!DOCTYPE html><html lang="fr"><head>
<title> Un  titre | Le Site </title>
<meta property="og:title" content="Un titre">
<meta property="og:site_name" content="Le Site">
<meta name="twitter:title" content="Un titre (twitter)">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
  {"@type":"WebSite","name":"Le Site"},
  {"@type":["NewsArticle"],"headline":"Un titre","image":{"url":"https://example.test/a.jpg"}}]}</script>
<script type="application/ld+json">{ not json</script>
</head><body><svg><title>icon</title></svg></body></html>`)
	f := p.Facts
	if f.Title != "Un titre | Le Site" || f.Lang != "fr" || f.OGTitle != "Un titre" || f.OGSiteName != "Le Site" || f.TwitterTitle != "Un titre (twitter)" {
		t.Errorf("facts = %+v", f)
	}
	if !slices.Equal(f.Headlines, []string{"Un titre"}) || !slices.Equal(f.Images, []string{"https://example.test/a.jpg"}) {
		t.Errorf("JSON-LD facts = %v %v", f.Headlines, f.Images)
	}
}
