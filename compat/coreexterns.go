package compat

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/externs"
)

// Rule IDs of the memories, tables and globals of core modules.
const (
	RuleCoreExportRemoved       = "CORE_EXPORT_REMOVED"
	RuleCoreExportTypeChanged   = "CORE_EXPORT_TYPE_CHANGED"
	RuleCoreExportTypeRefined   = "CORE_EXPORT_TYPE_REFINED"
	RuleCoreImportAdded         = "CORE_IMPORT_ADDED"
	RuleCoreImportNotProvided   = "CORE_IMPORT_NOT_PROVIDED"
	RuleCoreImportTypeChanged   = "CORE_IMPORT_TYPE_CHANGED"
	RuleCoreImportTypeTightened = "CORE_IMPORT_TYPE_TIGHTENED"
	RuleCoreImportTypeRelaxed   = "CORE_IMPORT_TYPE_RELAXED"
	RuleCoreImportRemoved       = "CORE_IMPORT_REMOVED"
	RuleCoreExportUnlinked      = "CORE_EXPORT_UNLINKED"
)

// coreExternRules are the rules of the comparison of core modules'
// memories, tables and globals (coreExterns). A removed or retyped export
// is graded as a removed exported function is (EXPORT_FUNCTION_REMOVED):
// whatever linked against it no longer links. A new import asks the host
// for something: unproven unless the declared host is known to refuse it.
var coreExternRules = []Rule{
	{
		ID:       RuleCoreExportRemoved,
		Purpose:  "A memory, table or global the old core module exports is no longer exported (under that name, as that kind).",
		Why:      "A host or module that links against the export (reads the memory, calls through the table, reads the global) no longer finds it.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "(memory (export \"memory\") 17)\n(global (export \"__heap_base\") i32 (i32.const 1048576))",
			After:  "(memory (export \"memory\") 17)",
		},
	},
	{
		ID: RuleCoreExportTypeChanged,
		Purpose: "An exported memory, table or global has a type that does not match the old one under Wasm import matching: " +
			"a lower minimum, a higher or no maximum where the old had one, another element or value type, another mutability, " +
			"a 64-bit or shared memory where the old was not (or the reverse).",
		Why:      "What linked against the old export, with an import type the old one matched, may not link against the new one.",
		Severity: SeverityError,
		Effects:  callable,
		Example: Example{
			Before: "(memory (export \"memory\") 17 256)",
			After:  "(memory (export \"memory\") 17)",
		},
	},
	{
		ID:       RuleCoreExportTypeRefined,
		Purpose:  "An exported memory or table has other limits that still match the old ones (a higher minimum, a lower maximum).",
		Why:      "Every import the old export matched, the new one matches too; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "(memory (export \"memory\") 17 256)",
			After:  "(memory (export \"memory\") 20 128)",
		},
	},
	{
		ID:       RuleCoreImportAdded,
		Purpose:  "The new core module imports a memory, table or global the old one did not.",
		Why:      "The host must now supply it, with a type that matches the import; whether it does is not known from the builds.",
		Severity: SeverityWarning,
		Effects:  hostUnproven,
		Example: Example{
			Before: "(memory 17)",
			After:  "(import \"env\" \"memory\" (memory 17))",
		},
	},
	{
		ID: RuleCoreImportNotProvided,
		Purpose: "The new core module imports a memory, table or global of a kind the declared host refuses " +
			"(the Internet Computer, --platform ic, refuses imported globals; without a declared host a new import is CORE_IMPORT_ADDED).",
		Why:      "The platform rejects the module: the new build does not install or instantiate.",
		Severity: SeverityError,
		Effects:  everyMode,
		Example: Example{
			Before: "(global $g (mut i32) (i32.const 0))",
			After:  "(import \"env\" \"g\" (global $g (mut i32)))",
		},
	},
	{
		ID: RuleCoreImportTypeChanged,
		Purpose: "An imported memory, table or global changed its kind, element or value type, mutability, or 64-bit or shared flag, " +
			"so that nothing matching the old import matches the new one.",
		Why:      "What the host supplies for the old import cannot match the new one: the new build links only on a host that supplies another object.",
		Severity: SeverityError,
		Effects:  importBreaks,
		Example: Example{
			Before: "(import \"env\" \"g\" (global i32))",
			After:  "(import \"env\" \"g\" (global (mut i32)))",
		},
	},
	{
		ID:       RuleCoreImportTypeTightened,
		Purpose:  "An imported memory or table asks for more: a higher minimum, or a maximum (a lower one) where the old import had none (a higher one).",
		Why:      "What the host supplied matched the old limits; whether it also matches the new ones depends on its actual limits, which the builds do not say.",
		Severity: SeverityWarning,
		Effects:  hostUnproven,
		Example: Example{
			Before: "(import \"env\" \"memory\" (memory 1))",
			After:  "(import \"env\" \"memory\" (memory 1 256))",
		},
	},
	{
		ID:       RuleCoreImportTypeRelaxed,
		Purpose:  "An imported memory or table asks for less: a lower minimum, a higher maximum or none.",
		Why:      "Whatever matched the old import matches the new one; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "(import \"env\" \"memory\" (memory 17 256))",
			After:  "(import \"env\" \"memory\" (memory 1))",
		},
	},
	{
		ID:       RuleCoreImportRemoved,
		Purpose:  "The new core module no longer imports a memory, table or global the old one imported.",
		Why:      "Asking the host for less cannot break linking; listed for completeness.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "(import \"env\" \"memory\" (memory 17))",
			After:  "(memory 17)",
		},
	},
	{
		ID: RuleCoreExportUnlinked,
		Purpose: "An exported memory, table or global was removed or retyped, on a platform that links nothing against them " +
			"(Platform.ExternExportsUnlinked: the Internet Computer, --platform ic, calls a canister's exported functions only; " +
			"elsewhere the change is CORE_EXPORT_REMOVED or CORE_EXPORT_TYPE_CHANGED).",
		Why: "No host or module of the platform imports the export, so no link breaks; what the code keeps in its memory " +
			"across the upgrade is the in-flight and snapshot modes' concern, not the export's type.",
		Severity: SeverityInfo,
		Effects:  apiNote,
		Example: Example{
			Before: "(memory (export \"memory\") 25)",
			After:  "(memory (export \"memory\") 24)",
		},
	},
}

// coreExternFix is RuleFix for coreExternRules.
func coreExternFix(id string) string {
	switch id {
	case RuleCoreExportRemoved:
		return "Export it again under the old name (an export costs nothing at run time), or check that nothing links against it and say so with a reason in wfcompat.yaml."
	case RuleCoreExportTypeChanged:
		return "Keep the old type: the same element or value type and mutability, a minimum at least the old one, and a maximum (no higher than the old one) wherever the old export had one (for a linker-made memory, --max-memory as before)."
	case RuleCoreImportAdded, RuleCoreImportTypeTightened:
		return "Define the memory, table or global in the module instead of importing it, or check that the platform supplies one matching the import and say so with a reason in wfcompat.yaml."
	case RuleCoreImportNotProvided:
		return "Define it in the module instead of importing it: the platform refuses modules that import it."
	case RuleCoreImportTypeChanged:
		return "Import it with its old type, or define it in the module."
	case RuleCoreExportTypeRefined, RuleCoreImportTypeRelaxed, RuleCoreImportRemoved:
		return "None needed: the change is compatible."
	case RuleCoreExportUnlinked:
		return "None needed on this platform; if another host or module links against the export, diff without the platform to see it graded."
	}
	return ""
}

// coreExterns compares the memories, tables and globals two core modules
// import and export (externs.Set), which their worlds leave out.
//
// Types are compared by the matching (subtyping) of external types that
// instantiation applies to imports: the WebAssembly Core Specification's
// "Matching" section of the Validation chapter (WebAssembly/spec
// document/core/valid/matching.rst: Limits, Table Types, Memory Types,
// Global Types, External Types; "Import Matching" under Execution ›
// Modules in 1.0 and 2.0). Limits {min n1, max m1?} match {min n2, max m2?} when n1 ≥ n2
// and either m2 is absent or both are present with m1 ≤ m2; a table
// matches when its limits match and its element types match both ways; a
// memory when its limits match (and, with memory64 and threads, the
// address type and sharedness are the same); a global when both are
// immutable and the value type matches, or both mutable and the value
// types match both ways. The value and element types the core decoder
// reads (numbers, v128, funcref, externref) match only themselves.
//
// A new export must match the old one (importers of the old export
// matched it); an import must be matched by whatever matched the old one,
// which is certain when the old import type matches the new one,
// impossible when the kind, value or element type, mutability or
// memory64/shared flag changed, and unknown when only the limits ask for
// more. Exports are paired by name, imports by module and name.
//
// Without the record on a side (a manifest written before it), every mode
// the rules could lower is unproven.
func (d *differ) coreExterns(opts Options) {
	if opts.Old.Kind != "core" || opts.New.Kind != "core" {
		return
	}
	o, n := opts.OldExterns, opts.NewExterns
	if o == nil || n == nil {
		side := "old"
		if o != nil {
			side = "new"
		} else if n == nil {
			side = "old and new"
		}
		for _, m := range AllModes() {
			d.note(m, Unproven, "the memories, tables and globals of the "+side+" build are not known (the manifest does not record memories, tables and globals: "+
				"it was written before wfcompat.manifest/v3's core_externs): whether the imported and exported ones still link is not checked "+
				"(make the manifest again with this wfcompat, or diff the binaries)")
		}
		return
	}
	d.coreExports(o.Exports, n.Exports)
	d.coreImports(o.Imports, n.Imports)
}

func (d *differ) coreExports(old, new []externs.Extern) {
	// On a platform that links nothing against these exports, a removed
	// or retyped one breaks no link: say so, and lower nothing.
	unlinked := d.host != nil && d.host.ExternExportsUnlinked
	for _, oe := range old {
		subj := worldOwner + "#" + oe.Name
		i := slices.IndexFunc(new, func(e externs.Extern) bool { return e.Name == oe.Name })
		if i < 0 {
			if unlinked {
				d.add(RuleCoreExportUnlinked, subj, fmt.Sprintf("%s %q is no longer exported; the host (%s) links nothing against it", oe.Kind, oe.Name, d.host.Name), oe.WAT(false), "")
				continue
			}
			d.add(RuleCoreExportRemoved, subj, fmt.Sprintf("%s %q is no longer exported", oe.Kind, oe.Name), oe.WAT(false), "")
			continue
		}
		ne := new[i]
		if identical(ne, oe) {
			continue
		}
		if why := mismatch(ne, oe); why != nil && unlinked {
			d.add(RuleCoreExportUnlinked, subj,
				fmt.Sprintf("exported %s %q: the new type %s does not match the old %s (%s); the host (%s) links nothing against it", oe.Kind, oe.Name, ne.TypeWAT(), oe.TypeWAT(), strings.Join(why, "; "), d.host.Name),
				oe.WAT(false), ne.WAT(false))
			continue
		} else if why != nil {
			d.add(RuleCoreExportTypeChanged, subj,
				fmt.Sprintf("exported %s %q: the new type %s does not match the old %s: %s", oe.Kind, oe.Name, ne.TypeWAT(), oe.TypeWAT(), strings.Join(why, "; ")),
				oe.WAT(false), ne.WAT(false))
			continue
		}
		d.add(RuleCoreExportTypeRefined, subj,
			fmt.Sprintf("exported %s %q is now %s, which matches the old %s", oe.Kind, oe.Name, ne.TypeWAT(), oe.TypeWAT()),
			oe.WAT(false), ne.WAT(false))
	}
}

func (d *differ) coreImports(old, new []externs.Extern) {
	used := make([]bool, len(new))
	find := func(oe externs.Extern) int {
		for i, ne := range new {
			if !used[i] && ne.Module == oe.Module && ne.Name == oe.Name {
				return i
			}
		}
		return -1
	}
	for _, oe := range old {
		subj := oe.Module + "#" + oe.Name
		i := find(oe)
		if i < 0 {
			d.add(RuleCoreImportRemoved, subj, fmt.Sprintf("%s %s is no longer imported", oe.Kind, importName(oe)), oe.WAT(true), "")
			continue
		}
		used[i] = true
		ne := new[i]
		if identical(oe, ne) {
			continue
		}
		switch {
		case mismatch(oe, ne) == nil:
			d.add(RuleCoreImportTypeRelaxed, subj,
				fmt.Sprintf("imported %s %s is now %s, which whatever matched the old %s matches", oe.Kind, importName(oe), ne.TypeWAT(), oe.TypeWAT()),
				oe.WAT(true), ne.WAT(true))
		case !sameShape(oe, ne):
			why := mismatch(oe, ne)
			if d.refused(ne) {
				d.add(RuleCoreImportNotProvided, subj,
					fmt.Sprintf("%s %s is imported as %s instead of %s, and the host (%s) refuses modules that import a %s: the new build does not install", oe.Kind, importName(oe), ne.TypeWAT(), oe.TypeWAT(), d.host.Name, ne.Kind),
					oe.WAT(true), ne.WAT(true))
				continue
			}
			d.add(RuleCoreImportTypeChanged, subj,
				fmt.Sprintf("imported %s %s is now %s: what the host supplies for the old %s cannot match it (%s)", oe.Kind, importName(oe), ne.TypeWAT(), oe.TypeWAT(), strings.Join(why, "; ")),
				oe.WAT(true), ne.WAT(true))
		default:
			d.add(RuleCoreImportTypeTightened, subj,
				fmt.Sprintf("imported %s %s is now %s, which asks more than the old %s (%s): whether what the host supplies matches it is not known",
					oe.Kind, importName(oe), ne.TypeWAT(), oe.TypeWAT(), strings.Join(mismatch(oe, ne), "; ")),
				oe.WAT(true), ne.WAT(true))
		}
	}
	for i, ne := range new {
		if used[i] {
			continue
		}
		subj := ne.Module + "#" + ne.Name
		what := fmt.Sprintf("%s %s (%s) is newly imported", ne.Kind, importName(ne), ne.TypeWAT())
		switch {
		case d.refused(ne):
			d.add(RuleCoreImportNotProvided, subj, fmt.Sprintf("%s, but the host (%s) refuses modules that import a %s: the new build does not install", what, d.host.Name, ne.Kind), "", ne.WAT(true))
		case d.host == nil:
			d.add(RuleCoreImportAdded, subj, what+": no host is declared, so whether one supplies it is not known "+
				"(declare it with --platform "+strings.Join(PlatformNames(), "|")+", or platform: in wfcompat.yaml)", "", ne.WAT(true))
		default:
			d.add(RuleCoreImportAdded, subj, fmt.Sprintf("%s: the host (%s) is not known to supply a %s matching it (host patterns name functions)", what, d.host.Name, ne.Kind), "", ne.WAT(true))
		}
	}
}

// refused reports whether the declared host refuses modules that import
// an extern of e's kind.
func (d *differ) refused(e externs.Extern) bool {
	return d.host != nil && slices.Contains(d.host.RefusedImports, e.Kind)
}

// mismatch returns why a does not match b (a ≤ b, "Matching" in the core
// specification), or nil when it does.
func mismatch(a, b externs.Extern) []string {
	if a.Kind != b.Kind {
		return []string{fmt.Sprintf("a %s is not a %s", a.Kind, b.Kind)}
	}
	var why []string
	switch a.Kind {
	case externs.Memory:
		if a.Memory64 != b.Memory64 {
			why = append(why, fmt.Sprintf("%s is not %s", addrType(a), addrType(b)))
		}
		if a.Shared != b.Shared {
			why = append(why, fmt.Sprintf("%s is not %s", sharedness(a), sharedness(b)))
		}
	case externs.Table:
		if a.Type != b.Type {
			why = append(why, fmt.Sprintf("element type %s is not %s", a.Type, b.Type))
		}
	case externs.Global:
		if a.Mutable != b.Mutable {
			why = append(why, fmt.Sprintf("%s is not %s", mutability(a), mutability(b)))
		}
		if a.Type != b.Type {
			why = append(why, fmt.Sprintf("value type %s is not %s", a.Type, b.Type))
		}
		return why
	}
	return append(why, limitsMismatch(a, b)...)
}

// sameShape reports whether a and b differ at most in their limits.
func sameShape(a, b externs.Extern) bool {
	a.Min, a.Max, b.Min, b.Max = nil, nil, nil, nil
	return a == b
}

// identical reports whether a and b are the same type.
func identical(a, b externs.Extern) bool {
	return sameShape(a, b) && (a.Min == nil) == (b.Min == nil) && deref(a.Min) == deref(b.Min) &&
		(a.Max == nil) == (b.Max == nil) && deref(a.Max) == deref(b.Max)
}

// limitsMismatch returns why a's limits do not match b's.
func limitsMismatch(a, b externs.Extern) []string {
	var why []string
	if deref(a.Min) < deref(b.Min) {
		why = append(why, fmt.Sprintf("minimum %d is below %d", deref(a.Min), deref(b.Min)))
	}
	switch {
	case b.Max == nil:
	case a.Max == nil:
		why = append(why, fmt.Sprintf("no maximum where one of %d is required", *b.Max))
	case *a.Max > *b.Max:
		why = append(why, fmt.Sprintf("maximum %d is above %d", *a.Max, *b.Max))
	}
	return why
}

func deref(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

func addrType(e externs.Extern) string {
	if e.Memory64 {
		return "a 64-bit memory"
	}
	return "a 32-bit memory"
}

func sharedness(e externs.Extern) string {
	if e.Shared {
		return "shared"
	}
	return "unshared"
}

func mutability(e externs.Extern) string {
	if e.Mutable {
		return "mutable"
	}
	return "immutable"
}

func importName(e externs.Extern) string { return e.Module + "." + e.Name }
