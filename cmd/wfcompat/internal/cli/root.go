package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
)

// Exit statuses.
const (
	ExitOK     = 0 // success; no gating mode unsafe
	ExitUnsafe = 1 // a gating check failed
	ExitError  = 2 // usage error, unreadable or malformed input
)

// ExitError carries an exit status out of a command. A nil Err with a
// non-zero Code means the command already printed what it had to say.
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *exitError) Unwrap() error { return e.Err }

// inputError marks err as an input or usage error (exit 2).
func inputError(err error) error { return &exitError{Code: ExitError, Err: err} }

// silentExit ends the command with code after it has printed its output.
func silentExit(code int) error { return &exitError{Code: code} }

// NewRootCmd builds the wfcompat command tree over io.
func NewRootCmd(io *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "wfcompat",
		Short: "Check that a new Wasm build can safely take over from the old one",
		Long: `wfcompat checks, before deploy, whether a new build of a long-running
WebAssembly worker (a Golem component, a durable workflow, an Internet Computer
canister) can safely take over from the running one, and in which upgrade mode.

Inputs are core modules, components, WIT files or directories.

Exit status: 0 success (no gating mode unsafe), 1 a gating check failed,
2 usage error or unreadable/malformed input.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionLine(),
	}
	root.SetVersionTemplate("wfcompat {{.Version}}\n")
	root.PersistentFlags().Int64Var(&io.MaxInputSize, "max-input-size", analyze.DefaultMaxInputSize,
		"refuse input files larger than this many bytes (inputs must be regular files)")
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.AddCommand(
		NewCmdInspect(io, nil),
		NewCmdDiff(io, nil),
		NewCmdRules(io, nil),
		NewCmdPin(io, nil),
		NewCmdManifest(io, nil),
		NewCmdAssert(io, nil, nil),
		NewCmdRun(io, nil),
		NewCmdVersion(io, nil),
	)
	return root
}

// Main runs wfcompat with args and returns the exit status. Errors are
// printed as one line: "wfcompat: FILE: offset 0x1a2: ...".
func Main(args []string, io *IO) int {
	root := NewRootCmd(io)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	code := ExitError // cobra's own errors (unknown flag, bad args) are usage errors
	if errors.As(err, &ee) {
		code = ee.Code
		if ee.Err == nil {
			return code
		}
	}
	fmt.Fprintf(io.Err, "wfcompat: %s\n", oneLine(err.Error()))
	return code
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
