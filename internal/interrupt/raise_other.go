//go:build !unix

package interrupt

import "os"

// raiseSignal cannot send a signal to the process here: raise exits.
func raiseSignal(os.Signal) {}

// terminate ends p (no SIGTERM here).
func terminate(p *os.Process) { p.Kill() }
