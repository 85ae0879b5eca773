// Package testproc starts child processes for tests that need a process
// of their own (signals, exits): the test binary run again in a mode an
// environment variable selects, which says on stdout when it is ready.
package testproc

import (
	"bufio"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// StartReady starts cmd and reads the first line of its standard output.
// Unless that line is ready (without its newline), it waits for cmd and
// fails t, with what cmd wrote to a standard error of type fmt.Stringer
// (a *strings.Builder, say). Set cmd.Stdout neither before nor after: the
// rest of the output is left unread.
func StartReady(t testing.TB, cmd *exec.Cmd, ready string) {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line == ready+"\n" {
		return
	}
	cmd.Wait()
	msg := fmt.Sprintf("child %s: first line %q, want %q (%s)", strings.Join(cmd.Args, " "), line, ready, cmd.ProcessState)
	if s, ok := cmd.Stderr.(fmt.Stringer); ok && s.String() != "" {
		msg += ": " + s.String()
	}
	t.Fatal(msg)
}
