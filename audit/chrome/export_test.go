package chrome

import (
	"context"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// CrashAfterLoad makes every page whose address contains marker crash its
// renderer with the DevTools Page.crash command once loaded, as a page that
// exhausts the renderer would. It returns a function that undoes it; tests
// using it must not run in parallel.
func CrashAfterLoad(marker string) (undo func()) {
	afterLoad = func(tab context.Context, url string) {
		if strings.Contains(url, marker) {
			// Page.crash never answers: the renderer is gone.
			ctx, cancel := context.WithTimeout(tab, time.Second)
			defer cancel()
			_, _ = chromedp.Call(ctx, page.Crash, cdp.Empty{})
		}
	}
	return func() { afterLoad = nil }
}
