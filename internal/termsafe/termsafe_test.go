package termsafe_test

import (
	"testing"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, accents: café":                  "plain text, accents: café",
		"\x1b]0;title\x07\x1b[2J":                    "]0;title[2J",
		"two\nlines\r\tand a tab":                    "two lines  and a tab",
		"8-bit \u009b2J \u009d0;x\u009c and DEL\x7f": "8-bit 2J 0;x and DEL",
	} {
		if got := termsafe.Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}
