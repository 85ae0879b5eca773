package compat

import (
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// exports compares what the old build exports with what the new one does.
// Everything old must still be there with identical types (api); old
// exported functions must still exist and take every old argument value
// (restart, replay); their results must not change (replay).
func (d *differ) exports() {
	pairs, added := matchItems(d.old.Exports, d.new.Exports)
	for _, p := range pairs {
		o, n := p.old, p.new
		subj := itemSubject(o)
		if n == nil {
			switch o.Kind {
			case wit.ItemInterface:
				d.add(RuleExportInterfaceRemoved, subj,
					fmt.Sprintf("interface %s is no longer exported%s", o.Name, functionList(o.Interface)),
					itemWIT(o, "export"), "")
			case wit.ItemFunction:
				d.add(RuleExportFunctionRemoved, subj,
					fmt.Sprintf("function %s is no longer exported", o.Name), itemWIT(o, "export"), "")
			case wit.ItemType:
				d.add(RuleExportTypeRemoved, subj,
					fmt.Sprintf("type %s is no longer exported", o.Name), itemWIT(o, "export"), "")
			}
			continue
		}
		switch o.Kind {
		case wit.ItemInterface:
			d.exportVersion(o, n)
			d.exportInterface(subj, o.Interface, sameVersionAs(o.Interface, n.Interface))
		case wit.ItemFunction:
			if o.Function != nil && n.Function != nil {
				d.exportFunction(subj, o.Function, n.Function)
			}
		}
	}
	// Type definitions last, once every function has been compared:
	// changes that function signatures show are reported there, with what
	// they mean for each mode, and not again as bare type changes.
	for _, p := range pairs {
		o, n := p.old, p.new
		switch {
		case n == nil:
		case o.Kind == wit.ItemInterface && o.Interface != nil && n.Interface != nil:
			d.exportTypes(itemSubject(o), o.Interface, sameVersionAs(o.Interface, n.Interface))
		case o.Kind == wit.ItemType && o.Type != nil && n.Type != nil:
			d.exportTypeDef(itemSubject(o), o.Type, n.Type)
		}
	}
	for _, n := range added {
		switch n.Kind {
		case wit.ItemInterface:
			d.add(RuleExportInterfaceAdded, itemSubject(n),
				fmt.Sprintf("interface %s is newly exported", n.Name), "", itemWIT(n, "export"))
		case wit.ItemFunction:
			d.add(RuleExportFunctionAdded, itemSubject(n),
				fmt.Sprintf("function %s is newly exported", n.Name), "", itemWIT(n, "export"))
		}
	}
}

func (d *differ) exportVersion(o, n *wit.Item) {
	if o.Name == n.Name {
		return
	}
	ov, nv := wit.ParseQName(o.Name).Version, wit.ParseQName(n.Name).Version
	if wit.SemverCompatible(nv, ov) {
		d.add(RuleExportVersionChanged, itemSubject(o),
			fmt.Sprintf("%s is exported at %s, which satisfies importers of %s", o.Name, versionOrNone(nv), versionOrNone(ov)),
			itemWIT(o, "export"), itemWIT(n, "export"))
		return
	}
	d.add(RuleExportVersionIncompatible, itemSubject(o),
		fmt.Sprintf("%s is exported only at %s, which does not satisfy importers of %s", o.Name, versionOrNone(nv), versionOrNone(ov)),
		itemWIT(o, "export"), itemWIT(n, "export"))
}

func (d *differ) exportInterface(subj string, o, n *wit.Interface) {
	if o == nil || n == nil {
		d.unknownContents(subj, "exported", ModeAPI, ModeRestart, ModeReplay)
		return
	}
	d.docs(subj, "interface", subj, o.Docs, n.Docs)
	for _, of := range o.Functions {
		fs := subj + "#" + funcKey(of.Name)
		nf := lookupFunc(n, of.Name)
		if nf == nil {
			d.add(RuleExportFunctionRemoved, fs,
				fmt.Sprintf("function %s is no longer exported by %s", of.Name, subj), of.WIT(), "")
			continue
		}
		d.exportFunction(fs, of, nf)
	}
	for _, nf := range n.Functions {
		if lookupFunc(o, nf.Name) == nil {
			d.add(RuleExportFunctionAdded, subj+"#"+funcKey(nf.Name),
				fmt.Sprintf("function %s is newly exported by %s", nf.Name, subj), "", nf.WIT())
		}
	}
}

// exportTypes compares the named types of an exported interface.
func (d *differ) exportTypes(subj string, o, n *wit.Interface) {
	for _, ot := range o.Types {
		// A type brought in with use is subject to its definition, where
		// function findings anchor it too.
		ts := ownerSubject(o.Name) + "#" + ot.Name
		if ot.Type.Named() {
			ts = ownerSubject(ot.Type.Owner) + "#" + ot.Type.Name
		}
		nt := n.TypeDef(ot.Name)
		if nt == nil {
			if !d.covered(ts) {
				d.add(RuleExportTypeRemoved, ts,
					fmt.Sprintf("type %s is no longer defined by exported interface %s", ot.Name, subj), ot.WIT(), "")
			}
			continue
		}
		d.exportTypeDef(ts, ot, nt)
	}
}

// exportTypeDef compares a named type of an exported interface (or a
// world-level exported type).
func (d *differ) exportTypeDef(subj string, o, n *wit.TypeDef) {
	d.typeDocs(subj, o, n)
	if d.covered(subj) || value.Identical(o.Type, n.Type) {
		return
	}
	tc := value.CheckTypes(o.Type, n.Type)
	steps := append(append([]value.Step(nil), tc.Problems...), tc.Conversions...)
	if len(steps) == 0 {
		d.add(RuleExportTypeChanged, subj, fmt.Sprintf("exported type %s is not identical to the old one", o.Name), o.WIT(), n.WIT())
		return
	}
	for _, s := range steps {
		loc := locate(subj, o.Type, n.Type, s.Path)
		d.add(RuleExportTypeChanged, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, o.WIT()), orDefault(loc.new, n.WIT()))
	}
}

// exportFunction compares an old exported function with the new one of the
// same name.
func (d *differ) exportFunction(subj string, of, nf *wit.Function) {
	d.signature(subj, of, nf, exportSig, func(ps string, o, n *wit.Type) { d.exportParam(ps, o, n, of, nf) })
	d.exportResult(subj, of, nf)
}

// sigRules are what tells an export's signature comparison from an
// import's: the rules it reports under and how messages name the function.
type sigRules struct {
	prefix                         string // before the function name in messages
	removed, added, renamed, moved string // rule IDs for parameter changes
}

var (
	exportSig = sigRules{"", RuleParamRemoved, RuleParamAdded, RuleParamRenamed, RuleParamMoved}
	importSig = sigRules{"imported ", RuleImportTypeChanged, RuleImportTypeChanged, RuleImportParamRenamed, RuleImportTypeChanged}
)

// signature compares docs, async-ness and the parameter lists of two
// versions of a function, position by position: removed, added, renamed
// and moved parameters are reported under r's rules, and each pair of
// parameter types at the same position is handed to paramType with its
// subject. A parameter whose old name the new function gives to another
// position moved (a swap, a reordering, a shift): arguments are passed and
// recorded by position, so its old values would reach another parameter.
// That is no rename, even when the types at each position still match.
func (d *differ) signature(subj string, of, nf *wit.Function, r sigRules, paramType func(ps string, o, n *wit.Type)) {
	name := r.prefix + of.Name
	d.docs(subj, "function", of.Name, of.Docs, nf.Docs)
	if of.Async != nf.Async {
		d.add(RuleFunctionAsyncChanged, subj, fmt.Sprintf("%s changed from %s to %s", name, asyncWord(of.Async), asyncWord(nf.Async)), of.WIT(), nf.WIT())
	}
	for i := 0; i < max(len(of.Params), len(nf.Params)); i++ {
		switch {
		case i >= len(nf.Params):
			p := of.Params[i]
			d.add(r.removed, subj+".param("+p.Name+")",
				fmt.Sprintf("%s no longer takes parameter %s (position %d)", name, p.Name, i+1), of.WIT(), nf.WIT())
		case i >= len(of.Params):
			p := nf.Params[i]
			d.add(r.added, subj+".param("+p.Name+")",
				fmt.Sprintf("%s takes a new parameter %s: %s (position %d)", name, p.Name, p.Type.WIT(), i+1), of.WIT(), nf.WIT())
		default:
			op, np := of.Params[i], nf.Params[i]
			if op.Name == np.Name && value.Identical(op.Type, np.Type) {
				continue // the common case: nothing to report
			}
			ps := subj + ".param(" + op.Name + ")"
			if op.Name != np.Name {
				if j := paramIndex(nf.Params, op.Name); j >= 0 {
					d.add(r.moved, ps,
						fmt.Sprintf("parameter %s of %s moved from position %d to %d: arguments are passed by position, so its old values reach parameter %s",
							op.Name, name, i+1, j+1, np.Name), of.WIT(), nf.WIT())
				} else {
					d.add(r.renamed, ps,
						fmt.Sprintf("parameter %d of %s is renamed from %s to %s", i+1, name, op.Name, np.Name), of.WIT(), nf.WIT())
				}
			}
			paramType(ps, op.Type, np.Type)
		}
	}
}

// paramIndex returns the position of the parameter called name, or -1.
func paramIndex(ps []wit.Param, name string) int {
	for i, p := range ps {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// conversionRule returns the rule that reports a value conversion code
// (value.Step.Code) for exported function inputs; false for a code it has
// no rule for. (A switch: nothing is built at start-up.)
func conversionRule(code string) (string, bool) {
	switch code {
	case "int-widen":
		return RuleIntegerWidened, true
	case "float-widen":
		return RuleFloatWidened, true
	case "option-wrap":
		return RuleOptionWrapped, true
	case "record-field-added":
		return RuleRecordFieldAdded, true
	case "variant-case-added":
		return RuleVariantCaseAdded, true
	case "enum-case-added":
		return RuleEnumCaseAdded, true
	case "flag-added":
		return RuleFlagAdded, true
	case "type-renamed":
		return RuleTypeRenamed, true
	}
	return "", false
}

// exportParam compares an exported function's parameter types with the
// value-compatibility rule: conversions are warnings for restart and replay,
// anything else breaks every mode that calls the function.
func (d *differ) exportParam(subj string, o, n *wit.Type, of, nf *wit.Function) {
	if value.Identical(o, n) || d.aliased(subj, o, n, of, nf) {
		return
	}
	tc := value.CheckTypes(o, n)
	for _, s := range tc.Problems {
		loc := locate(subj, o, n, s.Path)
		d.add(RuleParamTypeChanged, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
	}
	for _, s := range tc.Conversions {
		id, ok := conversionRule(s.Code)
		switch {
		case !ok:
			// A conversion this version of wfcompat has no rule for: report
			// it as a change rather than let it pass as safe.
			id = RuleParamTypeChanged
		case s.Code != value.CodeTypeRenamed && (throughStream(o, s.Path) || throughStream(n, s.Path)):
			// Old values would convert, but nothing converts them: the
			// caller writes the payload after the call, in the old type.
			id = RuleParamConversionUnproven
		case s.Code == value.CodeIntWiden && (d.oldCore || d.newCore):
			// A core i32 has no signedness: whether it extends by sign or
			// by zero depends on how the module reads it.
			id = RuleParamConversionUnproven
		}
		loc := locate(subj, o, n, s.Path)
		d.add(id, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
	}
	if !tc.OK && len(tc.Problems) == 0 {
		d.add(RuleParamTypeChanged, subj, fmt.Sprintf("%s: %s does not convert to %s", subj, o.WIT(), n.WIT()), of.WIT(), nf.WIT())
	} else if len(tc.Problems) == 0 && len(tc.Conversions) == 0 {
		d.add(RuleExportTypeChanged, subj, fmt.Sprintf("%s: %s is not identical to %s", subj, o.DefinitionWIT(), n.DefinitionWIT()), of.WIT(), nf.WIT())
	}
}

// throughStream reports whether path, from t, passes into the payload of a
// future or stream (a step at the future or stream itself does not).
func throughStream(t *wit.Type, path value.Path) bool {
	for _, seg := range path {
		if t == nil {
			return false
		}
		if t.Kind == wit.Future || t.Kind == wit.Stream {
			return true
		}
		t = seg.In(t)
	}
	return false
}

// exportResult requires identical results (fsubj is the function's subject;
// findings are at fsubj.result): callers decode the old type, and
// replay must reproduce recorded results.
func (d *differ) exportResult(fsubj string, of, nf *wit.Function) {
	o, n := of.Result, nf.Result
	if o != nil && n != nil && value.Identical(o, n) {
		return
	}
	subj := fsubj + ".result"
	switch {
	case o == nil && n == nil:
		return
	case o == nil || n == nil:
		d.add(RuleResultTypeChanged, subj, fmt.Sprintf("%s: result changed from %s to %s", subj, resultWIT(o), resultWIT(n)), of.WIT(), nf.WIT())
		return
	}
	if value.Identical(o, n) || d.aliased(subj, o, n, of, nf) {
		return
	}
	tc := value.CheckTypes(o, n)
	steps := append(append([]value.Step(nil), tc.Problems...), tc.Conversions...)
	// The same value type under other type names (value.SameStructure:
	// resources nominal, field, case and flag names and order unchanged)
	// is a rename, as it is in a parameter: the canonical ABI lifts and
	// lowers it alike, and a recorded result (WAVE, which names fields,
	// cases and flags but never types) compares equal with the new build's.
	// Callers still link exported types by name (TYPE_RENAMED: api).
	renamedOnly := value.SameStructure(o, n)
	for _, s := range steps {
		id := RuleResultTypeChanged
		if renamedOnly && s.Code == value.CodeTypeRenamed {
			id = RuleTypeRenamed
		}
		loc := locate(subj, o, n, s.Path)
		d.add(id, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
	}
	if len(steps) == 0 {
		d.add(RuleResultTypeChanged, subj, fmt.Sprintf("%s: %s is not identical to %s", subj, o.DefinitionWIT(), n.DefinitionWIT()), of.WIT(), nf.WIT())
	}
}

// aliased reports, as a TYPE_ALIASED finding, a type of a function's
// signature that is the same Component Model value type as before under
// other names (a new alias or use, or a name dropped for its structure)
// while every old name it used is still exported: value types are
// structural and type exports are matched by name, so no caller sees a
// change. It returns false, reporting nothing, otherwise.
func (d *differ) aliased(subj string, o, n *wit.Type, of, nf *wit.Function) bool {
	if !value.SameStructure(o, n) || !d.namesKept(o, n) {
		return false
	}
	d.add(RuleTypeAliased, subj, fmt.Sprintf("%s: the type is now written %s instead of %s; it is the same value type", subj, n.WIT(), o.WIT()), of.WIT(), nf.WIT())
	return true
}

// namesKept reports whether every named type in o (walked alongside n,
// which has its structure) whose name n does not repeat is still exported
// by the new world under its name, with that structure.
func (d *differ) namesKept(o, n *wit.Type) bool {
	if o == nil || n == nil {
		return true
	}
	if o.Name != "" && o.Kind != wit.Resource && (o.Name != n.Name || o.Owner != n.Owner) {
		td := d.newTypeDef(o.Owner, o.Name)
		if td == nil || !value.SameStructure(td.Type, o) {
			return false
		}
	}
	for i := range o.Fields {
		if !d.namesKept(o.Fields[i].Type, n.Fields[i].Type) {
			return false
		}
	}
	for i := range o.Cases {
		if !d.namesKept(o.Cases[i].Type, n.Cases[i].Type) {
			return false
		}
	}
	for i := range o.Elems {
		if !d.namesKept(o.Elems[i], n.Elems[i]) {
			return false
		}
	}
	return d.namesKept(o.Elem, n.Elem) && d.namesKept(o.Ok, n.Ok) && d.namesKept(o.Err, n.Err)
}

// newTypeDef finds the type name that interface owner defines in the new
// world, or nil. Owner "" is the world or an inline interface (whose types
// have no qualified owner): any of those defining name will do, since the
// caller requires the same structure.
func (d *differ) newTypeDef(owner, name string) *wit.TypeDef {
	want := wit.UnversionedName(owner)
	for _, items := range [][]*wit.Item{d.new.Exports, d.new.Imports} {
		for _, it := range items {
			switch {
			case owner == "" && it.Kind == wit.ItemType && it.Name == name && it.Type != nil:
				return it.Type
			case owner == "" && it.Kind == wit.ItemInterface && it.Interface != nil && !wit.ParseQName(it.Name).Qualified():
				if td := it.Interface.TypeDef(name); td != nil {
					return td
				}
			case owner != "" && it.Kind == wit.ItemInterface && it.Interface != nil &&
				(wit.UnversionedName(it.Name) == want || wit.UnversionedName(it.Interface.Name) == want):
				if td := it.Interface.TypeDef(name); td != nil {
					return td
				}
			}
		}
	}
	return nil
}

// unknownContents is for an item whose contents one side does not carry:
// nothing can be compared, so the modes that depend on it are unproven.
func (d *differ) unknownContents(subj, what string, modes ...Mode) {
	for _, m := range modes {
		d.note(m, Unproven, fmt.Sprintf("the contents of %s interface %s are unknown on one side and were not compared", what, subj))
	}
}

func functionList(i *wit.Interface) string {
	if i == nil || len(i.Functions) == 0 {
		return ""
	}
	s := " (functions "
	for k, f := range i.Functions {
		if k > 0 {
			s += ", "
		}
		s += f.Name
	}
	return s + ")"
}

func versionOrNone(v string) string {
	if v == "" {
		return "no version"
	}
	return "version " + v
}

func asyncWord(async bool) string {
	if async {
		return "async"
	}
	return "sync"
}

func resultWIT(t *wit.Type) string {
	if t == nil {
		return "no result"
	}
	return t.WIT()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
