package chrome_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsa11y/newsa11y/audit/chrome"
)

// TestFindChromePrefersTheHeadlessShell checks the order FindChrome
// tries: a headless run takes Chromium's headless shell over the full
// browser when PATH has both, a run with a window takes the full browser
// and never the shell, Debian's launcher script for the shell gives way
// to the binary it starts, and $CHROME_PATH wins over PATH.
func TestFindChromePrefersTheHeadlessShell(t *testing.T) {
	dir := t.TempDir()
	executable := func(name string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Setenv("PATH", dir)
	t.Setenv("CHROME_PATH", "")
	behind := filepath.Join(t.TempDir(), "the-shell-binary")
	t.Cleanup(chrome.SetLaunchedBinaries(map[string]string{"chromium-headless-shell": behind}))

	shell := executable("chromium-headless-shell")
	if got, err := chrome.FindChrome("", false); err != nil || got != shell {
		t.Errorf("headless, only the shell on PATH: %q, %v; want %q", got, err, shell)
	}
	// Debian's launcher script starts the browser without exec: the
	// binary behind it is run instead, when it is there.
	if err := os.WriteFile(behind, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := chrome.FindChrome("", false); err != nil || got != behind {
		t.Errorf("headless, the shell's launcher on PATH: %q, %v; want the binary behind it %q", got, err, behind)
	}
	if err := os.Remove(behind); err != nil {
		t.Fatal(err)
	}
	if got, err := chrome.FindChrome("", true); !errors.Is(err, chrome.ErrNotFound) {
		t.Errorf("with a window, only the shell on PATH: %q, %v; want ErrNotFound", got, err)
	}

	full := executable("chromium")
	if got, err := chrome.FindChrome("", false); err != nil || got != shell {
		t.Errorf("headless, both on PATH: %q, %v; want the shell %q", got, err, shell)
	}
	if got, err := chrome.FindChrome("", true); err != nil || got != full {
		t.Errorf("with a window, both on PATH: %q, %v; want the full browser %q", got, err, full)
	}

	t.Setenv("CHROME_PATH", full)
	if got, err := chrome.FindChrome("", false); err != nil || got != full {
		t.Errorf("CHROME_PATH set to the full browser: %q, %v; want %q", got, err, full)
	}
	if got, err := chrome.FindChrome(shell, true); err != nil || got != shell {
		t.Errorf("an explicit path: %q, %v; want %q", got, err, shell)
	}
}
