//go:build unix

package chrome_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// TestBrowserThatExitsAtStartFailsAtOnce launches a "browser" that
// prints an error and exits before it answers, as Chromium does without
// a library or with a full /dev/shm. The DevTools pipe must close with
// it, through the tap, so that Launch fails with the browser's own
// words instead of waiting for its start timeout.
func TestBrowserThatExitsAtStartFailsAtOnce(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "chromium")
	script := "#!/bin/sh\necho 'error while loading shared libraries: libnss3.so' >&2\nexit 127\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	b, err := chrome.Launch(chrome.Options{ExecPath: exe})
	took := time.Since(start)
	if err == nil {
		b.Close()
		t.Fatal("Launch of a browser that exits at once succeeded")
	}
	// A closed pipe is seen in milliseconds; a pipe left open holds
	// Launch for the browser's start timeout, 60 s, so the bound
	// stretches with the machine but stays well under that.
	if bound := min(testtime.Bound(5*time.Second), 30*time.Second); took > bound {
		t.Errorf("Launch took %v to fail (bound %v): the pipe stayed open after the browser exited", took.Round(time.Millisecond), bound)
	}
	if !strings.Contains(err.Error(), "libnss3.so") {
		t.Errorf("error %q: want the browser's own message", err)
	}
}
