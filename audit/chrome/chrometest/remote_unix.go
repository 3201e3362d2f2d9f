//go:build unix

package chrometest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/testtime"
)

// A Remote is a headless Chromium started apart from newsa11y with a
// DevTools port, as a browser service or a container runs one.
type Remote struct {
	// URL is its DevTools address, http://127.0.0.1:PORT.
	URL string
	// Process is the browser's main process; its process group holds
	// the browser's children.
	Process *os.Process
}

// Kill kills the browser and its children with SIGKILL, as a container
// dies.
func (r *Remote) Kill() { _ = syscall.Kill(-r.Process.Pid, syscall.SIGKILL) }

// Freeze stops the browser and its children with SIGSTOP, as a hung
// machine does: the DevTools connection stays open, and nothing answers.
func (r *Remote) Freeze() { _ = syscall.Kill(-r.Process.Pid, syscall.SIGSTOP) }

// StartRemote starts a headless Chromium of the test's own with a
// DevTools port on loopback, with the flags every Chromium of the project
// runs with, and the extra command-line flags, and kills it when the test
// ends. Without a browser it skips, or fails under NEWSA11Y_REQUIRE_CHROME=1.
func StartRemote(tb testing.TB, extra ...string) *Remote {
	tb.Helper()
	path := ExecPath(tb)
	// The profile is removed by hand once the browser is killed: its
	// child processes may still write to it for a moment.
	profile, err := os.MkdirTemp("", "newsa11y-remote")
	if err != nil {
		tb.Fatal(err)
	}
	args := []string{"--headless", "--remote-debugging-port=0", "--user-data-dir=" + profile,
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
		"--disable-gpu", "--disable-dev-shm-usage"}
	args = append(args, extra...)
	args = append(args, "about:blank")
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	r := &Remote{Process: cmd.Process}
	tb.Cleanup(func() {
		// The killed browser's process singleton leaves its socket's folder
		// in the temporary folder; the profile's symlink names it.
		socket, _ := os.Readlink(filepath.Join(profile, "SingletonSocket"))
		r.Kill()
		_ = cmd.Wait()
		if dir := filepath.Dir(socket); filepath.IsAbs(socket) && filepath.Base(socket) == "SingletonSocket" && strings.HasPrefix(filepath.Base(dir), "org.chromium.Chromium.") {
			_ = os.RemoveAll(dir)
		}
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	// The browser writes its port to the profile once it listens.
	deadline := time.Now().Add(testtime.Bound(30 * time.Second))
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort")); err == nil {
			if port, _, ok := strings.Cut(string(data), "\n"); ok && port != "" {
				r.URL = "http://127.0.0.1:" + port
				return r
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatal("the remote browser did not open its DevTools port")
	return nil
}
