package compat

// ReasonUnreadable is the reason the assert formats give a log or runs
// file that could not be read (malformed, or recorded by another build
// than --old). It never appears in a LogResult: such a log has none.
const ReasonUnreadable = "log-unreadable"

// ReasonDoc describes one reason an input or a log does not carry over,
// for `wfcompat assert`'s SARIF rules and docs/eventlog.md.
type ReasonDoc struct {
	ID string
	// Meaning says what the reason means in one sentence.
	Meaning string
	// Fix says what to do about it.
	Fix string
}

// AssertReasons returns every reason of the assertions, Wasm builds' then
// Vercel Workflow runs', and ReasonUnreadable last.
func AssertReasons() []ReasonDoc {
	return []ReasonDoc{
		{ReasonExportMissing, "The new build does not export the function the run invoked.",
			"Keep exporting the function (it may delegate to its replacement) until no run invokes it."},
		{ReasonImportMissing, "The new build does not import the function the worker called, so a replay cannot feed it the recorded result.",
			"Keep the import the old code path uses, or move the worker by snapshot or restart."},
		{ReasonVersionIncompatible, "The interface is there, at a version that does not satisfy the one recorded.",
			"Keep the recorded major (or 0.x minor) version exported or imported beside the new one."},
		{ReasonArgsInvalid, "The recorded arguments do not read against their signature (the old one, or the new one when no old signature is known).",
			"Give the build that recorded the log as --old, or check that the log belongs to this worker."},
		{ReasonParamsIncompatible, "The recorded arguments do not convert to the new parameter types.",
			"Widen the parameter types instead of narrowing them, or add a new function with the new types."},
		{ReasonResultInvalid, "A recorded result does not read against its signature.",
			"Give the build that recorded the log as --old, or check that the log belongs to this worker."},
		{ReasonResultIncompatible, "A recorded import result does not convert to the new import's result type.",
			"Build against the host interface version the old build used."},
		{ReasonExportResultChanged, "An export's result has another value type in the new build (type names aside), so a replay cannot compare the recorded result with the new one.",
			"Keep the result's value type (renaming the type is fine), or move the worker by snapshot or restart instead of replay."},
		{ReasonWorkflowMissing, "Vercel Workflow: the workflow the run belongs to is not in the new manifest.",
			"Keep the workflow until its runs in flight finish."},
		{ReasonStepMissing, "Vercel Workflow: a step the run recorded is not in the new manifest.",
			"Keep the step (its id: file and function name) until the runs that recorded it finish."},
		{ReasonStepOrderDiverges, "Vercel Workflow: the run recorded calls in an order the new workflow does not make, so replaying it fails.",
			"Keep the old calls in their order and add new ones after them, or version the workflow."},
		{ReasonClassMissing, "Vercel Workflow: a recorded value refers to a serializable class the new build does not have.",
			"Keep the class registered until no recorded value refers to it."},
		{ReasonValuesNotRecorded, "Vercel Workflow: the run's values were not exported (wf inspect without --withData) or are encrypted, so what they refer to was not checked: unproven.",
			"Export the runs with `wf inspect events --json --withData` (unencrypted) and check again."},
		{ReasonOrderUnproven, "Vercel Workflow: the order of the run's calls in the new build is not known (steps or built-in steps no workflow graph shows, a branching graph, no graph, no event naming the run's workflow, or a run in flight listed without its run_created): unproven.",
			"Await the steps from the workflow so the graph shows them; give --old for a branching graph; export whole runs with --withData."},
		{ReasonUnreadable, "The log (or runs file) could not be read: malformed, or recorded by another build than --old.",
			"Fix the file at the line the message names, or give the build that recorded it as --old."},
	}
}

// AssertReason returns the description of reason id, and whether it is
// known.
func AssertReason(id string) (ReasonDoc, bool) {
	for _, r := range AssertReasons() {
		if r.ID == id {
			return r, true
		}
	}
	return ReasonDoc{}, false
}
