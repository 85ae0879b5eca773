package replay

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/runner/wasi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Options configure a replay.
type Options struct {
	// Runner configures the instance (environment, clock, seed, memory,
	// timeout). Its Intercept and Log must be unset: the replayer answers
	// the imports. When Runner.HTTP is nil, outgoing HTTP requests are
	// answered with the status the log recorded (the body reads are served
	// from the log).
	Runner runner.Options
	// Engine, when set, instantiates the build (shared compiled modules);
	// otherwise each replay makes its own.
	Engine *runner.Engine
	// Strict compares the arguments of durable import calls too (Golem
	// compares names only).
	Strict bool
	// Keep leaves the instance open after a replay without divergence
	// (Result.Instance): its state is the worker's state at the end of the
	// log. The caller closes it.
	Keep bool
}

// Result is the outcome of replaying one log.
type Result struct {
	// Log is the log's name.
	Log string
	// From is the index in the log's events where the replay started: after
	// the last upgrade marker of mode snapshot or restart (the state before
	// it is not rebuilt by replaying), 0 otherwise.
	From int
	// Events counts the log events replayed (invoke and import lines);
	// Invocations the invoke lines.
	Events, Invocations int
	// Divergence is the first divergence, nil when the log replays.
	Divergence *Divergence
	// Instance is the instance after the replay (Options.Keep, no
	// divergence). Invocations on it run live.
	Instance *runner.Instance
}

// Start returns the index of the first event a replay runs: the event after
// the last upgrade marker whose mode does not carry the state over by
// replay (snapshot: the state came from a snapshot loaded by the events
// that follow; restart: the worker started afresh), 0 when there is none.
func Start(l *eventlog.Log) int {
	start := 0
	for k, e := range l.Events {
		if e.Type == eventlog.TypeUpgrade && (e.Mode == eventlog.ModeSnapshot || e.Mode == eventlog.ModeRestart) {
			start = k + 1
		}
	}
	return start
}

const loadSnapshot = "golem:api/load-snapshot"

// errAbort stops the guest at a divergence: the import call traps.
var errAbort = errors.New("replay stopped: the build diverged from the log")

// Replay replays the log l on the build a. The error is for what keeps the
// log from being replayed (the build does not instantiate, the host
// answered a call that cannot be served from the log otherwise than the
// log records, the host failed a call: a trap of kind runner.TrapHost,
// see HostStopped); a divergence is Result.Divergence.
func Replay(ctx context.Context, a *analyze.Artifact, l *eventlog.Log, opts Options) (*Result, error) {
	if opts.Runner.Intercept != nil || opts.Runner.Log != nil {
		return nil, errors.New("replay: Options.Runner.Intercept and Log must be unset")
	}
	if a.World == nil {
		return nil, fmt.Errorf("%s: no world to replay against", a.Path)
	}
	if a.Component == nil {
		// The runner observes a core module's host calls but cannot answer
		// them: its imports could not be served from the log.
		return nil, fmt.Errorf("%s: replay runs components; a %s's imports cannot be served from a log (unsupported)", a.Path, a.Kind)
	}
	res := &Result{Log: l.Name, From: Start(l)}
	events := l.Events[res.From:]
	r := &replayer{cls: newClassifier(), strict: opts.Strict, log: l, world: a.World,
		liveBodies: map[uint32]bool{}, logBodies: map[uint32]bool{}}
	if l.Header != nil && l.Header.World != nil {
		r.logWorld = l.Header.World
	}
	if err := r.stray(events); err != nil {
		return nil, err
	}
	ro := opts.Runner
	ro.Intercept = r.intercept
	ro.NoImportEvents = true // the replayer checks each call as it answers it
	if ro.HTTP == nil {
		ro.HTTP = RecordedHTTP(l)
	}
	if err := servable(l, events, ro.HTTP); err != nil {
		return nil, err
	}
	var inst *runner.Instance
	var err error
	if opts.Engine != nil {
		inst, err = opts.Engine.Instantiate(ctx, a, ro)
	} else {
		inst, err = runner.Instantiate(ctx, a, ro)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.Path, err)
	}
	keep := false
	defer func() {
		if !keep {
			inst.Close(ctx)
		}
	}()
	for k := 0; k < len(events); k++ {
		e := events[k]
		if e.Type != eventlog.TypeInvoke {
			continue // markers; live import lines outside an invocation
		}
		end := k + 1
		for end < len(events) && events[end].Type == eventlog.TypeImport {
			end++
		}
		imports := events[k+1 : end]
		k = end - 1
		res.Invocations++
		res.Events += 1 + len(imports)
		d, err := r.invocation(ctx, inst, e, imports)
		if err != nil {
			return nil, err
		}
		if d != nil {
			d.Log = l.Name
			res.Divergence = d
			return res, nil
		}
	}
	if opts.Keep {
		r.done = true
		keep = true
		res.Instance = inst
	}
	return res, nil
}

// RecordedHTTP returns the HTTP answer the log recorded after its replay
// start (the status of the first response read), or nil.
func RecordedHTTP(l *eventlog.Log) *wasi.HTTPResponse {
	for _, e := range l.Events[Start(l):] {
		if e.Type != eventlog.TypeImport || e.Result == nil {
			continue
		}
		iface, fn := eventlog.SplitName(e.Function)
		if fn != "[method]incoming-response.status" || unversioned(iface) != "wasi:http/types" {
			continue
		}
		var st uint16
		if _, err := fmt.Sscanf(*e.Result, "%d", &st); err == nil && st >= 100 {
			return &wasi.HTTPResponse{Status: st}
		}
	}
	return nil
}

// servable refuses a log whose world the replay host cannot give: HTTP
// responses it cannot answer (below), preopened directories (the host has
// no file system, and file calls are live, executed by the host: a guest
// that found files when the log was recorded finds none), or data read
// from stdin (live too; the host's stdin is empty).
//
// HTTP responses. Golem persists a response's head (status, headers) with the
// durable future-incoming-response.get and replays it; here the head comes
// from the host, which answers every request with one status (host, nil:
// none) and no headers, while status and header reads are live calls that
// are not compared. A log recording another status, or response headers,
// would be replayed on responses it never had.
func servable(l *eventlog.Log, events []*eventlog.Event, host *wasi.HTTPResponse) error {
	headers := map[string]bool{} // handles of response header fields, as recorded
	stdin := map[string]bool{}   // handles of stdin streams
	for _, e := range events {
		if e.Type != eventlog.TypeImport || e.Result == nil {
			continue
		}
		iface, fn := eventlog.SplitName(e.Function)
		res := strings.TrimSpace(*e.Result)
		first := strings.TrimSpace(strings.SplitN(strings.Trim(strings.TrimSpace(e.Params), "()"), ",", 2)[0])
		switch unversioned(iface) + "#" + fn {
		case "wasi:filesystem/preopens#get-directories":
			if res != "[]" {
				return &eventlog.Error{File: l.Name, Line: e.Line, Err: fmt.Errorf(
					"the log records preopened directories (%s), but the replay host has no file system: the guest's file calls would find none, so the log cannot be replayed faithfully", clip(res))}
			}
		case "wasi:cli/stdin#get-stdin":
			stdin[res] = true
		case "wasi:io/streams#[method]input-stream.read", "wasi:io/streams#[method]input-stream.blocking-read",
			"wasi:io/streams#[method]input-stream.skip", "wasi:io/streams#[method]input-stream.blocking-skip":
			if stdin[first] && res != "ok([])" && res != "ok(0)" && !strings.HasPrefix(res, "err(") {
				return &eventlog.Error{File: l.Name, Line: e.Line, Err: fmt.Errorf(
					"the log records data read from stdin (%s), but the replay host's stdin is empty: stdin reads are live, so the log cannot be replayed faithfully", clip(res))}
			}
		}
		if unversioned(iface) != "wasi:http/types" {
			continue
		}
		switch fn {
		case "[method]incoming-response.status":
			if host == nil || res != fmt.Sprint(host.Status) {
				answer := "denies every request"
				if host != nil {
					answer = fmt.Sprintf("answers every request with status %d", host.Status)
				}
				return &eventlog.Error{File: l.Name, Line: e.Line, Err: fmt.Errorf(
					"the log records HTTP status %s, but the replay host %s (--http-respond, or the first status the log records): it cannot give this log's responses, so the log cannot be replayed faithfully", res, answer)}
			}
		case "[method]incoming-response.headers":
			headers[res] = true
		case "[method]fields.clone":
			// A copy of response headers holds them too.
			if headers[first] {
				headers[res] = true
			}
		case "[method]fields.entries", "[method]fields.get", "[method]fields.has":
			if headers[first] && res != "[]" && res != "false" {
				return &eventlog.Error{File: l.Name, Line: e.Line, Err: fmt.Errorf(
					"the log records HTTP response headers (%s), but the replay host's responses have none: it cannot give this log's responses, so the log cannot be replayed faithfully", clip(res))}
			}
		}
	}
	return nil
}

// replayer answers the import calls of the invocation being replayed.
type replayer struct {
	cls      *classifier
	strict   bool
	log      *eventlog.Log
	world    *wit.World // the build's
	logWorld *wit.World // the log's (header), nil when it has none

	// The invocation being replayed.
	inv     *eventlog.Event
	durable []*eventlog.Event // its durable import events
	next    int
	on      bool
	done    bool // the log is replayed: the instance runs live

	div     *Divergence
	hostErr error
	// Handles of HTTP body streams, on the live side and in the log.
	liveBodies, logBodies map[uint32]bool
}

// stray refuses a log with a durable import line that follows no invoke
// line (before the first invocation, or after a marker): it belongs to
// nothing a replay runs, and skipping it would pass the log without
// checking it. Live lines there are skipped, as live calls are.
func (r *replayer) stray(events []*eventlog.Event) error {
	in := false
	for _, e := range events {
		switch e.Type {
		case eventlog.TypeInvoke:
			in = true
		case eventlog.TypeImport:
			if !in && r.cls.classify(e.Function) != Live {
				return &eventlog.Error{File: r.log.Name, Line: e.Line, Err: fmt.Errorf(
					"durable import call %s follows no invoke line: the log cannot be replayed (import calls follow the invocation that made them)", e.Function)}
			}
		default:
			in = false
		}
	}
	return nil
}

func (r *replayer) diverge(line int, reason Reason, expected, actual, detail string) {
	if r.div != nil {
		return
	}
	r.div = &Divergence{Line: line, Invocation: r.inv.Function, InvokeLine: r.inv.Line,
		Reason: reason, Expected: expected, Actual: actual, Detail: detail}
}

func (r *replayer) invocation(ctx context.Context, inst *runner.Instance, e *eventlog.Event, imports []*eventlog.Event) (*Divergence, error) {
	r.inv, r.next, r.div = e, 0, nil
	r.durable = r.durable[:0]
	for _, im := range imports {
		if r.logDurable(im) {
			r.durable = append(r.durable, im)
		}
	}
	t, err := eventlog.Resolve(inst.World, e.Function, false)
	if err != nil {
		// A snapshot load (after a snapshot upgrade) is made with whichever
		// version of load-snapshot the build exports, as Golem does.
		if iface, fn := eventlog.SplitName(e.Function); unversioned(iface) == loadSnapshot {
			if lt, lerr := eventlog.Resolve(inst.World, loadSnapshot+"#"+fn, false); lerr == nil {
				t, err = lt, nil
			}
		}
	}
	if err != nil {
		r.diverge(e.Line, ExportMissing, e.Function, "no such export", err.Error())
		return r.div, nil
	}
	args, err := r.args(e, t)
	if err != nil {
		r.diverge(e.Line, ParamsMismatch, e.Params, t.Func.Name+" of the build", err.Error())
		return r.div, nil
	}
	r.on = true
	o, err := inst.InvokeTarget(ctx, t, args)
	r.on = false
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s: %w", r.log.Name, e.Line, e.Function, err)
	}
	if r.hostErr != nil {
		return nil, r.hostErr
	}
	if r.div != nil {
		return r.div, nil
	}
	if o.Trap != nil && o.TrapKind() == runner.TrapHost {
		// The runner's host failed a call: the build was not seen to
		// trap or return, and nothing is shown about it. Not a
		// divergence (which fails the mode) but an error (unproven).
		return nil, HostStopped(fmt.Sprintf("%s:%d: %s", r.log.Name, e.Line, e.Function), o.Trap)
	}
	actual := "trap"
	if o.Trap != nil {
		actual = "trap: " + oneLine(o.Trap.Error())
	} else if actual, err = o.ResultWAVE(); err != nil {
		return nil, err
	}
	if e.Pending {
		// Cut off when recorded: the result is not compared, but the
		// durable calls the log holds were made by the recorded code, so
		// a build that returns or traps before making them diverges
		// (Golem finds the next oplog entry unconsumed).
		if r.next < len(r.durable) {
			m := r.durable[r.next]
			what, reason := "the invocation returned", MissingImport
			if o.Trap != nil {
				what, reason = actual, Trap
			}
			r.diverge(m.Line, reason, m.Function, what,
				fmt.Sprintf("%d durable calls of the pending invocation were not made", len(r.durable)-r.next))
			return r.div, nil
		}
		return nil, nil
	}
	switch {
	case o.Trap != nil && e.Trap != "" && o.TrapKind().Sandbox():
		// Stopped by the runner (a timeout, a cancellation, its memory
		// limit), not seen to trap: that matches no recorded trap.
		r.diverge(e.Line, Trap, "trap: "+oneLine(e.Trap), actual,
			fmt.Sprintf("the runner stopped the build (%s): a build the sandbox stopped does not match the log's trap", o.TrapKind()))
		return r.div, nil
	case o.Trap != nil && e.Trap != "":
		// Trapped as recorded; but not before the durable calls the
		// recorded code made ahead of its trap.
		if r.next < len(r.durable) {
			m := r.durable[r.next]
			r.diverge(m.Line, MissingImport, m.Function, actual,
				fmt.Sprintf("%d durable calls of the log were not made: the build trapped before them", len(r.durable)-r.next))
			return r.div, nil
		}
		return nil, nil
	case o.Trap != nil:
		r.diverge(e.Line, Trap, *e.Result, actual, "")
		return r.div, nil
	case e.Trap != "":
		r.diverge(e.Line, UnexpectedSuccess, "trap: "+oneLine(e.Trap), actual, "")
		return r.div, nil
	}
	same, why := r.sameResult(*e.Result, o, t.Func.Result)
	if r.next < len(r.durable) {
		m := r.durable[r.next]
		detail := fmt.Sprintf("%d durable calls of the log were not made", len(r.durable)-r.next)
		if !same {
			detail += fmt.Sprintf("; it returned %s where the log records %s", clip(actual), clip(*e.Result))
		}
		r.diverge(m.Line, MissingImport, m.Function, "the invocation returned", detail)
		return r.div, nil
	}
	if !same {
		r.diverge(e.Line, ResultMismatch, *e.Result, actual, why)
		return r.div, nil
	}
	return nil, nil
}

func (r *replayer) args(e *eventlog.Event, t *eventlog.Target) ([]value.Value, error) {
	return Args(e, t, r.logWorld)
}

// Args reads the recorded arguments of the invoke event e against the
// parameters of the build's export t; when they do not read and the log's
// world (logWorld, may be nil) is known, against the recorded signature,
// converted to the build's by the value rules of restart.
func Args(e *eventlog.Event, t *eventlog.Target, logWorld *wit.World) ([]value.Value, error) {
	args, err := value.ParseArgs(e.Params, t.Func.Params)
	if err == nil || logWorld == nil {
		return args, err
	}
	old, oerr := eventlog.Resolve(logWorld, e.Function, false)
	if oerr != nil || len(old.Func.Params) != len(t.Func.Params) {
		return nil, err
	}
	oargs, oerr := value.ParseArgs(e.Params, old.Func.Params)
	if oerr != nil {
		return nil, err
	}
	for k := range oargs {
		v, cerr := value.Convert(oargs[k], old.Func.Params[k].Type, t.Func.Params[k].Type)
		if cerr != nil {
			return nil, fmt.Errorf("argument %s: %w", t.Func.Params[k].Name, cerr)
		}
		oargs[k] = v
	}
	return oargs, nil
}

func (r *replayer) sameResult(recorded string, o *runner.Outcome, rt *wit.Type) (bool, string) {
	if rt == nil || len(o.Results) == 0 {
		if recorded == "" {
			return true, ""
		}
		return false, "the build's function has no result"
	}
	v, err := value.ParseWAVE(recorded, rt)
	if err != nil {
		return false, fmt.Sprintf("the recorded result does not read as %s: %v", rt.WIT(), err)
	}
	return equalMasked(v, o.Results[0]), ""
}

// logDurable classifies a recorded import event.
func (r *replayer) logDurable(e *eventlog.Event) bool {
	switch r.cls.classify(e.Function) {
	case Durable:
		return true
	case BodyRead:
		f := r.importType(e.Function)
		if f == nil || len(f.Params) == 0 {
			return false
		}
		args, err := value.ParseArgs(e.Params, f.Params)
		if err != nil || len(args) == 0 || !isHandle(args[0]) {
			return false
		}
		return r.logBodies[args[0].Handle()]
	}
	if isBodyStream(e.Function) && e.Result != nil {
		if f := r.importType(e.Function); f != nil && f.Result != nil {
			if v, err := value.ParseWAVE(*e.Result, f.Result); err == nil {
				if h, ok := okHandle(v); ok {
					r.logBodies[h] = true
				}
			}
		}
	}
	return false
}

// importType types a recorded import: by the log's world, else the
// build's.
func (r *replayer) importType(name string) *wit.Function {
	for _, w := range []*wit.World{r.logWorld, r.world} {
		if w == nil {
			continue
		}
		if t, err := eventlog.Resolve(w, name, true); err == nil {
			return t.Func
		}
	}
	return nil
}

// intercept answers the build's import calls.
func (r *replayer) intercept(ctx context.Context, c *component.ImportCall, next func() ([]value.Value, error)) ([]value.Value, error) {
	if !r.on || r.done {
		return next() // instantiation, or after the log: live
	}
	if r.div != nil || r.hostErr != nil {
		return nil, errAbort
	}
	name := eventlog.JoinName(c.Interface, c.Name)
	cl := r.cls.classify(name)
	if cl == BodyRead {
		cl = Live
		if len(c.Args) > 0 && isHandle(c.Args[0]) && r.liveBodies[c.Args[0].Handle()] {
			cl = Durable
		}
	}
	if cl == Live {
		res, err := next()
		if err == nil && isBodyStream(name) && len(res) == 1 {
			if h, ok := okHandle(res[0]); ok {
				r.liveBodies[h] = true
			}
		}
		return res, err
	}
	if r.next >= len(r.durable) {
		if r.inv.Pending {
			return next() // past the end of the log: live, as Golem goes live
		}
		rec := "the invocation returning"
		if r.inv.Result != nil {
			rec += " " + clip(*r.inv.Result)
		} else if r.inv.Trap != "" {
			rec = "the invocation trapping"
		}
		r.diverge(r.inv.Line, ExtraImport, rec+" (no more durable calls)", name, "")
		return nil, errAbort
	}
	e := r.durable[r.next]
	r.next++
	if !sameName(e.Function, name) {
		r.diverge(e.Line, ImportMismatch, e.Function, name, "")
		return nil, errAbort
	}
	if r.strict {
		rec, err := value.ParseArgs(e.Params, c.Type.Params)
		same := err == nil && len(rec) == len(c.Args)
		for k := 0; same && k < len(rec); k++ {
			same = equalMasked(rec[k], c.Args[k])
		}
		if !same {
			got, _ := value.FormatArgs(c.Args, c.Type.Params)
			r.diverge(e.Line, ImportMismatch, e.Function+e.Params, name+got, "--strict: the arguments differ")
			return nil, errAbort
		}
	}
	if c.Type.Result == nil {
		return nil, nil
	}
	if e.Result == nil {
		r.diverge(e.Line, ImportMismatch, e.Function+" (no result)", name, "")
		return nil, errAbort
	}
	rec, err := value.ParseWAVE(*e.Result, c.Type.Result)
	if err != nil {
		r.diverge(e.Line, ImportMismatch, *e.Result, name+" -> "+c.Type.Result.WIT(),
			fmt.Sprintf("the recorded result does not read as the build's import result: %v", err))
		return nil, errAbort
	}
	if !containsHandle(rec) {
		return []value.Value{rec}, nil
	}
	// A host resource cannot be rebuilt from text: the host makes it, and
	// must answer as the log records.
	res, err := next()
	if err != nil {
		return nil, err
	}
	if len(res) != 1 || !equalMasked(rec, res[0]) {
		got := "nothing"
		if len(res) == 1 {
			got, _ = value.FormatWAVE(res[0], c.Type.Result)
		}
		r.hostErr = fmt.Errorf("%s:%d: %s: the replay host answered %s where the log records %s; replay with the host options the log was recorded with (--http-respond, --seed, --clock, --env)",
			r.log.Name, e.Line, name, clip(got), clip(*e.Result))
		return nil, errAbort
	}
	return res, nil
}

func isBodyStream(name string) bool {
	iface, fn := eventlog.SplitName(name)
	return fn == "[method]incoming-body.stream" && unversioned(iface) == "wasi:http/types"
}

func isHandle(v value.Value) bool {
	k := v.Kind()
	return k == wit.Own || k == wit.Borrow
}

// okHandle returns the handle in ok(h).
func okHandle(v value.Value) (uint32, bool) {
	if v.Kind() != wit.Result || v.Case() != 0 {
		return 0, false
	}
	p, ok := v.Payload()
	if !ok || !isHandle(p) {
		return 0, false
	}
	return p.Handle(), true
}

func containsHandle(v value.Value) bool {
	switch v.Kind() {
	case wit.Own, wit.Borrow:
		return true
	case wit.List, wit.Tuple, wit.Record:
		for _, e := range v.Elems() {
			if containsHandle(e) {
				return true
			}
		}
	case wit.Option, wit.Result, wit.Variant:
		if p, ok := v.Payload(); ok {
			return containsHandle(p)
		}
	}
	return false
}

// equalMasked compares values with handle numbers ignored (two runs
// number host resources independently).
func equalMasked(a, b value.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case wit.Own, wit.Borrow:
		return true
	case wit.List, wit.Tuple, wit.Record:
		ae, be := a.Elems(), b.Elems()
		if len(ae) != len(be) {
			return false
		}
		for i := range ae {
			if !equalMasked(ae[i], be[i]) {
				return false
			}
		}
		return true
	case wit.Option, wit.Result, wit.Variant:
		if a.Case() != b.Case() {
			return false
		}
		ap, aok := a.Payload()
		bp, bok := b.Payload()
		if aok != bok {
			return false
		}
		return !aok || equalMasked(ap, bp)
	}
	return a.Equal(b)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Current returns the digest and version id of the build that produced the
// log's last events: the last upgrade marker's, or the header's.
func Current(l *eventlog.Log) (sha256, versionID string) {
	if l.Header != nil {
		sha256, versionID = l.Header.SHA256, l.Header.VersionID
	}
	for _, e := range l.Events {
		if e.Type == eventlog.TypeUpgrade {
			sha256, versionID = e.SHA256, e.VersionID
		}
	}
	return sha256, versionID
}

// HostStopped returns the error for an invocation (at where, "LOG:LINE:
// FUNCTION") that the runner's host ended (trap, of kind
// runner.TrapHost): a host function failed, or the runner's Go code
// panicked. The build was not seen to trap or return, so the invocation
// proves nothing either way: not proven, rather than a divergence.
func HostStopped(where string, trap error) error {
	return fmt.Errorf("%s: not proven: the runner's host could not run this (%s)", where, oneLine(trap.Error()))
}
