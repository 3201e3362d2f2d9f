// Package static builds page snapshots from raw HTML with
// golang.org/x/net/html, without a browser. Its snapshots hold the document
// tree only (audit.CapDOM): no layout, no accessibility tree, no scripts run.
// Rules that need more are reported as skipped on its pages.
package static

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/newsa11y/newsa11y/audit"
)

// A Loader fetches pages over HTTP and parses them.
type Loader struct {
	// Client makes the requests; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds each page's fetch; zero means 30 seconds.
	Timeout time.Duration
	// MaxBytes bounds the body read; zero means 50 MB.
	MaxBytes int64
}

var _ audit.Loader = (*Loader)(nil)

// Load fetches t.URL and parses it. Error statuses, non-HTML bodies and
// network failures are *audit.LoadError values with their cause.
func (l *Loader) Load(ctx context.Context, t audit.Target, _ audit.Capability) (*audit.Page, error) {
	timeout := l.Timeout
	if t.Timeout > 0 {
		timeout = t.Timeout
	}
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := l.Client
	if client == nil {
		client = &http.Client{}
	}
	fail := func(cause audit.LoadCause, err error) error {
		return &audit.LoadError{URL: t.URL, Cause: cause, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, fail(audit.CauseInput, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fail(audit.CauseTimeout, fmt.Errorf("no response within %s", timeout))
		}
		return nil, fail(audit.CauseNetwork, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return nil, fail(audit.CauseHTTPStatus, &audit.StatusError{Status: resp.StatusCode, Text: http.StatusText(resp.StatusCode)})
	}
	ctype := resp.Header.Get("Content-Type")
	if !IsHTMLType(ctype) {
		return nil, fail(audit.CauseNotHTML, fmt.Errorf("content type %q is not HTML", ctype))
	}
	limit := l.MaxBytes
	if limit == 0 {
		limit = 50 << 20
	}
	body, err := charset.NewReader(io.LimitReader(resp.Body, limit), ctype)
	if err != nil {
		return nil, fail(audit.CauseNotHTML, fmt.Errorf("decode body: %w", err))
	}
	page, err := Parse(body, t.URL)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fail(audit.CauseTimeout, fmt.Errorf("body not read within %s", timeout))
		}
		return nil, fail(audit.CauseNetwork, err)
	}
	page.Status = resp.StatusCode
	page.FinalURL = resp.Request.URL.String()
	return page, nil
}

// IsHTMLType reports whether a Content-Type header names HTML or XHTML. An
// empty header counts as HTML, as browsers sniff such bodies.
func IsHTMLType(ctype string) bool {
	if strings.TrimSpace(ctype) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		return false
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// Parse reads an HTML document and returns its snapshot. url is recorded as
// the page's URL and final URL.
func Parse(r io.Reader, url string) (*audit.Page, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse HTML of %s: %w", url, err)
	}
	p := &audit.Page{URL: url, FinalURL: url, Loader: "static", Captured: audit.CapDOM}
	add(p, doc, audit.NoNode)
	p.Facts = audit.ExtractFacts(p)
	return p, nil
}

// add appends n and its subtree to the page in pre-order and returns its
// id, or NoNode for nodes the snapshot leaves out (doctypes).
func add(p *audit.Page, n *html.Node, parent audit.NodeID) audit.NodeID {
	var node audit.Node
	switch n.Type {
	case html.DocumentNode:
		node.Kind = audit.DocumentNode
	case html.ElementNode:
		node.Kind = audit.ElementNode
		node.Tag = strings.ToLower(n.Data)
		node.Attrs = make([]audit.Attr, 0, len(n.Attr))
		for _, a := range n.Attr {
			name := strings.ToLower(a.Key)
			if a.Namespace != "" {
				name = a.Namespace + ":" + name
			}
			node.Attrs = append(node.Attrs, audit.Attr{Name: name, Value: a.Val})
		}
	case html.TextNode:
		node.Kind = audit.TextNode
		node.Data = n.Data
	case html.CommentNode:
		node.Kind = audit.CommentNode
		node.Data = n.Data
	default:
		return audit.NoNode
	}
	node.Parent = parent
	id := audit.NodeID(len(p.Nodes))
	p.Nodes = append(p.Nodes, node)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if cid := add(p, c, id); cid != audit.NoNode {
			p.Nodes[id].Children = append(p.Nodes[id].Children, cid)
		}
	}
	return id
}
