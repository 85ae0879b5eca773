//go:build !lean

package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/wit/value"
)

// newCmdRunResume is `wfcompat run` with --resume LOG: the worker's state is
// rebuilt by replaying LOG on the artifact (as Golem recovers a worker),
// then the invocations run live and --log writes LOG's events followed by
// theirs.
func newCmdRunResume(io *IO) *cobra.Command {
	var resume string
	cmd := NewCmdRun(io, func(o *RunOptions) error {
		if resume == "" {
			return runRun(o)
		}
		return runResume(o, resume)
	})
	cmd.Flags().StringVar(&resume, "resume", "", "continue the worker of event log `LOG`: replay it to rebuild the state, then run the invocations (with --log, the continued log)")
	return cmd
}

func runResume(opts *RunOptions, logPath string) error {
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
	a, err := analyze.Open(opts.Path, opts.IO.openOptions(analyze.Options{}))
	if err != nil {
		return inputError(err)
	}
	l, err := replay.ReadLog(logPath)
	if err != nil {
		return inputError(err)
	}
	if sha, vid := replay.Current(l); sha != a.SHA256 {
		return inputError(fmt.Errorf("%s: the worker runs %s (sha256 %s), not %s; move it with wfcompat upgrade first", logPath, vid, sha, opts.Path))
	}
	todo, err := parseInvocations(a.World, calls)
	if err != nil {
		return inputError(err)
	}
	// What the guest prints while the log is replayed was printed when it
	// was recorded: discarded, as Golem does not repeat log output on replay.
	var stdout, stderr bytes.Buffer
	gout, gerr := &gated{w: opts.IO.Err}, &gated{w: opts.IO.Err}
	if opts.JSON {
		gout.w, gerr.w = &stdout, &stderr
	}
	ro.Stdout, ro.Stderr = gout, gerr
	doc := runJSON{Schema: RunSchema, Artifact: runArtifact{Path: opts.Path, Kind: string(a.Kind), SHA256: a.SHA256}, Log: opts.Log, Invocations: []runInvocation{}}
	say := func(format string, args ...any) {
		if !opts.JSON {
			fmt.Fprintf(opts.IO.Out, format, args...)
		}
	}
	ctx := context.Background()
	rr, err := replay.Replay(ctx, a, l, replay.Options{Runner: ro, Keep: true})
	if err != nil {
		return inputError(err)
	}
	if rr.Divergence != nil {
		return inputError(fmt.Errorf("%s does not replay on %s: %w", logPath, opts.Path, rr.Divergence))
	}
	inst := rr.Instance
	defer inst.Close(ctx)
	gout.on, gerr.on = true, true
	if !opts.JSON {
		fmt.Fprintf(opts.IO.Err, "resumed %s: %d invocations replayed\n", logPath, rr.Invocations)
	}
	var out []*eventlog.Event
	code := ExitOK
	for _, c := range todo {
		if c.drop != nil {
			name := c.src[:strings.IndexByte(c.src, '(')]
			inv := runInvocation{Function: name, Params: fmt.Sprintf("(%d)", *c.drop)}
			if err := inst.Drop(ctx, *c.drop); err != nil {
				inv.Trap = err.Error()
				say("%s(%d) -> trap: %s\n", name, *c.drop, oneLine(err.Error()))
				code = ExitUnsafe
			} else {
				ok := ""
				inv.Result = &ok
				say("%s(%d) -> ok\n", name, *c.drop)
			}
			doc.Invocations = append(doc.Invocations, inv)
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
		e := &eventlog.Event{Type: eventlog.TypeInvoke, Function: o.Function, Params: params}
		inv := runInvocation{Function: o.Function, Params: params, Imports: len(o.Imports)}
		if o.Trap != nil {
			e.Trap = o.Trap.Error()
			inv.Trap = e.Trap
			code = ExitUnsafe
			say("%s%s -> trap: %s\n", o.Function, params, oneLine(e.Trap))
		} else {
			r, err := o.ResultWAVE()
			if err != nil {
				return inputError(err)
			}
			e.Result = eventlog.Returned(r)
			inv.Result = e.Result
			if opts.FailOnErr && o.IsErr() {
				code = ExitUnsafe
			}
			if r == "" {
				r = "ok"
			}
			say("%s%s -> %s\n", o.Function, params, r)
		}
		doc.Invocations = append(doc.Invocations, inv)
		out = append(out, e)
		for k := range o.Imports {
			out = append(out, &o.Imports[k])
		}
	}
	if opts.Log != "" {
		var b bytes.Buffer
		w, err := eventlog.NewWriter(&b, *l.Header)
		if err != nil {
			return inputError(err)
		}
		for _, e := range append(l.Events, out...) {
			if err := w.Write(e); err != nil {
				return inputError(err)
			}
		}
		if err := opts.IO.writeOutputs(outputFile{label: "--log " + opts.Log, path: opts.Log, data: b.Bytes()}); err != nil {
			return inputError(err)
		}
	}
	if opts.JSON {
		doc.Stdout, doc.Stderr = stdout.String(), stderr.String()
		var b bytes.Buffer
		if err := writeJSON(&b, doc); err != nil {
			return err
		}
		if _, err := opts.IO.Out.Write(b.Bytes()); err != nil {
			return err
		}
	}
	if code != ExitOK {
		return silentExit(code)
	}
	return nil
}

// gated passes writes on to w once on, and discards them before.
type gated struct {
	w  io.Writer
	on bool
}

func (g *gated) Write(p []byte) (int, error) {
	if !g.on {
		return len(p), nil
	}
	return g.w.Write(p)
}
