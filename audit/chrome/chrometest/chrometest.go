// Package chrometest gives the Chrome tier's tests a real Chromium: one
// shared browser per test binary, and a browser of its own over saved news
// pages. Rule tests never import it; they replay recordings through
// audittest instead.
//
// The fast tier, go test -short ./..., needs no browser: under -short
// every test that asks for one skips. Otherwise, when no browser is found,
// such tests skip with a message, unless NEWSA11Y_REQUIRE_CHROME=1 (set by
// CI) makes that a failure. CHROME_PATH picks the browser and
// NEWSA11Y_HEADFUL=1 shows its window.
package chrometest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules/skiplink"
)

var (
	browserOnce sync.Once
	browser     *chrome.Browser
	browserErr  error
)

// Main runs the tests and closes the shared browser. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if browser != nil {
		_ = browser.Close()
	}
	os.Exit(code)
}

// RequireChrome reports whether a missing browser must fail the tests
// (NEWSA11Y_REQUIRE_CHROME=1) rather than skip them.
func RequireChrome() bool { return os.Getenv("NEWSA11Y_REQUIRE_CHROME") == "1" }

// headful reports whether the tests' browsers show a window
// (NEWSA11Y_HEADFUL=1).
func headful() bool { return os.Getenv("NEWSA11Y_HEADFUL") == "1" }

// ExecPath returns the browser to run. Under -short, or without a browser,
// it skips the test, or fails it under NEWSA11Y_REQUIRE_CHROME=1 (but for
// -short, which always skips).
func ExecPath(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("skipping the Chrome tier in -short mode")
	}
	path, err := chrome.FindChrome("", headful())
	if err != nil {
		if RequireChrome() {
			tb.Fatalf("Chrome is required (NEWSA11Y_REQUIRE_CHROME=1): %v", err)
		}
		tb.Skipf("skipping: no usable Chrome (%v); set CHROME_PATH or install chromium", err)
	}
	return path
}

// Browser returns the test binary's shared browser, launching it on first
// use. Its keyboard walk presses the controls the rules can judge
// (skiplink.WorthPressing), as the command's does. Under -short, or
// without a browser, it skips the test, or fails it under
// NEWSA11Y_REQUIRE_CHROME=1.
func Browser(tb testing.TB) *chrome.Browser {
	tb.Helper()
	path := ExecPath(tb)
	browserOnce.Do(func() {
		browser, browserErr = chrome.Launch(chrome.Options{
			ExecPath:     path,
			Timeout:      testtime.Bound(20 * time.Second),
			Headful:      headful(),
			PressControl: skiplink.WorthPressing,
		})
	})
	if browserErr != nil {
		tb.Fatalf("launch %s: %v", path, browserErr)
	}
	return browser
}

// PressingBrowser launches a browser of its own, closed when the test
// ends, whose keyboard walk presses every control before the main
// content, not only those the rules can judge (Options.PressControl):
// for tests of how the walk presses a control, with controls of any name.
func PressingBrowser(tb testing.TB) *chrome.Browser {
	tb.Helper()
	b, err := chrome.Launch(chrome.Options{ExecPath: ExecPath(tb), Timeout: testtime.Bound(20 * time.Second)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

// Corpus launches a browser of its own for saved news pages (third-party
// hosts blocked, as saved pages need) and returns it with a target for
// every page of the folder $NEWSA11Y_CORPUS names, served on loopback and
// named by file name, in order. Both are closed when the test ends.
// Without the variable it skips; without a browser it skips, or fails
// under NEWSA11Y_REQUIRE_CHROME=1.
func Corpus(tb testing.TB) (*chrome.Browser, []audit.Target) {
	tb.Helper()
	dir := os.Getenv("NEWSA11Y_CORPUS")
	if dir == "" {
		tb.Skip("set NEWSA11Y_CORPUS to a folder of saved news pages")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no pages in %s (%v)", dir, err)
	}
	b, err := chrome.Launch(chrome.Options{ExecPath: ExecPath(tb), BlockThirdParty: true, Timeout: testtime.Bound(30 * time.Second), PressControl: skiplink.WorthPressing})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	srv := audittest.Serve(tb, dir)
	targets := make([]audit.Target, 0, len(files))
	for _, f := range files {
		name := filepath.Base(f)
		targets = append(targets, audit.Target{Input: name, URL: srv.URLFor(name)})
	}
	return b, targets
}
