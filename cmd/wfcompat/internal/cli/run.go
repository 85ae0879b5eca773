//go:build !lean

package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/rewrite"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/wasi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// RunSchema identifies the JSON output of `wfcompat run --json`.
const RunSchema = "wfcompat.run/v1"

// NewCmdRun builds `wfcompat run`. runF replaces the command's logic in
// tests; nil runs runRun.
func NewCmdRun(io *IO, runF func(*RunOptions) error) *cobra.Command {
	opts := &RunOptions{IO: io}
	cmd := &cobra.Command{
		Use:   runUse,
		Short: runShort,
		Long: `Run instantiates ARTIFACT once on the bundled runner (wazero, the canonical
ABI and a deterministic WASI 0.2 host) and runs the invocations in order on
that instance, so state carries over. Each invocation is a qualified export
name and WAVE arguments: 'golem:component/api#f1(1000)'. Each result is
printed in WAVE ("ok" for a function without result), or the trap.

--log writes a wfcompat.eventlog/v1 event log (docs/eventlog.md): the
header (sha256, version id, world), one invoke line per invocation and every
import call it made, with arguments and results.

The sandbox: no file system, no network, no host environment. The virtual
clock starts at --clock and advances only when the guest waits; random
numbers come from --seed; outgoing HTTP requests fail with
HTTP-request-denied unless --http-respond answers them locally. A component
importing anything beyond WASI (golem:api, wasi:keyvalue, RPC) is refused
with the list, unless --stub-missing makes each missing function trap when
called. Core modules (wasip1 commands and reactors) run through wazero's
WASI with the same environment, clock and seed; a command with no
--invoke runs _start.

What the guest prints goes to stderr (or into the --json document).

Exit status: 0 every invocation returned; 1 one trapped (or, with
--fail-on-err, returned err); 2 usage error, unreadable input, or an
instantiation failure.`,
		Example: `  wfcompat run update-test-v1.wasm --invoke 'golem:component/api#f1(1000)' --http-respond 200
  wfcompat run worker.wasm --invocations calls.txt --log run.jsonl
  echo 'golem:component/api#f2()' | wfcompat run worker.wasm --invocations - --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRun(opts)
		},
	}
	f := cmd.Flags()
	stringArrayVar(f, &opts.Invokes, "invoke", "an invocation `IFACE#FUNC(ARGS)` in WAVE; repeatable, run in order")
	f.StringVar(&opts.Invocations, "invocations", "", "read invocations from `FILE` (one per line, # comments; - for stdin), after the --invoke ones")
	f.StringVar(&opts.Log, "log", "", "write the event log to `FILE` (JSON Lines, wfcompat.eventlog/v1)")
	f.BoolVar(&opts.JSON, "json", false, "print a "+RunSchema+" JSON document")
	stringArrayVar(f, &opts.Env, "env", "set an environment variable the guest sees; repeatable: `K=V`")
	stringArrayVar(f, &opts.Args, "arg", "append an argument the guest sees; repeatable")
	f.StringVar(&opts.Clock, "clock", "", "start of the virtual clock, RFC 3339 (default "+wasi.DefaultClock.Format(time.RFC3339)+")")
	f.Uint64Var(&opts.Seed, "seed", 0, "seed of the guest's random numbers")
	f.StringVar(&opts.HTTPRespond, "http-respond", "", "answer every outgoing HTTP request locally: `STATUS[:BODY-FILE]`")
	f.BoolVar(&opts.StubMissing, "stub-missing", false, "instantiate even when imports are missing; each traps with its name when called")
	f.StringVar(&opts.MaxMemory, "max-memory", "256MiB", "limit of each linear memory (bytes, or with KiB, MiB, GiB)")
	f.DurationVar(&opts.Timeout, "timeout", runner.DefaultTimeout, "limit of each invocation; the instance is closed when it expires")
	f.StringVar(&opts.CacheDir, "cache-dir", "", "compilation cache directory (default: under the user cache dir; off for none)")
	f.BoolVar(&opts.FailOnErr, "fail-on-err", false, "exit 1 when an invocation returns a result err(…)")
	f.StringVar(&opts.VersionID, "version-id", "", "version id in the log header (default: the manifest's, or derived from the digest)")
	return cmd
}

type runJSON struct {
	Schema      string          `json:"schema"`
	Artifact    runArtifact     `json:"artifact"`
	Invocations []runInvocation `json:"invocations"`
	Stdout      string          `json:"stdout"`
	Stderr      string          `json:"stderr"`
	Log         string          `json:"log,omitempty"`
}

type runArtifact struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256"`
}

type runInvocation struct {
	Function string  `json:"function"`
	Params   string  `json:"params"`
	Result   *string `json:"result,omitempty"`
	Trap     string  `json:"trap,omitempty"`
	Imports  int     `json:"imports"`
}

func runRun(opts *RunOptions) error {
	ro, err := runnerOptions(opts)
	if err != nil {
		return inputError(err)
	}
	if err := opts.checkLog(); err != nil {
		return inputError(err)
	}
	calls, err := opts.calls()
	if err != nil {
		return inputError(err)
	}
	a, err := analyze.Open(opts.Path, opts.IO.openOptions(analyze.Options{Manifests: manifest.Reader{}}))
	if err != nil {
		return inputError(err)
	}
	// Every invocation is parsed before anything runs: a usage error
	// leaves no partial log.
	if len(calls) == 0 && a.Core != nil {
		if _, err := eventlog.Resolve(a.World, "_start", false); err == nil {
			calls = []invocation{{src: "_start()", where: "_start"}}
		}
	}
	if len(calls) == 0 {
		return inputError(errors.New("nothing to run: give --invoke or --invocations"))
	}
	todo, err := parseInvocations(a.World, calls)
	if err != nil {
		return inputError(err)
	}
	var stdout, stderr bytes.Buffer
	if opts.JSON {
		ro.Stdout, ro.Stderr = &stdout, &stderr
	} else {
		ro.Stdout, ro.Stderr = opts.IO.Err, opts.IO.Err
	}
	var logBuf bytes.Buffer
	if opts.Log != "" {
		ro.Log = &logBuf
	}
	ctx := context.Background()
	inst, err := runner.Instantiate(ctx, a, ro)
	if err != nil {
		return inputError(fmt.Errorf("%s: %w", opts.Path, err))
	}
	defer inst.Close(ctx)
	code := ExitOK
	out := runJSON{Schema: RunSchema, Artifact: runArtifact{Path: opts.Path, Kind: string(a.Kind), SHA256: a.SHA256}, Log: opts.Log}
	for _, c := range todo {
		if c.drop != nil {
			// Drops are not invocations: the log has no line for them (as
			// Golem's oplog records them as hints).
			inv := runInvocation{Function: c.src[:strings.IndexByte(c.src, '(')], Params: fmt.Sprintf("(%d)", *c.drop)}
			if err := inst.Drop(ctx, *c.drop); err != nil {
				if strings.HasPrefix(err.Error(), "unknown handle") {
					return inputError(fmt.Errorf("%s: %w", c.where, err))
				}
				inv.Trap = err.Error()
				code = ExitUnsafe
			} else {
				ok := ""
				inv.Result = &ok
			}
			out.Invocations = append(out.Invocations, inv)
			if !opts.JSON {
				if inv.Trap != "" {
					fmt.Fprintf(opts.IO.Out, "%s%s -> trap: %s\n", inv.Function, inv.Params, oneLine(inv.Trap))
				} else {
					fmt.Fprintf(opts.IO.Out, "%s%s -> ok\n", inv.Function, inv.Params)
				}
			}
			continue
		}
		o, err := inst.InvokeTarget(ctx, c.t, c.args)
		if err != nil {
			return inputError(fmt.Errorf("%s: %w", c.where, err))
		}
		params, err := value.FormatArgs(o.Args, o.Func.Params)
		if err != nil {
			return inputError(err)
		}
		inv := runInvocation{Function: o.Function, Params: params, Imports: len(o.Imports)}
		if o.Trap != nil {
			inv.Trap = o.Trap.Error()
			code = ExitUnsafe
		} else {
			r, err := o.ResultWAVE()
			if err != nil {
				return inputError(err)
			}
			inv.Result = &r
			if opts.FailOnErr && o.IsErr() {
				code = ExitUnsafe
			}
		}
		out.Invocations = append(out.Invocations, inv)
		if !opts.JSON {
			if inv.Trap != "" {
				fmt.Fprintf(opts.IO.Out, "%s%s -> trap: %s\n", o.Function, params, oneLine(inv.Trap))
			} else {
				r := *inv.Result
				if r == "" {
					r = "ok"
				}
				fmt.Fprintf(opts.IO.Out, "%s%s -> %s\n", o.Function, params, r)
			}
		}
	}
	if err := writeRunLog(opts, &logBuf); err != nil {
		return inputError(err)
	}
	if opts.JSON {
		out.Stdout, out.Stderr = stdout.String(), stderr.String()
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if code != ExitOK {
		return silentExit(code)
	}
	return nil
}

// parseDrop recognizes `IFACE#[resource-drop]R(H)`: dropping the handle H
// of an exported resource the runner holds.
func parseDrop(c string) (uint32, bool, error) {
	p := strings.IndexByte(c, '(')
	if p < 0 || !strings.Contains(c[:p], "[resource-drop]") {
		return 0, false, nil
	}
	arg := strings.TrimSpace(c[p:])
	if !strings.HasSuffix(arg, ")") {
		return 0, true, errors.New("want [resource-drop]R(HANDLE)")
	}
	h, err := strconv.ParseUint(strings.TrimSpace(arg[1:len(arg)-1]), 10, 32)
	if err != nil {
		return 0, true, fmt.Errorf("want [resource-drop]R(HANDLE) with a handle number: %w", err)
	}
	return uint32(h), true, nil
}

// checkLog refuses a --log that would replace ARTIFACT, the --invocations
// file or the --http-respond body (the log --resume continues may be
// replaced: see runResume).
func (opts *RunOptions) checkLog() error {
	inputs := []rewrite.NamedPath{{Role: "ARTIFACT", Path: opts.Path}, {Role: "--http-respond", Path: httpBodyFile(opts.HTTPRespond)}}
	if opts.Invocations != "-" {
		inputs = append(inputs, rewrite.NamedPath{Role: "--invocations", Path: opts.Invocations})
	}
	return checkWrite(rewrite.NamedPath{Role: "--log", Path: opts.Log}, inputs...)
}

func writeRunLog(opts *RunOptions, b *bytes.Buffer) error {
	if opts.Log == "" {
		return nil
	}
	return opts.IO.writeOutputs(outputFile{label: "--log " + opts.Log, path: opts.Log, data: b.Bytes()})
}

func runnerOptions(opts *RunOptions) (runner.Options, error) {
	ro := runner.Options{Seed: opts.Seed, StubMissing: opts.StubMissing, Timeout: opts.Timeout,
		CacheDir: opts.CacheDir, Args: opts.Args, VersionID: opts.VersionID}
	if opts.Timeout <= 0 {
		return ro, fmt.Errorf("--timeout must be positive")
	}
	for _, kv := range opts.Env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return ro, fmt.Errorf("--env %q: want K=V", kv)
		}
		ro.Env = append(ro.Env, [2]string{k, v})
	}
	if opts.Clock != "" {
		t, err := time.Parse(time.RFC3339Nano, opts.Clock)
		if err != nil {
			return ro, fmt.Errorf("--clock %q is not an RFC 3339 time", opts.Clock)
		}
		ro.Clock = t
	}
	if opts.HTTPRespond != "" {
		st, file, hasFile := strings.Cut(opts.HTTPRespond, ":")
		n, err := strconv.ParseUint(st, 10, 16)
		if err != nil || n < 100 || n > 999 {
			return ro, fmt.Errorf("--http-respond %q: want STATUS[:BODY-FILE] with a status 100-999", opts.HTTPRespond)
		}
		r := &wasi.HTTPResponse{Status: uint16(n)}
		if hasFile {
			b, err := analyze.ReadInput(file, opts.IO.MaxInputSize)
			if err != nil {
				return ro, fmt.Errorf("--http-respond: %s: %w", file, err)
			}
			r.Body = b
		}
		ro.HTTP = r
	}
	mm, err := parseSize(opts.MaxMemory)
	if err != nil {
		return ro, fmt.Errorf("--max-memory: %w", err)
	}
	ro.MaxMemory = mm
	return ro, nil
}

func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	for _, u := range []struct {
		suf string
		m   uint64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suf) {
			s, mult = strings.TrimSuffix(s, u.suf), u.m
			break
		}
	}
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%q is not a positive size", s)
	}
	if n > (4<<30)/mult {
		return 0, fmt.Errorf("%q is more than the 4 GiB a 32-bit memory can hold", s)
	}
	return n * mult, nil
}

// invocation is one call to make: its text and where it was given, for
// messages ("--invoke f(1)", or "calls.txt:3" for a line of --invocations).
type invocation struct {
	src   string
	where string
}

// maxInvocationEcho bounds how much of an --invoke a message repeats.
const maxInvocationEcho = 120

// invokeFlag labels an --invoke value for messages, clipped.
func invokeFlag(c string) string {
	if len(c) > maxInvocationEcho {
		i := maxInvocationEcho
		for i > 0 && !utf8.RuneStart(c[i]) {
			i--
		}
		c = c[:i] + "…"
	}
	return "--invoke " + c
}

// readInvocations reads the calls of --invocations FILE (or - for stdin),
// one per line, skipping blank lines and # comments. Each is labelled
// FILE:LINE; a line that is not UTF-8 text is an error naming its line
// and column.
func readInvocations(path string, stdin io.Reader) ([]invocation, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := analyze.OpenRegular(path)
		if err != nil {
			return nil, fmt.Errorf("--invocations: %s: %w", path, err)
		}
		defer f.Close()
		r = f
	}
	var out []invocation
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		b := sc.Bytes()
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if !utf8.Valid(b) {
			col := 1
			for len(b) > 0 {
				r, size := utf8.DecodeRune(b)
				if r == utf8.RuneError && size <= 1 {
					break
				}
				b, col = b[size:], col+size
			}
			return nil, fmt.Errorf("%s:%d:%d: invalid UTF-8", path, n, col)
		}
		ln := strings.TrimSpace(string(b))
		if ln == "" || strings.HasPrefix(ln, "#") {
			continue
		}
		out = append(out, invocation{src: ln, where: fmt.Sprintf("%s:%d", path, n)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, n+1, err)
	}
	return out, nil
}

// parsed is one --invoke: a call of an export, or a resource drop.
type parsed struct {
	src   string
	where string // where src was given (see invocation)
	t     *eventlog.Target
	args  []value.Value
	drop  *uint32 // IFACE#[resource-drop]R(H): drop exported-resource handle H
}

// parseInvocations parses every --invoke against w before anything runs.
func parseInvocations(w *wit.World, calls []invocation) ([]parsed, error) {
	var todo []parsed
	for _, c := range calls {
		if h, ok, err := parseDrop(c.src); ok || err != nil {
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.where, err)
			}
			todo = append(todo, parsed{src: c.src, where: c.where, drop: &h})
			continue
		}
		if !strings.Contains(c.src, "(") {
			// runner.ParseCall would repeat the whole text.
			return nil, fmt.Errorf("%s: want NAME(ARGS), such as golem:component/api#f1(1000)", c.where)
		}
		t, args, err := runner.ParseCall(w, c.src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.where, err)
		}
		todo = append(todo, parsed{src: c.src, where: c.where, t: t, args: args})
	}
	return todo, nil
}

// calls returns the --invoke calls followed by those of --invocations.
func (opts *RunOptions) calls() ([]invocation, error) {
	var calls []invocation
	for _, c := range opts.Invokes {
		calls = append(calls, invocation{src: c, where: invokeFlag(c)})
	}
	if opts.Invocations != "" {
		more, err := readInvocations(opts.Invocations, opts.IO.In)
		if err != nil {
			return nil, err
		}
		calls = append(calls, more...)
	}
	return calls, nil
}
