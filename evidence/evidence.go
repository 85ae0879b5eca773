package evidence

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/fsinput"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/runner/upgrade"
)

// Options configure Run.
type Options struct {
	// Runner configures the instances (host options the logs were
	// recorded with, limits, compilation cache).
	Runner runner.Options
	// Strict compares durable import arguments in replays.
	Strict bool
}

// Prover runs event logs with its Options on the bundled runner: set it as
// wfcompat.DiffOptions.Prover for Diff to prove with the logs it is given.
type Prover struct{ Options }

// Prove runs the logs (Run).
func (p Prover) Prove(ctx context.Context, old, nw *analyze.Artifact, logs []string) (*compat.Evidence, error) {
	return Run(ctx, old, nw, logs, p.Options)
}

// Run runs the event logs at paths, recorded by workers of old, to
// prove the modes that only running proves: each log is replayed on nw
// (replay), its final state is saved by old and loaded by nw (snapshot,
// when either build has the snapshot exports), and its invocations are
// rerun on fresh instances of nw (restart). compat.Diff turns the result
// into verdicts (compat.Options.Evidence). An unreadable log is an error.
func Run(ctx context.Context, old, nw *analyze.Artifact, paths []string, opts Options) (*compat.Evidence, error) {
	if !runnable(nw) {
		return nil, &wfcompat.UsageError{Err: fmt.Errorf("%s: event logs run on binaries; the new build is a %s", nw.Path, kindOf(nw))}
	}
	// A log named twice (a path and a glob, a link) is one log: it proves once.
	paths = fsinput.Unique(paths)
	ev := &compat.Evidence{Replay: &compat.ModeEvidence{}, Restart: &compat.ModeEvidence{}}
	if exportsSnapshot(old) || exportsSnapshot(nw) {
		ev.Snapshot = &compat.ModeEvidence{}
	}
	eng, err := runner.NewEngine(opts.Runner.CacheDir)
	if err != nil {
		return nil, err
	}
	defer eng.Close(ctx)
	// Every log is read first: an unreadable log is an input error, before
	// anything runs.
	logs := make([]*eventlog.Log, len(paths))
	for k, p := range paths {
		if logs[k], err = replay.ReadLog(p); err != nil {
			return nil, err
		}
	}
	// The logs run in parallel; their outcomes are taken in path order, so
	// the first failure reported is the same on every run.
	out := make([][3]outcome, len(paths))
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < min(runtime.NumCPU(), len(paths)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				out[k] = runLog(ctx, old, nw, paths[k], logs[k], eng, opts, ev.Snapshot != nil)
			}
		}()
	}
	for k := range paths {
		work <- k
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for k := range paths {
		for m, me := range []*compat.ModeEvidence{ev.Replay, ev.Snapshot, ev.Restart} {
			if o := out[k][m]; me != nil && o.ran {
				// A log that replays or reruns cleanly without running an
				// invocation (none, or none after its last snapshot or
				// restart marker, where replay and restart start) has
				// exercised nothing but instantiation: it counts as empty,
				// not as proof. (Its snapshot run still saves and loads a
				// state.)
				me.Logs++
				record(me, paths[k], o, o.invocations == 0 && me != ev.Snapshot)
			}
		}
	}
	return ev, nil
}

// outcome is what running one log showed about one mode.
type outcome struct {
	ran  bool
	err  error // could not be run
	ok   bool
	why  string
	skip string // could not be run, and why (an error message)
	// invocations counts the logged invocations the mode ran.
	invocations int
}

// runLog runs one log for replay, snapshot (when snapshot) and restart.
func runLog(ctx context.Context, old, nw *analyze.Artifact, path string, l *eventlog.Log, eng *runner.Engine, opts Options, snapshot bool) (o [3]outcome) {
	if why := notOldsLog(old, nw, path, l); why != "" {
		for k := range o {
			o[k] = outcome{ran: true, skip: why}
		}
		return o
	}
	rr, err := replay.Replay(ctx, nw, l, replay.Options{Runner: opts.Runner, Engine: eng, Strict: opts.Strict})
	o[0] = outcome{ran: true, err: err}
	if err == nil {
		o[0].ok, o[0].invocations = rr.Divergence == nil, rr.Invocations
		if !o[0].ok {
			o[0].why = rr.Divergence.Error()
		}
	}
	uo := upgrade.Options{Runner: opts.Runner, Engine: eng, Strict: opts.Strict}
	for k, mode := range map[int]upgrade.Mode{1: upgrade.Snapshot, 2: upgrade.Restart} {
		if mode == upgrade.Snapshot && !snapshot {
			continue
		}
		o[k].ran = true
		if mode == upgrade.Snapshot && !runnable(old) {
			o[k].skip = fmt.Sprintf("%s: the old build %s is a %s; snapshot needs the binary", path, old.Path, kindOf(old))
			continue
		}
		res, err := upgrade.Upgrade(ctx, old, nw, l, mode, uo)
		o[k].err = err
		if err == nil {
			o[k].ok, o[k].invocations = res.Status == upgrade.Upgraded, res.Invocations
			if !o[k].ok {
				o[k].why = fmt.Sprintf("%s: %s: %s", path, res.Reason, res.Message)
			}
		}
	}
	return o
}

// notOldsLog says why the log at path is no evidence about moving old's
// workers to nw, "" when it is: its last events (replay.Current: the
// header's build, or the last upgrade marker's) must have been produced by
// old. A log of another build proves only that that build's workers
// could move; one produced by nw is a worker already moved. A WIT old
// build has no digest a log could name: only nw's own logs are refused.
func notOldsLog(old, nw *analyze.Artifact, path string, l *eventlog.Log) string {
	sha, vid := replay.Current(l)
	switch {
	case sha == old.SHA256:
		return ""
	case sha == nw.SHA256:
		return fmt.Sprintf("%s: the worker already runs the new build (version %s): its log proves nothing about moving the old build's workers; give logs the old build recorded", path, vid)
	case old.Kind == analyze.KindWIT:
		return ""
	}
	return fmt.Sprintf("%s: the worker runs version %s (sha256 %s), not the old build %s (sha256 %s): its log proves nothing about the old build's workers; give the build that recorded it as the old build", path, vid, sha, old.Path, old.SHA256)
}

// record adds outcome o of the log at path to me; a clean run of an empty
// log counts as empty, not as proof.
func record(me *compat.ModeEvidence, path string, o outcome, empty bool) {
	if o.skip != "" {
		me.Errors = append(me.Errors, o.skip)
		return
	}
	if err := o.err; err != nil {
		// Named once: an event-log error names its file, and so do the
		// runners' messages that start with the log's position.
		var le *eventlog.Error
		if !errors.As(err, &le) && !strings.HasPrefix(err.Error(), path+":") {
			err = fmt.Errorf("%s: %w", path, err)
		}
		me.Errors = append(me.Errors, oneLine(err.Error()))
		return
	}
	ok, why := o.ok, o.why
	if ok && empty {
		me.Empty++
		return
	}
	if ok {
		me.Proved++
		return
	}
	me.Failed++
	if me.Failure == "" {
		me.Failure = oneLine(why)
	}
}

func runnable(a *analyze.Artifact) bool {
	return a != nil && !a.FromManifest() && a.Bytes != nil && (a.Component != nil || a.Core != nil)
}

func kindOf(a *analyze.Artifact) string {
	if a.FromManifest() {
		return "manifest"
	}
	return string(a.Kind)
}

func exportsSnapshot(a *analyze.Artifact) bool {
	if a == nil || a.World == nil {
		return false
	}
	for _, f := range []string{upgrade.SaveFunction, upgrade.LoadFunction} {
		if _, err := eventlog.Resolve(a.World, f, false); err == nil {
			return true
		}
	}
	return false
}

func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' || c == '\r' || c == '\t' {
			b[i] = ' '
		}
	}
	return string(b)
}
