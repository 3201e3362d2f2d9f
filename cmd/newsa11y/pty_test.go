package main_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/newsa11y/newsa11y/internal/testtime"
)

// openPTY opens a pseudo-terminal pair: the controlling side, which the
// test reads, and the terminal side, which the binary gets as its standard
// input and standard error. It skips the test where the system has none.
func openPTY(t *testing.T) (control, term *os.File) {
	t.Helper()
	control, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, control.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		control.Close()
		t.Skipf("no pseudo-terminal number: %v", e)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, control.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		control.Close()
		t.Skipf("cannot unlock the pseudo-terminal: %v", e)
	}
	term, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		control.Close()
		t.Skipf("open the pseudo-terminal: %v", err)
	}
	return control, term
}

// onTerminal is a run of the binary with a terminal as its standard input
// and standard error.
type onTerminal struct {
	code     int
	stdout   string
	terminal string // what the binary wrote to the terminal
}

// runOnTerminal runs the binary with a terminal as standard input and
// standard error, as in an interactive shell, and standard output to a
// buffer.
func runOnTerminal(t *testing.T, env []string, args ...string) onTerminal {
	t.Helper()
	control, term := openPTY(t)
	defer control.Close()
	cmd := exec.Command(binary, args...)
	cmd.Stdin, cmd.Stderr = term, term
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Env = binaryEnv(t, env...)
	if err := cmd.Start(); err != nil {
		term.Close()
		t.Fatal(err)
	}
	term.Close()
	var shown bytes.Buffer
	copied := make(chan struct{})
	go func() {
		io.Copy(&shown, control) // ends with EIO once the binary exits
		close(copied)
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(testtime.Bound(30 * time.Second)):
		cmd.Process.Kill()
		<-done
		t.Fatal("the run on a terminal did not end")
	}
	select {
	case <-copied:
	case <-time.After(5 * time.Second):
	}
	r := onTerminal{stdout: out.String(), terminal: shown.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}
