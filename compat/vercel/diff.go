package vercel

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/wfcompat/wfcompat/compat"
)

// Rule IDs of Vercel manifest findings. They are stable.
const (
	RuleWorkflowRemoved      = "VERCEL_WORKFLOW_REMOVED"
	RuleWorkflowRenamed      = "VERCEL_WORKFLOW_RENAMED"
	RuleWorkflowAdded        = "VERCEL_WORKFLOW_ADDED"
	RuleWorkflowStepsChanged = "VERCEL_WORKFLOW_STEPS_CHANGED"
	RuleStepRemoved          = "VERCEL_STEP_REMOVED"
	RuleStepRenamed          = "VERCEL_STEP_RENAMED"
	RuleStepAdded            = "VERCEL_STEP_ADDED"
	RuleClassRemoved         = "VERCEL_CLASS_REMOVED"
	RuleStepOrderChanged     = "VERCEL_STEP_ORDER_CHANGED"
	RuleWorkflowStepsAdded   = "VERCEL_WORKFLOW_STEPS_APPENDED"
	RuleBuiltinStepVersion   = "VERCEL_BUILTIN_STEP_VERSION_CHANGED"
	RuleStepNotInGraph       = "VERCEL_STEP_NOT_IN_GRAPH"
)

var (
	workflowGone = []compat.Effect{{Mode: compat.ModeAPI, Verdict: compat.Unsafe}, {Mode: compat.ModeRestart, Verdict: compat.Unsafe}, {Mode: compat.ModeReplay, Verdict: compat.Unsafe}}
	replayBreaks = []compat.Effect{{Mode: compat.ModeReplay, Verdict: compat.Unsafe}}
)

// rules is the Vercel part of the rule catalog, as data in the shape of
// compat's. compat cannot list them itself (this package imports compat),
// so Rules hands them out for `wfcompat rules` and the docs.
var rules = []compat.Rule{
	{
		ID:       RuleWorkflowRemoved,
		Purpose:  "A workflow of the old deployment is not in the new manifest.",
		Why:      "Runs are started, restarted and resumed by workflow id; runs of a removed workflow have no code to run on.",
		Severity: compat.SeverityError,
		Effects:  workflowGone,
		Example:  compat.Example{Before: `"workflows": {"src/workflows/order.ts": {"fulfill": {"workflowId": "workflow//./src/workflows/order//fulfill"}}}`, After: `"workflows": {}`},
	},
	{
		ID:       RuleWorkflowRenamed,
		Purpose:  "A workflow seems renamed or moved: its id is gone and a new id appeared in the same file or under the same export name.",
		Why:      "A rename is a removal plus an addition: runs recorded under the old id find no workflow of that id.",
		Severity: compat.SeverityError,
		Effects:  workflowGone,
		Example:  compat.Example{Before: `"src/workflows/order.ts": {"fulfill": {"workflowId": "workflow//./src/workflows/order//fulfill"}}`, After: `"src/workflows/order.ts": {"fulfillOrder": {"workflowId": "workflow//./src/workflows/order//fulfillOrder"}}`},
	},
	{
		ID:       RuleWorkflowAdded,
		Purpose:  "The new manifest has a workflow the old one did not.",
		Why:      "New workflows cannot break existing runs; listed for completeness.",
		Severity: compat.SeverityInfo,
		Effects:  []compat.Effect{{Mode: compat.ModeAPI, Verdict: compat.Safe}},
		Example:  compat.Example{Before: `"workflows": {}`, After: `"workflows": {"src/workflows/order.ts": {"refund": {"workflowId": "workflow//./src/workflows/order//refund"}}}`},
	},
	{
		ID:       RuleStepOrderChanged,
		Purpose:  "A workflow no longer makes its calls (steps, sleeps, hooks) in the order it did: a call was inserted before, removed from or swapped among the old ones.",
		Why:      "The DevKit replays a run's recorded events through the new code, handing the n-th recorded call to the n-th call the code makes; a different call there fails the run with ReplayDivergenceError. Only calls added after all the old ones are safe.",
		Severity: compat.SeverityError,
		Effects:  replayBreaks,
		Example:  compat.Example{Before: `graph: reserveStock -> chargeCard -> sleep -> shipOrder`, After: `graph: reserveStock -> checkFraud -> chargeCard -> sleep -> shipOrder`},
	},
	{
		ID:       RuleWorkflowStepsAdded,
		Purpose:  "A workflow makes new calls after all the calls it made before.",
		Why:      "Runs in flight replay their recorded calls, which the new code still makes first, then go on to the new ones: safe for replay.",
		Severity: compat.SeverityInfo,
		Effects:  []compat.Effect{{Mode: compat.ModeReplay, Verdict: compat.Safe}},
		Example:  compat.Example{Before: `graph: chargeCard -> shipOrder`, After: `graph: chargeCard -> shipOrder -> notifyCustomer`},
	},
	{
		ID:       RuleBuiltinStepVersion,
		Purpose:  "A built-in step of the workflow package (step//workflow@VERSION//fetch) has a new id because the package version changed (an upgrade or a downgrade).",
		Why:      "Built-in step ids carry the package version, so a run that called the step on the old version recorded the old id and replaying it on the new deployment diverges (ReplayDivergenceError, observed with workflow 4.8.9 -> 4.8.8). Runs that ended are not affected; let in-flight runs that called the step finish before deploying the new version, or keep the old package version until they have.",
		Severity: compat.SeverityError,
		Effects:  replayBreaks,
		Example:  compat.Example{Before: `"steps": {"node_modules/workflow/dist/stdlib.js": {"fetch": {"stepId": "step//workflow@4.8.9//fetch"}}}`, After: `"steps": {"node_modules/workflow/dist/stdlib.js": {"fetch": {"stepId": "step//workflow@4.9.0//fetch"}}}`},
	},
	{
		ID:       RuleStepNotInGraph,
		Purpose:  "A step of the app is in no workflow graph of the new build, and was in one before or is new.",
		Why:      "The DevKit's graphs leave out calls that are not awaited (`void audit(x)`): such a step may be called anywhere, and a call before ones that runs recorded makes their replay diverge. The order the graphs give is then not proven.",
		Severity: compat.SeverityWarning,
		Effects:  []compat.Effect{{Mode: compat.ModeReplay, Verdict: compat.Unproven}},
		Example:  compat.Example{Before: `graph: chargeCard -> shipOrder`, After: `graph: chargeCard -> shipOrder; steps also has auditLog (called as void auditLog(id))`},
	},
	{
		ID:       RuleWorkflowStepsChanged,
		Purpose:  "A workflow whose graph branches, runs steps in parallel or loops calls a different set of steps than before, or its graph changed.",
		Why:      "Resumed runs replay the workflow function against their recorded steps; when the graph has no single order, static analysis cannot tell whether a run's record still matches.",
		Severity: compat.SeverityWarning,
		Effects:  []compat.Effect{{Mode: compat.ModeReplay, Verdict: compat.Unproven}},
		Example:  compat.Example{Before: `graph nodes: charge, ship`, After: `graph nodes: charge, notify, ship`},
	},
	{
		ID:       RuleStepRemoved,
		Purpose:  "A step of the old deployment is not in the new manifest.",
		Why:      "Runs resumed on the new deployment replay their recorded steps by id; a recorded step with no code cannot be replayed or retried.",
		Severity: compat.SeverityError,
		Effects:  replayBreaks,
		Example:  compat.Example{Before: `"steps": {"src/workflows/order.ts": {"charge": {"stepId": "step//./src/workflows/order//charge"}}}`, After: `"steps": {}`},
	},
	{
		ID:       RuleStepRenamed,
		Purpose:  "A step seems renamed or moved: its id is gone and a new id took its place in a workflow's graph in the same file, or appeared under the same name in another file.",
		Why:      "A rename is a removal plus an addition: runs that recorded the old step id cannot replay it on the new deployment.",
		Severity: compat.SeverityError,
		Effects:  replayBreaks,
		Example:  compat.Example{Before: `"src/workflows/order.ts": {"charge": {"stepId": "step//./src/workflows/order//charge"}}`, After: `"src/workflows/order.ts": {"chargeCard": {"stepId": "step//./src/workflows/order//chargeCard"}}`},
	},
	{
		ID:       RuleStepAdded,
		Purpose:  "The new manifest has a step the old one did not.",
		Why:      "A new step breaks nothing by itself; a workflow that now calls it is reported separately.",
		Severity: compat.SeverityInfo,
		Effects:  []compat.Effect{{Mode: compat.ModeReplay, Verdict: compat.Safe}},
		Example:  compat.Example{Before: `"steps": {}`, After: `"steps": {"src/workflows/order.ts": {"notify": {"stepId": "step//./src/workflows/order//notify"}}}`},
	},
	{
		ID:       RuleClassRemoved,
		Purpose:  "A serializable class of the old deployment is not in the new manifest.",
		Why:      "Recorded inputs and step results holding instances of the class cannot be deserialized by the new deployment.",
		Severity: compat.SeverityError,
		Effects:  []compat.Effect{{Mode: compat.ModeRestart, Verdict: compat.Unsafe}, {Mode: compat.ModeReplay, Verdict: compat.Unsafe}},
		Example:  compat.Example{Before: `"classes": {"src/models.ts": {"Order": {"classId": "class//./src/models//Order"}}}`, After: `"classes": {}`},
	},
}

// Rules returns the Vercel rules, in listing order.
func Rules() []compat.Rule {
	out := slices.Clone(rules)
	for i := range out {
		out[i].Effects = slices.Clone(out[i].Effects)
	}
	return out
}

// NoTypesNote is the reason given on every mode that depends on values:
// the DevKit's manifests say which workflows and steps exist, not what
// their arguments and results look like.
const NoTypesNote = "Vercel Workflow manifests carry no types: argument and result shapes of workflows and steps were not checked"

// Diff compares the manifest of the running deployment (old) with the new
// one, in the shape of compat.Diff's report: a finding per removed, renamed
// or added workflow, step and class, and a verdict per mode. Snapshot and
// in-flight do not apply to Vercel workflows. Since the manifests carry no
// types, no mode that depends on argument shapes is ever better than
// unproven.
func Diff(old, new *Manifest) *compat.Report {
	return DiffArtifacts(old, new, compat.Artifact{Kind: Kind}, compat.Artifact{Kind: Kind})
}

// DiffArtifacts is Diff with the two sides named in the report.
func DiffArtifacts(old, new *Manifest, oldArt, newArt compat.Artifact) *compat.Report {
	return DiffWith(old, new, compat.Options{Old: oldArt, New: newArt})
}

// registry is compat's rules and these, for a DiffWith given none.
var registry = sync.OnceValue(func() *compat.Registry {
	r, err := compat.NewRegistry(rules)
	if err != nil {
		panic(err) // a rule ID clash is a bug the tests catch
	}
	return r
})

// DiffWith is Diff with the sides named by opts.Old and opts.New, opts.Policy
// applied to the findings (wfcompat.yaml's except, ignore and severity name
// VERCEL_ rules too) and opts.Rules the registry (nil: compat's rules and
// Rules()); the other options do not apply to Vercel manifests.
func DiffWith(old, new *Manifest, opts compat.Options) *compat.Report {
	if old == nil {
		old = &Manifest{}
	}
	if new == nil {
		new = &Manifest{}
	}
	reg := opts.Rules
	if reg == nil {
		reg = registry()
	}
	d := &differ{b: compat.NewBuilder(reg, opts.Policy)}
	d.entries(KindWorkflow, old.Workflows, new.Workflows, nil, nil)
	places, placeWF := stepPlaces(old, new)
	renamed := d.entries(KindStep, old.Steps, new.Steps, places, placeWF)
	d.classes(old.Classes, new.Classes)
	d.graphs(old, new, renamed)
	d.hidden(old, new)
	return d.report(opts.Old, opts.New)
}

type differ struct {
	b *compat.Builder
}

func (d *differ) add(id, subject, message, old, new string) {
	d.b.Add(compat.Finding{Rule: id, Subject: subject, Message: message, Old: old, New: new})
}

// decl renders an entry for a finding's Old or New.
func decl(e *Entry) string {
	if e == nil {
		return ""
	}
	if e.File == "" {
		return e.ID
	}
	return fmt.Sprintf("%s (export %s of %s)", e.ID, e.Export, e.File)
}

// entries compares workflows or steps: removed ids, with a removed id
// paired to an added one when they look like a rename (see pairRenames
// and stepPairs) or, for built-in steps, a package upgrade.
func (d *differ) entries(kind string, olds, news []*Entry, known, placeWF map[*Entry]*Entry) map[*Entry]*Entry {
	var removed, added []*Entry
	for _, o := range olds {
		if !has(news, o.ID) {
			removed = append(removed, o)
		}
	}
	for _, n := range news {
		if !has(olds, n.ID) {
			added = append(added, n)
		}
	}
	pairs := pairRenames(removed, added, known)
	ruleRemoved, ruleRenamed, ruleAdded := RuleWorkflowRemoved, RuleWorkflowRenamed, RuleWorkflowAdded
	what := "workflow"
	if kind == KindStep {
		ruleRemoved, ruleRenamed, ruleAdded = RuleStepRemoved, RuleStepRenamed, RuleStepAdded
		what = "step"
	}
	consequence := "runs of it started on the old deployment have no workflow to restart or resume on the new one (WorkflowNotRegisteredError)"
	if kind == KindStep {
		consequence = "in-flight runs that recorded it cannot replay it on the new deployment (ReplayDivergenceError)"
	}
	renamedTo := map[*Entry]bool{}
	for _, o := range removed {
		n := pairs[o]
		if n == nil {
			d.add(ruleRemoved, o.ID, fmt.Sprintf("%s %s was removed: %s", what, o.ID, consequence), decl(o), "")
			continue
		}
		renamedTo[n] = true
		if pkg, name, v1, ok := builtinStep(o.ID); ok {
			_, _, v2, _ := builtinStep(n.ID)
			d.add(RuleBuiltinStepVersion, o.ID, fmt.Sprintf(
				"built-in step %s of the %s package is now %s: the package version changed from %s to %s and built-in step ids carry it; "+
					"in-flight runs that called %s on the old deployment recorded %s and fail to replay on the new one (ReplayDivergenceError), runs that ended are not affected",
				name, pkg, n.ID, v1, v2, name, o.ID), decl(o), decl(n))
			continue
		}
		how := "renamed"
		if n.File != o.File {
			how = "moved"
		}
		where := ""
		if w := placeWF[o]; w != nil && n.File == o.File {
			where = fmt.Sprintf(" (it takes the old step's place in workflow %s)", w.ID)
		}
		d.add(ruleRenamed, o.ID, fmt.Sprintf(
			"%s %s was probably %s to %s%s; a renamed %s is a removal plus an addition: %s",
			what, o.ID, how, n.ID, where, what, consequence), decl(o), decl(n))
	}
	for _, n := range added {
		if renamedTo[n] {
			continue
		}
		d.add(ruleAdded, n.ID, fmt.Sprintf("%s %s was added", what, n.ID), "", decl(n))
	}
	return pairs
}

func has(list []*Entry, id string) bool {
	for _, e := range list {
		if e.ID == id {
			return true
		}
	}
	return false
}

// stepPlaces pairs steps by their place in workflow graphs: where a
// workflow of both manifests calls, at the same position, an old step the
// new manifest lacks and a new step the old one lacked, from the same
// file, the new step probably is the old one renamed. The value is the
// workflow, keyed by old step; next to it the new step.
func stepPlaces(old, new *Manifest) (byOld map[*Entry]*Entry, workflow map[*Entry]*Entry) {
	byOld, workflow = map[*Entry]*Entry{}, map[*Entry]*Entry{}
	taken := map[*Entry]bool{}
	for _, ow := range old.Workflows {
		nw := new.Lookup(KindWorkflow, ow.ID)
		if nw == nil {
			continue
		}
		for i := 0; i < len(ow.Calls) && i < len(nw.Calls); i++ {
			oc, nc := ow.Calls[i], nw.Calls[i]
			if oc.Kind != CallStep || nc.Kind != CallStep || oc.StepID == nc.StepID || !sameFile(oc.StepID, nc.StepID) {
				continue
			}
			o, n := old.Lookup(KindStep, oc.StepID), new.Lookup(KindStep, nc.StepID)
			if o == nil || n == nil || new.Lookup(KindStep, o.ID) != nil || old.Lookup(KindStep, n.ID) != nil || byOld[o] != nil || taken[n] {
				continue
			}
			byOld[o], workflow[o], taken[n] = n, ow, true
		}
	}
	return byOld, workflow
}

// pairRenames pairs removed entries with added ones: the pairs known from
// graph places first, then a built-in step at another package version,
// then the same export name in another file (a move), then, for workflows
// only, in a file where exactly one was removed and one added, those two.
// Steps are not paired by file alone: a removal plus an unrelated addition
// is not a rename.
func pairRenames(removed, added []*Entry, known map[*Entry]*Entry) map[*Entry]*Entry {
	pairs := map[*Entry]*Entry{}
	taken := map[*Entry]bool{}
	paired := map[*Entry]bool{}
	for _, o := range removed {
		for _, n := range added {
			if known != nil && known[o] != nil && known[o] == n && !taken[n] {
				pairs[o], taken[n], paired[o] = n, true, true
			}
		}
	}
	for _, o := range removed {
		if paired[o] {
			continue
		}
		if pkg, name, _, ok := builtinStep(o.ID); ok {
			for _, n := range added {
				if p2, n2, _, ok := builtinStep(n.ID); ok && !taken[n] && p2 == pkg && n2 == name {
					pairs[o], taken[n], paired[o] = n, true, true
					break
				}
			}
		}
	}
	for _, o := range removed {
		if paired[o] || o.Export == "" {
			continue
		}
		for _, n := range added {
			if !taken[n] && n.Export == o.Export && n.File != o.File {
				pairs[o], taken[n], paired[o] = n, true, true
				break
			}
		}
	}
	count := func(list []*Entry, file string, skip map[*Entry]bool) (int, *Entry) {
		c, last := 0, (*Entry)(nil)
		for _, e := range list {
			if e.File == file && !skip[e] {
				c, last = c+1, e
			}
		}
		return c, last
	}
	for _, o := range removed {
		if paired[o] || o.File == "" || (known != nil && o.Kind == KindStep) {
			continue
		}
		nr, _ := count(removed, o.File, paired)
		na, n := count(added, o.File, taken)
		if nr == 1 && na == 1 {
			pairs[o], taken[n], paired[o] = n, true, true
		}
	}
	return pairs
}

// classes reports removed classes.
func (d *differ) classes(olds, news []*Entry) {
	for _, o := range olds {
		if !has(news, o.ID) {
			d.add(RuleClassRemoved, o.ID, fmt.Sprintf(
				"class %s was removed%s: in-flight runs whose recorded values hold its instances fail on the new deployment (Class %q not found)",
				o.ID, moveHint(news, o.ID), o.ID), decl(o), "")
		}
	}
}

// graphs compares the calls of workflows present on both sides, old
// step ids mapped through renames: with two linear graphs, old calls
// still first is fine (new calls appended are listed), anything else
// changes the order runs replay in; branching graphs are compared as sets.
func (d *differ) graphs(old, new *Manifest, renamed map[*Entry]*Entry) {
	mapID := map[string]string{}
	for o, n := range renamed {
		mapID[o.ID] = n.ID
	}
	for _, o := range old.Workflows {
		n := new.Lookup(KindWorkflow, o.ID)
		if n == nil || o.Calls == nil || n.Calls == nil {
			continue
		}
		oc := make([]Call, len(o.Calls))
		for i, c := range o.Calls {
			if id, ok := mapID[c.StepID]; ok && c.Kind == CallStep {
				c.StepID = id
			}
			oc[i] = c
		}
		render := func(calls []Call) string {
			return "calls: " + strings.Join(callStrings(calls, func(c Call) Call { return c }), " -> ")
		}
		if o.Linear && n.Linear {
			i := 0
			for i < len(oc) && i < len(n.Calls) && oc[i] == n.Calls[i] {
				i++
			}
			switch {
			case i == len(oc) && i == len(n.Calls):
			case i == len(oc):
				d.add(RuleWorkflowStepsAdded, o.ID, fmt.Sprintf(
					"workflow %s now also calls %s after the calls it made before: in-flight runs replay their recorded calls and go on to the new ones",
					o.ID, strings.Join(callStrings(n.Calls[i:], func(c Call) Call { return c }), ", ")), render(o.Calls), render(n.Calls))
			case i == len(n.Calls):
				d.add(RuleStepOrderChanged, o.ID, fmt.Sprintf(
					"workflow %s no longer makes call %d (%s) and after: in-flight runs that recorded it have events the new code does not consume and fail to replay (ReplayDivergenceError)",
					o.ID, i+1, oc[i]), render(o.Calls), render(n.Calls))
			default:
				d.add(RuleStepOrderChanged, o.ID, fmt.Sprintf(
					"call %d of workflow %s was %s and is now %s: in-flight runs that recorded %d or more calls fail to replay on the new deployment (ReplayDivergenceError); runs with fewer recorded calls are not affected",
					i+1, o.ID, oc[i], n.Calls[i], i+1), render(o.Calls), render(n.Calls))
			}
			continue
		}
		var gone, extra []string
		oldSteps, newSteps := []string{}, n.Steps
		for _, c := range oc {
			if c.Kind == CallStep {
				oldSteps = append(oldSteps, c.StepID)
			}
		}
		for _, s := range oldSteps {
			if !slices.Contains(newSteps, s) && !slices.Contains(gone, s) {
				gone = append(gone, s)
			}
		}
		for _, s := range newSteps {
			if !slices.Contains(oldSteps, s) && !slices.Contains(extra, s) {
				extra = append(extra, s)
			}
		}
		if len(gone) == 0 && len(extra) == 0 {
			if o.Graph != n.Graph && o.Graph != "" && n.Graph != "" && len(mapID) == 0 {
				d.add(RuleWorkflowStepsChanged, o.ID, fmt.Sprintf(
					"the graph of workflow %s changed (same steps); it branches, runs steps in parallel or loops, so whether runs resumed on the new deployment still match their recorded calls is not known statically", o.ID),
					render(o.Calls), render(n.Calls))
			}
			continue
		}
		var parts []string
		if len(extra) > 0 {
			parts = append(parts, "now calls "+strings.Join(extra, ", "))
		}
		if len(gone) > 0 {
			parts = append(parts, "no longer calls "+strings.Join(gone, ", "))
		}
		d.add(RuleWorkflowStepsChanged, o.ID, fmt.Sprintf(
			"workflow %s %s; its graph branches, runs steps in parallel or loops, so whether runs resumed on the new deployment still match their recorded steps is not known statically",
			o.ID, strings.Join(parts, " and ")),
			render(o.Calls), render(n.Calls))
	}
}

// hidden reports steps no graph of the new build calls that an old graph
// called or that are new: their place in the calls is not known.
func (d *differ) hidden(old, new *Manifest) {
	oldHidden := old.HiddenSteps()
	for _, id := range new.HiddenSteps() {
		if slices.Contains(oldHidden, id) {
			continue
		}
		was := "is new"
		if old.Lookup(KindStep, id) != nil {
			was = "was called by a workflow graph of the old build"
		}
		d.add(RuleStepNotInGraph, id, fmt.Sprintf(
			"step %s %s and no workflow graph of the new build calls it: the DevKit's graphs leave out calls that are not awaited, so a workflow may call it where its graph does not say; "+
				"if it does so before calls that in-flight runs recorded, their replay diverges", id, was), "", decl(new.Lookup(KindStep, id)))
	}
}

// report derives the mode verdicts through compat's Builder: each finding
// above info lowers the modes it affects; mode-level notes follow.
func (d *differ) report(oldArt, newArt compat.Artifact) *compat.Report {
	d.b.Note(compat.ModeAPI, compat.Unproven, NoTypesNote)
	d.b.Note(compat.ModeRestart, compat.Unproven, NoTypesNote)
	d.b.Note(compat.ModeReplay, compat.Unproven, NoTypesNote)
	d.b.Note(compat.ModeReplay, compat.Unproven, "the manifests' workflow graphs give the order of calls the code makes, as the DevKit's builder sees it statically; "+
		"whether each in-flight run replays (its recorded calls first, the classes its values refer to) is checked on the runs themselves: wfcompat assert event-log")
	d.b.NotApplicable(compat.ModeSnapshot, "Vercel Workflow has no snapshot-based upgrade")
	d.b.NotApplicable(compat.ModeInFlight, "Vercel Workflow runs keep no callbacks in table slots")
	return d.b.Report(oldArt, newArt)
}
