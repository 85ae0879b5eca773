package upgrade

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Mode is an upgrade mode.
type Mode string

// Modes.
const (
	// Automatic replays the log on the new build (Golem's automatic update).
	Automatic Mode = "automatic"
	// Snapshot hands the old build's save-snapshot bytes to the new
	// build's load-snapshot (Golem's manual update).
	Snapshot Mode = "snapshot"
	// Restart runs the logged invocations' inputs on fresh instances.
	Restart Mode = "restart"
)

// ParseMode reads a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Automatic, Snapshot, Restart:
		return m, nil
	}
	return "", fmt.Errorf("unknown mode %q (want automatic, snapshot or restart)", s)
}

// Status is the outcome of an upgrade.
type Status string

// Statuses.
const (
	Upgraded Status = "upgraded"
	Reverted Status = "reverted"
)

// Failure classes of the snapshot mode (Golem's manual update), and of
// restart.
const (
	SaveMissing = "save-snapshot-missing" // the old build exports no save-snapshot
	SaveType    = "save-snapshot-type"    // its save is not func() -> list<u8>
	SaveTrap    = "save-snapshot-trap"    // save trapped or exited
	LoadMissing = "load-snapshot-missing" // the new build exports no load-snapshot
	LoadType    = "load-snapshot-type"    // its load is not func(list<u8>) -> result<_, string>
	LoadTrap    = "load-snapshot-trap"    // load trapped or exited
	LoadFailed  = "load-snapshot-failed"  // load returned err(msg)
)

// Names of the snapshot functions (any version).
const (
	SaveFunction = "golem:api/save-snapshot#save"
	LoadFunction = "golem:api/load-snapshot#load"
)

// Options configure an upgrade.
type Options struct {
	// Runner configures the instances (host, limits); see replay.Options.
	Runner runner.Options
	// Engine, when set, instantiates both builds.
	Engine *runner.Engine
	// Strict compares durable import arguments in replays.
	Strict bool
}

// Result is the outcome of an upgrade.
type Result struct {
	Mode   Mode   `json:"mode"`
	Status Status `json:"status"`
	// Reason is the failure class (a replay.Reason for automatic and
	// restart, a snapshot failure class) when reverted.
	Reason string `json:"reason,omitempty"`
	// Message says what happened, as Golem's FailedUpdate entry would.
	Message string `json:"message,omitempty"`
	// Divergence is the first divergence of an automatic upgrade.
	Divergence *replay.Divergence `json:"divergence,omitempty"`
	// Restart lists the invocations that failed a restart.
	Restart []RestartFailure `json:"restart_failures,omitempty"`
	// Snapshot is the saved snapshot (snapshot mode, once saved).
	Snapshot []byte `json:"-"`
	// SnapshotSize and SnapshotSHA256 describe it.
	SnapshotSize   int    `json:"snapshot_size,omitempty"`
	SnapshotSHA256 string `json:"snapshot_sha256,omitempty"`
	// Invocations counts the logged invocations the upgrade ran.
	Invocations int `json:"invocations"`

	log       *eventlog.Log
	newSHA    string
	newVID    string
	save, ld  string
	loadLine  *eventlog.Event
	loadCalls []eventlog.Event
}

// RestartFailure is one logged invocation that a restart cannot rerun.
type RestartFailure struct {
	Line     int    `json:"line"`
	Function string `json:"function"`
	Reason   string `json:"reason"`
	Message  string `json:"message"`
}

func (r *Result) revert(reason, format string, args ...any) *Result {
	r.Status, r.Reason, r.Message = Reverted, reason, fmt.Sprintf(format, args...)
	return r
}

// Upgrade moves the worker whose log is l from old to nw in mode m. The
// error is for what keeps the upgrade from being tried (a log whose last
// events another build than old produced, a build that does not run, a log
// that does not replay on old in snapshot mode).
func Upgrade(ctx context.Context, old, nw *analyze.Artifact, l *eventlog.Log, m Mode, opts Options) (*Result, error) {
	// The log must be old's worker: a log another build produced (nw's
	// own, above all, which replays on nw trivially) says nothing about
	// moving old's workers.
	if sha, vid := replay.Current(l); sha != old.SHA256 {
		return nil, &eventlog.Error{File: l.Name, Err: fmt.Errorf("the worker runs %s (sha256 %s), not the old build %s (sha256 %s): its log proves nothing about moving the old build's workers; give the build that produced the log's last events as the old build",
			vid, sha, old.Path, old.SHA256)}
	}
	if opts.Engine == nil {
		e, err := runner.NewEngine(opts.Runner.CacheDir)
		if err != nil {
			return nil, err
		}
		defer e.Close(ctx)
		opts.Engine = e
	}
	res := &Result{Mode: m, Status: Upgraded, log: l, newSHA: nw.SHA256, newVID: versionID(nw)}
	ro := replay.Options{Runner: opts.Runner, Engine: opts.Engine, Strict: opts.Strict}
	switch m {
	case Automatic:
		rr, err := replay.Replay(ctx, nw, l, ro)
		if err != nil {
			return nil, err
		}
		res.Invocations = rr.Invocations
		if d := rr.Divergence; d != nil {
			res.Divergence = d
			return res.revert(string(d.Reason), "Automatic update failed: %v", d), nil
		}
		return res, nil
	case Snapshot:
		return res.snapshot(ctx, old, nw, l, ro)
	case Restart:
		return res.restart(ctx, old, nw, l, opts)
	}
	return nil, fmt.Errorf("unknown mode %q", m)
}

func versionID(a *analyze.Artifact) string {
	if m := manifest.Of(a); m != nil && m.VersionID != "" {
		return m.VersionID
	}
	return manifest.DefaultVersionID(a.SHA256)
}

func isBytes(t *wit.Type) bool {
	return t != nil && t.Kind == wit.List && t.Elem != nil && t.Elem.Kind == wit.U8
}

func (res *Result) snapshot(ctx context.Context, old, nw *analyze.Artifact, l *eventlog.Log, ro replay.Options) (*Result, error) {
	save, err := eventlog.Resolve(old.World, SaveFunction, false)
	if err != nil {
		return res.revert(SaveMissing, "Manual update failed: %s does not export golem:api/save-snapshot", old.Path), nil
	}
	if len(save.Func.Params) != 0 || !isBytes(save.Func.Result) {
		return res.revert(SaveType, "Manual update failed: %s is %s, not func() -> list<u8>", save.Name, save.Func.WIT()), nil
	}
	load, err := eventlog.Resolve(nw.World, LoadFunction, false)
	if err != nil {
		return res.revert(LoadMissing, "Manual update failed: %s does not export golem:api/load-snapshot", nw.Path), nil
	}
	if lt := load.Func.Result; len(load.Func.Params) != 1 || !isBytes(load.Func.Params[0].Type) ||
		lt == nil || lt.Kind != wit.Result || lt.Ok != nil || lt.Err == nil || lt.Err.Kind != wit.String {
		return res.revert(LoadType, "Manual update failed: %s is %s, not func(bytes: list<u8>) -> result<_, string>", load.Name, load.Func.WIT()), nil
	}
	res.save, res.ld = save.Name, load.Name
	// Rebuild the old build's state by replaying the log on it.
	ro.Keep = true
	rr, err := replay.Replay(ctx, old, l, ro)
	if err != nil {
		return nil, err
	}
	if rr.Divergence != nil {
		return nil, fmt.Errorf("the log does not replay on the old build %s, so its state cannot be rebuilt: %w", old.Path, rr.Divergence)
	}
	res.Invocations = rr.Invocations
	oi := rr.Instance
	o, err := oi.InvokeTarget(ctx, save, nil)
	oi.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", old.Path, save.Name, err)
	}
	if o.Trap != nil {
		return res.revert(SaveTrap, "Manual update failed: %s trapped: %s", save.Name, oneLine(o.Trap.Error())), nil
	}
	b, ok := bytesOf(o.Results)
	if !ok {
		return res.revert(SaveType, "Manual update failed: %s did not return list<u8>", save.Name), nil
	}
	res.Snapshot, res.SnapshotSize = b, len(b)
	sum := sha256.Sum256(b)
	res.SnapshotSHA256 = hex.EncodeToString(sum[:])
	// A fresh instance of the new build, without replay.
	rop := ro.Runner
	ni, err := ro.Engine.Instantiate(ctx, nw, rop)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nw.Path, err)
	}
	defer ni.Close(ctx)
	arg := make([]value.Value, len(b))
	for k, x := range b {
		arg[k] = value.U8(x)
	}
	args := []value.Value{value.List(arg...)}
	lo, err := ni.InvokeTarget(ctx, load, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", nw.Path, load.Name, err)
	}
	if lo.Trap != nil {
		return res.revert(LoadTrap, "Manual update failed to load snapshot: %s trapped: %s", load.Name, oneLine(lo.Trap.Error())), nil
	}
	if lo.IsErr() {
		msg := ""
		if p, ok := lo.Results[0].Payload(); ok && p.Kind() == wit.String {
			msg = p.Text()
		}
		return res.revert(LoadFailed, "Manual update failed to load snapshot: %s", msg), nil
	}
	params, err := value.FormatArgs(args, load.Func.Params)
	if err != nil {
		return nil, err
	}
	r, err := lo.ResultWAVE()
	if err != nil {
		return nil, err
	}
	res.loadLine = &eventlog.Event{Type: eventlog.TypeInvoke, Function: load.Name, Params: params, Result: eventlog.Returned(r)}
	res.loadCalls = lo.Imports
	return res, nil
}

func bytesOf(vs []value.Value) ([]byte, bool) {
	if len(vs) != 1 || vs[0].Kind() != wit.List {
		return nil, false
	}
	es := vs[0].Elems()
	b := make([]byte, len(es))
	for k, e := range es {
		if e.Kind() != wit.U8 {
			return nil, false
		}
		b[k] = byte(e.Uint())
	}
	return b, true
}

// restart reruns each logged invocation's inputs on a fresh instance of nw
// (cancel-and-restart: the worker starts afresh from its inputs). Results
// are not compared: the new build may compute otherwise, and a fresh
// instance has none of the worker's state. Outcomes are: a rerun that
// returns where the log records a result passes, one that traps there
// fails (trap). Where the log records a trap, a trap passes only when the
// old build trapped on the same input: the log's trap is the old build's
// (recorded after the log's last upgrade marker, see Upgrade) and the old
// build, rerun the same way on a fresh instance, traps too, so that a trap
// the worker's state or world caused (an instance that had trapped before,
// a failed request) does not excuse a trap of the new build's own. Which
// trap it is does not matter (messages name core functions and differ
// between builds; the worker fails either way), but a timeout, a
// cancellation or a trap after the runner's memory limit refused a grow
// (runner.TrapKind) is no trap: the build was cut off, or stopped short by
// the sandbox, not seen to trap. An invocation the runner's host ended in
// either build (runner.TrapHost: a host function failed, a stub of
// StubMissing was called) is neither: when no invocation fails, the
// restart is not proven, an error (replay.HostStopped). A
// rerun that returns where the log records a trap fails
// (unexpected-success), unless the old build rerun the same way returns
// too (the recorded trap was the state's or the world's, not the input's);
// so does one the log records before its last upgrade marker, a trap of
// another build, where a trap of the new build fails.
// A pending invocation has no recorded outcome: it fails when it traps,
// as any invocation did before outcomes were compared.
func (res *Result) restart(ctx context.Context, old, nw *analyze.Artifact, l *eventlog.Log, opts Options) (*Result, error) {
	logWorld := old.World
	if l.Header != nil && l.Header.World != nil {
		logWorld = l.Header.World
	}
	ro := opts.Runner
	if ro.HTTP == nil {
		ro.HTTP = replay.RecordedHTTP(l) // the world the invocations met
	}
	// The old build produced the events after the last upgrade marker
	// (Upgrade checked the marker's, or the header's, digest); the
	// outcomes recorded before it are another build's.
	own, marker := 0, 0
	for k, e := range l.Events {
		if e.Type == eventlog.TypeUpgrade {
			own, marker = k+1, e.Line
		}
	}
	start := replay.Start(l)
	// hostStop is the first invocation the runner's host ended (a trap of
	// kind runner.TrapHost) in either build: it proves nothing, so the
	// restart is not proven unless another invocation fails.
	var hostStop error
	for k, e := range l.Events {
		if k < start || e.Type != eventlog.TypeInvoke {
			continue
		}
		res.Invocations++
		fail := func(reason replay.Reason, format string, args ...any) {
			res.Restart = append(res.Restart, RestartFailure{Line: e.Line, Function: e.Function, Reason: string(reason), Message: fmt.Sprintf(format, args...)})
		}
		t, err := eventlog.Resolve(nw.World, e.Function, false)
		if err != nil {
			fail(replay.ExportMissing, "%v", err)
			continue
		}
		args, err := replay.Args(e, t, logWorld)
		if err != nil {
			fail(replay.ParamsMismatch, "the recorded arguments %s do not convert: %v", e.Params, err)
			continue
		}
		o, err := rerun(ctx, opts.Engine, nw, t, args, ro)
		if err != nil {
			return nil, err
		}
		if o.Trap != nil && o.TrapKind() == runner.TrapHost {
			if hostStop == nil {
				hostStop = replay.HostStopped(fmt.Sprintf("%s:%d: %s: the new build", l.Name, e.Line, e.Function), o.Trap)
			}
			continue
		}
		switch {
		case e.Pending:
			if o.Trap != nil {
				fail(replay.Trap, "the new build traps (%s); the invocation was pending when the log ended, so the log does not say what the old build did", oneLine(o.Trap.Error()))
			}
		case e.Result != nil:
			if o.Trap != nil {
				fail(replay.Trap, "the new build traps (%s) where the old build returned %s", oneLine(o.Trap.Error()), clip(*e.Result))
			}
		case o.Trap != nil && cutOff(o.Trap):
			fail(replay.Trap, "the new build %s (%s) where the log records a trap (%s): %s", stopped(o.Trap), oneLine(o.Trap.Error()), clip(e.Trap), notSeen(o.Trap))
		case k < own && o.Trap != nil:
			fail(replay.Trap, "the new build traps (%s); the log's trap (%s) was recorded before the upgrade marker at line %d, by another build than the old one, so it does not say what the old build does", oneLine(o.Trap.Error()), clip(e.Trap), marker)
		default:
			// The log records a trap: the old build's, or (before the
			// last upgrade marker, where a return of the new build comes
			// here) another build's. Rerun the old build the same way, on
			// a fresh instance with the same host.
			why, oo := oldRerun(ctx, opts.Engine, old, e, logWorld, ro)
			if oo != nil && oo.Trap != nil && oo.TrapKind() == runner.TrapHost {
				// The old build's outcome is unknown, for want of a
				// host: neither a failure nor a proof.
				if hostStop == nil {
					hostStop = replay.HostStopped(fmt.Sprintf("%s:%d: %s: the old build rerun the same way", l.Name, e.Line, e.Function), oo.Trap)
				}
				continue
			}
			switch {
			case o.Trap != nil && why != "":
				fail(replay.Trap, "the new build traps (%s) where the old build trapped (%s), but %s, so the trap cannot be shown to be the input's", oneLine(o.Trap.Error()), clip(e.Trap), why)
			case o.Trap != nil && oo.Trap == nil:
				r, _ := oo.ResultWAVE()
				fail(replay.Trap, "the new build traps (%s); the log records a trap of the old build (%s), but the old build rerun the same way returns %s: the recorded trap came from the worker's state or world, not from this input", oneLine(o.Trap.Error()), clip(e.Trap), clip(r))
			case o.Trap != nil:
				// Both builds trap on this input, as the log records: the
				// restarted worker fails where it failed before.
			case why != "" || oo.Trap != nil:
				r, _ := o.ResultWAVE()
				detail := "the old build rerun the same way traps too"
				if why != "" {
					detail = why
				}
				fail(replay.UnexpectedSuccess, "the new build returns %s where the log records a trap (%s); %s", clip(r), clip(e.Trap), detail)
			default:
				// Both builds return when rerun afresh: the recorded trap
				// was the worker's state's or world's, and a restart
				// leaves both behind.
			}
		}
	}
	if n := len(res.Restart); n > 0 {
		f := res.Restart[0]
		return res.revert(f.Reason, "Restart failed for %d of %d invocations; first, line %d %s: %s", n, res.Invocations, f.Line, f.Function, f.Message), nil
	}
	if hostStop != nil {
		return nil, hostStop
	}
	return res, nil
}

// rerun invokes t with args on a fresh instance of a.
func rerun(ctx context.Context, eng *runner.Engine, a *analyze.Artifact, t *eventlog.Target, args []value.Value, ro runner.Options) (*runner.Outcome, error) {
	inst, err := eng.Instantiate(ctx, a, ro)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.Path, err)
	}
	defer inst.Close(ctx)
	o, err := inst.InvokeTarget(ctx, t, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", a.Path, t.Name, err)
	}
	return o, nil
}

// oldRerun reruns the logged invocation e on a fresh instance of the old
// build, as restart runs it on the new one. why says, when it is not "",
// why the old build's outcome is unknown (a build known only by its world,
// one that does not run, a rerun cut off by the timeout).
func oldRerun(ctx context.Context, eng *runner.Engine, old *analyze.Artifact, e *eventlog.Event, logWorld *wit.World, ro runner.Options) (why string, o *runner.Outcome) {
	if old.FromManifest() || old.Bytes == nil || old.Component == nil && old.Core == nil || old.World == nil {
		return fmt.Sprintf("the old build %s cannot be rerun (it is not a binary)", old.Path), nil
	}
	t, err := eventlog.Resolve(old.World, e.Function, false)
	if err != nil {
		return fmt.Sprintf("the old build does not resolve %s: %v", e.Function, err), nil
	}
	args, err := replay.Args(e, t, logWorld)
	if err != nil {
		return fmt.Sprintf("the recorded arguments do not read as the old build's: %v", err), nil
	}
	o, err = rerun(ctx, eng, old, t, args, ro)
	if err != nil {
		return fmt.Sprintf("the old build could not be rerun: %s", oneLine(err.Error())), nil
	}
	if o.Trap != nil && o.TrapKind() == runner.TrapHost {
		return "", o // the caller says the restart is not proven
	}
	if o.Trap != nil && cutOff(o.Trap) {
		return fmt.Sprintf("the old build rerun the same way %s (%s)", stopped(o.Trap), oneLine(o.Trap.Error())), nil
	}
	return "", o
}

// cutOff reports whether the trap is the sandbox's doing, by its kind
// (runner.TrapKind): the runner's timeout, a cancellation, or a trap after
// the runner's memory limit refused a grow. The build was stopped, or
// stopped short by the sandbox, not seen to trap. (A trap of kind
// runner.TrapHost is cut off too, but restart does not get here with
// one: it makes the restart not proven, replay.HostStopped.)
func cutOff(err error) bool {
	return runner.KindOf(err).Sandbox()
}

// stopped says what the sandbox did to a build whose trap is cutOff.
func stopped(err error) string {
	if runner.KindOf(err) == runner.TrapMemoryLimit {
		return "trapped after the runner's memory limit refused to grow its memory"
	}
	return "did not finish"
}

// notSeen says why a trap that is cutOff does not match a recorded trap.
func notSeen(err error) string {
	if runner.KindOf(err) == runner.TrapMemoryLimit {
		return "a trap the sandbox's limit caused is not the build seen to trap"
	}
	return "a build cut off is not seen to trap"
}

func clip(s string) string {
	s = oneLine(s)
	const n = 200
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// WriteLog writes the worker's continued log after a successful upgrade:
// the old events, then (snapshot) a save marker, the upgrade marker, a load
// marker and the load-snapshot invocation with its import calls, or
// (automatic, restart) the upgrade marker.
func (res *Result) WriteLog(w io.Writer) error {
	if res.Status != Upgraded {
		return errors.New("the upgrade was reverted: the worker's log does not change")
	}
	var b bytes.Buffer
	h := *res.log.Header
	lw, err := eventlog.NewWriter(&b, h)
	if err != nil {
		return err
	}
	for _, e := range res.log.Events {
		if err := lw.Write(e); err != nil {
			return err
		}
	}
	mode := eventlog.ModeReplay
	switch res.Mode {
	case Snapshot:
		mode = eventlog.ModeSnapshot
	case Restart:
		mode = eventlog.ModeRestart
	}
	var more []*eventlog.Event
	size := uint64(res.SnapshotSize)
	if res.Mode == Snapshot {
		more = append(more, &eventlog.Event{Type: eventlog.TypeSnapshot, Op: eventlog.OpSave, Function: res.save, SHA256: res.SnapshotSHA256, Size: &size})
	}
	more = append(more, &eventlog.Event{Type: eventlog.TypeUpgrade, SHA256: res.newSHA, VersionID: res.newVID, Mode: mode})
	if res.Mode == Snapshot {
		more = append(more, &eventlog.Event{Type: eventlog.TypeSnapshot, Op: eventlog.OpLoad, Function: res.ld, SHA256: res.SnapshotSHA256, Size: &size}, res.loadLine)
		for k := range res.loadCalls {
			more = append(more, &res.loadCalls[k])
		}
	}
	for _, e := range more {
		if err := lw.Write(e); err != nil {
			return err
		}
	}
	_, err = w.Write(b.Bytes())
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
