package chrome

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

// axReply is a getFullAXTree reply in the browser's shape, with the cases
// the streaming decoder must get right: superseded and empty name sources,
// a native source, numbers and booleans as property values, a null value,
// nodes with no DOM node, and a lone surrogate in a name.
const axReply = `{"nodes":[
 {"nodeId":"1","ignored":false,"role":{"type":"internalRole","value":"RootWebArea"},
  "name":{"type":"computedString","value":"Story","sources":[{"type":"relatedElement","attribute":"aria-labelledby","superseded":false},{"type":"relatedElement","nativeSource":"title","value":{"type":"computedString","value":"Story"},"superseded":false}]},
  "properties":[{"name":"focusable","value":{"type":"booleanOrUndefined","value":true}}],"childIds":["2","3"],"backendDOMNodeId":7,"frameId":"F"},
 {"nodeId":"2","ignored":false,"role":{"type":"role","value":"heading"},
  "name":{"type":"computedString","value":"Harbour \ud83d news","sources":[{"type":"attribute","attribute":"aria-label","value":{"type":"computedString","value":"x"},"superseded":true},{"type":"contents","value":{"type":"computedString","value":"Harbour news"}}]},
  "description":{"type":"computedString","value":"the lead"},
  "properties":[{"name":"level","value":{"type":"integer","value":2}},{"name":"hidden","value":null},{"name":"focusable","value":{"type":"booleanOrUndefined","value":false}}],
  "parentId":"1","backendDOMNodeId":8},
 {"nodeId":"3","ignored":true,"ignoredReasons":[{"name":"ariaHiddenElement","value":{"type":"boolean","value":true}}],"role":{"type":"role","value":"none"},"backendDOMNodeId":9},
 {"nodeId":"4","ignored":false,"role":{"type":"role","value":"img"},"name":{"type":"computedString","value":"Boats","sources":[{"type":"attribute","attribute":"alt","attributeValue":{"type":"string","value":"Boats"},"value":{"type":"computedString","value":"Boats"},"superseded":false}]},"backendDOMNodeId":10},
 {"nodeId":"5","ignored":false,"role":null,"name":null}
]}`

func TestAXTreeDecodesWhatRulesRead(t *testing.T) {
	var tree axTree
	if err := jsonv2.Unmarshal([]byte(axReply), &tree, chromedp.DefaultUnmarshalOptions); err != nil {
		t.Fatal(err)
	}
	want := []axEntry{
		{7, audit.AXNode{Role: "RootWebArea", Name: "Story", NameFrom: "title", Focusable: true}},
		{8, audit.AXNode{Role: "heading", Name: "Harbour \ufffd news", NameFrom: "contents", Description: "the lead", Level: 2}},
		{9, audit.AXNode{Role: "none", Ignored: true}},
		{10, audit.AXNode{Role: "img", Name: "Boats", NameFrom: "alt"}},
		{0, audit.AXNode{}},
	}
	var got []axEntry
	tree.each(func(e *axEntry) { got = append(got, *e) })
	if len(got) != len(want) {
		t.Fatalf("decoded %d nodes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("node %d: got %+v, want %+v", i, got[i], w)
		}
	}
}

func TestAXTreeRefusesAMalformedReply(t *testing.T) {
	for _, bad := range []string{`{"nodes":{}}`, `{"nodes":[{"role":[1]}]}`, `{"nodes":[{"backendDOMNodeId":{}}]}`, `{"nodes":[`} {
		var tree axTree
		if err := jsonv2.Unmarshal([]byte(bad), &tree, chromedp.DefaultUnmarshalOptions); err == nil {
			t.Errorf("%s decoded without an error", bad)
		}
	}
}

func TestAXTreeKeepsEveryNodeOfALargeTree(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"nodes":[`)
	const n = 300000 // more chunks than a shift of the first chunk's size can count
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"nodeId":"%d","ignored":false,"role":{"type":"role","value":"listitem"},"backendDOMNodeId":%d}`, i, i+1)
	}
	b.WriteString("]}")
	var tree axTree
	if err := jsonv2.Unmarshal([]byte(b.String()), &tree, chromedp.DefaultUnmarshalOptions); err != nil {
		t.Fatal(err)
	}
	next := cdp.BackendNodeID(1)
	tree.each(func(e *axEntry) {
		if e.backend != next || e.node.Role != "listitem" {
			t.Fatalf("entry %d: %+v", next, e)
		}
		next++
	})
	if next != n+1 {
		t.Errorf("%d entries, want %d", next-1, n)
	}
}
