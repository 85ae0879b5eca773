//go:build !unix

package source

import "os/exec"

// ownGroup does nothing here: on Windows, cancellation kills the helper
// alone (exec.CommandContext's default), and a process it started and
// left running, such as a Docker credential helper waiting for a person,
// is not killed with it (that would take a job object). The helper bounds
// its credential helpers' runs itself (source/ocifetch).
func ownGroup(*exec.Cmd) {}
