//go:build !unix

package chrome

import "os/exec"

// tapCmd is the pipe tap where it is not built: chromedp's pipes stay as
// they are, and replies are decoded whole.
func tapCmd(cmd *exec.Cmd) *pipeTap { return nil }
