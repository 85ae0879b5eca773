//go:build unix

package source

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the helper in a process group of its own, and makes
// cmd's cancellation (the context done, or the stall guard) kill the
// whole group: the helper and anything it started and left running, such
// as a Docker credential helper waiting for a person, which would
// otherwise be orphaned. (A signal that ends wfcompat still reaches only
// the helper, as SIGTERM through internal/interrupt: the helper then ends
// what it runs itself.) In its own group the helper is not sent the
// terminal's SIGINT directly; wfcompat passes it on.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The group's id is the helper's process id; it exists until
		// Wait has reaped the helper, so it cannot be another's yet.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
