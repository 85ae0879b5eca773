package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/assertformat"
	"github.com/wfcompat/wfcompat/compat/vercel"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// AssertOptions are the inputs of `wfcompat assert input` and
// `wfcompat assert event-log`.
type AssertOptions struct {
	IO *IO
	// Against is the new build (artifact, wfcompat manifest or Vercel
	// Workflow manifest); Old optionally the old one, to type recorded values.
	Against, Old    string
	World, OldWorld string
	Function, Args  string
	Runs            []string
	Logs            []string
	// Format is the format of standard output (text when empty); JSON
	// (--json) is the same as Format json. Outputs are --output
	// FORMAT=FILE.
	Format  string
	Outputs []string
	JSON    bool
	// progressEvery throttles the progress bar (tests set it to 0).
	progressEvery time.Duration
}

// NewCmdAssert builds `wfcompat assert` with its input and event-log
// subcommands. runInput and runLog replace the commands' logic in tests;
// nil runs the real ones.
func NewCmdAssert(io *IO, runInput, runLog func(*AssertOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assert",
		Short: "Check recorded run inputs and event logs against a new build",
		Long: `Assert checks data a durable platform keeps — each run's inputs and event
log — against the build that is to take over, without the old binary: the
assertInputCompatibility and assertEventLogCompatibility helpers of the Vercel
Workflow versioning RFC, for Wasm workers and for Vercel Workflow DevKit
deployments.

NEW (--against) and OLD (--old) are each a component, a core module, a WIT
file or directory, a wfcompat manifest (wfcompat manifest), or a Vercel
Workflow DevKit build manifest.

Output: --format sets the format of standard output (text, json, sarif,
github, junit, markdown; the formats of wfcompat diff), and --output
FORMAT=FILE, repeatable, writes more formats in the same run, each file
through a temporary file and a rename. json is the wfcompat.assert/v1
document (docs/assert.schema.json); sarif suits GitHub code scanning,
github writes workflow annotations at the log lines, junit a test case per
input or log, markdown a pull-request comment or step summary.

Exit status: 0 when everything checked carries over, 1 when something does
not, 2 on a usage error or unreadable input.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCmdAssertInput(io, runInput), newCmdAssertLog(io, runLog))
	return cmd
}

func assertFlags(cmd *cobra.Command, opts *AssertOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.Against, "against", "", "the new build: artifact, wfcompat manifest or Vercel Workflow manifest (required)")
	f.StringVar(&opts.Old, "old", "", "the old build or its manifest, whose signatures type the recorded values")
	f.StringVar(&opts.World, "world", "", "world to select in a WIT input NEW")
	f.StringVar(&opts.OldWorld, "old-world", "", "world to select in a WIT input OLD")
	f.StringVar(&opts.Format, "format", "", "output format on stdout: "+strings.Join(assertformat.Formats(), ", ")+" (default text)")
	stringArrayVar(f, &opts.Outputs, "output", "also write the report in another format to a file (repeatable): `FORMAT=FILE`, e.g. sarif=assert.sarif")
	f.BoolVar(&opts.JSON, "json", false, "print the "+compat.AssertSchema+" JSON document (same as --format json; see docs/eventlog.md)")
	_ = cmd.MarkFlagRequired("against")
}

func newCmdAssertInput(io *IO, runF func(*AssertOptions) error) *cobra.Command {
	opts := &AssertOptions{IO: io, progressEvery: 100 * time.Millisecond}
	cmd := &cobra.Command{
		Use:   "input --against NEW [--old OLD] (--function F --args '(...)' | --runs FILE...)",
		Short: "Tell whether the new build accepts recorded run inputs",
		Long: `Input checks, for each recorded input — an exported function and its WAVE
arguments — whether NEW accepts it: the function exists in NEW, and the
arguments, read against the old signature and converted, give a value for
each new parameter. It prints a verdict per input and the converted value.

The old signature comes from --old, else from the world in the event log's
header; without either the arguments are read directly against the new
signature. Inputs come from --function and --args, or from --runs FILE: the
invoke events of a wfcompat event log (docs/eventlog.md), or, when NEW is a
Vercel Workflow manifest, the run_created events of a DevKit event list
(whose workflows must exist in NEW; their manifests carry no types, so
argument shapes are not checked).`,
		Example: `  wfcompat assert input --against new.wasm --old old.manifest.json \
      --function 'golem:component/api#f1' --args '(1000)'
  wfcompat assert input --against new.manifest.json --runs worker-7.jsonl
  wfcompat assert input --against .well-known/workflow/v1/manifest.json --runs run.events.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runAssertInput(opts)
		},
	}
	assertFlags(cmd, opts)
	f := cmd.Flags()
	f.StringVar(&opts.Function, "function", "", "qualified name of the invoked export, e.g. golem:component/api#f1 (a workflow id for Vercel)")
	f.StringVar(&opts.Args, "args", "", "its WAVE arguments, e.g. '(1000, \"x\")'")
	stringArrayVar(f, &opts.Runs, "runs", "an event log (or Vercel event list) whose recorded inputs to check (repeatable)")
	return cmd
}

func newCmdAssertLog(io *IO, runF func(*AssertOptions) error) *cobra.Command {
	opts := &AssertOptions{IO: io, progressEvery: 100 * time.Millisecond}
	cmd := &cobra.Command{
		Use:   "event-log --against NEW [--old OLD] LOG...",
		Short: "Tell whether recorded event logs fit the new build",
		Long: `Event-log checks each LOG statically against NEW: every invoked export and
every import called resolves in NEW, recorded arguments convert to the new
parameter types, recorded import results convert to the new result types,
and recorded export results have the same value types in NEW (a replay
compares them; type names aside). It reports the first incompatible line of each log with the reason,
then a summary by reason. On a terminal, a progress bar runs on stderr.

A LOG is a wfcompat event log (docs/eventlog.md) or, when NEW is a Vercel
Workflow manifest, DevKit runs: 'wf inspect events --json' lists, the local
world's .workflow-data folder or a run's files in it, and 'wf inspect runs
--json' for statuses. Each run in flight must replay on NEW as the DevKit's
runtime replays it (its workflow, the order of its recorded calls, the classes
of its recorded values); finished runs are listed and never fail. Every
problem of a run is reported (docs/vercel.md).`,
		Example: `  wfcompat assert event-log --against new.wasm logs/*.jsonl
  wfcompat assert event-log --against new.wasm --old old.manifest.json worker-7.jsonl
  wfcompat assert event-log --against manifest.json runs/*.events.json
  wfcompat assert event-log --against .well-known/workflow/v1/manifest.json .workflow-data`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Logs = args
			if runF != nil {
				return runF(opts)
			}
			return runAssertLog(opts)
		},
	}
	assertFlags(cmd, opts)
	return cmd
}

// openSides opens --against and --old.
func openSides(opts *AssertOptions) (new, old *side, err error) {
	if opts.Against == "-" && opts.Old == "-" {
		return nil, nil, inputError(errStdinTwice)
	}
	new, err = openSide(opts.IO, opts.Against, opts.World)
	if err != nil {
		return nil, nil, inputError(err)
	}
	if opts.Old != "" {
		old, err = openSide(opts.IO, opts.Old, opts.OldWorld)
		if err != nil {
			return nil, nil, inputError(err)
		}
		if (old.Vercel != nil) != (new.Vercel != nil) {
			return nil, nil, inputError(fmt.Errorf("--old %s and --against %s are not the same kind of build (one is a Vercel Workflow manifest)", opts.Old, opts.Against))
		}
	}
	if old != nil {
		opts.IO.warnUnknownWITFeatures(new.opened, old.opened)
	} else {
		opts.IO.warnUnknownWITFeatures(new.opened)
	}
	return new, old, nil
}

// The assert documents live in the library (wfcompat.InputReport,
// wfcompat.LogReport).
type (
	AssertSummary = wfcompat.AssertSummary
	InputReport   = wfcompat.InputReport
	LogReport     = wfcompat.LogReport
)

func runAssertInput(opts *AssertOptions) error {
	start := time.Now()
	format, outs, err := parseAssertOutputs(opts, append([]string{opts.Against, opts.Old}, opts.Runs...))
	if err != nil {
		return inputError(err)
	}
	switch {
	case opts.Function == "" && opts.Args == "" && len(opts.Runs) == 0:
		return inputError(errors.New("give the input to check: --function and --args, or --runs FILE"))
	case (opts.Function != "" || opts.Args != "") && len(opts.Runs) > 0:
		return inputError(errors.New("--function/--args and --runs exclude each other"))
	case len(opts.Runs) == 0 && (opts.Function == "" || opts.Args == ""):
		return inputError(errors.New("--function and --args go together"))
	}
	nw, old, err := openSides(opts)
	if err != nil {
		return err
	}
	// Malformed arguments (WAVE for Wasm builds, JSON for Vercel
	// workflows) are a usage error; well-formed arguments that do not fit
	// the signature are a failed check.
	switch {
	case opts.Args == "":
	case nw.Vercel != nil:
		if !json.Valid([]byte(opts.Args)) {
			return inputError(errors.New("--args: not valid JSON (a Vercel Workflow function takes a JSON array of arguments)"))
		}
	default:
		if err := value.CheckArgsSyntax(opts.Args); err != nil {
			return inputError(fmt.Errorf("--args: %w", err))
		}
	}
	rep := &InputReport{Schema: compat.AssertSchema, Command: "input", Against: nw.artifact(), Inputs: []compat.InputResult{}, Summary: AssertSummary{ByReason: map[string]int{}}}
	if old != nil {
		a := old.artifact()
		rep.Old = &a
	}
	var oldWorld *wit.World
	if old != nil {
		oldWorld = old.World
	}
	addNotes := func(notes []string) {
		for _, n := range notes {
			if !contains(rep.Notes, n) {
				rep.Notes = append(rep.Notes, n)
			}
		}
	}
	if len(opts.Runs) == 0 {
		in := compat.Input{Source: "--args", Function: opts.Function, Args: opts.Args}
		var r compat.InputResult
		if nw.Vercel != nil {
			r = vercel.AssertInput(in, nw.Vercel)
		} else {
			r = compat.AssertInput(in, oldWorld, nw.World)
			if oldWorld == nil {
				addNotes([]string{"no --old given: the arguments were read directly against the new signature"})
			}
		}
		rep.Inputs = append(rep.Inputs, r)
	}
	for _, path := range opts.Runs {
		if nw.Vercel != nil {
			runs, errs := vercel.LoadRunsMax([]string{path}, opts.IO.MaxInputSize)
			if len(errs) > 0 {
				return inputError(errs[0])
			}
			rep.Inputs = append(rep.Inputs, vercel.AssertRunInputs(runs, nw.Vercel)...)
			continue
		}
		results, notes, err := withLog(path, func(r *eventlog.Reader) ([]compat.InputResult, []string, error) {
			return compat.LogInputs(r, logOptions(nw, old))
		})
		if err != nil {
			return inputError(err)
		}
		rep.Inputs = append(rep.Inputs, results...)
		addNotes(notes)
	}
	for _, r := range rep.Inputs {
		rep.Summary.Add(r.OK, r.Reason)
		addNotes(r.Notes)
	}
	if err := writeAssertOutputs(opts, format, outs, rep, start); err != nil {
		return err
	}
	if rep.Summary.Failed > 0 {
		return silentExit(ExitUnsafe)
	}
	return nil
}

// logOptions says what a log is checked against: NEW, and OLD with its
// digest when it has one a log header could name (not a WIT file).
func logOptions(nw, old *side) compat.LogOptions {
	o := compat.LogOptions{New: nw.World, NewSHA256: nw.SHA256}
	if old != nil {
		o.Old = old.World
		if old.Kind != string(analyze.KindWIT) {
			o.OldSHA256 = old.SHA256
		}
	}
	return o
}

// withLog opens the event log at path and hands a Reader of it to f,
// telling a Vercel event list given in its place by its first byte.
func withLog[T any](path string, f func(*eventlog.Reader) (T, []string, error)) (T, []string, error) {
	var zero T
	file, err := analyze.OpenRegular(path)
	if err != nil {
		return zero, nil, &eventlog.Error{File: path, Err: err}
	}
	defer file.Close()
	br := bufio.NewReaderSize(file, 64<<10)
	if first, _ := br.Peek(1); len(first) == 1 && first[0] == '[' {
		return zero, nil, &eventlog.Error{File: path, Line: 1, Col: 1, Err: errors.New("this looks like a Vercel Workflow event list, which is checked against a Vercel Workflow manifest, not a Wasm build")}
	}
	return f(eventlog.NewReader(br, path))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func runAssertLog(opts *AssertOptions) error {
	start := time.Now()
	format, outs, err := parseAssertOutputs(opts, append([]string{opts.Against, opts.Old}, opts.Logs...))
	if err != nil {
		return inputError(err)
	}
	nw, old, err := openSides(opts)
	if err != nil {
		return err
	}
	rep := &LogReport{Schema: compat.AssertSchema, Command: "event-log", Against: nw.artifact(), Logs: []*compat.LogResult{}, Summary: AssertSummary{ByReason: map[string]int{}}}
	if old != nil {
		a := old.artifact()
		rep.Old = &a
	}
	bar := newProgress(opts.IO, len(opts.Logs), opts.progressEvery)
	if nw.Vercel != nil {
		var oldV *vercel.Manifest
		if old != nil {
			oldV = old.Vercel
		}
		vercelLogs(opts, nw.Vercel, oldV, rep)
		opts.Logs = nil
	}
	for i, path := range opts.Logs {
		res, _, err := withLog(path, func(r *eventlog.Reader) (*compat.LogResult, []string, error) {
			res, err := compat.AssertEventLog(r, logOptions(nw, old))
			return res, nil, err
		})
		if err != nil {
			// Keep going: one unreadable log must not hide the verdicts
			// on the others. The exit status says 2 at the end.
			msg := oneLine(err.Error())
			rep.Errors = append(rep.Errors, msg)
			rep.Summary.Total++
			rep.Summary.Unreadable++
			bar.printf("wfcompat: %s\n", msg)
		} else {
			rep.Logs = append(rep.Logs, res)
			rep.Summary.Add(res.OK, res.Reason)
		}
		bar.update(i + 1)
	}
	bar.clear()
	if err := writeAssertOutputs(opts, format, outs, rep, start); err != nil {
		return err
	}
	switch {
	case rep.Summary.Unreadable > 0:
		return silentExit(ExitError)
	case rep.Summary.Failed > 0:
		return silentExit(ExitUnsafe)
	}
	return nil
}

// progress draws a progress bar on stderr when it is a terminal and there
// is more than one log — one line, "logs [=====>-----] (12/40)", redrawn
// in place at most every so often (at every update when that is 0), with
// a line printed meanwhile above it, and erased when done.
//
// It is drawn here, not by a progress-bar library: the libraries tried
// cost every wfcompat process their package initialization (mpb: a
// regular expression compiled by stripansi and go-runewidth's tables,
// 0.15–0.3 ms, a tenth of a whole diff of two WIT directories;
// schollz/progressbar linked net/http), for a line only assert and replay
// draw, on a terminal. A carriage return and spaces draw and erase it: no
// escape sequences, so any console shows it.
type progress struct {
	io    *IO
	on    bool
	total int
	done  int
	every time.Duration
	last  time.Time
	// shown is the width of the line on the terminal (0: none).
	shown int
}

// progressWidth is the bar's width, brackets included.
const progressWidth = 30

func newProgress(io *IO, total int, every time.Duration) *progress {
	return &progress{io: io, on: io.ErrTTY && total > 1, total: total, every: every}
}

func (p *progress) update(done int) {
	if !p.on {
		return
	}
	p.done = done
	if now := time.Now(); p.shown == 0 || now.Sub(p.last) >= p.every {
		p.last = now
		p.draw()
	}
}

// line is the bar at p.done of p.total.
func (p *progress) line() string {
	inner := progressWidth - 2
	filled := inner * min(max(p.done, 0), p.total) / p.total
	var b strings.Builder
	b.WriteString("logs [")
	for k := 0; k < inner; k++ {
		switch {
		case k < filled-1 || k == filled-1 && filled == inner:
			b.WriteByte('=')
		case k == filled-1:
			b.WriteByte('>')
		default:
			b.WriteByte('-')
		}
	}
	fmt.Fprintf(&b, "] (%d/%d)", p.done, p.total)
	return b.String()
}

// draw writes the bar over the one shown, at the start of the line.
func (p *progress) draw() {
	l := p.line()
	pad := max(p.shown-len(l), 0)
	fmt.Fprintf(p.io.Err, "\r%s%s", l, strings.Repeat(" ", pad))
	p.shown = len(l) + pad
}

// erase blanks the bar's line and leaves the cursor at its start.
func (p *progress) erase() {
	if p.shown > 0 {
		fmt.Fprintf(p.io.Err, "\r%s\r", strings.Repeat(" ", p.shown))
		p.shown = 0
	}
}

// printf writes a line on stderr, above the bar when it is on.
func (p *progress) printf(format string, args ...any) {
	p.erase()
	fmt.Fprintf(p.io.Err, format, args...)
	if p.on && p.done > 0 {
		p.draw()
	}
}

// clear erases the bar, finished or not (an error may end the logs
// early); later lines go straight to stderr.
func (p *progress) clear() {
	p.erase()
	p.on = false
}
