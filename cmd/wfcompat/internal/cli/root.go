package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/quote"
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

// commands are wfcompat's commands, by name, in the order help lists them.
var commands = []struct {
	name  string
	build func(*IO) *cobra.Command
}{
	{"inspect", func(io *IO) *cobra.Command { return NewCmdInspect(io, nil) }},
	{"diff", func(io *IO) *cobra.Command { return NewCmdDiff(io, nil) }},
	{"rules", func(io *IO) *cobra.Command { return NewCmdRules(io, nil) }},
	{"pin", func(io *IO) *cobra.Command { return NewCmdPin(io, nil) }},
	{"manifest", func(io *IO) *cobra.Command { return NewCmdManifest(io, nil) }},
	{"assert", func(io *IO) *cobra.Command { return NewCmdAssert(io, nil, nil) }},
	// The commands that run Wasm: in a lean build, each hands its run to
	// wfcompat-full (full.go, lean.go).
	{"run", runCommand},
	{"replay", replayCommand},
	{"upgrade", upgradeCommand},
	{"version", func(io *IO) *cobra.Command { return NewCmdVersion(io, nil) }},
}

// NewRootCmd builds the wfcompat command tree over io.
func NewRootCmd(io *IO) *cobra.Command {
	return newRootCmd(io, "")
}

// newRootCmd builds the root command with only the command called only,
// or with all of them when only is "" or names none. Building every
// command's flags costs a run about 0.1–0.2 ms; a run of one command
// needs only that one.
func newRootCmd(io *IO, only string) *cobra.Command {
	root := &cobra.Command{
		Use:   "wfcompat",
		Short: "Check that a new Wasm build can safely take over from the old one",
		Long: `wfcompat checks, before deploy, whether a new build of a long-running
WebAssembly worker (a Golem component, a durable workflow, an Internet Computer
canister) can safely take over from the running one, and in which upgrade mode.

Inputs are core modules, components, WIT files or directories.

Exit status: 0 success (no gating mode unsafe), 1 a gating check failed,
2 usage error or unreadable/malformed input. Files are written through a
temporary file and a rename; an interrupt (SIGINT, SIGTERM, SIGHUP) removes
the temporary files and ends wfcompat by that signal (130, 143, 129).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if io.MaxInputSize < 0 {
			return inputError(fmt.Errorf("--max-input-size %d: a size is a number of bytes, 0 or more (0: the default, %d)",
				io.MaxInputSize, analyze.DefaultMaxInputSize))
		}
		if err := io.chooseWITFeatures(cmd); err != nil {
			return err
		}
		return io.chooseWITReaders()
	}
	root.PersistentFlags().Int64Var(&io.MaxInputSize, "max-input-size", analyze.DefaultMaxInputSize,
		"refuse input files larger than this many bytes (inputs must be regular files)")
	io.addWITFeatureFlags(root)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	for _, c := range commands {
		if c.name == only {
			// Nor the root's --version flag (it reads the build
			// information) or the completion command: a run of one
			// command cannot use them.
			root.CompletionOptions.DisableDefaultCmd = true
			root.AddCommand(c.build(io))
			return root
		}
	}
	root.Version = versionLine()
	root.SetVersionTemplate("wfcompat {{.Version}}\n")
	for _, c := range commands {
		root.AddCommand(c.build(io))
	}
	return root
}

// Main runs wfcompat with args and returns the exit status. Errors are
// printed as one line: "wfcompat: FILE: offset 0x1a2: ...".
func Main(args []string, io *IO) int {
	growStack(0)
	io.args = args
	// A run names its command first (flags before it, help, completion
	// and unknown names get the whole tree).
	only := ""
	if len(args) > 0 {
		only = args[0]
	}
	if err := checkHandedOver(io); err != nil {
		return exitStatus(err, io)
	}
	root := newRootCmd(io, only)
	if handOver := handOverFor(io, root, args); handOver != nil {
		// A lean build, and a command that runs Wasm: nothing has been
		// read or written yet.
		return exitStatus(handOver(), io)
	}
	return mainWith(root, args, io)
}

// growStack gives the calling goroutine, in one step and while its stack
// is shallow, the stack a run needs: a goroutine's stack starts at 2 KB
// and doubles whenever a call needs more, and each doubling copies the
// stack and reads the stack maps of every frame on it, which in a fresh
// process means page faults in the binary's tables. A diff of two WIT
// directories took the main goroutine's stack to 16 KB and the one
// openPair starts to 8 KB, each doubling deep in the readers; with this,
// each is copied once, near empty, to 32 KB (the whole process about 2%
// faster, in 1500 interleaved runs). Its frame is large but never touched
// (n is 0): only the stack's bound moves, and memory is used as calls go
// deeper.
//
//go:noinline
func growStack(n int) byte {
	if n > 0 {
		var frame [24 << 10]byte
		frame[n%len(frame)] = byte(n)
		return frame[(n*7)%len(frame)]
	}
	return 0
}

// mainWith runs root with args; see Main.
func mainWith(root *cobra.Command, args []string, io *IO) int {
	root.SetArgs(args)
	return exitStatus(root.Execute(), io)
}

// exitStatus returns the exit status err carries (ExitOK for nil), after
// printing its message, if it has one, as one line on io.Err.
func exitStatus(err error, io *IO) int {
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
	fmt.Fprintf(io.Err, "wfcompat: %s\n", clipMessage(oneLine(err.Error())))
	return code
}

// maxMessage bounds an error line. A message that repeats its input (a
// call of --invocations that is one 9 MiB line, a name in a hostile
// binary) would otherwise flood the terminal or the CI log.
const maxMessage = 8 << 10

// clipMessage keeps the start of a message longer than maxMessage, where
// the file, offset and reason are, and its end, and says how much it left
// out.
func clipMessage(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	h, t := quote.Ends(s, maxMessage*3/4, maxMessage/4)
	return fmt.Sprintf("%s … (%d bytes left out) … %s", s[:h], t-h, s[t:])
}

// oneLine makes an error message one line. A source excerpt in the form
// the WIT reader gives (" 3 | text" under the message, then a caret line)
// becomes "(line 3: text)": the caret means nothing once lines are joined.
//
// Only the line breaks (with the indentation around them) and tabs become
// single spaces; the rest is kept byte for byte, so a quoted value keeps
// its spaces ("b  c" is not "b c": an expected and an actual value that
// differ only there must not print alike).
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\t", " ")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	if first := strings.TrimSpace(lines[0]); first != "" {
		out = append(out, first)
	}
	for _, l := range lines[1:] {
		t := strings.TrimSpace(l)
		if strings.Trim(t, "|^ ") == "" {
			continue // an empty, gutter or caret line
		}
		if num, text, ok := strings.Cut(t, " | "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
			t = "(line " + num + ": " + strings.TrimSpace(text) + ")"
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}
