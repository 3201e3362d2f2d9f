package chrome

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// confineCmd prepares the browser's command: the browser runs in a
// process group of its own, so that a browser that will not close can be
// killed whole (see killGroup), and its environment points HOME and the
// XDG folders at its temporary profile, so that what Chromium writes
// outside the profile (crash reports, config, caches, dconf) lands in it
// and goes with it.
func confineCmd(cmd *exec.Cmd) {
	setProcAttr(cmd)
	if dir := profileDir(cmd.Args); dir != "" {
		// They come after the inherited environment, so they win.
		cmd.Env = append(cmd.Env, profileEnv(dir, os.Getenv)...)
	}
}

// profileDir returns the profile folder a browser command line names
// (--user-data-dir), or "".
func profileDir(args []string) string {
	for _, a := range args {
		if dir, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
			return dir
		}
	}
	return ""
}

// profileEnv returns the environment that keeps the browser's writes in
// the profile dir. A visible window still needs the X authority file of
// the real home, which it finds through HOME unless XAUTHORITY names it.
func profileEnv(dir string, getenv func(string) string) []string {
	env := []string{
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(dir, ".local", "share"),
		"XDG_STATE_HOME=" + filepath.Join(dir, ".local", "state"),
	}
	if getenv("XAUTHORITY") == "" {
		if home := getenv("HOME"); home != "" {
			env = append(env, "XAUTHORITY="+filepath.Join(home, ".Xauthority"))
		}
	}
	return env
}
