package sitegen

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLargeHasTheElementsAskedFor(t *testing.T) {
	for _, n := range []int{1000, 10000} {
		doc, err := html.Parse(strings.NewReader(Large(n)))
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		var walk func(*html.Node)
		walk = func(x *html.Node) {
			if x.Type == html.ElementNode {
				count++
			}
			for c := x.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if count < n || count > n+6 {
			t.Errorf("Large(%d) has %d elements", n, count)
		}
	}
}
