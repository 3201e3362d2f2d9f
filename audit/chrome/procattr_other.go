//go:build !linux

package chrome

import "os/exec"

// setProcAttr leaves the browser's process attributes as they are outside
// Linux.
func setProcAttr(cmd *exec.Cmd) {}

// killGroup does nothing outside Linux; killing the browser process is
// left to chromedp.
func killGroup(pid int) {}
