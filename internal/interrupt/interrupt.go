// Package interrupt lets the wfcompat command leave nothing half written
// when a signal (SIGINT, SIGTERM, SIGHUP) ends it: the temporary files and
// directories its writers create are registered while they exist, and the
// signal handler removes them, passes the signal on to the git and helper
// processes it started (as SIGTERM, which both clean up after), and then
// ends the process by the same signal, so that its parent sees the
// conventional status (a shell's $? is 128 plus the signal's number: 130
// for SIGINT, 143 for SIGTERM, 129 for SIGHUP), as when no write is in
// flight.
//
// The handler is the process's: it exists only after the command's main
// calls Enable, and it is installed by the first Do after that, so a run
// that writes nothing never installs it. Without Enable (a program that
// uses wfcompat's packages as a library), Do just calls its function and
// OnSignal registers nothing: such a program keeps its own signal
// handling, and the writers' context cancellation.
//
// A signal that arrives during Do's function waits for it to return:
// creating a temporary file and registering its removal, or renaming it
// into place and unregistering, happen either wholly before the handler
// runs or not at all. A second signal while the handler waits ends the
// process at once.
//
// This is process state by nature (signal dispositions are), hence the
// package's variables; they are private, and reached only through Enable,
// Do, OnSignal and Run.
package interrupt

import (
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	enabled atomic.Bool
	install sync.Once
	// hold is read-locked by Do's functions and write-locked by the
	// handler, which then never releases it: once a signal was taken, no
	// Do starts, and the process ends.
	hold sync.RWMutex

	mu       sync.Mutex
	next     uint64
	cleanups map[uint64]func() // made by the first OnSignal: no cost at start-up
)

// signals are the signals the handler catches, when they are not ignored
// (a signal ignored when the process started, as nohup ignores SIGHUP and
// a shell SIGINT for a background job, stays ignored).
var signals = [...]os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// Enable lets Do install the signal handler. The wfcompat command's main
// calls it before anything else.
func Enable() { enabled.Store(true) }

// Do runs f; a signal that arrives while f runs is acted on after f
// returns. f must be short (a file created or renamed, an entry
// registered, a process started) and must not call Do.
func Do(f func()) {
	if !enabled.Load() {
		f()
		return
	}
	install.Do(installHandler)
	hold.RLock()
	defer hold.RUnlock()
	f()
}

// A Cleanup is an undo registered with OnSignal.
type Cleanup struct{ id uint64 }

// OnSignal registers undo to run if a signal ends the process, until
// Cancel. To leave no gap, call it in the same Do as what creates the
// thing undo removes. The undos run last registered first. Without Enable
// it registers nothing and returns nil (whose Cancel does nothing).
func OnSignal(undo func()) *Cleanup {
	if !enabled.Load() {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	if cleanups == nil {
		cleanups = map[uint64]func(){}
	}
	next++
	cleanups[next] = undo
	return &Cleanup{id: next}
}

// Cancel unregisters c: its undo will not run. Call it after the thing is
// gone or has become the output (in the Do that renames it).
func (c *Cleanup) Cancel() {
	if c == nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	delete(cleanups, c.id)
}

// Run runs cmd as cmd.Run does; if a signal ends this process meanwhile,
// cmd's process is sent SIGTERM, so that it does not go on alone (a fetch,
// a download) and removes its own temporary files, and the handler waits
// for it to end (at most two seconds) before the undos registered before
// Run.
func Run(cmd *exec.Cmd) error {
	var err error
	var c *Cleanup
	exited := make(chan struct{})
	Do(func() {
		if err = cmd.Start(); err == nil {
			c = OnSignal(func() {
				// The process's files, in a directory registered
				// before it started, are removed after it is gone.
				terminate(cmd.Process)
				select {
				case <-exited:
				case <-time.After(2 * time.Second):
				}
			})
		}
	})
	if err != nil {
		return err
	}
	err = cmd.Wait()
	close(exited)
	c.Cancel()
	return err
}

func installHandler() {
	var sigs []os.Signal
	for _, s := range signals {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return
	}
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, sigs...)
	go func() {
		sig := <-ch
		go func() {
			hold.Lock()
			mu.Lock()
			// Last registered, first undone, as deferred calls: a
			// process is ended before its directory is removed.
			ids := slices.Sorted(maps.Keys(cleanups))
			for _, id := range slices.Backward(ids) {
				cleanups[id]()
			}
			raise(sig)
		}()
		// A second signal while the first waits for a Do (a rename on
		// a hung file system) ends the process now.
		raise(<-ch)
	}()
}

// raise ends the process by sig: its default disposition restored, the
// signal is sent to the process itself (raise_unix.go); where that is not
// possible, or did not end it, the process exits with 128 plus the
// signal's number, what a shell reports for a process a signal ended.
func raise(sig os.Signal) {
	signal.Reset()
	raiseSignal(sig)
	n := 1
	if s, ok := sig.(syscall.Signal); ok {
		n = 128 + int(s)
	}
	os.Exit(n)
}
