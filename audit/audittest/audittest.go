// Package audittest runs rules over annotated fixture pages, through the
// static loader and in a real Chromium, and fails on unexpected findings as
// well as on missing ones.
//
// A fixture is an HTML file in a test's testdata folder. An annotation is an
// HTML comment that applies to the next element sibling:
//
//	<!-- want img-alt-missing "no alt attribute" -->
//	<img id="violation1" src="photo.svg">
//
//	<!-- want:review "could not" -->    a finding that needs review
//	<!-- want:page "no headings" -->    a finding about the page (at html)
//	<!-- want@chrome "…" -->            expected only in Chrome
//	<!-- want@static "…" -->            expected only from the static loader
//
// The rule id is optional; the quoted text is a regular expression matched
// against the message. A fixture whose first line holds
// <!-- audit:needs chrome --> is not run through the static loader.
//
// Chrome tests share one browser per test binary; call Main from TestMain so
// it is closed at the end. When no browser is found the Chrome half skips
// with a message, unless NEWSA11Y_REQUIRE_CHROME=1 makes that a failure.
// CHROME_PATH picks the browser and NEWSA11Y_HEADFUL=1 shows its window.
package audittest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/audit/target"
	"github.com/newsa11y/newsa11y/internal/testtime"
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

// Browser returns the test binary's shared browser, launching it on first
// use. Without a browser it skips the test, or fails it under
// NEWSA11Y_REQUIRE_CHROME=1.
func Browser(t testing.TB) *chrome.Browser {
	t.Helper()
	browserOnce.Do(func() {
		path, err := chrome.FindChrome("")
		if err != nil {
			browserErr = err
			return
		}
		browser, browserErr = chrome.Launch(chrome.Options{
			ExecPath: path,
			Timeout:  testtime.Bound(20 * time.Second),
			Headful:  os.Getenv("NEWSA11Y_HEADFUL") == "1",
		})
	})
	if browserErr != nil {
		if RequireChrome() {
			t.Fatalf("Chrome is required (NEWSA11Y_REQUIRE_CHROME=1): %v", browserErr)
		}
		t.Skipf("skipping: no usable Chrome (%v); set CHROME_PATH or install chromium", browserErr)
	}
	return browser
}

// Serve serves dir on a loopback server for the test's lifetime and
// returns the server.
func Serve(t testing.TB, dir string) *target.Server {
	t.Helper()
	srv, err := target.ServeDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// Load captures one page with a loader, failing the test on error.
func Load(t testing.TB, l audit.Loader, url string, rules []*audit.Rule) *audit.Page {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := l.Load(ctx, audit.Target{Input: url, URL: url}, audit.Needs(rules)|audit.CapAX)
	if err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	return p
}

// Run checks every fixture (*.html) of dir with the rules, through the
// static loader and in Chrome, each fixture as a subtest named
// "static/NAME" or "chrome/NAME".
func Run(t *testing.T, dir string, rules ...*audit.Rule) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s (%v)", dir, err)
	}
	slices.Sort(files)
	srv := Serve(t, dir)
	t.Run("static", func(t *testing.T) {
		l := &static.Loader{Timeout: 10 * time.Second}
		for _, f := range files {
			name := filepath.Base(f)
			if needsChrome(t, f) {
				continue
			}
			t.Run(name, func(t *testing.T) {
				check(t, Load(t, l, srv.URLFor(name), rules), rules)
			})
		}
	})
	t.Run("chrome", func(t *testing.T) {
		b := Browser(t)
		for _, f := range files {
			name := filepath.Base(f)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				check(t, Load(t, b, srv.URLFor(name), rules), rules)
			})
		}
	})
}

// needsChrome reports whether a fixture's first line asks for Chrome only.
func needsChrome(t *testing.T, path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	return strings.Contains(first, "audit:needs chrome")
}

// check runs the rules over a snapshot and compares the findings with the
// fixture's annotations.
func check(t *testing.T, p *audit.Page, rules []*audit.Rule) {
	t.Helper()
	exps, err := expectations(p)
	if err != nil {
		t.Fatal(err)
	}
	findings, skipped, ruleErrs := audit.CheckPage(p, rules)
	for _, e := range ruleErrs {
		t.Errorf("rule %s failed: %s", e.Rule, e.Error)
	}
	for _, s := range skipped {
		t.Logf("skipped %s: %s", s.Rule, s.Reason)
	}
	for _, problem := range match(p, findings, exps) {
		t.Error(problem)
	}
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
	path, err := chrome.FindChrome("")
	if err != nil {
		if RequireChrome() {
			tb.Fatal(err)
		}
		tb.Skip(err)
	}
	b, err := chrome.Launch(chrome.Options{ExecPath: path, BlockThirdParty: true, Timeout: 30 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	srv := Serve(tb, dir)
	targets := make([]audit.Target, 0, len(files))
	for _, f := range files {
		name := filepath.Base(f)
		targets = append(targets, audit.Target{Input: name, URL: srv.URLFor(name)})
	}
	return b, targets
}
