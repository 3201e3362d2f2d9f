package chrome

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
)

// ErrNotFound means no Chrome or Chromium executable was found.
//
// Example: running newsa11y on a machine without a browser.
//
// Discussion: newsa11y looks at --chrome-path, then $CHROME_PATH, then the
// usual executable names on PATH. The fix is to install Chromium (on Debian,
// "apt-get install chromium chromium-headless-shell"; the repository's
// scripts/install-chrome.sh does it, and installs chromium alone where the
// shell is not packaged) or to name the browser explicitly.
var ErrNotFound = errors.New("no Chrome or Chromium found: install it (Debian: sudo apt-get install chromium chromium-headless-shell; or run scripts/install-chrome.sh), or give its path with --chrome-path or the CHROME_PATH environment variable")

// headlessShellNames are the names of Chromium's headless shell, tried
// first on PATH for a headless run: the same engine (Blink, V8, the same
// input and DevTools handling) without the browser's user interface, which
// headless Chrome still runs out of sight (its window's toolbar, the tab's
// loading animation, the status bubble that shows each focused link's
// address), at a cost in CPU on every page. Debian packages it as
// chromium-headless-shell, Chrome for Testing as chrome-headless-shell.
var headlessShellNames = []string{"chromium-headless-shell", "chrome-headless-shell", "headless_shell"}

// launchedBinaries maps a launcher script on PATH to the browser binary it
// starts, which FindChrome returns instead when it is there. Debian's
// chromium-headless-shell script starts the browser as a child of a shell
// rather than in its place (no exec): the kernel's kill-on-parent-death
// (setProcAttr) would then reach the shell, not the browser, and a killed
// newsa11y would leave the browser running. A variable for tests.
var launchedBinaries = map[string]string{"chromium-headless-shell": "/usr/lib/chromium/chromium-headless-shell"}

// browserNames are the names of the full browser tried on PATH, in order,
// after the headless shell, or alone for a run with a window.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// FindChrome returns the browser to run: explicit when set, else
// $CHROME_PATH, else the first of the usual names found on PATH, Chromium's
// headless shell first unless the run shows a window (headful). An
// explicit or environment path that does not exist is an error that names
// it.
func FindChrome(explicit string, headful bool) (string, error) {
	for _, c := range []struct{ path, from string }{{explicit, "--chrome-path"}, {os.Getenv("CHROME_PATH"), "CHROME_PATH"}} {
		if c.path == "" {
			continue
		}
		p, err := exec.LookPath(c.path)
		if err != nil {
			return "", fmt.Errorf("%s %q is not an executable: %w", c.from, c.path, err)
		}
		return p, nil
	}
	names := browserNames
	if !headful {
		names = append(slices.Clone(headlessShellNames), browserNames...)
	}
	for _, name := range names {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if bin, ok := launchedBinaries[name]; ok {
			if b, err := exec.LookPath(bin); err == nil {
				return b, nil
			}
		}
		return p, nil
	}
	return "", ErrNotFound
}
