package chrome

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/domsnapshot"
	"github.com/chromedp/chromedp"
)

// A pipeTap sits in the DevTools pipe between chromedp and the browser it
// starts, and decodes the replies of the largest commands itself, as they
// stream out of the browser (see tapMethods).
//
// chromedp reads each message whole before decoding it, and keeps copies
// on the way: the bytes read, its decoder's buffer (which it keeps for the
// next message) and the result. For the accessibility tree of a page of
// 100,000 elements (85 MB of JSON) that is three copies, over 250 MB,
// which the heap then holds or collects at great cost. The tap decodes
// such a reply straight from the pipe into what the capture keeps, puts
// the decoded value aside under a token (see depositReply), and passes
// chromedp a short reply that names the token instead; the reply's types
// (axTree, snapshotReply) take the value back when chromedp decodes it.
// Every other message passes through unchanged, a chunk at a time.
//
// Browsers newsa11y does not start (--remote-browser) have no tap: their
// replies arrive whole, and the same types decode them as they are.
type pipeTap struct {
	// fromBrowser reads the browser's replies and events; toClient
	// writes them on to chromedp.
	fromBrowser *bufio.Reader
	toClient    io.WriteCloser
	// fromClient reads chromedp's commands; toBrowser writes them on.
	fromClient *bufio.Reader
	toBrowser  io.WriteCloser
	// childEnds are the browser's ends of the two pipes, which this
	// process closes once the browser has its own (see releaseChild).
	childEnds   []*os.File
	releaseOnce sync.Once

	mu sync.Mutex
	// pending holds the commands sent whose replies the tap decodes, by
	// id.
	pending map[int64]tapCommand
}

// A tapCommand is a command whose reply the tap decodes: the decoder of
// its result and the session it was sent in, which its reply names.
type tapCommand struct {
	decode  tapDecoder
	session string
}

// A tapDecoder decodes a command's result from the stream.
type tapDecoder func(dec *jsonv2.Decoder) (any, error)

// tapMethods are the commands whose replies the tap decodes: the two
// whose replies grow with the page.
var tapMethods = map[string]tapDecoder{
	accessibility.CommandGetFullAXTree: func(dec *jsonv2.Decoder) (any, error) {
		t := new(axTree)
		return t, t.UnmarshalJSONFrom(dec)
	},
	domsnapshot.CommandCaptureSnapshot: func(dec *jsonv2.Decoder) (any, error) {
		s := new(domsnapshot.CaptureSnapshotResult)
		return s, jsonv2.UnmarshalDecode(dec, s, chromedp.DefaultUnmarshalOptions)
	},
}

// tapBuffer is the size of the tap's read buffers.
const tapBuffer = 256 << 10

// newPipeTap starts a tap between chromedp's ends of the pipes (clientR,
// from which the browser would have read commands, and clientW, to which
// it would have written) and the browser's: toBrowser and fromBrowser,
// whose other ends, childEnds, the browser process gets in their place.
// The tap owns and closes them all.
func newPipeTap(clientR io.ReadCloser, clientW io.WriteCloser, toBrowser io.WriteCloser, fromBrowser io.ReadCloser, childEnds ...*os.File) *pipeTap {
	t := &pipeTap{
		fromBrowser: bufio.NewReaderSize(fromBrowser, tapBuffer),
		toClient:    clientW,
		fromClient:  bufio.NewReaderSize(clientR, 64<<10),
		toBrowser:   toBrowser,
		childEnds:   childEnds,
		pending:     map[int64]tapCommand{},
	}
	go t.passCommands(clientR)
	go t.passReplies(fromBrowser)
	return t
}

// releaseChild closes this process's copies of the browser's ends, so
// that the browser's exit (or chromedp's close) is seen as the end of
// the pipe. It runs once the browser has written (it runs, and holds its
// own copies), once chromedp has sent its first command (it sends none
// before the browser process has started), or once the client has
// closed.
func (t *pipeTap) releaseChild() {
	t.releaseOnce.Do(func() {
		for _, f := range t.childEnds {
			if f != nil {
				f.Close()
			}
		}
	})
}

// passCommands forwards chromedp's commands to the browser, noting the
// ids of those whose replies it decodes. When chromedp closes its end,
// it closes the browser's, which makes the browser exit.
func (t *pipeTap) passCommands(clientR io.Closer) {
	defer func() {
		t.toBrowser.Close()
		clientR.Close()
		t.releaseChild()
	}()
	broken := false
	for {
		msg, err := t.fromClient.ReadBytes(0)
		if err != nil {
			return
		}
		// chromedp writes only once the browser process has started,
		// holding its own copies of its ends: ours can go, so that a
		// browser that exits before it answers closes the pipe.
		t.releaseChild()
		t.noteCommand(msg)
		if !broken {
			if _, err := t.toBrowser.Write(msg); err != nil {
				// The browser is gone; chromedp learns it from the
				// reply side. Keep reading so that chromedp never blocks.
				broken = true
			}
		}
	}
}

// noteCommand remembers msg's id when its method is one of tapMethods.
func (t *pipeTap) noteCommand(msg []byte) {
	for method, decode := range tapMethods {
		if !bytes.Contains(msg, []byte(`"method":"`+method+`"`)) {
			continue
		}
		var head struct {
			ID        int64  `json:"id"`
			SessionID string `json:"sessionId"`
			Method    string `json:"method"`
		}
		if decodeJSON(bytes.TrimSuffix(msg, []byte{0}), &head) != nil || head.Method != method {
			return
		}
		t.mu.Lock()
		t.pending[head.ID] = tapCommand{decode, head.SessionID}
		t.mu.Unlock()
		return
	}
}

// take returns and forgets the command noted for a reply's id.
func (t *pipeTap) take(id int64) (tapCommand, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.pending[id]
	delete(t.pending, id)
	return c, ok
}

// passReplies forwards the browser's messages to chromedp, decoding the
// replies noted by passCommands on the way. When the browser's end
// closes, it closes chromedp's, so chromedp sees the connection end.
func (t *pipeTap) passReplies(fromBrowser io.Closer) {
	out := &clientWriter{w: t.toClient}
	defer func() {
		t.toClient.Close()
		fromBrowser.Close()
		t.releaseChild()
	}()
	for {
		id, isReply, err := replyID(t.fromBrowser)
		// Whatever came, the browser has run: it holds its own ends.
		t.releaseChild()
		if err != nil {
			return
		}
		var cmd tapCommand
		if isReply {
			cmd, isReply = t.take(id)
		}
		if isReply {
			err = t.decodeReply(out, id, cmd)
		} else {
			err = copyMessage(out, t.fromBrowser)
		}
		if err != nil {
			return
		}
	}
}

// A clientWriter writes to chromedp until a write fails, then discards,
// so that the browser is never left blocked on a full pipe.
type clientWriter struct {
	w      io.Writer
	broken bool
}

func (c *clientWriter) Write(p []byte) (int, error) {
	if !c.broken {
		if _, err := c.w.Write(p); err != nil {
			c.broken = true
		}
	}
	return len(p), nil
}

// maxIDPrefix is the longest start of a reply replyID reads to find its
// id: `{"id":`, 19 digits and a comma.
const maxIDPrefix = 6 + 19 + 1

// replyID reads, without consuming it, the start of the next message and
// returns its id when it is a reply ({"id":N,…}, as the browser writes
// them); events and anything else report false. It waits only for bytes
// the message must still hold.
func replyID(r *bufio.Reader) (int64, bool, error) {
	const head = `{"id":`
	for n := 1; n <= maxIDPrefix; n++ {
		b, err := r.Peek(n)
		if err != nil {
			if len(b) > 0 {
				return 0, false, nil // a last, cut message: copy what there is
			}
			return 0, false, err
		}
		c := b[n-1]
		switch {
		case c == 0:
			return 0, false, nil // the message ended
		case n <= len(head):
			if c != head[n-1] {
				return 0, false, nil
			}
		case c >= '0' && c <= '9':
		case c == ',' && n > len(head)+1:
			id, err := strconv.ParseInt(string(b[len(head):n-1]), 10, 64)
			return id, err == nil, nil
		default:
			return 0, false, nil
		}
	}
	return 0, false, nil
}

// copyMessage copies one message, up to and with its zero byte.
func copyMessage(w io.Writer, r *bufio.Reader) error {
	for {
		chunk, err := r.ReadSlice(0)
		if len(chunk) > 0 {
			w.Write(chunk)
		}
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// decodeReply decodes the reply to cmd, with the given id, as it
// streams, puts its result aside and writes chromedp a reply naming it,
// in cmd's session. A reply that carries an error passes the error on;
// one that cannot be decoded becomes an error reply.
func (t *pipeTap) decodeReply(out io.Writer, id int64, cmd tapCommand) error {
	body := &messageReader{r: t.fromBrowser}
	var dec jsonv2.Decoder
	dec.Reset(body, chromedp.DefaultUnmarshalOptions)
	result, protoErr, err := readReply(&dec, cmd.decode)
	// The rest of the message, up to its zero byte.
	if _, derr := io.Copy(io.Discard, body); derr != nil {
		return derr
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"id":%d,`, id)
	switch {
	case err != nil:
		msg, _ := jsonv2.Marshal("newsa11y could not decode the reply: " + err.Error())
		fmt.Fprintf(&b, `"error":{"code":-32603,"message":%s}`, msg)
	case protoErr != nil:
		b.WriteString(`"error":`)
		b.Write(protoErr)
	default:
		fmt.Fprintf(&b, `"result":{%q:%d}`, tapMember, depositReply(result))
	}
	if cmd.session != "" {
		s, _ := jsonv2.Marshal(cmd.session)
		b.WriteString(`,"sessionId":`)
		b.Write(s)
	}
	b.WriteString("}\x00")
	_, werr := out.Write(b.Bytes())
	return werr
}

// readReply reads a reply object: its result through decode, or its
// error as raw JSON.
func readReply(dec *jsonv2.Decoder, decode tapDecoder) (result any, protoErr []byte, err error) {
	if err := openObject(dec); err != nil {
		return nil, nil, err
	}
	for {
		name, err := nextMember(dec)
		if err != nil {
			return nil, nil, err
		}
		if name == nil {
			if result == nil && protoErr == nil {
				return nil, nil, fmt.Errorf("a reply with neither result nor error")
			}
			return result, protoErr, nil
		}
		switch string(name) {
		case "result":
			result, err = decode(dec)
		case "error":
			var raw jsonv2.Value
			raw, err = dec.ReadValue()
			protoErr = bytes.Clone(raw)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

// A messageReader reads one message from the pipe: the bytes up to its
// zero byte, which it consumes, then io.EOF.
type messageReader struct {
	r    *bufio.Reader
	done bool
}

func (m *messageReader) Read(p []byte) (int, error) {
	if m.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := m.r.Buffered()
	if n == 0 {
		if _, err := m.r.Peek(1); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		n = m.r.Buffered()
	}
	b, _ := m.r.Peek(min(n, len(p)))
	if i := bytes.IndexByte(b, 0); i >= 0 {
		m.done = true
		k := copy(p, b[:i])
		m.r.Discard(i + 1)
		if k == 0 {
			return 0, io.EOF
		}
		return k, nil
	}
	k := copy(p, b)
	m.r.Discard(k)
	return k, nil
}

// tapMember names the token in the short reply the tap passes on.
const tapMember = "newsa11yTapped"

// tapped holds the results the tap decoded until the caller's decoding
// takes them, by token. A result nobody takes (its caller gave up) is
// dropped tapKeep after it was put aside.
var tapped struct {
	sync.Mutex
	next    int64
	results map[int64]any
}

// tapKeep is how long a decoded result waits to be taken; tests shorten
// it.
var tapKeep = time.Minute

// depositReply puts a decoded result aside and returns its token.
func depositReply(v any) int64 {
	tapped.Lock()
	defer tapped.Unlock()
	if tapped.results == nil {
		tapped.results = map[int64]any{}
	}
	tapped.next++
	token := tapped.next
	tapped.results[token] = v
	time.AfterFunc(tapKeep, func() { takeReply(token) })
	return token
}

// takeReply returns the result deposited under token, once.
func takeReply(token int64) (any, bool) {
	tapped.Lock()
	defer tapped.Unlock()
	r, ok := tapped.results[token]
	delete(tapped.results, token)
	return r, ok
}

// readTapped reads the token of a tapped reply (the value of its
// tapMember) and takes the result deposited under it.
func readTapped[T any](dec *jsonv2.Decoder) (T, error) {
	n, err := readInt(dec)
	if err != nil {
		var zero T
		return zero, err
	}
	return takeTapped[T](n)
}

// tappedToken returns the token a whole result names, when it is the
// short result the tap passes on: {"newsa11yTapped":N}.
func tappedToken(raw []byte) (int64, bool) {
	rest, ok := bytes.CutPrefix(raw, []byte(`{"`+tapMember+`":`))
	if !ok {
		return 0, false
	}
	rest, ok = bytes.CutSuffix(rest, []byte("}"))
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(rest), 10, 64)
	return n, err == nil
}

// takeTapped takes the result deposited under token, as a T.
func takeTapped[T any](token int64) (T, error) {
	var zero T
	v, ok := takeReply(token)
	if !ok {
		return zero, fmt.Errorf("no decoded reply under token %d (it waited too long)", token)
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("the decoded reply under token %d is a %T", token, v)
	}
	return t, nil
}
