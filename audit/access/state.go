package access

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// A Cookie is one cookie to set before a page loads.
type Cookie struct {
	Name, Value string
	// Domain is the cookie's domain. A leading dot makes it a domain
	// cookie, sent to subdomains too; without one it is sent to that host
	// only.
	Domain string
	Path   string
	// Expires is seconds since the epoch; zero or less is a session
	// cookie.
	Expires  float64
	Secure   bool
	HTTPOnly bool
	// SameSite is Strict, Lax, None or empty.
	SameSite string
}

// HostOnly reports whether the cookie goes to its host alone.
func (c Cookie) HostOnly() bool { return !strings.HasPrefix(c.Domain, ".") }

// URL is the address the browser is told the cookie comes from: its
// host, scheme by Secure, and path.
func (c Cookie) URL() string {
	scheme := "http"
	if c.Secure {
		scheme = "https"
	}
	path := c.Path
	if path == "" {
		path = "/"
	}
	return scheme + "://" + strings.TrimPrefix(c.Domain, ".") + path
}

// An Item is one local-storage entry.
type Item struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// OriginStorage is the local storage of one origin.
type OriginStorage struct {
	Origin       string `json:"origin"`
	LocalStorage []Item `json:"localStorage"`
}

// A State is what a cookies file gives: cookies, and for a Playwright
// storage state, each origin's local storage.
type State struct {
	Cookies []Cookie
	Origins []OriginStorage
}

func (s *State) empty() bool { return s == nil || (len(s.Cookies) == 0 && len(s.Origins) == 0) }

// merge returns the union of s and o, o's entries after s's.
func (s *State) merge(o *State) *State {
	switch {
	case o.empty():
		return s
	case s.empty():
		return o
	}
	return &State{Cookies: append(append([]Cookie{}, s.Cookies...), o.Cookies...), Origins: append(append([]OriginStorage{}, s.Origins...), o.Origins...)}
}

// Values returns every cookie and local-storage value, for redaction.
func (s *State) Values() []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, c := range s.Cookies {
		out = append(out, c.Value)
	}
	for _, o := range s.Origins {
		for _, it := range o.LocalStorage {
			out = append(out, it.Value)
		}
	}
	return out
}

// ReadState reads a cookies file (see ParseState).
func ReadState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseState(data)
}

// ParseState reads a Netscape cookies.txt file, or a Playwright storage
// state (JSON with cookies and origins), told apart by content: a file
// whose first character past white space is "{" is JSON. Errors name the
// line or the entry, never a value.
func ParseState(data []byte) (*State, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var s *State
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		s, err = parsePlaywright(t)
	} else {
		s, err = parseNetscape(data)
	}
	if err != nil {
		return nil, err
	}
	if s.empty() {
		return nil, errors.New("holds no cookies and no local storage")
	}
	return s, nil
}

// parseNetscape reads the cookies.txt format of curl and browser
// extensions: one cookie a line, seven fields separated by tabs (domain,
// include subdomains, path, secure, expiry, name, value); "#HttpOnly_"
// before the domain marks an HttpOnly cookie; other lines starting with
// "#" are comments.
func parseNetscape(data []byte) (*State, error) {
	s := &State{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimRight(line, "\r")
		httpOnly := false
		if rest, ok := strings.CutPrefix(line, "#HttpOnly_"); ok {
			line, httpOnly = rest, true
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: not a cookies.txt line: want 7 fields separated by tabs (domain, include subdomains, path, secure, expiry, name, value), found %d; or a Playwright storage state (JSON)", n, len(f))
		}
		sub, err1 := netscapeBool(f[1])
		secure, err2 := netscapeBool(f[3])
		exp, err3 := strconv.ParseFloat(strings.TrimSpace(f[4]), 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("line %d: include-subdomains and secure must be TRUE or FALSE", n)
		}
		if err3 != nil {
			return nil, fmt.Errorf("line %d: the expiry must be seconds since 1970 (0 for a session cookie)", n)
		}
		domain := strings.TrimSpace(f[0])
		if domain == "" || strings.TrimSpace(f[5]) == "" {
			return nil, fmt.Errorf("line %d: a cookie needs a domain and a name", n)
		}
		if sub && !strings.HasPrefix(domain, ".") {
			domain = "." + domain
		}
		if !sub {
			domain = strings.TrimPrefix(domain, ".")
		}
		s.Cookies = append(s.Cookies, Cookie{Name: f[5], Value: f[6], Domain: domain, Path: f[2], Expires: exp, Secure: secure, HTTPOnly: httpOnly})
	}
	return s, nil
}

func netscapeBool(s string) (bool, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "TRUE":
		return true, nil
	case "FALSE":
		return false, nil
	}
	return false, errors.New("not TRUE or FALSE")
}

// playwrightState is the JSON of Playwright's storageState().
type playwrightState struct {
	Cookies []struct {
		Name     *string  `json:"name"`
		Value    *string  `json:"value"`
		Domain   string   `json:"domain"`
		Path     string   `json:"path"`
		Expires  *float64 `json:"expires"`
		HTTPOnly bool     `json:"httpOnly"`
		Secure   bool     `json:"secure"`
		SameSite string   `json:"sameSite"`
	} `json:"cookies"`
	Origins []OriginStorage `json:"origins"`
}

// parsePlaywright reads a Playwright storage state.
func parsePlaywright(data []byte) (*State, error) {
	var ps playwrightState
	if err := json.Unmarshal(data, &ps); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("not a Playwright storage state: JSON syntax error at byte %d", syn.Offset)
		}
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return nil, fmt.Errorf("not a Playwright storage state: %s is a JSON %s, want %s", typ.Field, typ.Value, typ.Type)
		}
		return nil, errors.New("not a Playwright storage state (want JSON with cookies and origins)")
	}
	s := &State{}
	for i, c := range ps.Cookies {
		if c.Name == nil || *c.Name == "" || c.Value == nil || c.Domain == "" {
			return nil, fmt.Errorf("cookies[%d]: a cookie needs a name, a value and a domain", i)
		}
		switch c.SameSite {
		case "", "Strict", "Lax", "None":
		default:
			return nil, fmt.Errorf("cookies[%d].sameSite %q: want Strict, Lax or None", i, c.SameSite)
		}
		exp := -1.0
		if c.Expires != nil {
			exp = *c.Expires
		}
		s.Cookies = append(s.Cookies, Cookie{Name: *c.Name, Value: *c.Value, Domain: c.Domain, Path: c.Path, Expires: exp, Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: c.SameSite})
	}
	for i, o := range ps.Origins {
		u, err := url.Parse(o.Origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("origins[%d].origin %q: want an origin such as https://news.example", i, o.Origin)
		}
		o.Origin = u.Scheme + "://" + u.Host
		s.Origins = append(s.Origins, o)
	}
	return s, nil
}
