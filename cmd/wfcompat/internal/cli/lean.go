//go:build lean

package cli

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
	"github.com/wfcompat/wfcompat/internal/helperpath"
)

// A lean build (-tags lean), the wfcompat that releases ship, links
// neither the runner nor wazero: their package initialization and page
// faults would cost every process's start-up (about 0.35 ms of a diff of
// two WIT directories that takes 3 ms), and most runs (diff, inspect,
// pin, manifest, rules, assert) never run Wasm. The commands that do
// (run, replay, upgrade, and diff with event logs) it hands, whole, to
// the complete build, wfcompat-full, shipped beside it: on Unix by
// exec(2), so that the process, its PID, its standard streams and the
// signals sent to it stay; elsewhere as a child process whose exit
// status it returns (exec_unix.go, exec_other.go).

// leanBuild is true: this is the lean build.
const leanBuild = true

// handOverAnnotation marks the commands that hand their runs over.
const handOverAnnotation = "wfcompat-full"

func runCommand(io *IO) *cobra.Command     { return handOverCmd(io, runUse, runShort) }
func replayCommand(io *IO) *cobra.Command  { return handOverCmd(io, replayUse, replayShort) }
func upgradeCommand(io *IO) *cobra.Command { return handOverCmd(io, upgradeUse, upgradeShort) }

// handOverCmd is a command of this build that hands its runs to
// wfcompat-full: the same name and one-line help as the complete build's
// (`wfcompat --help` lists it alike); its flags, its help and its errors
// are wfcompat-full's.
func handOverCmd(io *IO, use, short string) *cobra.Command {
	return &cobra.Command{
		Use:                use,
		Short:              short,
		Annotations:        map[string]string{handOverAnnotation: "true"},
		DisableFlagParsing: true,
		// Not the root's checks: the flags before the command, the WIT
		// features and readers are wfcompat-full's to read.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return io.handOver(cmd.Name())
		},
	}
}

// checkHandedOver returns nil: a lean build started by a hand-over
// refuses to hand over again (handOver).
func checkHandedOver(*IO) error { return nil }

// handOverFor returns the hand-over of a run whose arguments name a
// command that runs Wasm (after the root's flags, if any): the command
// itself, `help COMMAND`, or the shell completion of its arguments
// (cobra's hidden __complete commands). Main calls it before cobra runs
// anything: nothing has been read or written. It returns nil for the
// other runs.
func handOverFor(io *IO, root *cobra.Command, args []string) func() error {
	find := args
	if len(args) > 0 && slices.Contains([]string{"help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd}, args[0]) {
		find = args[1:]
	}
	cmd, _, err := root.Find(find)
	if err != nil || cmd == root || cmd.Annotations[handOverAnnotation] == "" {
		return nil
	}
	return func() error { return io.handOver(cmd.Name()) }
}

// handOver runs wfcompat-full with the command line's arguments (io.args)
// and the process's environment, for command (its name, for the errors).
// On Unix it returns only on failure; elsewhere, once wfcompat-full has
// exited, with its exit status (an exitError, 0 included: the run is
// over).
func (io *IO) handOver(command string) error {
	if by := io.getenv(handedOverEnv); by != "" {
		self, _ := os.Executable()
		return inputError(fmt.Errorf("%s: %s, run as %s by %s, is a lean build too, which runs no WebAssembly: install the complete build as %s (%s may name it)",
			command, cmp.Or(self, "this wfcompat"), fullName, by, fullName, fullEnv))
	}
	path, err := helperpath.Find(fullName, helperpath.Explicit{Path: io.getenv(fullEnv), From: fullEnv})
	if err != nil {
		var nf *helperpath.NotFoundError
		if errors.As(err, &nf) {
			return inputError(fmt.Errorf("%s runs WebAssembly, which this lean build of wfcompat hands to %s, not found (not %s): "+
				"install %s from the release archive beside wfcompat, or go install %s/cmd/wfcompat@%s (its default build is complete); %s may name it",
				command, fullName, nf.Where(), fullName, buildinfo.ModulePath, buildinfo.Read().InstallVersion(), fullEnv))
		}
		return inputError(fmt.Errorf("%s runs WebAssembly, which this lean build of wfcompat hands to %s: %w", command, fullName, err))
	}
	self, err := os.Executable()
	if err != nil {
		self = "wfcompat"
	}
	// argv[0] as this process was given it: wfcompat-full's messages and
	// a process list still say wfcompat.
	argv0 := "wfcompat"
	if len(os.Args) > 0 {
		argv0 = os.Args[0]
	}
	argv := append([]string{argv0}, io.args...)
	env := append(os.Environ(), handedOverEnv+"="+self, handedOverBuildEnv+"="+buildIdentity(buildinfo.Read()))
	run := io.execFull
	if run == nil {
		run = execFull
	}
	if err := run(io, path, argv, env); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return inputError(fmt.Errorf("%s: run %s %s: %w", command, fullName, path, err))
	}
	// wfcompat-full ran the command, and exited 0: this run is over (the
	// caller must not go on with it).
	return silentExit(ExitOK)
}
