package static_test

import (
	"bytes"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/rules"
)

// FuzzParse feeds arbitrary bytes to the static loader and every rule: the
// snapshot must keep its invariants (pre-order ids, parents that list
// their children) and no rule may fail or panic, whatever the markup.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><h1>H</h1></body></html>`,
		`<figure><img src="a.jpg" alt="Cap"><figcaption>Cap</figcaption></figure>`,
		`<a href="#main">Skip</a><main id="main"><h3>x</h3></main>`,
		`<table><tr><td><img><frameset><template><svg><math><title>`,
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":["x"],"image":{"url":3}}</script>`,
		"<p>\x00\xff\xfe<a href='#%E2%9C'>x</a>",
	} {
		f.Add([]byte(seed))
	}
	all := rules.All()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := static.Parse(bytes.NewReader(data), "http://fuzz.test/page")
		if err != nil {
			return
		}
		for i := range p.Nodes {
			n := &p.Nodes[i]
			if i > 0 && (n.Parent < 0 || int(n.Parent) >= i) {
				t.Fatalf("node %d has parent %d: ids are not in pre-order", i, n.Parent)
			}
			for _, c := range n.Children {
				if p.Nodes[c].Parent != audit.NodeID(i) {
					t.Fatalf("node %d lists child %d whose parent is %d", i, c, p.Nodes[c].Parent)
				}
			}
		}
		_, _, errs := audit.CheckPage(p, all)
		for _, e := range errs {
			t.Errorf("rule %s failed: %s", e.Rule, e.Error)
		}
	})
}
