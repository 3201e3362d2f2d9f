package termsafe_test

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

func TestString(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Not Found", "Not Found"},
		{"title and clear", "OK\x1b]0;pwned\x07\x1b[2J", "OK]0;pwned[2J"},
		{"line breaks", "a\nb\r\nc\td", "a b  c d"},
		{"C1 CSI", "a\u009b31mb", "a31mb"},
		{"DEL", "a\x7fb", "ab"},
		{"string terminator", "a\x1b\\b", `a\b`},
		{"accents kept", "Népal — 東京", "Népal — 東京"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := termsafe.String(tc.in)
			if got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if strings.ContainsAny(got, "\x1b\x07\n\r\u009b") {
				t.Errorf("String(%q) = %q still holds a control character", tc.in, got)
			}
		})
	}
}
