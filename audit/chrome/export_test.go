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
	return CrashAt("settle", marker)
}

// CrashAt makes every page whose address contains marker crash its
// renderer with Page.crash as the named capture step starts: "load",
// "settle", "scroll", "dom", "ax", "images", "walk" or "thumbnail". It
// returns a function that undoes it; tests using it must not run in
// parallel.
func CrashAt(step, marker string) (undo func()) {
	stepHook = func(tab context.Context, url, at string) {
		if at == step && strings.Contains(url, marker) {
			// Page.crash never answers: the renderer is gone.
			ctx, cancel := context.WithTimeout(tab, time.Second)
			defer cancel()
			_, _ = chromedp.Call(ctx, page.Crash, cdp.Empty{})
		}
	}
	return func() { stepHook = nil }
}

// SetWalkBudget bounds the keyboard walk by d instead of its 15 seconds,
// so that a test can make a slow page's walk run out of time quickly. It
// returns a function that undoes it; tests using it must not run in
// parallel.
func SetWalkBudget(d time.Duration) (undo func()) {
	old := walkBudget
	walkBudget = d
	return func() { walkBudget = old }
}

// SetHealthChecks makes pools check their browsers every every, each
// check bounded by timeout, instead of every 2 seconds within 5. It
// returns a function that undoes it; tests using it must not run in
// parallel.
func SetHealthChecks(every, timeout time.Duration) (undo func()) {
	oldEvery, oldTimeout := healthEvery, probeTimeout
	healthEvery, probeTimeout = every, timeout
	return func() { healthEvery, probeTimeout = oldEvery, oldTimeout }
}
