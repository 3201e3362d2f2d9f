package chrome

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/domsnapshot"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

// styleProps are the computed styles captured for every laid-out node, in
// the order fillStyle reads them.
// These are exactly the fields of audit.Style, each read by a rule: every
// property asked for costs the renderer a lookup per laid-out node and
// the reply a string index per node.
var styleProps = []string{
	"display", "visibility", "opacity", "position", "clip", "clip-path",
	"overflow-x", "font-size", "font-weight", "text-transform",
	"background-image",
}

// capture takes the snapshot of the settled page: the DOM with layout and
// styles, the accessibility tree of each frame when a rule needs it, and
// the load state of every image.
func (pl *pageLoad) capture(needs audit.Capability, times *audit.Timings) (*audit.Page, error) {
	p := &audit.Page{
		URL:      pl.t.URL,
		FinalURL: pl.t.URL,
		Loader:   "chrome",
		Captured: audit.CapDOM | audit.CapScripts | audit.CapLayout,
		Viewport: pl.viewport(),
	}
	if pl.resp != nil {
		p.FinalURL = pl.resp.URL
		p.Status = int(pl.resp.Status)
	}
	start := time.Now()
	pl.step("dom")
	reply, err := chromedp.Call(pl.tab, captureSnapshot, domsnapshot.CaptureSnapshotParams{
		ComputedStyles: styleProps,
	})
	if err != nil {
		return nil, fmt.Errorf("capture DOM snapshot: %w", err)
	}
	snap := reply.result
	reply.result = nil
	b := newSnapshotBuilder(snap, p)
	pl.byBackend = b.byBackend
	if len(snap.Documents) == 0 {
		return nil, fmt.Errorf("capture DOM snapshot: no document")
	}
	b.build()
	times.Since("dom", start)
	if needs.Has(audit.CapAX) && !ablated("ax") {
		start = time.Now()
		pl.step("ax")
		if err := pl.captureAX(b); err != nil {
			return nil, fmt.Errorf("capture accessibility tree: %w", err)
		}
		p.Captured |= audit.CapAX
		times.Since("ax", start)
	}
	start = time.Now()
	pl.step("images")
	if err := pl.captureImages(b); err != nil {
		return nil, fmt.Errorf("capture image state: %w", err)
	}
	p.Facts = audit.ExtractFacts(p)
	times.Since("images", start)
	return p, nil
}

// captureSnapshot is DOMSnapshot.captureSnapshot with a result that the
// pipe's tap may have decoded as it streamed (see pipeTap).
var captureSnapshot = cdp.Command[domsnapshot.CaptureSnapshotParams, snapshotReply]{Method: domsnapshot.CommandCaptureSnapshot}

// A snapshotReply is the decoded reply of captureSnapshot.
type snapshotReply struct {
	result *domsnapshot.CaptureSnapshotResult
}

// UnmarshalJSONFrom takes the result the tap decoded, when the reply
// names one, and otherwise decodes the reply as it is.
func (r *snapshotReply) UnmarshalJSONFrom(dec *jsonv2.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if token, ok := tappedToken(raw); ok {
		r.result, err = takeTapped[*domsnapshot.CaptureSnapshotResult](token)
		return err
	}
	r.result = new(domsnapshot.CaptureSnapshotResult)
	return jsonv2.Unmarshal(raw, r.result, chromedp.DefaultUnmarshalOptions)
}

// A snapshotBuilder turns DOMSnapshot's per-document tables into the
// page's flat-tree node list.
type snapshotBuilder struct {
	snap *domsnapshot.CaptureSnapshotResult
	page *audit.Page
	// docs holds per-document lookups.
	docs []*docTables
	// byBackend maps the browser's backend node ids to snapshot nodes.
	byBackend map[cdp.BackendNodeID]audit.NodeID
	// frames lists the frame id of each frame number.
	frames []cdp.FrameID
	// layouts and styles hold the nodes' layouts and styles, allocated
	// together.
	layouts []audit.Layout
	styles  []audit.Style
}

// docTables are the lookups of one snapshot document, indexed by the
// document's node index.
type docTables struct {
	// The children of node i are childList[childStart[i]:childStart[i+1]],
	// in document order.
	childStart, childList []int32
	// layout is each node's layout-tree index, -1 for none.
	layout     []int32
	shadow     []bool // in an author shadow tree
	skip       []bool // a pseudo-element or a user-agent shadow tree
	contentDoc map[int]int
	frame      int // the frame number assigned when the document is reached
}

// children returns node i's children.
func (t *docTables) children(i int) []int32 {
	return t.childList[t.childStart[i]:t.childStart[i+1]]
}

func newSnapshotBuilder(snap *domsnapshot.CaptureSnapshotResult, p *audit.Page) *snapshotBuilder {
	nodes, layouts := 0, 0
	for _, d := range snap.Documents {
		nodes += len(d.Nodes.NodeType)
		if d.Layout != nil {
			layouts += len(d.Layout.NodeIndex)
		}
	}
	b := &snapshotBuilder{snap: snap, page: p, byBackend: make(map[cdp.BackendNodeID]audit.NodeID, nodes)}
	p.Nodes = make([]audit.Node, 0, nodes)
	b.layouts = make([]audit.Layout, 0, layouts)
	b.styles = make([]audit.Style, 0, layouts)
	for _, d := range snap.Documents {
		n := d.Nodes
		count := len(n.NodeType)
		t := &docTables{
			childStart: make([]int32, count+1),
			layout:     make([]int32, count),
			shadow:     make([]bool, count),
			skip:       make([]bool, count),
			contentDoc: map[int]int{},
			frame:      -1,
		}
		mark := func(i int64, set []bool) {
			if i >= 0 && int(i) < count {
				set[i] = true
			}
		}
		if n.PseudoType != nil {
			for _, i := range n.PseudoType.Index {
				mark(i, t.skip)
			}
		}
		if n.ShadowRootType != nil {
			for k, i := range n.ShadowRootType.Index {
				if k < len(n.ShadowRootType.Value) && b.str(n.ShadowRootType.Value[k]) == "user-agent" {
					mark(i, t.skip)
				} else {
					mark(i, t.shadow)
				}
			}
		}
		if n.ContentDocumentIndex != nil {
			for k, i := range n.ContentDocumentIndex.Index {
				if k < len(n.ContentDocumentIndex.Value) {
					t.contentDoc[int(i)] = int(n.ContentDocumentIndex.Value[k])
				}
			}
		}
		// Children in document order, as counts then offsets.
		for i, par := range n.ParentIndex {
			if par >= 0 && int(par) < count && i < count {
				t.childStart[par+1]++
			}
		}
		for i := range count {
			t.childStart[i+1] += t.childStart[i]
		}
		t.childList = make([]int32, t.childStart[count])
		fill := slices.Clone(t.childStart[:count])
		for i, par := range n.ParentIndex {
			if par >= 0 && int(par) < count && i < count {
				t.childList[fill[par]] = int32(i)
				fill[par]++
			}
		}
		for i := range t.layout {
			t.layout[i] = -1
		}
		if d.Layout != nil {
			for li, ni := range d.Layout.NodeIndex {
				if ni >= 0 && int(ni) < count && t.layout[ni] < 0 {
					t.layout[ni] = int32(li)
				}
			}
		}
		b.docs = append(b.docs, t)
	}
	return b
}

func (b *snapshotBuilder) str(i domsnapshot.StringIndex) string {
	if i < 0 || int(i) >= len(b.snap.Strings) {
		return ""
	}
	return b.snap.Strings[i]
}

// build walks the top document, entering iframe documents at their
// iframe elements.
func (b *snapshotBuilder) build() {
	b.addDocument(0, audit.NoNode)
	// The page now holds what rules read: the browser's tables can be
	// collected before the accessibility tree arrives.
	b.snap, b.docs = nil, nil
}

func (b *snapshotBuilder) addDocument(doc int, parent audit.NodeID) audit.NodeID {
	t := b.docs[doc]
	if t.frame >= 0 {
		return audit.NoNode // already reached: never loop
	}
	if doc > 0 && strings.HasPrefix(b.str(b.snap.Documents[doc].DocumentURL), "chrome-error:") {
		// The browser's own error page in a frame that could not load (a
		// blocked third party, a host off the network) is none of the
		// page's content: the frame is left empty, as a frame from
		// another site, whose document the snapshot does not hold, is.
		return audit.NoNode
	}
	t.frame = len(b.frames)
	b.frames = append(b.frames, cdp.FrameID(b.str(b.snap.Documents[doc].FrameID)))
	return b.addNode(doc, 0, parent)
}

// addNode appends node i of document doc and its subtree in pre-order.
func (b *snapshotBuilder) addNode(doc, i int, parent audit.NodeID) audit.NodeID {
	d := b.snap.Documents[doc]
	n := d.Nodes
	t := b.docs[doc]
	if i >= len(t.skip) || t.skip[i] {
		return audit.NoNode
	}
	var node audit.Node
	switch n.NodeType[i] {
	case 9:
		node.Kind = audit.DocumentNode
	case 1:
		node.Kind = audit.ElementNode
		node.Tag = strings.ToLower(b.str(n.NodeName[i]))
		if i < len(n.Attributes) {
			attrs := n.Attributes[i]
			node.Attrs = make([]audit.Attr, 0, len(attrs)/2)
			for k := 0; k+1 < len(attrs); k += 2 {
				node.Attrs = append(node.Attrs, audit.Attr{
					Name:  strings.ToLower(b.str(domsnapshot.StringIndex(attrs[k]))),
					Value: b.str(domsnapshot.StringIndex(attrs[k+1])),
				})
			}
		}
	case 3, 4:
		node.Kind = audit.TextNode
		node.Data = b.str(n.NodeValue[i])
	case 8:
		node.Kind = audit.CommentNode
		node.Data = b.str(n.NodeValue[i])
	case 11:
		// A document fragment (template contents): its children hang
		// from the fragment's parent.
		for _, c := range t.children(i) {
			if id := b.addNode(doc, int(c), parent); id != audit.NoNode && parent != audit.NoNode {
				b.page.Nodes[parent].Children = append(b.page.Nodes[parent].Children, id)
			}
		}
		return audit.NoNode
	default:
		return audit.NoNode
	}
	node.Parent = parent
	node.Frame = t.frame
	node.InShadow = t.shadow[i]
	if li := t.layout[i]; li >= 0 {
		node.Layout = b.layout(d.Layout, int(li), node.Kind == audit.ElementNode)
	}
	id := audit.NodeID(len(b.page.Nodes))
	b.page.Nodes = append(b.page.Nodes, node)
	if i < len(n.BackendNodeID) {
		b.byBackend[n.BackendNodeID[i]] = id
	}
	for _, c := range t.children(i) {
		if n.NodeType[c] == 11 {
			b.addNode(doc, int(c), id)
			continue
		}
		if cid := b.addNode(doc, int(c), id); cid != audit.NoNode {
			b.page.Nodes[id].Children = append(b.page.Nodes[id].Children, cid)
		}
	}
	if cd, ok := t.contentDoc[i]; ok && cd < len(b.docs) {
		if cid := b.addDocument(cd, id); cid != audit.NoNode {
			b.page.Nodes[id].Children = append(b.page.Nodes[id].Children, cid)
		}
	}
	return id
}

// layout converts one layout-tree entry.
func (b *snapshotBuilder) layout(l *domsnapshot.LayoutTreeSnapshot, li int, element bool) *audit.Layout {
	b.layouts = append(b.layouts, audit.Layout{})
	out := &b.layouts[len(b.layouts)-1]
	if li < len(l.Bounds) && len(l.Bounds[li]) == 4 {
		r := l.Bounds[li]
		out.Box = audit.Rect{X: r[0], Y: r[1], W: r[2], H: r[3]}
	}
	if element && li < len(l.Styles) {
		out.Style = b.style(l.Styles[li])
	}
	return out
}

// style reads the computed styles in styleProps order.
func (b *snapshotBuilder) style(idx domsnapshot.ArrayOfStrings) *audit.Style {
	v := func(k int) string {
		if k < len(idx) {
			return b.str(domsnapshot.StringIndex(idx[k]))
		}
		return ""
	}
	b.styles = append(b.styles, audit.Style{
		Display:         v(0),
		Visibility:      v(1),
		Opacity:         parseFloat(v(2), 1),
		Position:        v(3),
		Clip:            v(4),
		ClipPath:        v(5),
		OverflowX:       v(6),
		FontSize:        parseFloat(strings.TrimSuffix(v(7), "px"), 0),
		FontWeight:      int(parseFloat(v(8), 400)),
		TextTransform:   v(9),
		BackgroundImage: v(10),
	})
	return &b.styles[len(b.styles)-1]
}

func parseFloat(s string, def float64) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return def
	}
	return f
}

// captureAX fetches the accessibility tree of every captured frame and
// joins it to the snapshot by backend node id. Each frame's reply is
// decoded as it streams (see getAXTree), and the joined nodes point into
// one array per frame.
func (pl *pageLoad) captureAX(b *snapshotBuilder) error {
	for _, frame := range b.frames {
		params := accessibility.GetFullAXTreeParams{}
		if frame != "" && frame != b.frames[0] {
			params.FrameID = frame
		}
		tree, err := chromedp.Call(pl.tab, getAXTree, params)
		if err != nil {
			if frame == b.frames[0] {
				return err
			}
			continue // a child frame that went away: keep the rest
		}
		b.joinAX(&tree)
	}
	return nil
}

// joinAX hangs each accessibility node on its snapshot node, keeping a
// node's first exposed entry.
func (b *snapshotBuilder) joinAX(tree *axTree) {
	tree.each(func(e *axEntry) {
		id, ok := b.byBackend[e.backend]
		if !ok || e.backend == 0 {
			return
		}
		node := &b.page.Nodes[id]
		if node.AX != nil && !node.AX.Ignored {
			return // keep the first exposed entry
		}
		node.AX = &e.node
	})
}

// axString decodes an AX value: strings as they are, other JSON values as
// their text.
func axString(raw jsonv2.Value) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if err := decodeJSON(raw, &s); err == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

//go:embed js/images.js
var imagesJS string

// captureImages reads every image's natural size, complete flag and current
// source, joined to the snapshot through the nodes' backend ids.
func (pl *pageLoad) captureImages(b *snapshotBuilder) error {
	res, err := chromedp.Call(pl.tab, runtime.Evaluate, runtime.EvaluateParams{
		Expression:           imagesJS,
		Silent:               new(true),
		SerializationOptions: &runtime.SerializationOptions{Serialization: runtime.SerializationOptionsSerializationDeep, MaxDepth: new(int64(1))},
	})
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("script failed: %s", exceptionText(res.ExceptionDetails))
	}
	if res.Result == nil || res.Result.DeepSerializedValue == nil {
		return nil
	}
	var items []struct {
		Type  string       `json:"type"`
		Value jsonv2.Value `json:"value"`
	}
	if err := decodeJSON(res.Result.DeepSerializedValue.Value, &items); err != nil {
		return fmt.Errorf("decode image list: %w", err)
	}
	for k := 0; k+4 < len(items); k += 5 {
		var node struct {
			BackendNodeID cdp.BackendNodeID `json:"backendNodeId"`
		}
		if decodeJSON(items[k].Value, &node) != nil {
			continue
		}
		id, ok := b.byBackend[node.BackendNodeID]
		if !ok {
			continue
		}
		st := &audit.ImageState{}
		var w, h float64
		_ = decodeJSON(items[k+1].Value, &w)
		_ = decodeJSON(items[k+2].Value, &h)
		_ = decodeJSON(items[k+3].Value, &st.Complete)
		_ = decodeJSON(items[k+4].Value, &st.CurrentSrc)
		st.NaturalWidth, st.NaturalHeight = int(w), int(h)
		b.page.Nodes[id].Image = st
	}
	return nil
}
