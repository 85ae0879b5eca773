package compat

// Rule is one entry of the rule catalog: a kind of difference between two
// worlds, with what it means for each upgrade mode.
//
// The catalog is data, in the manner of buf's breaking-change rules: the
// diff engine emits findings by rule ID, and listing (wfcompat rules), the
// generated docs/rules.md, configuration validation, ignores and severity
// overrides all read this one table. Nothing restates a rule elsewhere.
type Rule struct {
	// ID is the stable identifier findings and configuration use.
	ID string `json:"id"`
	// Purpose says in one line what the rule detects.
	Purpose string `json:"purpose"`
	// Why says in one sentence why it matters for an upgrade. Findings
	// carry it (Finding.Why).
	Why string `json:"why"`
	// Severity is the default severity of the rule's findings.
	Severity Severity `json:"severity"`
	// Effects say what a finding does to each mode it affects, in mode
	// order. A mode absent from Effects is not affected.
	Effects []Effect `json:"effects"`
	// Example shows a difference the rule reports, as WIT before and after.
	Example Example `json:"example"`
	// Fix is the command that fixes a finding of the rule, where the tool
	// can: the words OLD and NEW stand for the two builds (a report puts
	// their paths in Finding.Fix).
	Fix string `json:"fix,omitempty"`
}

// Effect is what a rule's finding does to one mode's verdict. Verdict is
// Unsafe or Unproven, or Safe for a finding the mode lists (the operator has
// something to do, such as converting stored values) without lowering it.
type Effect struct {
	Mode    Mode    `json:"mode"`
	Verdict Verdict `json:"verdict"`
}

// Example is a before/after pair of WIT fragments.
type Example struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

// Modes returns the modes the rule affects, in report order.
func (r *Rule) Modes() []Mode {
	ms := make([]Mode, len(r.Effects))
	for i, e := range r.Effects {
		ms[i] = e.Mode
	}
	return ms
}

// Effect returns the rule's declared verdict for mode m, and whether the
// rule affects m at all.
func (r *Rule) Effect(m Mode) (Verdict, bool) {
	for _, e := range r.Effects {
		if e.Mode == m {
			return e.Verdict, true
		}
	}
	return "", false
}

// EffectWithSeverity returns the rule's verdict for mode m when its findings
// are given severity sev instead of the default (a configured override):
// error makes every affected mode unsafe, warning turns unsafe into
// unproven, info removes the effect. The default severity keeps the declared
// effects.
func (r *Rule) EffectWithSeverity(m Mode, sev Severity) (Verdict, bool) {
	v, ok := r.Effect(m)
	if !ok || sev == r.Severity {
		return v, ok
	}
	switch sev {
	case SeverityError:
		return Unsafe, true
	case SeverityWarning:
		if v == Unsafe {
			return Unproven, true
		}
		return v, true
	default:
		return Safe, true
	}
}

// Rule IDs. Findings reference rules by these IDs; they are stable.
const (
	RuleExportInterfaceRemoved    = "EXPORT_INTERFACE_REMOVED"
	RuleExportInterfaceAdded      = "EXPORT_INTERFACE_ADDED"
	RuleExportVersionChanged      = "EXPORT_VERSION_CHANGED"
	RuleExportVersionIncompatible = "EXPORT_VERSION_INCOMPATIBLE"
	RuleExportFunctionRemoved     = "EXPORT_FUNCTION_REMOVED"
	RuleExportFunctionAdded       = "EXPORT_FUNCTION_ADDED"
	RuleExportTypeRemoved         = "EXPORT_TYPE_REMOVED"
	RuleExportTypeChanged         = "EXPORT_TYPE_CHANGED"
	RuleFunctionAsyncChanged      = "FUNCTION_ASYNC_CHANGED"
	RuleParamAdded                = "PARAM_ADDED"
	RuleParamRemoved              = "PARAM_REMOVED"
	RuleParamRenamed              = "PARAM_RENAMED"
	RuleParamMoved                = "PARAM_MOVED"
	RuleParamTypeChanged          = "PARAM_TYPE_CHANGED"
	RuleIntegerWidened            = "INTEGER_WIDENED"
	RuleFloatWidened              = "FLOAT_WIDENED"
	RuleOptionWrapped             = "OPTION_WRAPPED"
	RuleRecordFieldAdded          = "RECORD_FIELD_ADDED"
	RuleVariantCaseAdded          = "VARIANT_CASE_ADDED"
	RuleEnumCaseAdded             = "ENUM_CASE_ADDED"
	RuleFlagAdded                 = "FLAG_ADDED"
	RuleTypeRenamed               = "TYPE_RENAMED"
	RuleTypeAliased               = "TYPE_ALIASED"
	RuleParamConversionUnproven   = "PARAM_CONVERSION_UNPROVEN"
	RuleResultTypeChanged         = "RESULT_TYPE_CHANGED"
	RuleImportAdded               = "IMPORT_ADDED"
	RuleImportRemoved             = "IMPORT_REMOVED"
	RuleImportFunctionAdded       = "IMPORT_FUNCTION_ADDED"
	RuleImportFunctionRemoved     = "IMPORT_FUNCTION_REMOVED"
	RuleImportVersionChanged      = "IMPORT_VERSION_CHANGED"
	RuleImportVersionLowered      = "IMPORT_VERSION_LOWERED"
	RuleImportVersionIncompatible = "IMPORT_VERSION_INCOMPATIBLE"
	RuleImportProvided            = "IMPORT_PROVIDED"
	RuleImportNotProvided         = "IMPORT_NOT_PROVIDED"
	RuleImportTypeChanged         = "IMPORT_TYPE_CHANGED"
	RuleImportParamRenamed        = "IMPORT_PARAM_RENAMED"
	RuleImportTypeRenamed         = "IMPORT_TYPE_RENAMED"
	RuleImportWorldTypeChanged    = "IMPORT_WORLD_TYPE_CHANGED"
	RuleImportResultConverted     = "IMPORT_RESULT_CONVERTED"
	RuleDocsChanged               = "DOCS_CHANGED"
	RuleSnapshotSaveMissing       = "SNAPSHOT_SAVE_MISSING"
	RuleSnapshotLoadMissing       = "SNAPSHOT_LOAD_MISSING"
	RuleSnapshotSignatureMismatch = "SNAPSHOT_SIGNATURE_MISMATCH"
	RuleSnapshotVersionUnknown    = "SNAPSHOT_VERSION_UNKNOWN"
	RuleSnapshotFormatChanged     = "SNAPSHOT_FORMAT_CHANGED"
)

// Shorthands for the catalog below.
var (
	apiOnly   = []Effect{{ModeAPI, Unsafe}}
	callable  = []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unsafe}, {ModeReplay, Unsafe}}
	converted = []Effect{{ModeAPI, Unsafe}, {ModeRestart, Safe}, {ModeReplay, Safe}}
	apiNote   = []Effect{{ModeAPI, Safe}}
	// importBreaks: an import the host provides with another type; the
	// new build links only on a host that provides the new type.
	importBreaks = []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unproven}, {ModeReplay, Unsafe}, {ModeSnapshot, Unproven}, {ModeInFlight, Unproven}}
	// importRetyped: as importBreaks, for a change replay itself copes with.
	importRetyped   = []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unproven}, {ModeReplay, Unproven}, {ModeSnapshot, Unproven}, {ModeInFlight, Unproven}}
	snapshotUnsafe  = []Effect{{ModeSnapshot, Unsafe}}
	snapshotUnknown = []Effect{{ModeSnapshot, Unproven}}
	// hostUnknown: a new import with no host declared (Host); api is
	// unsafe as semver-check says, the other modes depend on the host.
	hostUnknown = []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unproven}, {ModeReplay, Unproven}, {ModeSnapshot, Unproven}, {ModeInFlight, Unproven}}
	// hostUnproven: a newer version of an import the type check matches
	// with the old one, with no host declared.
	hostUnproven = []Effect{{ModeAPI, Unproven}, {ModeRestart, Unproven}, {ModeReplay, Unproven}, {ModeSnapshot, Unproven}, {ModeInFlight, Unproven}}
	// everyMode: the new build does not instantiate at all.
	everyMode = []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unsafe}, {ModeReplay, Unsafe}, {ModeSnapshot, Unsafe}, {ModeInFlight, Unsafe}}
)

// catalog is the rule table of the world diff, in the order rules are
// listed; the in-flight check keeps its rules beside its code
// (inFlightRules) and Rules lists both. Neither is ever modified; Rules and
// LookupRule hand out copies.
var catalog = []Rule{
	{
		ID:       RuleExportInterfaceRemoved,
		Purpose:  "An interface the old build exports is not exported by the new build.",
		Why:      "Callers and stored invocations of its functions find nothing to call.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "world w {\n  export golem:component/api;\n  export golem:api/save-snapshot@0.2.0;\n}",
			After:  "world w {\n  export golem:component/api;\n}",
		},
	},
	{
		ID:       RuleExportInterfaceAdded,
		Purpose:  "The new build exports an interface the old one did not.",
		Why:      "New exports cannot break existing callers; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "world w {\n  export golem:component/api;\n}",
			After:  "world w {\n  export golem:component/api;\n  export golem:api/save-snapshot@0.2.0;\n}",
		},
	},
	{
		ID:       RuleExportVersionChanged,
		Purpose:  "An exported interface changed its version to one that satisfies importers of the old version (1.0.0 to 1.1.0, 0.2.0 to 0.2.1).",
		Why:      "Component Model hosts match semver-compatible versions, so importers of the old version still link.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "export shop:api/cart@1.0.0;",
			After:  "export shop:api/cart@1.1.0;",
		},
	},
	{
		ID:       RuleExportVersionIncompatible,
		Purpose:  "An exported interface is exported only at a version that does not satisfy importers of the old version (1.x to 2.0.0, 0.2.x to 0.3.0).",
		Why:      "Importers of the old version no longer link, and stored invocations name the old version.",
		Severity: SeverityError,
		Effects:  []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unproven}, {ModeReplay, Unproven}},
		Example: Example{
			Before: "export shop:api/cart@0.2.0;",
			After:  "export shop:api/cart@0.3.0;",
		},
	},
	{
		ID:       RuleExportFunctionRemoved,
		Purpose:  "A function the old build exports (in an interface or at world level) is gone.",
		Why:      "Callers and pending or recorded invocations of the function have nothing to call.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "interface api {\n  f1: func(speed-ms: u64) -> u64;\n  f2: func() -> u64;\n}",
			After:  "interface api {\n  f1: func(speed-ms: u64) -> u64;\n}",
		},
	},
	{
		ID:       RuleExportFunctionAdded,
		Purpose:  "An exported interface gained a function.",
		Why:      "New functions cannot break existing callers; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "interface api {\n  f1: func() -> u64;\n}",
			After:  "interface api {\n  f1: func() -> u64;\n  f4: func() -> u64;\n}",
		},
	},
	{
		ID:       RuleExportTypeRemoved,
		Purpose:  "A named type of an exported interface (or a world-level exported type) is gone.",
		Why:      "The Component Model links exported types by name, so importers that use the type no longer link.",
		Severity: SeverityError,
		Effects:  apiOnly,
		Example: Example{
			Before: "interface types {\n  record order { id: u64 }\n  enum color { red }\n}",
			After:  "interface types {\n  record order { id: u64 }\n}",
		},
	},
	{
		ID:       RuleExportTypeChanged,
		Purpose:  "A named type of an exported interface changed where no function signature shows it (an unused type, or a difference that is not a value conversion).",
		Why:      "Exported types must stay structurally identical for importers to link.",
		Severity: SeverityError,
		Effects:  apiOnly,
		Example: Example{
			Before: "interface types {\n  record unused { a: u8 }\n}",
			After:  "interface types {\n  record unused { a: u16 }\n}",
		},
	},
	{
		ID:       RuleFunctionAsyncChanged,
		Purpose:  "A function changed between sync and async.",
		Why:      "async is part of a component function's type, and it changes how calls interleave with other work; whether recorded invocations rerun (restart) or replay the same way cannot be checked statically.",
		Severity: SeverityError,
		Effects:  []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unproven}, {ModeReplay, Unproven}},
		Example: Example{
			Before: "save: func() -> snapshot;",
			After:  "save: async func() -> snapshot;",
		},
	},
	{
		ID:       RuleParamAdded,
		Purpose:  "An exported function takes more parameters than before.",
		Why:      "Callers and stored invocations have no value for the new parameter.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "f1: func(speed-ms: u64) -> u64;",
			After:  "f1: func(speed-ms: u64, retries: u32) -> u64;",
		},
	},
	{
		ID:       RuleParamRemoved,
		Purpose:  "An exported function takes fewer parameters than before.",
		Why:      "Callers and stored invocations pass a value the new function has no place for.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "f1: func(speed-ms: u64, retries: u32) -> u64;",
			After:  "f1: func(speed-ms: u64) -> u64;",
		},
	},
	{
		ID:       RuleParamRenamed,
		Purpose:  "A parameter of an exported function has a new name at the same position.",
		Why:      "Parameter names are part of a component function's type, and inputs passed by name (JSON objects) no longer match.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "f1: func(speed-ms: u64) -> u64;",
			After:  "f1: func(delay-ms: u64) -> u64;",
		},
	},
	{
		ID:       RuleParamMoved,
		Purpose:  "A parameter of an exported function is at another position than before: its name now belongs to another position (parameters swapped, reordered or shifted).",
		Why:      "Recorded invocations pass their arguments by position, so the old value of the parameter reaches a different parameter of the new function.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "transfer: func(payer: account-id, payee: account-id);",
			After:  "transfer: func(payee: account-id, payer: account-id);",
		},
	},
	{
		ID:       RuleParamTypeChanged,
		Purpose:  "A parameter type of an exported function changed so that some old values have no new value (narrowed, removed case or field, different kind).",
		Why:      "Stored and in-progress invocations carry old values that cannot be converted to the new parameter type.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "f1: func(speed-ms: u64) -> u64;",
			After:  "f1: func(speed-ms: u32) -> u64;",
		},
	},
	{
		ID:       RuleIntegerWidened,
		Purpose:  "An integer in an exported function's input widened (u32 to u64, u8 to s16).",
		Why:      "Every old value fits, but stored values must be converted by the host, and the function type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "f1: func(speed-ms: u32) -> u64;",
			After:  "f1: func(speed-ms: u64) -> u64;",
		},
	},
	{
		ID:       RuleFloatWidened,
		Purpose:  "A float in an exported function's input widened (f32 to f64).",
		Why:      "Every old value fits, but stored values must be converted by the host, and the function type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "scale: func(factor: f32);",
			After:  "scale: func(factor: f64);",
		},
	},
	{
		ID:       RuleOptionWrapped,
		Purpose:  "A type in an exported function's input became option<T> of the old type.",
		Why:      "Old values convert to some(value), but the host must convert stored values, and the function type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "set-name: func(name: string);",
			After:  "set-name: func(name: option<string>);",
		},
	},
	{
		ID:       RuleRecordFieldAdded,
		Purpose:  "A record in an exported function's input gained an optional field.",
		Why:      "Old values convert with the new field set to none, but the host must convert stored values, and the type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "record order {\n  id: u64,\n}",
			After:  "record order {\n  id: u64,\n  note: option<string>,\n}",
		},
	},
	{
		ID:       RuleVariantCaseAdded,
		Purpose:  "A variant in an exported function's input gained a case.",
		Why:      "Old values keep their case, but the host must convert stored values (case indices can shift), and the type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "variant shape {\n  circle(f64),\n}",
			After:  "variant shape {\n  circle(f64),\n  square(f64),\n}",
		},
	},
	{
		ID:       RuleEnumCaseAdded,
		Purpose:  "An enum in an exported function's input gained a case.",
		Why:      "Old values keep their case, but the host must convert stored values (case indices can shift), and the type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "enum color {\n  red,\n  green,\n}",
			After:  "enum color {\n  red,\n  green,\n  blue,\n}",
		},
	},
	{
		ID:       RuleFlagAdded,
		Purpose:  "A flags type in an exported function's input gained a flag.",
		Why:      "Old values convert with the new flag clear, but the host must convert stored values, and the type is no longer identical.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "flags perms {\n  read,\n}",
			After:  "flags perms {\n  read,\n  write,\n}",
		},
	},
	{
		ID:       RuleTypeRenamed,
		Purpose:  "A named type in an exported function's input or result has a new name and the same structure.",
		Why:      "Values are unchanged (value types are structural, and recorded values carry field, case and flag names, never type names), but the Component Model links exported types by name, so the interface no longer matches.",
		Severity: SeverityWarning,
		Effects:  converted,
		Example: Example{
			Before: "record order { id: u64 }\nplace: func(o: order);",
			After:  "record purchase { id: u64 }\nplace: func(o: purchase);",
		},
	},
	{
		ID:       RuleParamConversionUnproven,
		Purpose:  "A type in an exported function's input changed in a way old values would convert to, where nothing converts them: inside a future or stream payload, or a core-module i32 widened to i64.",
		Why:      "Future and stream payloads flow after the call, written by the caller in the old type and not converted by the host; a core i32 has no signedness, so whether an old value extends by sign or by zero depends on how the module reads it.",
		Severity: SeverityWarning,
		Effects:  []Effect{{ModeAPI, Unsafe}, {ModeRestart, Unproven}, {ModeReplay, Unproven}},
		Example: Example{
			Before: "upload: func(data: stream<u8>);",
			After:  "upload: func(data: stream<u16>);",
		},
	},
	{
		ID:       RuleTypeAliased,
		Purpose:  "A parameter or result of an exported function names its type differently (a new alias or use, or the structure written out) and it is the same value type, every old name still exported.",
		Why:      "Component Model value types are structural and type exports are matched by name, so nothing a caller or a recorded value sees changes; listed for reviewers.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "f: func(a: u32) -> u32;",
			After:  "type n = u32;\nf: func(a: n) -> n;",
		},
	},
	{
		ID:       RuleResultTypeChanged,
		Purpose:  "The result type of an exported function is not identical to the old one.",
		Why:      "Callers decode the old result type, and replayed invocations must produce the results recorded in the event log.",
		Severity: SeverityError,
		Effects:  []Effect{{ModeAPI, Unsafe}, {ModeReplay, Unsafe}},
		Example: Example{
			Before: "f2: func() -> u64;",
			After:  "f2: func() -> u32;",
		},
	},
	{
		ID:       RuleImportAdded,
		Purpose:  "The new build imports an interface, function or resource the old one did not, and no host is declared to judge it against.",
		Why:      "The host must provide it, or the new build does not instantiate in any mode; declare the host (--platform, or platform: or host_provides: in wfcompat.yaml) to have it checked.",
		Severity: SeverityError,
		Effects:  hostUnknown,
		Example: Example{
			Before: "world w {\n  import wasi:clocks/wall-clock@0.2.0;\n}",
			After:  "world w {\n  import wasi:clocks/wall-clock@0.2.0;\n  import wasi:random/random@0.2.0;\n}",
		},
	},
	{
		ID:       RuleImportRemoved,
		Purpose:  "The new build no longer imports an interface or function the old one imported.",
		Why:      "Asking the host for less never breaks linking; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "world w {\n  import wasi:random/random@0.2.0;\n}",
			After:  "world w {\n}",
		},
	},
	{
		ID:       RuleImportFunctionAdded,
		Purpose:  "An imported interface is used with a function the old build did not import, and no host is declared to judge it against.",
		Why:      "The host must provide the function, which an older host version of the interface may lack; declare the host (--platform, or platform: or host_provides: in wfcompat.yaml) to have it checked.",
		Severity: SeverityError,
		Effects:  hostUnknown,
		Example: Example{
			Before: "interface host {\n  now: func() -> u64;\n}",
			After:  "interface host {\n  now: func() -> u64;\n  sleep: func(ms: u64);\n}",
		},
	},
	{
		ID:       RuleImportFunctionRemoved,
		Purpose:  "The new build no longer imports a function of an imported interface.",
		Why:      "Asking the host for less never breaks linking; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "interface host {\n  now: func() -> u64;\n  sleep: func(ms: u64);\n}",
			After:  "interface host {\n  now: func() -> u64;\n}",
		},
	},
	{
		ID:       RuleImportVersionChanged,
		Purpose:  "An import names its interface at a newer, semver-compatible version (0.2.0 to 0.2.3, 1.0.0 to 1.1.0), and no host is declared to judge it against.",
		Why:      "Component Model type checking matches the two versions as one import, but the host must provide the newer one, which a host that had only the old one may lack; declare the host (--platform, or platform: or host_provides: in wfcompat.yaml) to have it checked.",
		Severity: SeverityWarning,
		Effects:  hostUnproven,
		Example: Example{
			Before: "import wasi:http/types@0.2.0;",
			After:  "import wasi:http/types@0.2.3;",
		},
	},
	{
		ID:       RuleImportVersionIncompatible,
		Purpose:  "An import names its interface at a version that is not semver-compatible with the old one (0.2.0 to 0.3.0, 1.x to 2.0.0), and no host is declared to judge it against.",
		Why:      "That is a different import, which the host must provide, or the new build does not instantiate in any mode; declare the host (--platform, or platform: or host_provides: in wfcompat.yaml) to have it checked.",
		Severity: SeverityError,
		Effects:  hostUnknown,
		Example: Example{
			Before: "import wasi:http/types@0.2.0;",
			After:  "import wasi:http/types@0.3.0;",
		},
	},
	{
		ID:       RuleImportVersionLowered,
		Purpose:  "An import names its interface at an older version that the old version satisfies.",
		Why:      "A host that provided the old version provides this one too (Component Model hosts match semver-compatible versions); listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "import wasi:http/types@0.2.3;",
			After:  "import wasi:http/types@0.2.0;",
		},
	},
	{
		ID:       RuleImportProvided,
		Purpose:  "The new build imports something the old one did not (an interface, a function, a newer version), and the declared host provides it; or, under the ic platform, an ic0 function both builds import changed its signature to the System API's form at the new build's address width (replay stays unproven: logs hold the old form).",
		Why:      "The declared host (--platform, platform: or host_provides:) links it, so the new build still instantiates; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "world w {\n  import wasi:clocks/wall-clock@0.2.0;\n}",
			After:  "world w {\n  import wasi:clocks/wall-clock@0.2.0;\n  import wasi:random/random@0.2.0; // platform golem provides it\n}",
		},
	},
	{
		ID:       RuleImportNotProvided,
		Purpose:  "The new build imports something the old one did not (an interface, a function, a newer version), and the declared host does not provide it; or it imports an ic0 System API function with a signature the ic platform does not provide.",
		Why:      "A component whose imports the host does not provide fails to instantiate (a canister importing an ic0 function with another signature is refused at install), so no mode can carry a worker over.",
		Severity: SeverityError,
		Effects:  everyMode,
		Example: Example{
			Before: "world w {\n  import wasi:clocks/wall-clock@0.2.0;\n}",
			After:  "world w {\n  import wasi:clocks/wall-clock@0.2.0;\n  import acme:billing/ledger@1.0.0; // platform golem lacks it\n}",
		},
	},
	{
		ID:       RuleImportTypeChanged,
		Purpose:  "A function the old and new builds both import changed its parameters (other than only the names of their types), or its result in a way old results do not convert; or a world-level type such a function uses changed. (An ic0 function changed to the System API's form at the new build's width is IMPORT_PROVIDED under the ic platform.)",
		Why:      "The host provides the old type, so the new build links only on a host that provides the new one, and replay feeds recorded results and compares recorded parameters of the old type.",
		Severity: SeverityError,
		Effects:  importBreaks,
		Example: Example{
			Before: "interface host {\n  fetch: func(url: string) -> u32;\n}",
			After:  "interface host {\n  fetch: func(url: string, timeout: u32) -> u32;\n}",
		},
	},
	{
		ID:       RuleImportParamRenamed,
		Purpose:  "A parameter of an imported function has a new name at the same position.",
		Why:      "Parameter names are part of a component function's type, so the host's function no longer matches: the new build links only on a host that provides the renamed one.",
		Severity: SeverityError,
		Effects:  importRetyped,
		Example: Example{
			Before: "fetch: func(url: string) -> u32;",
			After:  "fetch: func(uri: string) -> u32;",
		},
	},
	{
		ID:       RuleImportTypeRenamed,
		Purpose:  "A parameter or the result of a function both builds import names its type differently (a renamed record, variant, enum or flags type, a new alias or use, or the structure written out), and it is the same value type.",
		Why:      "Recorded parameters and results are values, which carry field, case and flag names but never type names, so replay compares and feeds them unchanged; but the host's interface is type-checked with its type names, so the new build links only on a host that provides the new one.",
		Severity: SeverityWarning,
		Effects:  importRetyped,
		Example: Example{
			Before: "record order { id: u64 }\nfetch: func(o: order) -> u32;",
			After:  "record purchase { id: u64 }\nfetch: func(o: purchase) -> u32;",
		},
	},
	{
		ID:       RuleImportWorldTypeChanged,
		Purpose:  "A world-level type (which a world imports) changed, and no function either build imports uses it: it is unused, or only exported functions use it.",
		Why:      "A component imports the world's types with their definitions, so the new build links only on a host that accepts the new one; no recorded import call or result carries its values, and exported functions that use it are judged by the export rules.",
		Severity: SeverityError,
		Effects:  importRetyped,
		Example: Example{
			Before: "world w {\n  type t = u32;\n  export run: func();\n}",
			After:  "world w {\n  type t = u64;\n  export run: func();\n}",
		},
	},
	{
		ID:       RuleImportResultConverted,
		Purpose:  "The result of an imported function changed in a way every old value converts to (widened, case or optional field added).",
		Why:      "Replay can convert recorded results, but the type is no longer the one the host provides: the new build links only on a host that provides the new one.",
		Severity: SeverityWarning,
		Effects:  importRetyped,
		Example: Example{
			Before: "now: func() -> u32;",
			After:  "now: func() -> u64;",
		},
	},
	{
		ID:       RuleDocsChanged,
		Purpose:  "Documentation comments differ and nothing else does.",
		Why:      "Docs do not change behaviour or types; listed for reviewers.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "/// Adds one.\nincrement: func();",
			After:  "/// Adds one and logs.\nincrement: func();",
		},
	},
	{
		ID:       RuleSnapshotSaveMissing,
		Purpose:  "Snapshot-based update is in play but the old build does not export golem:api/save-snapshot.",
		Why:      "A snapshot-based update starts by asking the old build for a snapshot, which it cannot produce.",
		Severity: SeverityError,
		Effects:  snapshotUnsafe,
		Example: Example{
			Before: "world w {\n  export golem:component/api;\n}",
			After:  "world w {\n  export golem:component/api;\n  export golem:api/load-snapshot@1.1.0;\n}",
		},
	},
	{
		ID:       RuleSnapshotLoadMissing,
		Purpose:  "Snapshot-based update is in play but the new build does not export golem:api/load-snapshot.",
		Why:      "A snapshot-based update ends by handing the snapshot to the new build, which cannot take it.",
		Severity: SeverityError,
		Effects:  snapshotUnsafe,
		Example: Example{
			Before: "world w {\n  export golem:api/save-snapshot@1.1.0;\n  export golem:api/load-snapshot@1.1.0;\n}",
			After:  "world w {\n  export golem:api/save-snapshot@1.1.0;\n}",
		},
	},
	{
		ID:       RuleSnapshotSignatureMismatch,
		Purpose:  "A save-snapshot or load-snapshot export does not have the exact signature of its golem:api version.",
		Why:      "Golem calls these functions with a fixed signature; any other does not link or is never called.",
		Severity: SeverityError,
		Effects:  snapshotUnsafe,
		Example: Example{
			Before: "interface load-snapshot {\n  load: func(bytes: list<u8>) -> result<_, string>;\n}",
			After:  "interface load-snapshot {\n  load: func(bytes: list<u8>) -> bool;\n}",
		},
	},
	{
		ID:       RuleSnapshotVersionUnknown,
		Purpose:  "A save-snapshot or load-snapshot export has the right shape but a golem:api version wfcompat does not know.",
		Why:      "Whether the Golem host in use recognizes that version cannot be told from the binary.",
		Severity: SeverityWarning,
		Effects:  snapshotUnknown,
		Example: Example{
			Before: "export golem:api/save-snapshot@1.1.0;",
			After:  "export golem:api/load-snapshot@9.9.9;",
		},
	},
	{
		ID:       RuleSnapshotFormatChanged,
		Purpose:  "The old build saves snapshots in one golem:api form (list<u8> or the 1.5.0 snapshot record) and the new build loads the other.",
		Why:      "The host has to translate between the two forms, and the mime-type the new build expects is not known statically.",
		Severity: SeverityWarning,
		Effects:  snapshotUnknown,
		Example: Example{
			Before: "export golem:api/save-snapshot@1.1.0; // save: func() -> list<u8>",
			After:  "export golem:api/load-snapshot@1.5.0; // load: func(snapshot: snapshot) -> result<_, string>",
		},
	},
}

// Rules returns compat's rules, in listing order: the rules of the world
// diff, then those of the in-flight check (inflight.go). BaseRegistry is
// the same set as a Registry; NewRegistry adds other packages' rules.
func Rules() []Rule { return baseRegistry().Rules() }

// LookupRule returns compat's rule with the given ID.
func LookupRule(id string) (Rule, bool) { return baseRegistry().Lookup(id) }
