package audit

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// MinSecret is the shortest value Protect keeps: shorter ones ("1",
// "yes") are too common in text to be replaced in it.
const MinSecret = 4

// secrets are the values Redact hides, longest first.
var secrets struct {
	mu     sync.RWMutex
	values []string
}

// Protect adds values that Redact hides wherever they appear: header
// values, passwords, cookie and local-storage values. Values shorter
// than MinSecret are left out. It is safe to call from several
// goroutines.
func Protect(values ...string) {
	secrets.mu.Lock()
	defer secrets.mu.Unlock()
	for _, v := range values {
		if len(v) >= MinSecret && !slices.Contains(secrets.values, v) {
			secrets.values = append(secrets.values, v)
		}
	}
	// The longest first, so a secret that holds another is hidden whole.
	slices.SortFunc(secrets.values, func(a, b string) int { return len(b) - len(a) })
}

// userinfo finds the user info of a URL in text: after "scheme://", up
// to an "@" before the host ends.
var userinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@"'<>]+@`)

// Redacted replaces what Redact hides.
const Redacted = "***"

// Redact hides secrets in text meant for an output: the user info of
// every URL in it (https://user:pass@host becomes https://***@host), and
// every value given to Protect. Every report, stream line, baseline entry,
// log line and error message that may hold a page's address or a
// browser's message goes through it.
func Redact(s string) string {
	if strings.Contains(s, "@") {
		s = userinfo.ReplaceAllString(s, "${1}"+Redacted+"@")
	}
	secrets.mu.RLock()
	defer secrets.mu.RUnlock()
	for _, v := range secrets.values {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}

// Credentials are a user name and password for HTTP basic auth, from a
// URL's user info or the settings (see package access).
type Credentials struct {
	User, Password string
}

// String names the user and hides the password, so credentials printed by
// mistake give nothing away.
func (c Credentials) String() string { return c.User + ":***" }

// ParseCredentials reads "user:password". Its errors never repeat the
// text.
func ParseCredentials(s string) (Credentials, error) {
	user, pass, ok := strings.Cut(s, ":")
	if !ok || user == "" {
		return Credentials{}, errors.New("want user:password (the value is not shown)")
	}
	return Credentials{User: user, Password: pass}, nil
}

// SplitUserinfo removes the user info from an http(s) URL and returns the
// URL without it and the credentials it held, nil when none. Other text is
// returned as it is.
func SplitUserinfo(raw string) (string, *Credentials) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil || (u.Scheme != "http" && u.Scheme != "https") {
		return raw, nil
	}
	pass, _ := u.User.Password()
	c := &Credentials{User: u.User.Username(), Password: pass}
	u.User = nil
	return u.String(), c
}
