package chrome

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/chromedp"
)

// fakeWire is a pipeTap between two test ends: client stands for chromedp
// (it writes commands to cmdW and reads what the tap passes on from
// replies), browser for the browser (it reads commands from commands and
// writes its messages to browserW).
type fakeWire struct {
	cmdW     *os.File
	replies  *bufio.Reader
	commands *bufio.Reader
	browserW *os.File
}

func newFakeWire(t *testing.T) *fakeWire {
	t.Helper()
	pipe := func() (*os.File, *os.File) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close(); w.Close() })
		return r, w
	}
	clientR, cmdW := pipe()
	repliesR, clientW := pipe()
	commandsR, toBrowser := pipe()
	fromBrowser, browserW := pipe()
	newPipeTap(clientR, clientW, toBrowser, fromBrowser)
	return &fakeWire{cmdW: cmdW, replies: bufio.NewReader(repliesR), commands: bufio.NewReader(commandsR), browserW: browserW}
}

// send writes one message from the client and returns it as the browser
// reads it.
func (f *fakeWire) send(t *testing.T, msg string) string {
	t.Helper()
	if _, err := f.cmdW.WriteString(msg + "\x00"); err != nil {
		t.Fatal(err)
	}
	got, err := f.commands.ReadString(0)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(got, "\x00")
}

// answer writes one message from the browser, in small writes, and
// returns what the client reads.
func (f *fakeWire) answer(t *testing.T, msg string) string {
	t.Helper()
	go func() {
		b := []byte(msg + "\x00")
		for len(b) > 0 {
			n := min(len(b), 7)
			f.browserW.Write(b[:n])
			b = b[n:]
		}
	}()
	got, err := f.replies.ReadString(0)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(got, "\x00")
}

// TestTapDecodesTheLargeReplies drives a tap with what chromedp and the
// browser write: commands and events pass through as they are, as do
// replies to other commands; the reply to getFullAXTree reaches the
// client as a token, which decodes to the same tree as the whole reply;
// an error reply passes its error on.
func TestTapDecodesTheLargeReplies(t *testing.T) {
	w := newFakeWire(t)
	for _, cmd := range []string{
		`{"id":1,"method":"Target.setDiscoverTargets","params":{"discover":true}}`,
		`{"id":17,"sessionId":"S1","method":"Accessibility.getFullAXTree"}`,
		`{"id":18,"sessionId":"S1","method":"Accessibility.getFullAXTree","params":{"frameId":"F2"}}`,
		`{"id":19,"sessionId":"S1","method":"Runtime.evaluate","params":{"expression":"'{\"id\":17}'"}}`,
	} {
		if got := w.send(t, cmd); got != cmd {
			t.Fatalf("the browser read %s, want %s", got, cmd)
		}
	}
	for _, msg := range []string{
		`{"id":1,"result":{}}`,
		`{"method":"Page.loadEventFired","params":{"timestamp":1},"sessionId":"S1"}`,
		`{"id":19,"result":{"result":{"type":"string","value":"{\"id\":17}"}},"sessionId":"S1"}`,
		`{}`,
	} {
		if got := w.answer(t, msg); got != msg {
			t.Errorf("the client read %s, want it as the browser wrote it", got)
		}
	}

	reply := w.answer(t, `{"id":17,"result":`+axReply+`,"sessionId":"S1"}`)
	var msg struct {
		ID        int64         `json:"id"`
		Result    jsonv2.Value  `json:"result"`
		Error     *jsonv2.Value `json:"error"`
		SessionID string        `json:"sessionId"`
	}
	if err := decodeJSON([]byte(reply), &msg); err != nil {
		t.Fatalf("the client cannot read the tapped reply %s: %v", reply, err)
	}
	if msg.ID != 17 || msg.SessionID != "S1" || msg.Error != nil || len(msg.Result) > 40 {
		t.Fatalf("tapped reply = %s, want id 17, session S1 and a short result", reply)
	}
	var tapped, whole axTree
	if err := jsonv2.Unmarshal(msg.Result, &tapped, chromedp.DefaultUnmarshalOptions); err != nil {
		t.Fatal(err)
	}
	if err := jsonv2.Unmarshal([]byte(axReply), &whole, chromedp.DefaultUnmarshalOptions); err != nil {
		t.Fatal(err)
	}
	if got, want := entries(&tapped), entries(&whole); got != want || len(tapped.chunks) == 0 {
		t.Errorf("tapped tree:\n%s\nwant the whole reply's:\n%s", got, want)
	}
	// The token is taken once.
	if err := jsonv2.Unmarshal(msg.Result, &tapped, chromedp.DefaultUnmarshalOptions); err == nil {
		t.Error("a token decoded twice")
	}

	errReply := `{"id":18,"error":{"code":-32602,"message":"Frame not found"},"sessionId":"S1"}`
	if got := w.answer(t, errReply); got != errReply {
		t.Errorf("error reply passed on as %s, want %s", got, errReply)
	}
}

// entries lists a tree's entries as text, for comparison.
func entries(t *axTree) string {
	var b strings.Builder
	t.each(func(e *axEntry) { fmt.Fprintf(&b, "%d %+v\n", e.backend, e.node) })
	return b.String()
}

// TestTapRefusesAMalformedReply: a reply the tap cannot decode reaches
// the client as an error reply for its command, and the next message
// still passes.
func TestTapRefusesAMalformedReply(t *testing.T) {
	w := newFakeWire(t)
	w.send(t, `{"id":5,"sessionId":"S","method":"DOMSnapshot.captureSnapshot","params":{"computedStyles":[]}}`)
	got := w.answer(t, `{"id":5,"result":{"documents":[{"nodes":{"parentIndex":"not numbers"}}],"strings":[]},"sessionId":"S"}`)
	if !strings.HasPrefix(got, `{"id":5,"error":{"code":-32603,"message":"newsa11y could not decode the reply: `) || !strings.HasSuffix(got, `,"sessionId":"S"}`) {
		t.Errorf("malformed reply passed on as %s, want an error reply", got)
	}
	if next := w.answer(t, `{"id":6,"result":{}}`); next != `{"id":6,"result":{}}` {
		t.Errorf("next message = %s", next)
	}
}

// TestTapPassesTheEnd: when the browser closes its end, the client reads
// the end of the pipe after the last message.
func TestTapPassesTheEnd(t *testing.T) {
	w := newFakeWire(t)
	w.browserW.WriteString(`{"id":1,"result":{}}` + "\x00")
	w.browserW.Close()
	all, err := io.ReadAll(w.replies)
	if err != nil || !bytes.Equal(all, []byte(`{"id":1,"result":{}}`+"\x00")) {
		t.Errorf("client read %q, %v; want the last message, then the end", all, err)
	}
}

// TestSnapshotReplyDecodesWholeReplies: without a tap (a remote
// browser), the snapshot's reply decodes as it is.
func TestSnapshotReplyDecodesWholeReplies(t *testing.T) {
	var r snapshotReply
	if err := jsonv2.Unmarshal([]byte(`{"documents":[{"frameId":3}],"strings":["a","F"]}`), &r, chromedp.DefaultUnmarshalOptions); err != nil {
		t.Fatal(err)
	}
	if r.result == nil || len(r.result.Documents) != 1 || len(r.result.Strings) != 2 || r.result.Documents[0].FrameID != 3 {
		t.Errorf("decoded %+v", r.result)
	}
	token := depositReply(r.result)
	var again snapshotReply
	if err := jsonv2.Unmarshal([]byte(`{"newsa11yTapped":`+strconv.FormatInt(token, 10)+`}`), &again, chromedp.DefaultUnmarshalOptions); err != nil || again.result != r.result {
		t.Errorf("tapped snapshot: %v, %p, want %p", err, again.result, r.result)
	}
}

// TestTappedResultNobodyTakesIsDropped puts a decoded result aside that
// no caller takes (its page gave up waiting): it is dropped once tapKeep
// has passed, without waiting for another deposit, while one taken in
// time is handed over.
func TestTappedResultNobodyTakesIsDropped(t *testing.T) {
	defer func(d time.Duration) { tapKeep = d }(tapKeep)
	tapKeep = 50 * time.Millisecond
	abandoned := depositReply("85 MB of accessibility tree")
	taken := depositReply("a snapshot")
	if v, ok := takeReply(taken); !ok || v != "a snapshot" {
		t.Fatalf("takeReply(%d) = %v, %v", taken, v, ok)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		tapped.Lock()
		_, held := tapped.results[abandoned]
		tapped.Unlock()
		if !held {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("a result nobody took is still held after tapKeep")
}
