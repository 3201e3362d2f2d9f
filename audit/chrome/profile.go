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

// singletonSocket returns the socket of the process singleton Chromium
// set up for the profile, or "" when it finds none. Chromium makes the
// socket, and a cookie beside it, in a folder of its own in the temporary
// folder (org.chromium.Chromium.XXXXXX), names it by a symlink in the
// profile, and removes the folder when it closes: a browser that is
// killed (frozen, or past its close grace) leaves it behind. The socket's
// path must fit a Unix socket address, which is why it is not moved into
// the profile (by TMPDIR) instead.
func singletonSocket(profile string) string {
	target, err := os.Readlink(filepath.Join(profile, "SingletonSocket"))
	if err != nil || !filepath.IsAbs(target) || filepath.Base(target) != "SingletonSocket" {
		return ""
	}
	return target
}

// removeSingleton removes a socket singletonSocket found, the cookie
// beside it, and their folder if nothing else is left in it, once the
// browser has exited; "" is ignored.
func removeSingleton(socket string) {
	if socket == "" {
		return
	}
	dir := filepath.Dir(socket)
	_ = os.Remove(socket)
	_ = os.Remove(filepath.Join(dir, "SingletonCookie"))
	_ = os.Remove(dir)
}
