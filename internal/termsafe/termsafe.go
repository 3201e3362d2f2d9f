// Package termsafe makes text that came from a page safe to print on a
// terminal: one line, with no control characters, so that a page cannot
// forge output lines, move the cursor, clear the screen or set the
// window's title through an escape sequence. The text report and every
// line the command prints to standard error use it.
package termsafe

import "strings"

// String returns s on one line without control characters: line breaks
// and tabs become spaces; the other C0 controls (ESC among them), DEL and
// the C1 controls (which some terminals take as CSI or OSC) are dropped.
// What an escape sequence carried after its introducer stays as plain,
// harmless text. Invalid UTF-8 becomes U+FFFD.
func String(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		}
		return r
	}, s)
}
