package main_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/testtime"
)

// TestSecondRunRefusesAStreamInUse: while one run streams to a jsonl=
// file, a second run naming the same file refuses it before loading any
// page, with an error that says so, and leaves the first run's stream
// whole; once the first run is over, the file is free again.
func TestSecondRunRefusesAStreamInUse(t *testing.T) {
	requested := make(chan string, 4)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requested <- r.URL.Path
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Page</title><main><h1>Page</h1></main></html>`)
	}))
	t.Cleanup(srv.Close)
	stream := filepath.Join(t.TempDir(), "run.jsonl")
	first := start(t, nil, nil, "audit", "--no-config", "--static", "--fail-on", "none", "--report", "jsonl="+stream, srv.URL+"/fast", srv.URL+"/slow")
	for seen := map[string]bool{}; !seen["/slow"] || !seen["/fast"]; {
		select {
		case path := <-requested:
			seen[path] = true
		case <-time.After(testtime.Bound(10 * time.Second)):
			t.Fatalf("the first run never reached its slow page\n%s", first.stderr.String())
		}
	}
	// The first run has streamed /fast and waits on /slow.
	waitFor(t, func() bool { data, _ := os.ReadFile(stream); return strings.Count(string(data), "\n") == 1 })

	second := run(t, "", nil, "audit", "--no-config", "--static", "--fail-on", "none", "--report", "jsonl="+stream, srv.URL+"/other")
	if second.code != 1 || !strings.Contains(second.stderr, stream) || !strings.Contains(second.stderr, "another") {
		t.Errorf("second run: exit %d, stderr %q; want exit 1 naming the stream in use by another run", second.code, second.stderr)
	}
	select {
	case path := <-requested:
		t.Errorf("the second run loaded %s", path)
	default:
	}
	close(release)
	if code := first.exitWithin(t, 20*time.Second); code != 0 {
		t.Errorf("first run: exit %d\n%s", code, first.stderr.String())
	}
	if urls := streamURLs(t, stream); len(urls) != 2 {
		t.Errorf("the stream holds %v, want the first run's two pages", urls)
	}
	// The file is free once its run is over.
	third := run(t, "", nil, "audit", "--no-config", "--static", "--fail-on", "none", "--report", "jsonl="+stream, srv.URL+"/other")
	if third.code != 0 {
		t.Errorf("a run after the first: exit %d, %s", third.code, third.stderr)
	}
	if urls := streamURLs(t, stream); len(urls) != 1 || !strings.HasSuffix(urls[0], "/other") {
		t.Errorf("the stream of the later run holds %v", urls)
	}
}

// waitFor polls cond until it holds, or fails the test after a bound.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testtime.Bound(10 * time.Second))
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("the condition never held")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
