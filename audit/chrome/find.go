package chrome

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// ErrNotFound means no Chrome or Chromium executable was found.
//
// Example: running newsa11y on a machine without a browser.
//
// Discussion: newsa11y looks at --chrome-path, then $CHROME_PATH, then the
// usual executable names on PATH. The fix is to install Chromium (on Debian
// and Ubuntu, "apt-get install chromium"; the repository's
// scripts/install-chrome.sh does it) or to name the browser explicitly.
var ErrNotFound = errors.New("no Chrome or Chromium found: install it (Debian/Ubuntu: sudo apt-get install chromium, or run scripts/install-chrome.sh), or give its path with --chrome-path or the CHROME_PATH environment variable")

// executableNames are the names tried on PATH, in order.
var executableNames = []string{
	"chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
	"chrome", "headless_shell", "chrome-headless-shell",
}

// FindChrome returns the browser to run: explicit when set, else
// $CHROME_PATH, else the first of the usual names found on PATH. An explicit
// or environment path that does not exist is an error that names it.
func FindChrome(explicit string) (string, error) {
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
	for _, name := range executableNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}
