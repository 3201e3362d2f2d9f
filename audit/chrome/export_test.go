package chrome

import (
	"context"
	"slices"
	"strings"
	"sync"
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
	stepHook = func(pl *pageLoad, at string) {
		if at == step && strings.Contains(pl.t.URL, marker) {
			// Page.crash never answers: the renderer is gone.
			ctx, cancel := context.WithTimeout(pl.tab, time.Second)
			defer cancel()
			_, _ = chromedp.Call(ctx, page.Crash, cdp.Empty{})
		}
	}
	return func() { stepHook = nil }
}

// QuietAt records, as the named capture step starts on each page whose
// address contains marker, how long the page's network had been quiet by
// its session's count of the requests in flight (zero while any is). It
// returns a function that gives what was recorded, in page order, and one
// that undoes it; tests using it must not run in parallel.
func QuietAt(step, marker string) (quiet func() []time.Duration, undo func()) {
	var mu sync.Mutex
	var seen []time.Duration
	stepHook = func(pl *pageLoad, at string) {
		if at == step && strings.Contains(pl.t.URL, marker) {
			mu.Lock()
			seen = append(seen, pl.sess.quietFor())
			mu.Unlock()
		}
	}
	quiet = func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
	return quiet, func() { stepHook = nil }
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

// SetLaunchedBinaries replaces the launcher scripts FindChrome looks
// behind (see launchedBinaries) and returns a function that restores them.
func SetLaunchedBinaries(m map[string]string) (undo func()) {
	old := launchedBinaries
	launchedBinaries = m
	return func() { launchedBinaries = old }
}
