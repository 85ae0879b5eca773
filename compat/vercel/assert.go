package vercel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/compat"
)

// Notes of run checks.
const (
	// FinishedNote: finished runs are not replayed.
	FinishedNote = "finished runs (completed, failed or cancelled) are not replayed by a new deployment: their problems are listed and do not fail the check"
	// BranchNote: the order of a branching workflow's calls is not known,
	// but the old build's graph was the same.
	BranchNote = "the workflow's graph branches, runs in parallel or loops, so the order of its calls was not checked; its graph is the same in the old build (--old), so the run's calls were recorded by the same code"
)

// AssertEvents checks one event list against the new manifest, as
// AssertRun does; an event list holding several runs is checked as the
// first. It is kept for callers that read one list; LoadRuns and AssertRun
// handle local-world stores and several runs.
func AssertEvents(l *EventList, m *Manifest) *compat.LogResult {
	ld := &loader{byID: map[string]*Run{}, status: map[string]runRecord{}}
	for _, e := range l.Events {
		_ = ld.add(e, l.Name)
	}
	if len(ld.order) == 0 {
		return &compat.LogResult{Log: l.Name, OK: true, TypedBy: compat.TypedByNone, Notes: []string{NoTypesNote}, Status: compat.StatusInFlight}
	}
	runs, _ := ld.finish()
	res := AssertRun(runs[0], m)
	res.Log = l.Name
	return res
}

// AssertRun checks whether the new deployment (manifest m) can take over
// run r, the way the DevKit runtime replays it: it replays the run's
// events through the new workflow code, so
//   - the run's workflow must exist (else WorkflowNotRegisteredError);
//   - the calls the run recorded (steps, sleeps, hooks, in the order of
//     their correlation ids) must be the first calls the new workflow
//     makes — a renamed or removed step, or a new call before a recorded
//     one, fails the replay (ReplayDivergenceError); new calls after the
//     recorded ones are fine;
//   - every class a recorded value refers to must exist (a moved class
//     fails with `Class "…" not found`), and every step a recorded value
//     holds.
//
// Every problem is reported (Problems, in event order; the first also in
// Line, Reason and Message). A finished run is not replayed: it is
// reported with its status and its problems, and never fails.
func AssertRun(r *Run, m *Manifest) *compat.LogResult {
	return AssertRunAgainst(r, m, nil)
}

// AssertRunAgainst is AssertRun knowing the old build's manifest too (nil
// if unknown): a workflow whose graph branches, runs steps in parallel or
// loops has no single order of calls to check a run against, which leaves
// the run unproven unless old has the very same graph.
func AssertRunAgainst(r *Run, m, old *Manifest) *compat.LogResult {
	res := &compat.LogResult{Log: r.Source, Events: len(r.Events), TypedBy: compat.TypedByNone, Notes: []string{NoTypesNote}, Status: compat.StatusInFlight}
	if r.Finished() {
		res.Status = compat.StatusFinished
	}
	c := &runCheck{r: r, m: m, old: old, pos: map[*Event]int{}}
	for i, e := range r.Events {
		c.pos[e] = i
	}
	wf := m.Lookup(KindWorkflow, r.Workflow)
	switch {
	case r.Workflow == "":
		// Without its workflow neither its existence nor the order of
		// the run's calls can be checked: unproven, not compatible.
		c.problem(c.first("run_created"), compat.LogProblem{
			Subject: r.ID, Reason: compat.ReasonOrderUnproven,
			Message: fmt.Sprintf("no event of run %s names its workflow (no run_created in the list, no run record): whether the new build has the workflow and makes the run's recorded calls first was not checked; not proven — "+
				"export the whole run (wf inspect events --runId %s --json --withData) or give the local world's store", r.ID, r.ID),
		})
	case !r.Finished() && !c.has("run_created"):
		// The run's events are listed from somewhere after its start
		// (a list cut short, some files of a store): its input was not
		// seen, nor the calls it made before the first event listed,
		// and the calls listed may be lined up with the wrong ones.
		c.problem(c.first("run_created"), compat.LogProblem{
			Subject: r.ID, Reason: compat.ReasonOrderUnproven,
			Message: fmt.Sprintf("the list has no run_created of run %s: it may not begin where the run did, so the run's input (the classes it refers to) and the calls made before its first event were not checked; not proven — "+
				"export the whole run (wf inspect events --runId %s --json --withData) or give the local world's store", r.ID, r.ID),
		})
	}
	if r.Workflow != "" && wf == nil {
		c.problem(c.first("run_created"), compat.LogProblem{
			Subject: r.Workflow, Reason: compat.ReasonWorkflowMissing,
			Message: fmt.Sprintf("run %s is a run of workflow %s, which the new manifest does not have%s: replaying it fails (WorkflowNotRegisteredError)",
				r.ID, r.Workflow, moveHint(m.Workflows, r.Workflow)),
		})
	}
	calls, unnamed, firstUnnamed := c.recordedCalls()
	if unnamed > 0 {
		// A call whose step is not known still took its place in the
		// run's sequence: the calls after it cannot be lined up with the
		// new workflow's.
		c.problem(firstUnnamed, compat.LogProblem{Subject: r.ID, Reason: compat.ReasonOrderUnproven,
			Message: fmt.Sprintf("%d step calls of the run name no step (no stepName, and no step_created with their correlationId): the order of the run's calls could not be checked; not proven", unnamed)})
	}
	c.order(calls, wf, &res.Notes)
	if enc := c.values(); enc != nil {
		// After every real problem, as stripped values below.
		p := compat.LogProblem{Subject: r.ID, Reason: compat.ReasonValuesNotRecorded,
			Message: "the run's recorded values are encrypted and were not decoded: the classes and steps they refer to were not checked, and a replay fails if one of them is gone; not proven"}
		p.Line, p.Event = enc.Line, enc.EventID
		if enc.File != r.Source {
			p.File = enc.File
		}
		c.problems = append(c.problems, posProblem{p, len(r.Events) + 1})
	}
	if stripped := c.stripped(); stripped != nil {
		// After every real problem: this one says what could not be checked.
		p := compat.LogProblem{Subject: r.ID, Reason: compat.ReasonValuesNotRecorded,
			Message: "the run's recorded values are not in the list (exported by `wf inspect events` without --withData): the classes they refer to were not checked, " +
				"and a replay fails if one of them is gone; export the run with --withData, or give the local world's store"}
		p.Line, p.Event = stripped.Line, stripped.EventID
		if stripped.File != r.Source {
			p.File = stripped.File
		}
		c.problems = append(c.problems, posProblem{p, len(r.Events) + 1})
	}

	sort.SliceStable(c.problems, func(i, j int) bool { return c.problems[i].pos < c.problems[j].pos })
	for _, p := range c.problems {
		res.Problems = append(res.Problems, p.LogProblem)
	}
	if len(res.Problems) == 0 {
		res.OK = true
		return res
	}
	first := res.Problems[0]
	res.Line, res.Function, res.Reason, res.Message = first.Line, first.Subject, first.Reason, first.Message
	if r.Finished() {
		res.OK = true
		res.Notes = append(res.Notes, FinishedNote)
	}
	return res
}

type runCheck struct {
	r        *Run
	m        *Manifest
	old      *Manifest
	pos      map[*Event]int
	problems []posProblem
	seen     map[string]bool // reason + subject already reported
}

type posProblem struct {
	compat.LogProblem
	pos int
}

// stripped returns the first event whose input `wf inspect` left out, or
// nil: run_created and step_created always record one (the argument list).
func (c *runCheck) stripped() *Event {
	for _, e := range c.r.Events {
		if e.Type != "run_created" && e.Type != "step_created" {
			continue
		}
		has := false
		for _, v := range e.Values {
			has = has || v.Field == "input"
		}
		if !has {
			return e
		}
	}
	return nil
}

// has reports whether the run has an event of type typ.
func (c *runCheck) has(typ string) bool {
	for _, e := range c.r.Events {
		if e.Type == typ {
			return true
		}
	}
	return false
}

func (c *runCheck) first(typ string) *Event {
	for _, e := range c.r.Events {
		if e.Type == typ {
			return e
		}
	}
	if len(c.r.Events) > 0 {
		return c.r.Events[0]
	}
	return nil
}

// problem records p at event e, once per reason and subject.
func (c *runCheck) problem(e *Event, p compat.LogProblem) {
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	key := p.Reason + "\x00" + p.Subject
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	pos := len(c.r.Events)
	if e != nil {
		p.Line, p.File, p.Event = e.Line, e.File, e.EventID
		if e.File == c.r.Source {
			p.File = ""
		}
		pos = c.pos[e]
	}
	c.problems = append(c.problems, posProblem{p, pos})
}

// recorded is one call a run recorded: its correlation id, kind, step
// and the event that created it.
type recorded struct {
	corr  string
	call  Call
	event *Event
}

// recordedCalls lists the calls the run recorded, in the order the
// workflow made them: by correlation id, whose ULID part the runtime draws
// from a monotonic generator (so the ids sort in call order), else in
// event order.
func (c *runCheck) recordedCalls() (out []recorded, unnamed int, firstUnnamed *Event) {
	byCorr := map[string]*recorded{}
	var calls []*recorded
	unnamedAt := func(e *Event) {
		unnamed++
		if firstUnnamed == nil || c.pos[e] < c.pos[firstUnnamed] {
			firstUnnamed = e
		}
	}
	for _, e := range c.r.Events {
		var kind string
		switch {
		case strings.HasPrefix(e.Type, "step_"):
			kind = CallStep
		case strings.HasPrefix(e.Type, "wait_"):
			kind = CallSleep
		case strings.HasPrefix(e.Type, "hook_"):
			kind = CallHook
		default:
			continue
		}
		if e.CorrelationID == "" {
			if kind == CallStep && e.StepName != "" {
				// A simplified list without correlation ids: each
				// step_created is a call.
				if e.Type == "step_created" {
					calls = append(calls, &recorded{call: Call{Kind: CallStep, StepID: e.StepName}, event: e})
				}
			} else if kind == CallStep {
				unnamedAt(e)
			}
			continue
		}
		rc := byCorr[e.CorrelationID]
		if rc == nil {
			rc = &recorded{corr: e.CorrelationID, call: Call{Kind: kind}, event: e}
			byCorr[e.CorrelationID] = rc
			calls = append(calls, rc)
		}
		if kind == CallStep && rc.call.StepID == "" && e.StepName != "" {
			rc.call.StepID = e.StepName
		}
	}
	out = make([]recorded, 0, len(calls))
	ulids := true
	for _, rc := range calls {
		if kind := rc.call.Kind; kind == CallStep && rc.call.StepID == "" {
			unnamedAt(rc.event)
			continue
		}
		if rc.corr == "" || !isULIDCorrelation(rc.corr) {
			ulids = false
		}
		out = append(out, *rc)
	}
	if ulids {
		sort.SliceStable(out, func(i, j int) bool { return ulidPart(out[i].corr) < ulidPart(out[j].corr) })
	}
	return out, unnamed, firstUnnamed
}

// isULIDCorrelation reports whether id is PREFIX_ULID (26 Crockford
// base32 characters), as the runtime writes correlation ids.
func isULIDCorrelation(id string) bool {
	u := ulidPart(id)
	if len(u) != 26 {
		return false
	}
	for _, ch := range u {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", ch) {
			return false
		}
	}
	return true
}

func ulidPart(id string) string {
	if i := strings.LastIndexByte(id, '_'); i >= 0 {
		return id[i+1:]
	}
	return id
}

func callStrings[T any](list []T, f func(T) Call) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = f(x).String()
	}
	return out
}

// order checks the recorded calls against the new workflow's.
func (c *runCheck) order(calls []recorded, wf *Entry, notes *[]string) {
	// Steps the code calls implicitly (__builtin_response_text for
	// res.text() on a fetch result, ...) are recorded but the graph does
	// not show them: compare the rest.
	recordedAny := len(calls) > 0
	var implicit []recorded
	for _, rc := range calls {
		if rc.call.Kind == CallStep && isImplicitStep(rc.call.StepID) {
			implicit = append(implicit, rc)
		}
	}
	if len(implicit) > 0 {
		kept := make([]recorded, 0, len(calls))
		for _, rc := range calls {
			if !(rc.call.Kind == CallStep && isImplicitStep(rc.call.StepID)) {
				kept = append(kept, rc)
			}
		}
		for _, rc := range implicit {
			if c.m.Lookup(KindStep, rc.call.StepID) == nil {
				c.problem(rc.event, compat.LogProblem{Subject: rc.call.StepID, Reason: compat.ReasonStepMissing,
					Message: fmt.Sprintf("the run recorded built-in step %s, which the new manifest does not have: replaying the run fails (ReplayDivergenceError)", rc.call.StepID)})
			}
		}
		calls = kept
	}
	// Steps no graph shows take a place in the sequence nobody can tell:
	// compare the rest (a divergence there is still a divergence) and,
	// if nothing diverges, say the order is unproven.
	hidden := c.m.HiddenSteps()
	var firstCall *Event
	if len(calls) > 0 {
		firstCall = calls[0].event
	}
	shown := callStrings(calls, func(r recorded) Call { return r.call })
	if len(hidden) > 0 {
		kept := calls[:0:0]
		for _, rc := range calls {
			if rc.call.Kind == CallStep && slices.Contains(hidden, rc.call.StepID) {
				continue
			}
			kept = append(kept, rc)
		}
		calls = kept
	}
	// Steps the new build does not have at all.
	missing := map[int]bool{}
	for i, rc := range calls {
		if rc.call.Kind == CallStep && c.m.Lookup(KindStep, rc.call.StepID) == nil {
			missing[i] = true
		}
	}
	recordedSeq := shown
	var expected []string
	if wf != nil && wf.Calls != nil {
		expected = callStrings(wf.Calls, func(c Call) Call { return c })
	}
	if wf != nil && wf.Calls == nil && recordedAny {
		// A workflow without a graph: the order of its calls is not known.
		at := firstCall
		if at == nil {
			at = implicit[0].event
		}
		c.problem(at, compat.LogProblem{Subject: wf.ID, Reason: compat.ReasonOrderUnproven, Recorded: recordedSeq,
			Message: fmt.Sprintf("the new manifest has no graph for workflow %s, so the order of its calls is not known: the run's recorded calls were not checked against it; not proven", wf.ID)})
	}
	diverge := -1
	// sameBranching: a branching workflow whose graph the old build had
	// too, accepted as making the calls the run recorded. Calls no graph
	// shows (hidden steps, implicit built-ins) are outside that graph, so
	// the checks for them below still apply.
	sameBranching := false
	if wf != nil && wf.Calls != nil {
		if !wf.Linear {
			var ow *Entry
			if c.old != nil {
				ow = c.old.Lookup(KindWorkflow, wf.ID)
			}
			if ow != nil && ow.Graph == wf.Graph && len(calls) > 0 {
				*notes = append(*notes, BranchNote)
				sameBranching = true
			} else if len(calls) > 0 {
				c.problem(calls[0].event, compat.LogProblem{Subject: wf.ID, Reason: compat.ReasonOrderUnproven, Recorded: shown, Expected: callStrings(wf.Calls, func(c Call) Call { return c }),
					Message: fmt.Sprintf("workflow %s branches, runs steps in parallel or loops, so its graph gives no one order of calls to check the run's recorded calls against; not proven "+
						"(with --old, a graph unchanged since the old build is accepted)", wf.ID)})
			}
		} else {
			for i, rc := range calls {
				if i >= len(wf.Calls) || wf.Calls[i] != rc.call {
					diverge = i
					break
				}
			}
		}
	}
	for i, rc := range calls {
		if !missing[i] && i != diverge {
			continue
		}
		p := compat.LogProblem{Subject: rc.call.String(), Recorded: recordedSeq, Expected: expected}
		switch {
		case missing[i]:
			p.Reason = compat.ReasonStepMissing
			p.Message = fmt.Sprintf("the run recorded step %s (call %d), which the new manifest does not have%s: replaying the run fails (ReplayDivergenceError)",
				rc.call.StepID, i+1, c.stepHint(rc.call.StepID, wf, i))
		case i >= len(wf.Calls):
			p.Reason = compat.ReasonStepOrderDiverges
			p.Message = fmt.Sprintf("the run recorded %d calls, but the new workflow %s makes only %d: the recorded %s (call %d) is not consumed and replaying the run fails (ReplayDivergenceError)",
				len(calls), wf.ID, len(wf.Calls), rc.call, i+1)
		default:
			p.Reason = compat.ReasonStepOrderDiverges
			p.Message = fmt.Sprintf("call %d of the run was %s, but the new workflow %s calls %s there: replaying the run fails (ReplayDivergenceError); new calls are fine only after the ones a run already recorded",
				i+1, rc.call, wf.ID, wf.Calls[i])
		}
		if !wf.isLinear() && !missing[i] {
			continue
		}
		c.problem(rc.event, p)
	}
	checked := wf.isLinear() || sameBranching
	if diverge < 0 && len(missing) == 0 && checked && len(implicit) > 0 {
		// Built-in steps the code calls implicitly (res.text() on a fetch
		// result) take correlation ids like any call, and no graph shows
		// them: a new build that no longer reads the body there, or reads
		// it elsewhere, diverges, and the manifests cannot tell.
		rc := implicit[0]
		c.problem(rc.event, compat.LogProblem{Subject: rc.call.StepID, Reason: compat.ReasonOrderUnproven, Recorded: recordedSeq, Expected: expected,
			Message: fmt.Sprintf("the run recorded built-in step %s (reading a fetch response), which no workflow graph shows: whether the new code still calls it at the same place is not known, "+
				"and a replay diverges if it does not; not proven", rc.call.StepID)})
	}
	if diverge < 0 && len(missing) == 0 && checked && len(hidden) > 0 && firstCall != nil {
		fit := "the run's recorded calls fit the new workflow's graph as far as it shows them"
		if sameBranching {
			fit = "the workflow's graph is the same in the old build"
		}
		p := compat.LogProblem{Subject: wf.ID, Reason: compat.ReasonOrderUnproven, Recorded: recordedSeq, Expected: expected,
			Message: fmt.Sprintf("%s, but the new build has steps no workflow graph shows (%s): "+
				"the DevKit's graphs leave out calls that are not awaited, so if this workflow calls one before its recorded calls the replay diverges; not proven",
				fit, strings.Join(hidden, ", "))}
		c.problem(firstCall, p)
	}
}

func (e *Entry) isLinear() bool { return e != nil && e.Linear }

// stepHint explains a recorded step the new manifest lacks: a built-in
// step of another workflow package version, a step at the same place of
// the workflow in the same file (a probable rename), or one with the same
// name in another file (a move). A plain removal gets no hint.
func (c *runCheck) stepHint(id string, wf *Entry, i int) string {
	if pkg, name, ver, ok := builtinStep(id); ok {
		for _, s := range c.m.Steps {
			if p2, n2, v2, ok := builtinStep(s.ID); ok && p2 == pkg && n2 == name && v2 != ver {
				return fmt.Sprintf(" (it has %s: built-in step ids carry the %s package version, which changed from %s to %s; "+
					"runs that called %s on the old version cannot be replayed by the new deployment — let them finish on the old one, or keep %s@%s until they have)",
					s.ID, pkg, ver, v2, name, pkg, ver)
			}
		}
		return ""
	}
	if wf.isLinear() && i < len(wf.Calls) {
		if n := wf.Calls[i]; n.Kind == CallStep && n.StepID != id && sameFile(n.StepID, id) && c.m.Lookup(KindStep, n.StepID) != nil {
			return fmt.Sprintf(" (the new workflow calls %s at that place, from the same file: probably renamed)", n.StepID)
		}
	}
	return moveHint(c.m.Steps, id)
}

// values checks the classes and steps recorded values refer to. It
// returns the first event with an encrypted value (not decoded, so not
// checked), nil when there is none.
func (c *runCheck) values() (encrypted *Event) {
	for _, e := range c.r.Events {
		for _, v := range e.Values {
			if v.Format == FormatEncrypted {
				if encrypted == nil {
					encrypted = e
				}
				continue
			}
			for _, id := range v.Classes {
				if c.m.Lookup(KindClass, id) != nil {
					continue
				}
				c.problem(e, compat.LogProblem{Subject: id, Reason: compat.ReasonClassMissing,
					Message: fmt.Sprintf("the %s of event %s (%s) holds an instance of class %s, which the new manifest does not have%s: deserializing it fails (Class %q not found)",
						v.Field, eventName(e), e.Type, id, moveHint(c.m.Classes, id), id)})
			}
			for _, id := range v.Steps {
				if c.m.Lookup(KindStep, id) != nil {
					continue
				}
				c.problem(e, compat.LogProblem{Subject: id, Reason: compat.ReasonStepMissing,
					Message: fmt.Sprintf("the %s of event %s (%s) holds step function %s, which the new manifest does not have%s",
						v.Field, eventName(e), e.Type, id, moveHint(c.m.Steps, id))})
			}
		}
	}
	return encrypted
}

func eventName(e *Event) string {
	if e.EventID != "" {
		return e.EventID
	}
	return fmt.Sprintf("%d", e.Index)
}

// isImplicitStep reports whether a step id is one of the DevKit's
// built-in steps without a "step//" id (__builtin_response_json, ...),
// which code calls implicitly and graphs do not show.
func isImplicitStep(id string) bool { return strings.HasPrefix(id, "__builtin_") }

// splitID splits "kind//file//name" into file and name.
func splitID(id string) (file, name string, ok bool) {
	parts := strings.Split(id, "//")
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[1], parts[2], true
}

func sameFile(a, b string) bool {
	fa, _, ok1 := splitID(a)
	fb, _, ok2 := splitID(b)
	return ok1 && ok2 && fa == fb
}

// builtinStep splits a built-in step id "step//PKG@VERSION//NAME".
func builtinStep(id string) (pkg, name, version string, ok bool) {
	file, name, ok := splitID(id)
	if !ok || strings.HasPrefix(file, ".") {
		return "", "", "", false
	}
	at := strings.LastIndex(file, "@")
	if at <= 0 {
		return "", "", "", false
	}
	return file[:at], name, file[at+1:], true
}

// moveHint names an entry with the same name in another file (a likely
// move) for a message, or "".
func moveHint(list []*Entry, id string) string {
	_, name, ok := splitID(id)
	if !ok {
		return ""
	}
	for _, e := range list {
		if _, n, ok := splitID(e.ID); ok && n == name && e.ID != id {
			return fmt.Sprintf(" (it has %s: moved?)", e.ID)
		}
	}
	return ""
}

// AssertRuns checks the recorded inputs of an event list: the workflow each
// run_created starts must exist in the new manifest, and the classes and
// steps its input refers to. The input is shown decoded; a payload
// `wf inspect` stripped (no --withData) shows as "arguments not recorded".
func AssertRuns(l *EventList, m *Manifest) []compat.InputResult {
	var out []compat.InputResult
	for _, e := range l.Events {
		if e.Type != "run_created" {
			continue
		}
		out = append(out, assertStart(fmt.Sprintf("%s:%d", l.Name, e.Line), e, m))
	}
	return out
}

// AssertRunInputs is AssertRuns for runs read by LoadRuns.
func AssertRunInputs(runs []*Run, m *Manifest) []compat.InputResult {
	var out []compat.InputResult
	for _, r := range runs {
		for _, e := range r.Events {
			if e.Type != "run_created" {
				continue
			}
			src := fmt.Sprintf("%s:%d", e.File, e.Line)
			out = append(out, assertStart(src, e, m))
		}
	}
	return out
}

// NotRecorded stands for arguments `wf inspect` did not export.
const NotRecorded = "<arguments not recorded: export the events with --withData>"

func assertStart(src string, e *Event, m *Manifest) compat.InputResult {
	r := compat.InputResult{
		Source:   src,
		Function: e.WorkflowName,
		Args:     NotRecorded,
		TypedBy:  compat.TypedByNone,
		Notes:    []string{NoTypesNote},
	}
	var input *Value
	for i := range e.Values {
		if e.Values[i].Field == "input" {
			input = &e.Values[i]
		}
	}
	if input != nil {
		r.Args = displayValue(input.Payload)
	}
	if m.Lookup(KindWorkflow, e.WorkflowName) == nil {
		r.Reason = compat.ReasonWorkflowMissing
		r.Message = fmt.Sprintf("the new manifest has no workflow %s%s", e.WorkflowName, moveHint(m.Workflows, e.WorkflowName))
		return r
	}
	if input == nil {
		r.Reason = compat.ReasonValuesNotRecorded
		r.Message = "the workflow exists, but the input was not exported (`wf inspect events` without --withData): the classes it refers to were not checked"
		return r
	}
	if input.Payload != nil && input.Format == FormatEncrypted {
		r.Reason = compat.ReasonValuesNotRecorded
		r.Message = "the workflow exists, but the input is encrypted and was not decoded: the classes and steps it refers to were not checked"
		return r
	}
	if input != nil {
		for _, id := range input.Classes {
			if m.Lookup(KindClass, id) == nil {
				r.Reason = compat.ReasonClassMissing
				r.Message = fmt.Sprintf("the input holds an instance of class %s, which the new manifest does not have%s", id, moveHint(m.Classes, id))
				return r
			}
		}
		for _, id := range input.Steps {
			if m.Lookup(KindStep, id) == nil {
				r.Reason = compat.ReasonStepMissing
				r.Message = fmt.Sprintf("the input holds step function %s, which the new manifest does not have%s", id, moveHint(m.Steps, id))
				return r
			}
		}
	}
	r.OK, r.Target, r.Converted = true, e.WorkflowName, r.Args
	return r
}

// displayValue renders a decoded payload as compact JSON.
func displayValue(p *Payload) string {
	if p == nil {
		return NotRecorded
	}
	if p.Format == FormatEncrypted {
		return "(encrypted)"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p.Value); err != nil {
		return fmt.Sprintf("%v", p.Value)
	}
	return strings.TrimSpace(b.String())
}

// AssertInput checks one workflow start given by hand: the workflow must
// exist in the new manifest.
func AssertInput(in compat.Input, m *Manifest) compat.InputResult {
	r := compat.InputResult{Source: in.Source, Function: in.Function, Args: in.Args, TypedBy: compat.TypedByNone, Notes: []string{NoTypesNote}}
	if m.Lookup(KindWorkflow, in.Function) == nil {
		r.Reason = compat.ReasonWorkflowMissing
		r.Message = fmt.Sprintf("the new manifest has no workflow %s%s", in.Function, moveHint(m.Workflows, in.Function))
		return r
	}
	r.OK, r.Target, r.Converted = true, in.Function, in.Args
	return r
}

func compactJSON(raw []byte) string {
	if raw == nil {
		return ""
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
