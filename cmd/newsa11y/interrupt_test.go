package main_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/testtime"
)

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// started is a running newsa11y process.
type started struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
	err    error
}

// start runs the binary with args in the background; stdin, when not
// nil, is its standard input. The process is killed when the test ends.
func start(t *testing.T, stdin *os.File, env []string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = binaryEnv(t, env...)
	if stdin != nil {
		cmd.Stdin = stdin // a file, so that Wait does not wait for a copy
	}
	s := &started{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			cmd.Process.Kill()
			<-s.exited
		}
	})
	return s
}

// exitWithin waits for the process to exit within the bound d (stretched
// by testtime), counted from now, and returns its exit code, or fails
// the test.
func (s *started) exitWithin(t *testing.T, d time.Duration) int {
	t.Helper()
	limit := testtime.Bound(d)
	begin := time.Now()
	select {
	case <-s.exited:
	case <-time.After(limit):
		t.Fatalf("newsa11y did not exit within %s\nstderr:\n%s", limit, s.stderr.String())
	}
	t.Logf("exited after %s", time.Since(begin).Round(time.Millisecond))
	if ee, ok := s.err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	return 0
}

// stdinPipe returns a pipe for a process's standard input that stays
// open, with nothing written, until the test ends.
func stdinPipe(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// settle gives a freshly started process time to reach the state under
// test; a wait, not a bound.
func settle() { time.Sleep(testtime.Bound(time.Second)) }

// TestInterruptWhileStuckExits130: Ctrl-C while the run is stuck where
// it does not watch for the interrupt (here, reading a page from a
// standard input that never ends) still ends it, with exit 130, within
// 10 seconds.
func TestInterruptWhileStuckExits130(t *testing.T) {
	r, _ := stdinPipe(t)
	p := start(t, r, nil, "audit", "--no-config", "--static", "-")
	settle()
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.exitWithin(t, 10*time.Second); code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, p.stderr.String())
	}
}

// TestSecondInterruptExitsAtOnce: a second Ctrl-C does not wait for the
// run to stop by itself.
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	r, _ := stdinPipe(t)
	p := start(t, r, nil, "audit", "--no-config", "--static", "-")
	settle()
	p.cmd.Process.Signal(os.Interrupt)
	time.Sleep(200 * time.Millisecond)
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.exitWithin(t, 2*time.Second); code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, p.stderr.String())
	}
}

// TestInterruptDuringSitemapFetchExits130: Ctrl-C while a sitemap is
// being fetched exits 130, as any interrupted run does, not 1.
func TestInterruptDuringSitemapFetchExits130(t *testing.T) {
	requested := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case requested <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	p := start(t, nil, nil, "audit", "--no-config", "--static", "--sitemap", srv.URL+"/sitemap.xml")
	select {
	case <-requested:
	case <-time.After(testtime.Bound(10 * time.Second)):
		t.Fatalf("the sitemap was never requested\n%s", p.stderr.String())
	}
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.exitWithin(t, 10*time.Second); code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, p.stderr.String())
	}
}

// TestInterruptWithAFrozenBrowserExits130 stops every browser process
// (SIGSTOP) while a page loads, then presses Ctrl-C: the run must still
// end within 10 seconds with exit 130.
func TestInterruptWithAFrozenBrowserExits130(t *testing.T) {
	needChrome(t)
	srv := hostileSite(t)
	tmp := t.TempDir()
	p := start(t, nil, []string{"TMPDIR=" + tmp}, "audit", "--no-config", "--timeout", "60s", srv.URL+"/hangs")
	var pids []int
	deadline := time.Now().Add(testtime.Bound(30 * time.Second))
	for len(pids) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		for _, s := range processesMentioning(tmp) {
			if pid, err := strconv.Atoi(s); err == nil && pid != p.cmd.Process.Pid {
				pids = append(pids, pid)
			}
		}
	}
	if len(pids) == 0 {
		t.Fatalf("no browser process started\n%s", p.stderr.String())
	}
	settle() // the page is loading
	t.Cleanup(func() {
		for _, pid := range processesMentioning(tmp) {
			if n, err := strconv.Atoi(pid); err == nil {
				syscall.Kill(n, syscall.SIGKILL)
			}
		}
	})
	for _, pid := range processesMentioning(tmp) {
		if n, err := strconv.Atoi(pid); err == nil && n != p.cmd.Process.Pid {
			syscall.Kill(n, syscall.SIGSTOP)
		}
	}
	p.cmd.Process.Signal(os.Interrupt)
	code := p.exitWithin(t, 10*time.Second)
	if code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, p.stderr.String())
	}
	if !strings.Contains(p.stderr.String(), "interrupted") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", p.stderr.String())
	}
}
