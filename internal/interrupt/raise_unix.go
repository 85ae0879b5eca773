//go:build unix

package interrupt

import (
	"os"
	"syscall"
	"time"
)

// raiseSignal sends sig to the process, whose default disposition for it
// ends it, and gives the runtime a moment to deliver it.
func raiseSignal(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		syscall.Kill(syscall.Getpid(), s)
		time.Sleep(time.Second)
	}
}

// terminate asks p to end (SIGTERM: git and the wfcompat-oci helper
// remove their temporary files on it).
func terminate(p *os.Process) { p.Signal(syscall.SIGTERM) }
