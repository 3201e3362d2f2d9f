package chrome

import (
	"slices"
	"strings"
	"testing"
)

func TestProfileDir(t *testing.T) {
	args := []string{"/usr/bin/chromium", "--headless", "--user-data-dir=/tmp/chromedp-runner1", "about:blank"}
	if got := profileDir(args); got != "/tmp/chromedp-runner1" {
		t.Errorf("profileDir = %q", got)
	}
	if got := profileDir([]string{"/usr/bin/chromium", "--user-data-dir"}); got != "" {
		t.Errorf("profileDir without a value = %q", got)
	}
}

func TestProfileEnv(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	got := profileEnv("/tmp/p", env(map[string]string{"HOME": "/home/ed"}))
	want := []string{
		"HOME=/tmp/p",
		"XDG_CONFIG_HOME=/tmp/p/.config",
		"XDG_CACHE_HOME=/tmp/p/.cache",
		"XDG_DATA_HOME=/tmp/p/.local/share",
		"XDG_STATE_HOME=/tmp/p/.local/state",
		"XAUTHORITY=/home/ed/.Xauthority",
	}
	if !slices.Equal(got, want) {
		t.Errorf("profileEnv = %q, want %q", got, want)
	}
	// An X authority file already named is left alone.
	got = profileEnv("/tmp/p", env(map[string]string{"HOME": "/home/ed", "XAUTHORITY": "/run/x"}))
	if slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "XAUTHORITY=") }) {
		t.Errorf("profileEnv overrides XAUTHORITY: %q", got)
	}
}
