package chrome_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// setupSite serves the pages the setup steps are tried on: /start has a
// spinner a script removes, a request that takes a while, a search field
// a form submits by Enter (which sets a cookie), and a button under an
// overlay; /target shows the cookie in its title.
func setupSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /start", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Start</title>
<p id="spinner">Loading…</p><p id="text">Plain text</p>
<form action="/done"><input id="q" name="q"></form>
<div id="overlay" style="position:fixed;inset:0;background:#fff8"></div>
<button id="covered">Under the overlay</button>
<script>setTimeout(function(){document.getElementById("spinner").remove()},300);
setTimeout(function(){fetch("/slow")},50)</script>`)
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(400 * time.Millisecond)
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "k", Value: url.QueryEscape(r.FormValue("q")), Path: "/"})
		fmt.Fprint(w, `<!DOCTYPE html><title>Done</title><p id="ok">Done</p>`)
	})
	mux.HandleFunc("GET /target", func(w http.ResponseWriter, r *http.Request) {
		v := "none"
		if c, err := r.Cookie("k"); err == nil {
			v, _ = url.QueryUnescape(c.Value)
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><title>k=%s</title><h1>Target</h1>`, html.EscapeString(v))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// loadAfterSetup launches a browser with the setup steps and a page
// timeout (stretched by the machine's factor), and loads /target in it.
func loadAfterSetup(t *testing.T, srv *httptest.Server, timeout time.Duration, steps ...chrome.SetupStep) (*audit.Page, error) {
	t.Helper()
	b, err := chrome.Launch(chrome.Options{ExecPath: chrometest.ExecPath(t), Timeout: testtime.Bound(timeout), Setup: steps})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testtime.Bound(time.Minute))
	defer cancel()
	u := srv.URL + "/target"
	return b.Load(ctx, audit.Target{Input: u, URL: u}, audit.CapDOM)
}

// Each kind of setup step does what it says, and a step that cannot fails
// the page with cause setup, naming the step and why.
func TestSetupSteps(t *testing.T) {
	srv := setupSite(t)
	start := chrome.SetupStep{Kind: chrome.StepNavigate, URL: srv.URL + "/start"}
	t.Run("keyboard", func(t *testing.T) {
		p, err := loadAfterSetup(t, srv, 3*time.Second, start,
			chrome.SetupStep{Kind: chrome.StepWaitGone, Selector: "#spinner"},
			chrome.SetupStep{Kind: chrome.StepWaitNetworkQuiet},
			chrome.SetupStep{Kind: chrome.StepType, Selector: "#q", Text: "héllo"},
			chrome.SetupStep{Kind: chrome.StepPress, Key: "Enter"},
			chrome.SetupStep{Kind: chrome.StepWaitFor, Selector: "#ok"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Facts.Title != "k=héllo" {
			t.Errorf("title %q, want the cookie the form set", p.Facts.Title)
		}
	})
	for _, c := range []struct {
		name  string
		steps []chrome.SetupStep
		want  string
	}{
		{"covered click", []chrome.SetupStep{start, {Kind: chrome.StepClick, Selector: "#covered"}},
			`setup step 2 (click "#covered"): its centre is covered by div#overlay`},
		{"not focusable", []chrome.SetupStep{start, {Kind: chrome.StepType, Selector: "#text", Text: "hunter2"}},
			`setup step 2 (type "#text"): the element cannot take focus`},
		{"missing element", []chrome.SetupStep{start, {Kind: chrome.StepClick, Selector: "#sign-in"}},
			`setup step 2 (click "#sign-in"): no element matches within the setup's`},
		{"still shown", []chrome.SetupStep{start, {Kind: chrome.StepWaitGone, Selector: "#text"}},
			`setup step 2 (wait_gone "#text"): an element matching "#text" is still shown within the setup's`},
		{"error status", []chrome.SetupStep{{Kind: chrome.StepNavigate, URL: srv.URL + "/nowhere"}},
			`setup step 1 (navigate ` + srv.URL + `/nowhere): the server answered 404 Not Found`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadAfterSetup(t, srv, time.Second, c.steps...)
			var le *audit.LoadError
			if !errors.As(err, &le) || le.Cause != audit.CauseSetup || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want cause setup and %q", err, c.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error holds the typed text: %v", err)
			}
		})
	}
}
