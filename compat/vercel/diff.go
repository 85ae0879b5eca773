package vercel

import (
	"fmt"
	"slices"
	"strings"

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
		ID:       RuleWorkflowStepsChanged,
		Purpose:  "A workflow's graph calls a different set of steps than before.",
		Why:      "Resumed runs replay the workflow function against their recorded steps; calling other steps may not match the record.",
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
		Purpose:  "A step seems renamed or moved: its id is gone and a new id appeared in the same file or under the same export name.",
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
var registry = func() *compat.Registry {
	r, err := compat.NewRegistry(rules)
	if err != nil {
		panic(err) // a rule ID clash is a bug the tests catch
	}
	return r
}()

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
		reg = registry
	}
	d := &differ{b: compat.NewBuilder(reg, opts.Policy)}
	d.entries(KindWorkflow, old.Workflows, new.Workflows)
	d.entries(KindStep, old.Steps, new.Steps)
	d.classes(old.Classes, new.Classes)
	d.graphs(old, new)
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
// paired to an added one when they look like a rename (same file and the
// only change there, or the same export name in another file).
func (d *differ) entries(kind string, olds, news []*Entry) {
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
	pairs := pairRenames(removed, added)
	ruleRemoved, ruleRenamed, ruleAdded := RuleWorkflowRemoved, RuleWorkflowRenamed, RuleWorkflowAdded
	what := "workflow"
	if kind == KindStep {
		ruleRemoved, ruleRenamed, ruleAdded = RuleStepRemoved, RuleStepRenamed, RuleStepAdded
		what = "step"
	}
	consequence := "runs of it started on the old deployment have no workflow to restart or resume on the new one"
	if kind == KindStep {
		consequence = "runs that recorded it cannot replay or retry it on the new deployment"
	}
	renamedTo := map[*Entry]bool{}
	for _, o := range removed {
		n := pairs[o]
		if n == nil {
			d.add(ruleRemoved, o.ID, fmt.Sprintf("%s %s was removed: %s", what, o.ID, consequence), decl(o), "")
			continue
		}
		renamedTo[n] = true
		how := "renamed"
		if n.File != o.File {
			how = "moved"
		}
		d.add(ruleRenamed, o.ID, fmt.Sprintf(
			"%s %s seems %s to %s; a renamed %s is a removal plus an addition: %s",
			what, o.ID, how, n.ID, what, consequence), decl(o), decl(n))
	}
	for _, n := range added {
		if renamedTo[n] {
			continue
		}
		d.add(ruleAdded, n.ID, fmt.Sprintf("%s %s was added", what, n.ID), "", decl(n))
	}
}

func has(list []*Entry, id string) bool {
	for _, e := range list {
		if e.ID == id {
			return true
		}
	}
	return false
}

// pairRenames pairs removed entries with added ones: first the same export
// name in another file (a move), then, in a file where exactly one entry
// was removed and one added, those two (a rename).
func pairRenames(removed, added []*Entry) map[*Entry]*Entry {
	pairs := map[*Entry]*Entry{}
	taken := map[*Entry]bool{}
	for _, o := range removed {
		if o.Export == "" {
			continue
		}
		for _, n := range added {
			if !taken[n] && n.Export == o.Export && n.File != o.File {
				pairs[o], taken[n] = n, true
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
	paired := map[*Entry]bool{}
	for o := range pairs {
		paired[o] = true
	}
	for _, o := range removed {
		if paired[o] || o.File == "" {
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
				"class %s was removed: stored values holding its instances cannot be deserialized by the new deployment", o.ID), decl(o), "")
		}
	}
}

// graphs reports workflows present on both sides whose graphs call a
// different set of steps, when both sides have graphs.
func (d *differ) graphs(old, new *Manifest) {
	for _, o := range old.Workflows {
		n := new.Lookup(KindWorkflow, o.ID)
		if n == nil || o.Steps == nil || n.Steps == nil {
			continue
		}
		var gone, extra []string
		for _, s := range o.Steps {
			if !slices.Contains(n.Steps, s) {
				gone = append(gone, s)
			}
		}
		for _, s := range n.Steps {
			if !slices.Contains(o.Steps, s) {
				extra = append(extra, s)
			}
		}
		if len(gone) == 0 && len(extra) == 0 {
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
			"workflow %s %s; runs resumed on the new deployment replay against steps recorded by the old code",
			o.ID, strings.Join(parts, " and ")),
			"steps: "+strings.Join(o.Steps, ", "), "steps: "+strings.Join(n.Steps, ", "))
	}
}

// report derives the mode verdicts through compat's Builder: each finding
// above info lowers the modes it affects; mode-level notes follow.
func (d *differ) report(oldArt, newArt compat.Artifact) *compat.Report {
	d.b.Note(compat.ModeAPI, compat.Unproven, NoTypesNote)
	d.b.Note(compat.ModeRestart, compat.Unproven, NoTypesNote)
	d.b.Note(compat.ModeReplay, compat.Unproven, NoTypesNote)
	d.b.Note(compat.ModeReplay, compat.Unproven, "static analysis cannot prove the new workflow code calls the same steps in the same order as recorded runs; "+
		"checking recorded event lists (wfcompat assert event-log) covers the steps they reference")
	d.b.NotApplicable(compat.ModeSnapshot, "Vercel Workflow has no snapshot-based upgrade")
	d.b.NotApplicable(compat.ModeInFlight, "Vercel Workflow runs keep no callbacks in table slots")
	return d.b.Report(oldArt, newArt)
}
