package main_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rawStatusServer answers every request on a loopback port with the raw
// HTTP status line given, which net/http would not let a handler write,
// and returns the server's address.
func rawStatusServer(t *testing.T, statusLine string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					line, err := br.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				body := "<!DOCTYPE html><title>Error</title><h1>Error</h1>"
				fmt.Fprintf(conn, "%s\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", statusLine, len(body), body)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestPageEscapesDoNotReachTheTerminal: an HTTP reason phrase carrying
// terminal escapes (set the window title, clear the screen) is printed,
// with the page's failure, on standard error without them.
func TestPageEscapesDoNotReachTheTerminal(t *testing.T) {
	needChrome(t)
	addr := rawStatusServer(t, "HTTP/1.1 500 \x1b]0;pwned\x07\x1b[2J\x9b31m")
	res := run(t, "", nil, "audit", "--no-config", "--report", "json="+filepath.Join(t.TempDir(), "r.json"), addr+"/story")
	if res.code != 1 {
		t.Errorf("exit %d, want 1 for the failed page\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "500") || !strings.Contains(res.stderr, "pwned") {
		t.Errorf("stderr does not report the failure with its status: %q", res.stderr)
	}
	if i := strings.IndexAny(res.stderr, "\x1b\x07\u009b"); i >= 0 {
		t.Errorf("stderr carries a terminal control character at %d: %q", i, res.stderr)
	}
}

// TestConcurrencyIsCapped: a --concurrency far above what the machine
// can run is lowered, with a note saying so, and the run goes on.
func TestConcurrencyIsCapped(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.html", "b.html"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(`<!DOCTYPE html><html lang="en"><title>Story</title><main><h1>Story</h1></main></html>`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := run(t, "", nil, "audit", "--no-config", "--static", "--fail-on", "none", "-c", "1000", dir)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "--concurrency 1000") {
		t.Errorf("no note that --concurrency was lowered: %q", res.stderr)
	}
}
