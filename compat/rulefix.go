package compat

// RuleFix returns how to deal with a finding of rule id — what to change
// in the new build, the configuration or the deploy so that the upgrade
// is safe — or "" for an ID the catalog does not know. Every rule of the
// catalog, the Vercel Workflow rules included, has one (a test checks);
// `wfcompat rules ID` prints it and docs/rules.md lists it. Where the
// tool can do the fix, the hint names the command.
func RuleFix(id string) string {
	switch id {
	case RuleExportInterfaceRemoved:
		return "Export the interface again (keep the old interface beside the new one until no running worker needs it), or upgrade workers that use it by snapshot or restart after checking they no longer call it."
	case RuleExportInterfaceAdded:
		return "None needed: adding an export is compatible."
	case RuleExportVersionChanged:
		return "None needed: the new version satisfies importers of the old one."
	case RuleExportVersionIncompatible:
		return "Keep exporting the old major (or 0.x minor) version beside the new one, or release the change as a new interface that workers move to by snapshot or restart."
	case RuleExportFunctionRemoved:
		return "Keep the function (it may delegate to its replacement) until no worker's log or input invokes it; `wfcompat assert event-log --against NEW LOG` lists the logs that still do."
	case RuleExportFunctionAdded:
		return "None needed: adding a function is compatible."
	case RuleExportTypeRemoved:
		return "Keep the type in the interface (it costs nothing at run time), or move it to a new interface version."
	case RuleExportTypeChanged:
		return "Restore the old definition, or give the new shape a new name and keep the old one."
	case RuleFunctionAsyncChanged:
		return "Keep the function's sync or async kind, and add the other kind as a new function."
	case RuleParamAdded:
		return "Add the parameter as a new function (or make it the last parameter of type option<T>, which recorded calls may leave out); keep the old signature for recorded invocations."
	case RuleParamRemoved:
		return "Keep the parameter (ignore it in the body) or add a new function without it; recorded invocations pass it."
	case RuleParamRenamed:
		return "Keep the old name, or accept the rename if no caller passes arguments by name; silence it in wfcompat.yaml (ignore: with a reason) once checked."
	case RuleParamMoved:
		return "Keep every parameter at its old position (add new parameters as a new function), or upgrade workers with recorded invocations of the function by snapshot instead of restart or replay."
	case RuleParamTypeChanged:
		return "Widen instead of narrowing (a type that holds every old value), or add a new function with the new type; `wfcompat assert input --runs LOG` shows which recorded arguments would not convert."
	case RuleIntegerWidened, RuleFloatWidened, RuleOptionWrapped, RuleRecordFieldAdded, RuleVariantCaseAdded, RuleEnumCaseAdded, RuleFlagAdded:
		return "None needed in the build: the host converts stored old values. For replay the recorded values must convert: `wfcompat assert event-log --against NEW LOG` checks them."
	case RuleTypeRenamed:
		return "Keep the old type name (alias the new one to it), or accept the rename after checking that no host or caller uses the name; silence it in wfcompat.yaml with a reason."
	case RuleParamConversionUnproven:
		return "Keep the payload type (or the core parameter type) as it was, or add a new function with the new type. For a core module, `wfcompat diff --log LOG OLD NEW` reruns recorded invocations to prove it; futures and streams are not run."
	case RuleTypeAliased:
		return "None needed: the value type is the same."
	case RuleResultTypeChanged:
		return "Keep the result type identical (a replay compares recorded results), or return the new type from a new function; workers can move by snapshot or restart instead of replay."
	case RuleImportAdded, RuleImportFunctionAdded:
		return "Declare the host the build runs on (--platform or platform: in wfcompat.yaml) so the import is judged against what it provides, or drop the import."
	case RuleImportRemoved, RuleImportFunctionRemoved:
		return "None needed: the new build asks the host for less."
	case RuleImportVersionChanged:
		return "Make sure the host provides the newer version, and declare it (--platform or platform: in wfcompat.yaml) so wfcompat checks it; or build against the old version."
	case RuleImportVersionIncompatible:
		return "Build against the version the host provides (the old one), or declare a host that provides the new one (--platform or platform: in wfcompat.yaml)."
	case RuleImportVersionLowered:
		return "None needed: the old version satisfies the new one."
	case RuleImportProvided:
		return "None needed: the declared host provides it."
	case RuleImportNotProvided:
		return "Drop the import or build against what the host provides (an ic0 function with the System API signature for the module's address width: i32 pointers on wasm32, i64 on memory64; the message names it); if the host does provide it, correct the platform profile (--platform, platform: in wfcompat.yaml)."
	case RuleImportTypeChanged:
		return "Build against the host interface version the old build used; a replay feeds recorded results and arguments of the old shape."
	case RuleImportParamRenamed:
		return "Build against the host interface version the old build used; the host's parameter names must match."
	case RuleImportTypeRenamed:
		return "Name the type as the host interface version the old build used does (alias or `use` the old name); the values are the same, so only linking against the host is in question."
	case RuleImportWorldTypeChanged:
		return "Keep the world-level type as it was and define the changed one under a new name; no recorded import call or result carries its values, so only linking against the host is in question."
	case RuleImportResultConverted:
		return "None needed in the build; a replay converts the recorded results. `wfcompat diff --log LOG OLD NEW` replays recorded logs to prove it."
	case RuleDocsChanged:
		return "None needed: only documentation comments changed."
	case RuleSnapshotSaveMissing:
		return "Export golem:api/save-snapshot from the old build (too late for a build that is running), or upgrade by replay (automatic update) or restart instead of snapshot."
	case RuleSnapshotLoadMissing:
		return "Export golem:api/load-snapshot from the new build, or upgrade by replay or restart; `wfcompat upgrade --mode snapshot` tries the whole update."
	case RuleSnapshotSignatureMismatch:
		return "Generate the snapshot exports from the golem:api WIT of the version the host runs (cargo-component / wit-bindgen) instead of writing the interface by hand."
	case RuleSnapshotVersionUnknown:
		return "Use a golem:api version wfcompat knows (0.2.0–0.2.2, 1.1.x, 1.2.0, 1.3.0, 1.5.0), or check the update by running it: `wfcompat upgrade --from OLD --to NEW --log LOG --mode snapshot`."
	case RuleSnapshotFormatChanged:
		return "Make the new load-snapshot read the old save's form, and prove it with `wfcompat upgrade --from OLD --to NEW --log LOG --mode snapshot`."
	case RuleCallbackSlotMoved:
		return "Run `wfcompat pin NEW --against OLD -o OUT.wasm --write-lock`: it puts each callback back at the old build's slot; deploy OUT.wasm and commit the lock for later releases (docs/lockfile.md)."
	case RuleCallbackSlotReused:
		return "Run `wfcompat pin NEW --against OLD -o OUT.wasm` to give the callback its old slot back (choose with --map SLOT=FUNC where pin lists candidates); deploy OUT.wasm."
	case RuleCallbackSlotOutOfRange:
		return "Run `wfcompat pin NEW --against OLD -o OUT.wasm`, which grows the table so the old slots exist again, or keep the table exported; otherwise stop the canister (no calls in flight) before upgrading."
	case RuleCallbackTableExportChanged:
		return "Export the table under the old name again (a linker flag such as --export-table), or stop the canister before upgrading so no call is in flight."
	case RuleCallbackUnresolved:
		return "Pass callbacks as constant table indices (a direct function reference), or declare extra registering imports with --callback-import MODULE.NAME:ARG; otherwise stop the canister before upgrading."
	case RuleCallbackTableWritten:
		return "Avoid writing the callback table at run time (table.set, table.fill, table.init, table.copy on it) in either build; if the writes never touch callback slots, say so with a reason in wfcompat.yaml."
	case RuleCallbackTypeChanged:
		return "Keep the callback's signature ((func (param i32)) on wasm32, (func (param i64)) on wasm64); a handler of another signature is a new function at a new slot, and the old slot keeps a handler of the old signature until no call made before the upgrade is outstanding."
	case RuleCallbackEnvHeapPointer:
		return "Pass an index or a key the new build can look up instead of a heap address, or keep the memory layout of the env data; otherwise stop the canister before upgrading."
	case RuleCallbackEnvUnknown:
		return "Stop the canister before upgrading (stopping answers every outstanding call first); or pass a constant, an index or a key the new build can look up as the env, keeping the call's state in stable memory; a Motoko build's runtime refuses such an upgrade by itself."
	case "VERCEL_WORKFLOW_REMOVED":
		return "Keep the workflow until no run of it is in flight (`wfcompat assert event-log --against NEW .workflow-data` lists them), or let those runs finish before deploying."
	case "VERCEL_WORKFLOW_RENAMED":
		return "Keep the old id (file and export name) until runs in flight finish; add the renamed workflow beside it."
	case "VERCEL_WORKFLOW_ADDED", "VERCEL_WORKFLOW_STEPS_APPENDED", "VERCEL_STEP_ADDED":
		return "None needed: runs in flight replay the calls they made before."
	case "VERCEL_STEP_ORDER_CHANGED":
		return "Keep the old calls in their order and add new ones after them, or version the workflow (a new id) and let runs in flight finish on the old one."
	case "VERCEL_BUILTIN_STEP_VERSION_CHANGED":
		return "Deploy the workflow package version the running deployment used, or let runs in flight finish before upgrading the package."
	case "VERCEL_STEP_NOT_IN_GRAPH":
		return "Await the step from a workflow so its graph shows it, or check by running: `wfcompat assert event-log --against NEW RUNS` on the runs in flight."
	case "VERCEL_WORKFLOW_STEPS_CHANGED":
		return "Check the runs in flight against the new build: `wfcompat assert event-log --against NEW --old OLD RUNS`; keep the old branches until they finish."
	case "VERCEL_STEP_REMOVED":
		return "Keep the step until no run in flight has recorded it."
	case "VERCEL_STEP_RENAMED":
		return "Keep the old step id (file and function name) until runs in flight finish; add the renamed step beside it."
	case "VERCEL_CLASS_REMOVED":
		return "Keep the serializable class (its registered name) until no recorded value refers to it."
	}
	return coreExternFix(id)
}
