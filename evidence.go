package wfcompat

import (
	"context"
	"errors"
	"fmt"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/runner/upgrade"
)

// EvidenceOptions configure RunEvidence.
type EvidenceOptions struct {
	// Runner configures the instances (host options the logs were
	// recorded with, limits, compilation cache).
	Runner runner.Options
	// Strict compares durable import arguments in replays.
	Strict bool
}

// RunEvidence runs the event logs at paths, recorded by workers of old, to
// prove the modes that only running proves: each log is replayed on nw
// (replay), its final state is saved by old and loaded by nw (snapshot,
// when either build has the snapshot exports), and its invocations are
// rerun on fresh instances of nw (restart). compat.Diff turns the result
// into verdicts (compat.Options.Evidence). An unreadable log is an error.
func RunEvidence(ctx context.Context, old, nw *analyze.Artifact, paths []string, opts EvidenceOptions) (*compat.Evidence, error) {
	if !runnable(nw) {
		return nil, &UsageError{fmt.Errorf("%s: event logs run on binaries; the new build is a %s", nw.Path, kindOf(nw))}
	}
	ev := &compat.Evidence{Replay: &compat.ModeEvidence{}, Restart: &compat.ModeEvidence{}}
	if exportsSnapshot(old) || exportsSnapshot(nw) {
		ev.Snapshot = &compat.ModeEvidence{}
	}
	eng, err := runner.NewEngine(opts.Runner.CacheDir)
	if err != nil {
		return nil, err
	}
	defer eng.Close(ctx)
	uo := upgrade.Options{Runner: opts.Runner, Engine: eng, Strict: opts.Strict}
	for _, p := range paths {
		l, err := replay.ReadLog(p)
		if err != nil {
			return nil, err
		}
		ev.Replay.Logs++
		rr, err := replay.Replay(ctx, nw, l, replay.Options{Runner: opts.Runner, Engine: eng, Strict: opts.Strict})
		record(ev.Replay, p, err, func() (bool, string) {
			if rr.Divergence != nil {
				return false, rr.Divergence.Error()
			}
			return true, ""
		})
		for _, m := range []struct {
			me   *compat.ModeEvidence
			mode upgrade.Mode
		}{{ev.Snapshot, upgrade.Snapshot}, {ev.Restart, upgrade.Restart}} {
			if m.me == nil {
				continue
			}
			m.me.Logs++
			if !runnable(old) {
				m.me.Errors = append(m.me.Errors, fmt.Sprintf("%s: the old build %s is a %s; %s needs the binary", p, old.Path, kindOf(old), m.mode))
				continue
			}
			res, err := upgrade.Upgrade(ctx, old, nw, l, m.mode, uo)
			record(m.me, p, err, func() (bool, string) {
				if res.Status == upgrade.Reverted {
					return false, fmt.Sprintf("%s: %s: %s", p, res.Reason, res.Message)
				}
				return true, ""
			})
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

func record(me *compat.ModeEvidence, path string, err error, outcome func() (bool, string)) {
	if err != nil {
		var le *eventlog.Error
		if !errors.As(err, &le) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		me.Errors = append(me.Errors, oneLine(err.Error()))
		return
	}
	ok, why := outcome()
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
