package chrome

import "testing"

// Headers and credentials go to the page's origin as the browser writes
// it in requests, whatever the case of the host or a default port typed.
func TestCanonicalOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://News.Example:443/a?b": "https://news.example",
		"http://127.0.0.1:8080/x":      "http://127.0.0.1:8080",
		"http://host:80":               "http://host",
		"https://[::1]:8443/":          "https://[::1]:8443",
		"file:///tmp/a.html":           "",
		"mailto:a@b":                   "",
	} {
		if got := canonicalOrigin(in); got != want {
			t.Errorf("canonicalOrigin(%q) = %q, want %q", in, got, want)
		}
	}
}
