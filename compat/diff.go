package compat

import (
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/wit"
)

// Options control Diff.
type Options struct {
	// Old and New identify the two sides in the Report. Kind "core" on
	// either side makes the in-flight mode apply (core modules keep
	// callbacks in table slots); other kinds leave it n/a.
	Old, New Artifact
	// Policy drops or re-rates findings (a wfcompat.yaml). The zero Policy
	// keeps every finding at its rule's severity.
	Policy Policy
	// OldCallbacks and NewCallbacks are the callback analyses of core
	// modules (analyze/callbacks), which decide the in-flight mode (see
	// InFlight). Without both, a core module's in-flight mode is unproven.
	OldCallbacks, NewCallbacks *callbacks.Analysis
	// OldExterns and NewExterns are the memories, tables and globals two
	// core modules import and export (analyze.Artifact.CoreExterns),
	// which their worlds leave out. Without both, every mode of two core
	// modules is unproven (see coreExterns).
	OldExterns, NewExterns *externs.Set
	// Host is what the platform that will run the new build provides to
	// its imports (NewHost); nil when no host is declared, which makes a
	// new import unsafe for api and unproven for the other modes.
	Host *Host
	// NewWidth is the address width of the new build when it is a core
	// module (CoreWidth of the decoded module, or RecordedWidth of the
	// record its manifest keeps); WidthUnknown when neither is at hand (a
	// manifest written before the width was recorded). It picks the form
	// of the ic0 System API functions the ic host provides
	// (Host.ProvidesCoreFunction); unknown judges them at the width they
	// fit together, and a new import provided only at that width leaves
	// api unproven.
	NewWidth AddressWidth
	// Rules is the registry findings are reported under and the policy is
	// checked against; nil is BaseRegistry.
	Rules *Registry
	// Evidence is what running recorded event logs showed (see Evidence);
	// nil when no logs were run.
	Evidence *Evidence
}

// Diff compares the world of the running build (old) with the world of the
// build that is to take over (new) and returns every difference found, as
// findings tied to rules, with one verdict per upgrade mode.
//
// Diff never fails: what it cannot check makes a mode unproven, with the
// reason, never safe. Findings come in the order the worlds list their
// items (exports, then imports, then snapshot checks); a finding is reported
// once per rule and subject even when several functions reach it.
//
// It is safe for concurrent use; the worlds are only read.
func Diff(old, new *wit.World, opts Options) *Report {
	if old == nil {
		old = &wit.World{}
	}
	if new == nil {
		new = &wit.World{}
	}
	d := &differ{old: old, new: new, host: opts.Host, b: NewBuilder(opts.Rules, opts.Policy), evidence: opts.Evidence,
		oldWIT: opts.Old.Kind == "wit", newWIT: opts.New.Kind == "wit",
		oldCore: opts.Old.Kind == "core", newCore: opts.New.Kind == "core", newWidth: opts.NewWidth}
	d.exports()
	d.imports()
	d.coreExterns(opts)
	d.proof(ModeRestart, opts.Evidence, "")
	d.proof(ModeReplay, opts.Evidence,
		"static analysis cannot prove the new build makes the same calls with the same results as the recorded ones; "+
			"replaying recorded event logs against it proves it (wfcompat replay NEW LOG..., or diff --log LOG)")
	d.snapshot()
	d.inFlight(opts)
	return d.b.Report(opts.Old, opts.New)
}

// differ walks two worlds, reporting through its Builder.
type differ struct {
	old, new *wit.World
	// oldWIT, newWIT: the side was read from WIT text (Artifact.Kind
	// "wit"), whose worlds may list imports a component would not have.
	oldWIT, newWIT bool
	// oldCore, newCore: the side is a core module (Artifact.Kind "core"),
	// whose s32 and s64 are i32 and i64 without signedness.
	oldCore, newCore bool
	// newWidth is the new core module's address width (Options.NewWidth).
	newWidth AddressWidth
	// assumedWidth is the width inferred for the new build's ic0 imports
	// when a new import is provided only at it (widthAssumed).
	assumedWidth AddressWidth
	host         *Host
	b            *Builder
	evidence     *Evidence
}

func (d *differ) add(id, subject, message, old, new string) {
	d.b.add(id, subject, message, old, new)
}

func (d *differ) covered(subject string) bool { return d.b.Covered(subject) }

func (d *differ) note(m Mode, v Verdict, message string) { d.b.Note(m, v, message) }

func (d *differ) skip(m Mode, why string) { d.b.NotApplicable(m, why) }

// inFlight decides the in-flight mode. It belongs to core modules, whose
// outstanding calls name their callbacks by table slot; InFlight compares
// the two callback analyses, and its findings go through the policy like
// every other. Components keep no callbacks in table slots.
func (d *differ) inFlight(opts Options) {
	if opts.Old.Kind != "core" && opts.New.Kind != "core" {
		d.skip(ModeInFlight, "in-flight calls are tracked through core-module callback table slots; components have none")
		return
	}
	if opts.OldCallbacks == nil || opts.NewCallbacks == nil {
		d.note(ModeInFlight, Unproven, "callback analysis not run for both modules: whether outstanding calls' callback table slots survive the upgrade is not checked")
		return
	}
	res, findings := InFlight(opts.OldCallbacks, opts.NewCallbacks)
	if res.Verdict == NotApplicable {
		why := "in-flight mode does not apply"
		if len(res.Reasons) > 0 {
			why = res.Reasons[0].Message
		}
		d.skip(ModeInFlight, why)
		return
	}
	for _, f := range findings {
		d.b.Add(f)
	}
	for _, r := range res.Reasons {
		if r.Rule == "" {
			d.note(ModeInFlight, r.Verdict, r.Message)
		}
	}
}
