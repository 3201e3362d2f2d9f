// Package termsafe makes page-derived text safe to print on a terminal:
// the text report and the messages on standard error both pass such text
// through Line.
package termsafe

import "strings"

// Line keeps s on one line, so that it cannot forge lines of its own, and
// drops the control characters a terminal would act on: C0 controls
// (ESC among them), DEL and C1 controls (U+0080 to U+009F, which hold the
// 8-bit CSI and OSC). Line breaks and tabs become spaces.
func Line(s string) string {
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
