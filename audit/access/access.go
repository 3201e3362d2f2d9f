// Package access holds what opens a page that is behind a gate: extra
// request headers, cookies and local storage read from a file, and
// basic-auth credentials, chosen per page by URL pattern. It also keeps
// these secrets out of every output: audit.Redact is the one function
// that every report, stream, baseline, log line and error message goes
// through, and Protect-ed values are what it hides.
//
// The package reads and checks; it never talks to a browser (audit/chrome
// applies a Gate to a tab).
package access

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// A Header is one extra request header.
type Header struct {
	Name, Value string
}

// headerName is what an HTTP header name may hold (RFC 9110's token).
var headerName = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// ParseHeader reads "Name: value". Its errors never repeat the value,
// which is usually a secret.
func ParseHeader(s string) (Header, error) {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	switch {
	case !ok:
		return Header{}, errors.New("want \"Name: value\" (no colon found; the value is not shown)")
	case !headerName.MatchString(name):
		return Header{}, fmt.Errorf("header name %q is not a valid HTTP header name; want \"Name: value\"", truncateName(name))
	case strings.ContainsAny(value, "\r\n\x00"):
		return Header{}, fmt.Errorf("the value of header %s holds a line break or NUL (the value is not shown)", name)
	}
	switch strings.ToLower(name) {
	case "host", "content-length", "connection", "transfer-encoding":
		return Header{}, fmt.Errorf("header %s is set by the browser itself and cannot be given", name)
	}
	return Header{Name: name, Value: value}, nil
}

// truncateName keeps an invalid header name short in a message.
func truncateName(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// A Gate is what one page is given to get through: headers sent to the
// page's own origin, cookies and local storage set before it loads, and
// basic-auth credentials answered for its origin only.
type Gate struct {
	// Headers are sent with every request to the page's origin.
	Headers []Header
	// State holds the cookies and local storage; nil for none.
	State *State
	// BasicAuth answers the page origin's basic-auth challenge; nil for
	// none.
	BasicAuth *audit.Credentials
}

// Empty reports whether the gate gives nothing.
func (g Gate) Empty() bool {
	return len(g.Headers) == 0 && g.BasicAuth == nil && (g.State == nil || g.State.empty())
}

// A Rule gives a gate to the pages whose URL matches Pattern ("*" matches
// any run of characters).
type Rule struct {
	Pattern string
	Gate    Gate
}

// Gates choose each page's gate.
type Gates struct {
	// All applies to every page.
	All Gate
	// Rules apply to the pages they match, in order, after All: a header
	// a rule names again replaces All's, and the first rule with basic
	// auth gives it when All has none.
	Rules []Rule
}

// For returns the gate of the page at pageURL.
func (gs *Gates) For(pageURL string) Gate {
	if gs == nil {
		return Gate{}
	}
	g := Gate{Headers: slices.Clone(gs.All.Headers), State: gs.All.State, BasicAuth: gs.All.BasicAuth}
	for _, r := range gs.Rules {
		if !Match(r.Pattern, pageURL) {
			continue
		}
		for _, h := range r.Gate.Headers {
			g.Headers = slices.DeleteFunc(g.Headers, func(o Header) bool { return strings.EqualFold(o.Name, h.Name) })
			g.Headers = append(g.Headers, h)
		}
		g.State = g.State.merge(r.Gate.State)
		if g.BasicAuth == nil {
			g.BasicAuth = r.Gate.BasicAuth
		}
	}
	return g
}

// Empty reports whether no page gets anything.
func (gs *Gates) Empty() bool {
	if gs == nil {
		return true
	}
	if !gs.All.Empty() {
		return false
	}
	for _, r := range gs.Rules {
		if !r.Gate.Empty() {
			return false
		}
	}
	return true
}

// Match matches s against a pattern where "*" stands for any run of
// characters, "/" included, as configuration ignores do.
func Match(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	return err == nil && re.MatchString(s)
}
