package compat

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// The assertions answer, from data a durable platform keeps (the version's
// manifest, each run's inputs, each run's event log), whether a new build
// can take over those runs — the getManifest / assertInputCompatibility /
// assertEventLogCompatibility helpers of the Vercel Workflow versioning RFC,
// for Wasm workers. They are static: values are read against signatures
// and converted, nothing runs.

// AssertSchema identifies the JSON layout of assertion results
// (`wfcompat assert ... --json`).
const AssertSchema = "wfcompat.assert/v1"

// Reasons an input or an event does not carry over to the new build, as
// InputResult.Reason and LogResult.Reason. They are stable.
const (
	// The new build does not export the function invoked.
	ReasonExportMissing = "export-missing"
	// The new build does not import the function the worker called.
	ReasonImportMissing = "import-missing"
	// The interface is there, at a version that does not satisfy the one recorded.
	ReasonVersionIncompatible = "version-incompatible"
	// The recorded arguments do not read against their signature (the old
	// one, or the new one when no old signature is known).
	ReasonArgsInvalid = "args-invalid"
	// The recorded arguments do not convert to the new parameter types.
	ReasonParamsIncompatible = "params-incompatible"
	// A recorded result does not read against its signature.
	ReasonResultInvalid = "result-invalid"
	// A recorded import result does not convert to the new result type.
	ReasonResultIncompatible = "result-incompatible"
	// An export's result type is not identical in the new build, so a
	// replay cannot compare the recorded result with the new one.
	ReasonExportResultChanged = "export-result-changed"
	// Vercel Workflow: the workflow or step a run references is not in the
	// new manifest.
	ReasonWorkflowMissing = "workflow-missing"
	ReasonStepMissing     = "step-missing"
)

// How the recorded values were typed (InputResult.TypedBy, LogResult.TypedBy).
const (
	// TypedByOld: read against the old signature and converted.
	TypedByOld = "old"
	// TypedByNew: no old signature known; read directly against the new one.
	TypedByNew = "new"
	// TypedByNone: not typed at all (Vercel Workflow manifests have no types).
	TypedByNone = "none"
	// TypedByMixed: an event log whose events were typed partly by the old
	// signature and partly (after an upgrade marker) by the new one.
	TypedByMixed = "mixed"
)

// Input is one recorded input of a run: the exported function invoked and
// its arguments in WAVE.
type Input struct {
	// Source says where the input was recorded: "runs.jsonl:3", "--args".
	Source string
	// Function is the qualified name (see eventlog.Resolve).
	Function string
	// Args is the WAVE argument list, "(1000, \"x\")".
	Args string
}

// InputResult is the verdict on one input.
type InputResult struct {
	Source   string `json:"source"`
	Function string `json:"function"`
	// Target is the function's qualified name in the new build, when found.
	Target string `json:"target,omitempty"`
	Args   string `json:"args"`
	// Converted is the input as the new build receives it (WAVE), when it
	// converts.
	Converted string `json:"converted,omitempty"`
	OK        bool   `json:"ok"`
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message,omitempty"`
	// Conversions describe the non-identity conversions applied.
	Conversions []string `json:"conversions,omitempty"`
	TypedBy     string   `json:"typed_by"`
	// Notes say what was not checked.
	Notes []string `json:"notes,omitempty"`
}

// AssertInput checks whether the new build accepts in: the function
// resolves among new's exports, and its arguments, read against the old
// signature (old's export of the same name) and converted, or read
// directly against the new signature when old is nil, give a value for
// every new parameter.
func AssertInput(in Input, old, new *wit.World) InputResult {
	c := newChecker(old, new)
	res := InputResult{Source: in.Source, Function: in.Function, Args: in.Args, TypedBy: c.typedBy()}
	fc, fail := c.export(in.Function)
	if fail != nil {
		res.Reason, res.Message = fail.reason, fail.msg
		return res
	}
	res.Target = fc.target
	conv, notes, fail := fc.args(in.Args)
	if fail != nil {
		res.Reason, res.Message = fail.reason, fail.msg
		return res
	}
	res.OK, res.Converted, res.Conversions = true, conv, notes
	return res
}

// LogOptions say what an event log is checked against.
type LogOptions struct {
	// New is the world of the build that is to take over.
	New *wit.World
	// NewSHA256 is its digest: events after an upgrade marker naming it are
	// typed by New.
	NewSHA256 string
	// Old, when set, types the events recorded before the first upgrade
	// marker (the --old build or manifest). Otherwise the header's world
	// does, and without one the events are read directly against New.
	Old *wit.World
	// OldSHA256 is the digest of the build Old comes from, "" when it has
	// none that a log header could name (a WIT file). A log whose header
	// names another digest (other than NewSHA256: a log the new build
	// recorded is typed by New) was not recorded by that build, so Old
	// cannot type it: that is an error naming both digests.
	OldSHA256 string
}

// LogResult is the verdict on one event log: compatible, or the first line
// that is not, with the reason.
type LogResult struct {
	Log string `json:"log"`
	// Events is the number of events checked (up to and including the
	// first incompatible one).
	Events int  `json:"events"`
	OK     bool `json:"ok"`
	// Line is the first incompatible line (Vercel event lists: the event's
	// index), 0 when OK.
	Line     int      `json:"line,omitempty"`
	Function string   `json:"function,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	Message  string   `json:"message,omitempty"`
	TypedBy  string   `json:"typed_by"`
	Notes    []string `json:"notes,omitempty"`
	// Status is StatusInFlight or StatusFinished where the platform
	// records whether a run ended (Vercel Workflow), else empty.
	Status string `json:"status,omitempty"`
	// Problems are all the problems found, for checks that report every
	// one (Vercel Workflow); the first is also in Line, Reason and Message.
	Problems []LogProblem `json:"problems,omitempty"`
}

// AssertEventLog reads the log r streams and checks it statically against
// opts.New: every invoked export and every import called resolves in the
// new build, recorded arguments convert to the new parameter types,
// recorded import results convert to the new result types, and recorded
// export results have the same value types in the new build, type names
// aside (a replay compares them). It reports the first incompatible line. Markers are checked for
// form only, but a log continued across upgrades (wfcompat upgrade
// --log-out) is checked from the event after its last upgrade marker of
// mode snapshot or restart, where a replay starts too: the worker's state
// after it does not come from replaying the events before it.
//
// A malformed log is an error (an *eventlog.Error), and so is a log whose
// header names another build than opts.OldSHA256; an incompatible one is
// a LogResult with OK false.
func AssertEventLog(r *eventlog.Reader, opts LogOptions) (*LogResult, error) {
	lt, err := startLog(r, opts)
	if err != nil {
		return nil, err
	}
	res := &LogResult{Log: r.Name(), TypedBy: lt.c.typedBy()}
	// first is the first incompatible event since the last restarting
	// marker; the rest of the log is still read for a later such marker,
	// which would make it irrelevant.
	var first *LogResult
	from, fromMode := 0, ""
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if e.Type == eventlog.TypeUpgrade && (e.Mode == eventlog.ModeSnapshot || e.Mode == eventlog.ModeRestart) {
			lt.upgrade(e)
			first, from, fromMode = nil, e.Line, e.Mode
			res.Events, res.TypedBy = 0, lt.c.typedBy()
			continue
		}
		if first != nil {
			continue
		}
		res.Events++
		var fail *failure
		switch e.Type {
		case eventlog.TypeInvoke:
			fail = lt.c.invoke(e)
		case eventlog.TypeImport:
			fail = lt.c.importCall(e)
		case eventlog.TypeUpgrade:
			lt.upgrade(e)
			if res.TypedBy != lt.c.typedBy() {
				res.TypedBy = TypedByMixed
			}
		}
		if fail != nil {
			first = &LogResult{Events: res.Events, TypedBy: res.TypedBy, Line: e.Line, Function: e.Function, Reason: fail.reason, Message: fail.msg}
		}
	}
	if from > 0 {
		lt.note(fmt.Sprintf("checked from line %d, after the upgrade marker of mode %s on line %d: the worker's state after it does not come from replaying the events before it (wfcompat replay starts there too)",
			from+1, fromMode, from))
	}
	res.Notes = lt.notes
	if first == nil {
		res.OK = true
		return res, nil
	}
	res.Events, res.TypedBy = first.Events, first.TypedBy
	res.Line, res.Function, res.Reason, res.Message = first.Line, first.Function, first.Reason, first.Message
	return res, nil
}

// LogInputs treats every invocation recorded in a log as an input of the
// worker and checks each as AssertInput does, typing the arguments as
// AssertEventLog would. The notes say how values were typed when that is
// not by the old signature.
func LogInputs(r *eventlog.Reader, opts LogOptions) ([]InputResult, []string, error) {
	lt, err := startLog(r, opts)
	if err != nil {
		return nil, nil, err
	}
	var out []InputResult
	for {
		e, err := r.Next()
		if err == io.EOF {
			return out, lt.notes, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch e.Type {
		case eventlog.TypeUpgrade:
			lt.upgrade(e)
		case eventlog.TypeInvoke:
			res := InputResult{Source: fmt.Sprintf("%s:%d", r.Name(), e.Line), Function: e.Function, Args: e.Params, TypedBy: lt.c.typedBy()}
			fc, fail := lt.c.export(e.Function)
			if fail == nil {
				res.Target = fc.target
				res.Converted, res.Conversions, fail = fc.args(e.Params)
			}
			if fail != nil {
				res.Reason, res.Message, res.Converted = fail.reason, fail.msg, ""
			} else {
				res.OK = true
			}
			out = append(out, res)
		}
	}
}

// logTyping is how the events of a log are typed as it is read: by the old
// world until an upgrade marker, then by whatever the marker names.
type logTyping struct {
	c     *checker
	opts  LogOptions
	notes []string
}

func startLog(r *eventlog.Reader, opts LogOptions) (*logTyping, error) {
	h, err := r.Header()
	if err != nil {
		return nil, err
	}
	byNew := opts.NewSHA256 != "" && h.SHA256 == opts.NewSHA256
	if opts.Old != nil && opts.OldSHA256 != "" && h.SHA256 != opts.OldSHA256 && !byNew {
		return nil, &eventlog.Error{File: r.Name(), Line: r.Line(), Err: fmt.Errorf(
			"the header's sha256 %s (version_id %q) is not the digest of the old build given (--old), %s: the log was recorded by another build; give that build as --old, or leave --old out to type the values by the header's world",
			h.SHA256, h.VersionID, opts.OldSHA256)}
	}
	lt := &logTyping{opts: opts}
	src := opts.Old
	switch {
	case byNew:
		// Recorded by the new build itself (a worker already moved to
		// it): its own signatures type the values, whatever --old is.
		src = opts.New
	case src != nil:
	case h.World != nil:
		src = h.World
	default:
		lt.notes = append(lt.notes, "the log's header has no world and no --old was given: recorded values were read directly against the new signatures")
	}
	lt.c = newChecker(src, opts.New)
	return lt, nil
}

// upgrade switches typing at an upgrade marker: what follows was produced
// by the version that took over, known only when it is the new build.
func (lt *logTyping) upgrade(e *eventlog.Event) {
	if lt.opts.NewSHA256 != "" && e.SHA256 == lt.opts.NewSHA256 {
		lt.c = newChecker(lt.opts.New, lt.opts.New)
		return
	}
	lt.c = newChecker(nil, lt.opts.New)
	lt.note("events after an upgrade to a version other than the new build were read directly against the new signatures")
}

// note adds a note once.
func (lt *logTyping) note(n string) {
	if !slices.Contains(lt.notes, n) {
		lt.notes = append(lt.notes, n)
	}
}

// failure is why one input or event does not carry over.
type failure struct {
	reason, msg string
}

func failf(reason, format string, args ...any) *failure {
	return &failure{reason: reason, msg: fmt.Sprintf(format, args...)}
}

// checker resolves and types functions against an old (source) world and
// the new one, caching per function.
type checker struct {
	old, new *wit.World
	exports  map[string]*funcCheck
	imports  map[string]*funcCheck
	fails    map[string]*failure
}

func newChecker(old, new *wit.World) *checker {
	if new == nil {
		new = &wit.World{}
	}
	return &checker{old: old, new: new, exports: map[string]*funcCheck{}, imports: map[string]*funcCheck{}, fails: map[string]*failure{}}
}

func (c *checker) typedBy() string {
	if c.old == nil || c.old == c.new {
		return TypedByNew
	}
	return TypedByOld
}

// funcCheck is one function resolved on both sides.
type funcCheck struct {
	name   string
	target string
	// src is the signature values were recorded with (the old function, or
	// the new one when no old world is known); dst the new function.
	src, dst *wit.Function
	params   []*value.Converter // nil when src == dst
	result   *value.Converter   // import results; nil when src == dst
	// resultSame: export result types the same value type (replay
	// compares the values).
	resultSame bool
}

func (c *checker) export(name string) (*funcCheck, *failure) { return c.function(name, false) }

func (c *checker) function(name string, imports bool) (*funcCheck, *failure) {
	cache := c.exports
	key := "e:" + name
	if imports {
		cache, key = c.imports, "i:"+name
	}
	if fc, ok := cache[name]; ok {
		return fc, nil
	}
	if f, ok := c.fails[key]; ok {
		return nil, f
	}
	fc, fail := c.resolve(name, imports)
	if fail != nil {
		c.fails[key] = fail
		return nil, fail
	}
	cache[name] = fc
	return fc, nil
}

func (c *checker) resolve(name string, imports bool) (*funcCheck, *failure) {
	side, missing := "export", ReasonExportMissing
	if imports {
		side, missing = "import", ReasonImportMissing
	}
	t, err := eventlog.Resolve(c.new, name, imports)
	if err != nil {
		var re *eventlog.ResolveError
		reason := missing
		if errors.As(err, &re) && re.Reason == eventlog.ReasonVersionIncompatible {
			reason = ReasonVersionIncompatible
		}
		return nil, failf(reason, "the new build does not %s %s: %s", side, name, err)
	}
	fc := &funcCheck{name: name, target: t.Name, src: t.Func, dst: t.Func, resultSame: true}
	if c.old == nil || c.old == c.new {
		return fc, nil
	}
	ot, err := eventlog.Resolve(c.old, name, imports)
	if err != nil {
		return nil, failf(ReasonArgsInvalid, "the recorded %s %s cannot be typed: the old build does not %s it (%s)", side, name, side, err)
	}
	fc.src = ot.Func
	if len(fc.src.Params) != len(fc.dst.Params) {
		return nil, failf(ReasonParamsIncompatible, "%s takes %d parameters in the new build and %d in the old one: %s → %s",
			t.Name, len(fc.dst.Params), len(fc.src.Params), fc.src.WIT(), fc.dst.WIT())
	}
	for i := range fc.src.Params {
		fc.params = append(fc.params, value.NewConverter(fc.src.Params[i].Type, fc.dst.Params[i].Type))
	}
	fc.result = value.NewConverter(fc.src.Result, fc.dst.Result)
	// The same value type under other type names is the same result for
	// replay: recorded values (WAVE) carry no type names.
	fc.resultSame = value.SameStructure(fc.src.Result, fc.dst.Result)
	return fc, nil
}

// args reads recorded arguments against the source signature and converts
// them to the new one, returning the new arguments in WAVE and the
// conversions applied.
func (fc *funcCheck) args(wave string) (string, []string, *failure) {
	vals, err := value.ParseArgs(wave, fc.src.Params)
	if err != nil {
		return "", nil, failf(ReasonArgsInvalid, "the recorded arguments %s do not read as the parameters of %s: %s", clip(wave), fc.src.WIT(), err)
	}
	var notes []string
	if fc.params != nil {
		for i, conv := range fc.params {
			v, err := conv.Convert(vals[i])
			if err != nil {
				p := fc.dst.Params[i]
				return "", nil, failf(ReasonParamsIncompatible, "argument %s of %s does not convert from %s to %s: %s",
					p.Name, fc.target, typeWIT(fc.src.Params[i].Type), typeWIT(p.Type), err)
			}
			vals[i] = v
			for _, s := range conv.Compat().Conversions {
				notes = append(notes, fmt.Sprintf("param(%s)%s: %s", fc.dst.Params[i].Name, s.Path, s.Message))
			}
		}
	}
	out, err := value.FormatArgs(vals, fc.dst.Params)
	if err != nil {
		return "", nil, failf(ReasonParamsIncompatible, "arguments of %s: %s", fc.target, err)
	}
	return out, notes, nil
}

// readResult reads a recorded result against type t ("" stands for no
// result).
func readResult(rec string, t *wit.Type, fn string) (value.Value, *failure) {
	if t == nil {
		if strings.TrimSpace(rec) != "" {
			return value.Value{}, failf(ReasonResultInvalid, "%s has no result, but the log records %s", fn, clip(rec))
		}
		return value.Value{}, nil
	}
	if strings.TrimSpace(rec) == "" {
		return value.Value{}, failf(ReasonResultInvalid, "%s returns %s, but the log records no result", fn, t.WIT())
	}
	v, err := value.ParseWAVE(rec, t)
	if err != nil {
		return value.Value{}, failf(ReasonResultInvalid, "the recorded result %s of %s does not read as %s: %s", clip(rec), fn, t.WIT(), err)
	}
	return v, nil
}

func (c *checker) invoke(e *eventlog.Event) *failure {
	fc, fail := c.export(e.Function)
	if fail != nil {
		return fail
	}
	if _, _, fail := fc.args(e.Params); fail != nil {
		return fail
	}
	if e.Result == nil {
		return nil
	}
	if !fc.resultSame {
		from, to := typeWIT(fc.src.Result), typeWIT(fc.dst.Result)
		if from == to {
			// Same name, different definition: show the definitions.
			from, to = oneLineWIT(fc.src.Result.DefinitionWIT()), oneLineWIT(fc.dst.Result.DefinitionWIT())
		}
		return failf(ReasonExportResultChanged, "the result type of %s changed from %s to %s; a replay compares recorded results with the new build's",
			fc.target, from, to)
	}
	if _, fail := readResult(*e.Result, fc.src.Result, fc.target); fail != nil {
		if c.old == nil {
			// Read against the new type: a result that does not read is
			// a changed result type as far as this log can tell.
			fail.reason = ReasonExportResultChanged
		}
		return fail
	}
	return nil
}

func (c *checker) importCall(e *eventlog.Event) *failure {
	fc, fail := c.function(e.Function, true)
	if fail != nil {
		return fail
	}
	if _, _, fail := fc.args(e.Params); fail != nil {
		return fail
	}
	v, fail := readResult(*e.Result, fc.src.Result, fc.target)
	if fail != nil {
		if c.old == nil {
			fail.reason = ReasonResultIncompatible
		}
		return fail
	}
	if fc.result != nil && fc.src.Result != nil {
		if _, err := fc.result.Convert(v); err != nil {
			return failf(ReasonResultIncompatible, "the recorded result %s of %s does not convert from %s to %s: %s",
				clip(*e.Result), fc.target, typeWIT(fc.src.Result), typeWIT(fc.dst.Result), err)
		}
	} else if fc.result != nil && fc.dst.Result != nil {
		return failf(ReasonResultIncompatible, "%s returned nothing in the old build and returns %s in the new one",
			fc.target, fc.dst.Result.WIT())
	}
	return nil
}

// oneLineWIT puts a multi-line WIT definition on one line.
func oneLineWIT(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), ", }", " }")
}

func typeWIT(t *wit.Type) string {
	if t == nil {
		return "no result"
	}
	return t.WIT()
}

func clip(s string) string {
	const n = 120
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
