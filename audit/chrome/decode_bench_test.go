package chrome

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/domsnapshot"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/sitegen"
)

// rawReplies holds the browser's replies for one page, as they arrive:
// the DOM snapshot and the accessibility tree of its top frame.
type rawReplies struct {
	snapshot, ax jsonv2.Value
}

// recordReplies loads sitegen.Large(elements) in a browser of its own and
// keeps the raw replies the capture decodes. It skips under -short or
// without a browser.
func recordReplies(b *testing.B, elements int) rawReplies {
	if testing.Short() {
		b.Skip("needs Chromium")
	}
	path := os.Getenv("CHROME_PATH")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		b.Skip("no Chromium")
	}
	page := sitegen.Large(elements)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	br, err := Launch(Options{ExecPath: path, wholeReplies: true})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	tab, cancel := chromedp.NewContext(br.proc.ctx)
	defer cancel()
	if _, err := chromedp.Run(tab, chromedp.Navigate(srv.URL)); err != nil {
		b.Fatal(err)
	}
	var raw rawReplies
	raw.snapshot, err = chromedp.Call(tab, cdp.Command[domsnapshot.CaptureSnapshotParams, jsonv2.Value]{Method: domsnapshot.CommandCaptureSnapshot},
		domsnapshot.CaptureSnapshotParams{ComputedStyles: styleProps})
	if err != nil {
		b.Fatal(err)
	}
	raw.ax, err = chromedp.Call(tab, cdp.Command[accessibility.GetFullAXTreeParams, jsonv2.Value]{Method: accessibility.CommandGetFullAXTree},
		accessibility.GetFullAXTreeParams{})
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkDecodeLarge measures the Go side of a capture alone: decoding
// the browser's replies for a generated page and building the snapshot
// from them, as capture does, without the browser's time. Profile it with
//
//	go test ./audit/chrome -run '^$' -bench DecodeLarge -benchmem -cpuprofile cpu.out -memprofile mem.out
//
// NEWSA11Y_BENCH_ELEMENTS sets the page's size (default 100000).
func BenchmarkDecodeLarge(b *testing.B) {
	elements := 100000
	if v, err := strconv.Atoi(os.Getenv("NEWSA11Y_BENCH_ELEMENTS")); err == nil && v > 0 {
		elements = v
	}
	raw := recordReplies(b, elements)
	b.Logf("replies: DOM snapshot %d KB, accessibility tree %d KB", len(raw.snapshot)>>10, len(raw.ax)>>10)
	b.Run("dom", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			decodeSnapshot(b, raw)
		}
	})
	b.Run("ax", func(b *testing.B) {
		p := decodeSnapshot(b, raw)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			var tree axTree
			if err := jsonv2.Unmarshal(raw.ax, &tree, chromedp.DefaultUnmarshalOptions); err != nil {
				b.Fatal(err)
			}
			p.joinAX(&tree)
		}
	})
	// The accessibility tree as the pipe's tap decodes it: from the
	// stream, with no copy of the reply (see pipeTap); the "ax" case
	// above is what a browser without a tap costs on top of chromedp's
	// own copies.
	b.Run("ax-tapped", func(b *testing.B) {
		msg := slices.Concat([]byte(`{"id":1,"result":`), raw.ax, []byte(`,"sessionId":"S"}`), []byte{0})
		decode := tapMethods[accessibility.CommandGetFullAXTree]
		b.ReportAllocs()
		for b.Loop() {
			var dec jsonv2.Decoder
			dec.Reset(&messageReader{r: bufio.NewReaderSize(bytes.NewReader(msg), tapBuffer)}, chromedp.DefaultUnmarshalOptions)
			if v, _, err := readReply(&dec, decode); err != nil || v == nil {
				b.Fatal(err)
			}
		}
	})
	// What the accessibility tree cost when decoded whole into the
	// protocol's types, for comparison.
	b.Run("ax-protocol-types", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var tree accessibility.GetFullAXTreeResult
			if err := jsonv2.Unmarshal(raw.ax, &tree, chromedp.DefaultUnmarshalOptions); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// decodeSnapshot decodes a DOM snapshot reply and builds the page's
// nodes from it, as capture does.
func decodeSnapshot(b *testing.B, raw rawReplies) *snapshotBuilder {
	var snap domsnapshot.CaptureSnapshotResult
	if err := jsonv2.Unmarshal(raw.snapshot, &snap, chromedp.DefaultUnmarshalOptions); err != nil {
		b.Fatal(err)
	}
	sb := newSnapshotBuilder(&snap, &audit.Page{})
	sb.build()
	if len(sb.page.Nodes) == 0 {
		b.Fatal("no nodes built")
	}
	return sb
}
