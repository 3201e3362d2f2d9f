package chrome

import "github.com/chromedp/cdproto/cdp/jsonv2"

// lenientJSON lets strings from the page through whole: a page's strings
// are UTF-16 and may hold a lone surrogate (what cutting an emoji in half
// with substring leaves), which the browser sends as a "\ud83d" escape
// that strict JSON refuses. Decoded leniently, it becomes U+FFFD, as
// chromedp already does for the protocol's own messages.
var lenientJSON = jsonv2.AllowInvalidUTF8(true)

// decodeJSON decodes a JSON value the browser returned, leniently.
func decodeJSON(raw []byte, v any) error {
	return jsonv2.Unmarshal(raw, v, lenientJSON)
}
