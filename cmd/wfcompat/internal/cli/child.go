//go:build lean

package cli

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
)

// runChild runs the executable at path as a child process with argv and
// env, on io's standard streams (the process's own, inherited), and
// returns its exit status as an exitError that prints nothing (nil for
// 0). While it waits it takes, and ignores, the interrupts sent to it
// (Ctrl-C in a console reaches every process attached to it): the child
// gets them too and decides; the parent must outlive it to pass its
// status on. It is the hand-over where a process cannot replace itself
// (exec_other.go); tests run it everywhere.
func runChild(io *IO, path string, argv, env []string) error {
	cmd := exec.Command(path)
	cmd.Args = argv
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = io.In, io.Out, io.Err
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	err := cmd.Run()
	var xe *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &xe):
		code := xe.ExitCode()
		if code < 0 { // ended by a signal, where there are any
			code = ExitError
		}
		return silentExit(code)
	}
	return err
}
