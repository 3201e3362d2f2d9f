package chrome

import (
	"os/exec"
	"syscall"
)

// setProcAttr starts the browser in a process group of its own, and has
// the kernel kill it if newsa11y dies.
func setProcAttr(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

// killGroup kills every process of the browser's process group, whose
// leader is pid, stopped ones included. Chromium's helper processes
// outlive a killed browser process, and a frozen one never exits by
// itself.
func killGroup(pid int) {
	if pid > 0 {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}
