package access

import (
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
