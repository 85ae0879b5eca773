//go:build lean && unix

package cli

import "syscall"

// execFull replaces this process with wfcompat-full: the PID, the
// standard streams (unread, unwritten) and the terminal's process group
// stay, so signals reach wfcompat-full directly, and its exit status is
// the process's. It returns only when exec(2) fails.
func execFull(_ *IO, path string, argv, env []string) error {
	return syscall.Exec(path, argv, env)
}
