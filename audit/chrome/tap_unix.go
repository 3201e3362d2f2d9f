//go:build unix

package chrome

import (
	"os"
	"os/exec"
	"syscall"
)

// tapCmd puts a pipeTap between chromedp and the browser cmd will start:
// chromedp gives the browser its pipe ends as ExtraFiles (the browser
// reads commands from its file descriptor 3 and writes to 4); tapCmd
// gives the browser the ends of two new pipes instead and joins them to
// copies of chromedp's ends through the tap. chromedp closes its own
// ends once the browser has started, as before. It leaves cmd as it is
// and returns nil when the command is not laid out as expected or a pipe
// cannot be made.
func tapCmd(cmd *exec.Cmd) *pipeTap {
	if len(cmd.ExtraFiles) != 2 || cmd.ExtraFiles[0] == nil || cmd.ExtraFiles[1] == nil {
		return nil
	}
	clientR, err := dupFile(cmd.ExtraFiles[0])
	if err != nil {
		return nil
	}
	clientW, err := dupFile(cmd.ExtraFiles[1])
	if err != nil {
		clientR.Close()
		return nil
	}
	childR, toBrowser, err := os.Pipe()
	if err != nil {
		clientR.Close()
		clientW.Close()
		return nil
	}
	fromBrowser, childW, err := os.Pipe()
	if err != nil {
		clientR.Close()
		clientW.Close()
		childR.Close()
		toBrowser.Close()
		return nil
	}
	cmd.ExtraFiles = []*os.File{childR, childW}
	return newPipeTap(clientR, clientW, toBrowser, fromBrowser, childR, childW)
}

// dupFile returns a copy of f's descriptor that stays open when f is
// closed, close-on-exec.
func dupFile(f *os.File) (*os.File, error) {
	raw, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var fd int
	var dupErr error
	if err := raw.Control(func(old uintptr) {
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
		fd, dupErr = syscall.Dup(int(old))
		if dupErr == nil {
			syscall.CloseOnExec(fd)
		}
	}); err != nil {
		return nil, err
	}
	if dupErr != nil {
		return nil, dupErr
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}
