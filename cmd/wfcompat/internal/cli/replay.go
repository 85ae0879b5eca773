//go:build !lean

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/jsontext"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
)

// ReplayOptions are the inputs of `wfcompat replay`.
type ReplayOptions struct {
	IO     *IO
	Path   string
	Logs   []string
	Merge  []string
	Strict bool
	JSON   bool
	Jobs   int
	Shard  string
	// Host options, as `wfcompat run` takes them.
	Run RunOptions

	progressEvery time.Duration
}

// NewCmdReplay builds `wfcompat replay`. runF replaces the command's logic
// in tests; nil runs runReplay.
func NewCmdReplay(io *IO, runF func(*ReplayOptions) error) *cobra.Command {
	opts := &ReplayOptions{IO: io, progressEvery: 100 * time.Millisecond}
	cmd := &cobra.Command{
		Use:   replayUse,
		Short: replayShort,
		Long: `Replay re-executes each event log (wfcompat.eventlog/v1, as wfcompat run
--log writes it) on a fresh instance of NEW, with Golem's semantics: each
logged invocation is called with its recorded arguments; durable import
calls (clocks, random, environment, HTTP responses, platform APIs) are
served from the log and matched by name (interface#function), live ones
(stdio, streams, local resources, polling) are executed by the sandboxed
host and never compared (the table is in docs/replay.md); each export's
result is compared with the recorded one. --strict also compares the
arguments of durable calls.

For each log it prints ok, or the first divergence: the log line, the
invocation being replayed, expected and actual (a call name or a WAVE
value), and the reason: import-mismatch, extra-import, missing-import,
result-mismatch, export-missing, params-mismatch, trap, unexpected-success.
Then a summary by reason. On a terminal a progress bar runs on stderr.

Many logs: -j replays that many at once (default: the CPUs). --shard I/N
replays the I-th of N deterministic shards of the logs (give every shard the
same list), so a CI matrix splits a large log set; --json writes each
shard's report and 'wfcompat replay --merge A.json B.json ...' combines them
(it refuses reports of different builds or splits, a shard or a log given
twice, and a missing shard).

A log whose HTTP responses the replay host cannot give (another status than
--http-respond or the log's first one, response headers), that found
preopened directories or read data from stdin is refused rather than
replayed on what it never had (docs/replay.md).

Exit status: 0 every log replays; 1 one diverges; 2 usage error, an
unreadable or refused log, or a build that cannot run.`,
		Example: `  wfcompat replay update-test-v2.wasm logs/*.jsonl
  wfcompat replay --json --shard 2/8 new.wasm logs/*.jsonl > shard-2.json
  wfcompat replay --merge shard-*.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(opts.Merge) == 0 {
				if len(args) < 2 {
					return inputError(errors.New("replay takes NEW and at least one LOG (or --merge REPORT...)"))
				}
				opts.Path, opts.Logs = args[0], args[1:]
			} else if len(args) > 0 {
				opts.Merge = append(opts.Merge, args...)
			}
			if runF != nil {
				return runF(opts)
			}
			return runReplay(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Strict, "strict", false, "also compare the arguments of durable import calls")
	f.BoolVar(&opts.JSON, "json", false, "print a "+replay.Schema+" JSON report")
	f.IntVarP(&opts.Jobs, "jobs", "j", 0, "replay this many logs at once (default: the number of CPUs)")
	f.StringVar(&opts.Shard, "shard", "", "replay only shard `I/N` of the logs (sorted, every N-th from the I-th)")
	stringArrayVar(f, &opts.Merge, "merge", "merge shard reports (--json output) into one report; repeatable, or give them as arguments")
	addHostFlags(f, &opts.Run)
	return cmd
}

func hostOptions(io *IO, o *RunOptions) (runner.Options, error) {
	o.IO = io
	return runnerOptions(o)
}

func runReplay(opts *ReplayOptions) error {
	var rep *replay.Report
	var err error
	if len(opts.Merge) > 0 {
		rep, err = mergeReports(opts.Merge, opts.IO.MaxInputSize)
		if err != nil {
			return inputError(err)
		}
	} else {
		ro, err := hostOptions(opts.IO, &opts.Run)
		if err != nil {
			return inputError(err)
		}
		bo := replay.BatchOptions{Options: replay.Options{Runner: ro, Strict: opts.Strict}, Jobs: opts.Jobs}
		if opts.Shard != "" {
			if bo.Shard, err = replay.ParseShard(opts.Shard); err != nil {
				return inputError(err)
			}
		}
		if opts.Jobs < 0 {
			return inputError(errors.New("-j must be positive"))
		}
		a, err := analyze.Open(opts.Path, opts.IO.openOptions(analyze.Options{}))
		if err != nil {
			return inputError(err)
		}
		bar := newProgress(opts.IO, len(bo.Shard.Select(opts.Logs)), opts.progressEvery)
		bo.Progress = func(done, total int) { bar.update(done) }
		rep, err = replay.ReplayFiles(context.Background(), a, opts.Logs, bo)
		bar.clear()
		if err != nil {
			return inputError(fmt.Errorf("%s: %w", opts.Path, err))
		}
	}
	for _, l := range rep.Logs {
		if l.Error != "" && !opts.JSON {
			fmt.Fprintf(opts.IO.Err, "wfcompat: %s\n", l.Error)
		}
	}
	var b bytes.Buffer
	if opts.JSON {
		if err := writeJSON(&b, rep); err != nil {
			return err
		}
	} else {
		writeReplayText(&b, rep)
	}
	if _, err := opts.IO.Out.Write(b.Bytes()); err != nil {
		return err
	}
	switch {
	case rep.Summary.Errors > 0:
		return silentExit(ExitError)
	case rep.Summary.Diverged > 0:
		return silentExit(ExitUnsafe)
	}
	return nil
}

func mergeReports(paths []string, max int64) (*replay.Report, error) {
	var reps []*replay.Report
	for _, p := range paths {
		b, err := analyze.ReadInput(p, max)
		if err != nil {
			return nil, &analyze.Error{Path: p, Err: err}
		}
		r, err := readReport(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		reps = append(reps, r)
	}
	rep, err := replay.Merge(reps)
	if err != nil {
		// Name the report that does not fit: the first one whose
		// addition makes the merge fail (the reports are few). The
		// first shards of a split lack the others, which is no misfit:
		// a set that only lacks shards is named as a whole.
		var incomplete *replay.IncompleteError
		for i := range reps {
			if _, perr := replay.Merge(reps[:i+1]); perr != nil && !errors.As(perr, &incomplete) {
				return nil, fmt.Errorf("--merge %s: %w", paths[i], perr)
			}
		}
		return nil, fmt.Errorf("--merge: %w", err)
	}
	return rep, nil
}

// readReport decodes one shard report (replay --json): JSON text with no
// unknown field and nothing after it. Errors carry the byte offset (and
// line and column) of the fault.
func readReport(b []byte) (*replay.Report, error) {
	at := func(off int64, format string, args ...any) error {
		off = min(max(off, 0), int64(len(b)))
		line := bytes.Count(b[:off], []byte("\n")) + 1
		col := off - int64(bytes.LastIndexByte(b[:off], '\n')+1) + 1
		return fmt.Errorf("offset 0x%x (line %d, column %d): not a %s report: %s", off, line, col, replay.Schema, fmt.Sprintf(format, args...))
	}
	if !utf8.Valid(b) {
		return nil, at(int64(jsontext.InvalidUTF8(b)), "invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r replay.Report
	if err := dec.Decode(&r); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off := se.Offset
			if strings.HasPrefix(se.Error(), "invalid character") {
				off-- // the offset counts the offending byte
			}
			return nil, at(off, "%v", err)
		case errors.As(err, &te):
			return nil, at(jsontext.ValueStart(b, te.Offset, te.Value), "%v", err)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			return nil, at(int64(max(jsontext.KeyOffset(b, name), 0)), "%v", err)
		case errors.Is(err, io.EOF):
			return nil, at(0, "empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, at(int64(len(b)), "truncated")
		}
		return nil, at(dec.InputOffset(), "%v", err)
	}
	if rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, at(int64(len(b)-len(rest)), "data after the report")
	}
	if r.Schema != replay.Schema {
		return nil, at(0, "schema %q", r.Schema)
	}
	return &r, nil
}

func writeReplayText(w io.Writer, rep *replay.Report) {
	for _, r := range rep.Logs {
		switch {
		case r.Error != "":
			fmt.Fprintf(w, "ERROR %s\n", r.Error)
		case r.OK:
			fmt.Fprintf(w, "ok    %s  (%d %s, %d %s)\n", r.Log, r.Events, plural(r.Events, "event", "events"),
				r.Invocations, plural(r.Invocations, "invocation", "invocations"))
		default:
			d := r.Divergence
			fmt.Fprintf(w, "FAIL  %s:%d  %s in the replay of %s (line %d)\n", r.Log, d.Line, d.Reason, d.Invocation, d.InvokeLine)
			fmt.Fprintf(w, "        expected %s\n        actual   %s\n", oneLine(d.Expected), oneLine(d.Actual))
			if d.Detail != "" {
				fmt.Fprintf(w, "        %s\n", oneLine(d.Detail))
			}
		}
	}
	s := &rep.Summary
	fmt.Fprintf(w, "summary: %d %s: %d replayed, %d diverged", s.Total, plural(s.Total, "log", "logs"), s.OK, s.Diverged)
	if s.Diverged > 0 {
		keys := make([]string, 0, len(s.ByReason))
		for k := range s.ByReason {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprint(w, " (")
		for i, k := range keys {
			if i > 0 {
				fmt.Fprint(w, ", ")
			}
			fmt.Fprintf(w, "%s: %d", k, s.ByReason[k])
		}
		fmt.Fprint(w, ")")
	}
	if s.Errors > 0 {
		fmt.Fprintf(w, ", %d %s", s.Errors, plural(s.Errors, "error", "errors"))
	}
	fmt.Fprintln(w)
}
