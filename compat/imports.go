package compat

import (
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// imports compares what the builds ask of the host. Asking for less is
// fine; asking for more (an interface, a function, a version the old one
// does not satisfy) is judged against the declared host (newImport); a
// function both import must keep its type (api), its parameter types and a
// result type recorded results convert to (replay).
func (d *differ) imports() {
	// Type-only imports of a world read from WIT that a component built
	// from it would not ask for are not compared (elidedImports): the WIT
	// and the binary of a build judge alike.
	oldImports, newImports := d.old.Imports, d.new.Imports
	var tw *typeWalk
	if d.oldWIT || d.newWIT {
		tw = newTypeWalk(nil)
	}
	if d.oldWIT {
		oldImports = withoutElided(oldImports, elidedImports(d.old, tw))
	}
	if d.newWIT {
		newImports = withoutElided(newImports, elidedImports(d.new, tw))
	}
	pairs, added := matchItems(oldImports, newImports)
	for _, p := range pairs {
		o, n := p.old, p.new
		subj := itemSubject(o)
		if n == nil {
			d.add(RuleImportRemoved, subj, fmt.Sprintf("%s %s is no longer imported", o.Kind, o.Name), itemWIT(o, "import"), "")
			continue
		}
		if o.Name != n.Name {
			ov, nv := wit.ParseQName(o.Name).Version, wit.ParseQName(n.Name).Version
			what := fmt.Sprintf("%s is imported at %s instead of %s", wit.ParseQName(o.Name).Unversioned(), versionOrNone(nv), versionOrNone(ov))
			switch {
			case ov != "" && nv != "" && wit.SemverCompatible(ov, nv):
				d.add(RuleImportVersionLowered, subj, what+", which the old version satisfies", itemWIT(o, "import"), itemWIT(n, "import"))
			case ov != "" && nv != "" && wit.SemverCompatible(nv, ov):
				d.newImport(RuleImportVersionChanged, subj, d.provided(n), what, itemWIT(o, "import"), itemWIT(n, "import"))
			default:
				d.newImport(RuleImportVersionIncompatible, subj, d.provided(n), what+", a version not semver-compatible with it", itemWIT(o, "import"), itemWIT(n, "import"))
			}
		}
		switch o.Kind {
		case wit.ItemInterface:
			d.importInterface(subj, n.Name, o.Interface, sameVersionAs(o.Interface, n.Interface))
		case wit.ItemFunction:
			if o.Function != nil && n.Function != nil {
				d.importFunction(subj, o.Function, n.Function)
			}
		case wit.ItemType:
			if o.Type != nil && n.Type != nil && !value.Identical(o.Type.Type, n.Type.Type) {
				d.worldType(subj, o.Type, n.Type)
			}
		}
	}
	for _, n := range added {
		d.newImport(RuleImportAdded, itemSubject(n), d.provided(n), fmt.Sprintf("%s %s is newly imported", n.Kind, n.Name), "", itemWIT(n, "import"))
	}
	if d.assumedWidth != WidthUnknown {
		d.note(ModeAPI, Unproven, fmt.Sprintf("the new build's memory is not at hand (its manifest does not record the address width: it was written before core_externs.address_width): "+
			"its ic0 imports are judged in their %s form, the width they fit together, "+
			"but that its memory has that width is not checked (diff the binary, or make the manifest again with this wfcompat)", widthName(d.assumedWidth)))
	}
}

// worldType reports a world-level type (a world imports its types) whose
// definition changed. Where a function either build imports uses it, or
// either definition is a resource (which the host provides), it is
// IMPORT_TYPE_CHANGED, as the function's own findings are. Otherwise no
// recorded import call or result carries its values, and exported
// functions that use it have export findings of their own: what is left
// is that the component imports the type with its definition, and the
// host must accept the new one (IMPORT_WORLD_TYPE_CHANGED, which leaves
// replay unproven rather than unsafe).
func (d *differ) worldType(subj string, o, n *wit.TypeDef) {
	if o.Type.Kind == wit.Resource || n.Type.Kind == wit.Resource ||
		importsUseType(d.old, o.Name, o.Type) || importsUseType(d.new, n.Name, n.Type) {
		d.add(RuleImportTypeChanged, subj, fmt.Sprintf("imported type %s changed", o.Name), o.WIT(), n.WIT())
		return
	}
	d.add(RuleImportWorldTypeChanged, subj,
		fmt.Sprintf("world-level type %s changed; no imported function uses it, so only linking against the host is affected", o.Name), o.WIT(), n.WIT())
}

// importsUseType reports whether a function w imports (at world level or
// in an imported interface) has t, or any type named name, in its
// parameters or result, at any depth. Matching every type of that name,
// whatever its owner, errs on the side of a stricter verdict.
func importsUseType(w *wit.World, name string, t *wit.Type) bool {
	tw := newTypeWalk(func(x *wit.Type) bool { return x == t || x.Name == name })
	for _, it := range w.Imports {
		if tw.function(it.Function) {
			return true
		}
		if it.Interface != nil {
			for _, f := range it.Interface.Functions {
				if tw.function(f) {
					return true
				}
			}
		}
	}
	return false
}

// provided reports whether the declared host provides import item it:
// by its name, or, for an interface, every function of it by name
// ("ic0#call_new": a core module's import module is an interface); and,
// for a core module, every function of it by signature where the host
// knows one (Host.ProvidesCoreFunction: the ic platform's ic0 table).
// When the signature is what the host lacks, why says so.
func (d *differ) provided(it *wit.Item) hostAnswer {
	byName := d.host.ProvidesImport(it.Name)
	if it.Kind != wit.ItemInterface || it.Interface == nil {
		return hostAnswer{provided: byName}
	}
	if !byName && (len(it.Interface.Functions) == 0 || len(it.Interface.Types) > 0) {
		return hostAnswer{}
	}
	for _, f := range it.Interface.Functions {
		if !byName && !d.host.ProvidesImport(it.Name+"#"+f.Name) {
			return hostAnswer{}
		}
		if why := d.signatureProblem(it.Name, f); why != "" {
			return hostAnswer{why: "function " + f.Name + ": " + why}
		}
	}
	for _, f := range it.Interface.Functions {
		d.widthAssumed(it.Name, f)
	}
	return hostAnswer{provided: true}
}

// providedFunc reports whether the declared host provides function f of
// the new build's import interface iface (named newName), by name and,
// for a core module, by signature (see provided).
func (d *differ) providedFunc(newName string, f *wit.Function) hostAnswer {
	if !d.host.ProvidesImport(newName + "#" + f.Name) {
		return hostAnswer{}
	}
	if why := d.signatureProblem(newName, f); why != "" {
		return hostAnswer{why: why}
	}
	d.widthAssumed(newName, f)
	return hostAnswer{provided: true}
}

// widthAssumed records that the host provides function f of import module
// module (newly imported, or imported by both builds) to the new build
// only at the address width inferred from its imports (inferIC0Width: its
// width is neither at hand nor recorded), for the note imports leaves on
// api.
func (d *differ) widthAssumed(module string, f *wit.Function) {
	if !d.newCore || d.newWidth != WidthUnknown || d.host == nil || !d.host.ic0 || module != "ic0" {
		return
	}
	fn, ok := lookupIC0(f.Name)
	if !ok || fn.form(Width32) == fn.form(Width64) {
		return
	}
	d.assumedWidth = inferIC0Width(d.new)
}

// signatureProblem says why the declared host does not provide function
// f of import module module of the new build by its core signature; ""
// when the new build is not a core module, or the host has no signature
// for f, or f has it.
func (d *differ) signatureProblem(module string, f *wit.Function) string {
	if !d.newCore {
		return ""
	}
	w, inferred := d.newWidth, false
	if w == WidthUnknown {
		w, inferred = inferIC0Width(d.new), true
	}
	why := d.host.coreSignatureProblem(module, f, w)
	if why != "" && inferred {
		why += "; the module's memory is not at hand (a manifest that does not record the address width), and its other ic0 imports are those of a " + widthName(w) + " module"
	}
	return why
}

// hostAnswer is whether the declared host provides an import, and, when
// it provides the name but not the signature, why not.
type hostAnswer struct {
	provided bool
	why      string
}

func answer(provided bool) hostAnswer { return hostAnswer{provided: provided} }

// newImport reports something the new build imports and the old one did
// not: against the declared host, IMPORT_PROVIDED or IMPORT_NOT_PROVIDED;
// with no host declared, rule (api unsafe, the other modes unproven) with
// how to declare one.
func (d *differ) newImport(rule, subj string, a hostAnswer, what, old, new string) {
	switch {
	case d.host == nil:
		d.add(rule, subj, what+": no host is declared, so whether the host provides it is not known "+
			"(declare it with --platform "+strings.Join(PlatformNames(), "|")+", or platform: or host_provides: in wfcompat.yaml)", old, new)
	case a.provided:
		d.add(RuleImportProvided, subj, fmt.Sprintf("%s; the host (%s) provides it", what, d.host.Name), old, new)
	default:
		d.notProvided(subj, what, a.why, old, new)
	}
}

// notProvided reports an import of the new build the declared host does
// not provide (IMPORT_NOT_PROVIDED), with why when the host provides the
// name with another signature.
func (d *differ) notProvided(subj, what, why, old, new string) {
	if why != "" {
		why = " (" + why + ")"
	}
	d.add(RuleImportNotProvided, subj, fmt.Sprintf("%s, but the host (%s) does not provide it%s: the new build does not instantiate", what, d.host.Name, why), old, new)
}

func (d *differ) importInterface(subj, newName string, o, n *wit.Interface) {
	if o == nil || n == nil {
		d.unknownContents(subj, "imported", ModeAPI, ModeReplay)
		return
	}
	d.docs(subj, "interface", subj, o.Docs, n.Docs)
	var reformed []string // functions hostForm graded as provided
	for _, of := range o.Functions {
		fs := subj + "#" + funcKey(of.Name)
		nf := lookupFunc(n, of.Name)
		if nf == nil {
			d.add(RuleImportFunctionRemoved, fs, fmt.Sprintf("function %s of %s is no longer imported", of.Name, subj), of.WIT(), "")
			continue
		}
		if d.hostForm(fs, newName, of, nf) {
			reformed = append(reformed, nf.Name)
			continue
		}
		d.importFunction(fs, of, nf)
		// A function both import is not judged against the host by name
		// (the old build linked it), but its signature may be one the
		// host does not provide to the new build (a changed one, or an
		// unchanged one after a change of address width).
		if why := d.signatureProblem(newName, nf); why != "" {
			d.notProvided(fs, fmt.Sprintf("function %s of %s is imported as %s", nf.Name, subj, coreFuncWAT(nf)), why, of.WIT(), nf.WIT())
		} else {
			// Right only at an inferred width, it is as unproven as a
			// new import is: the new build may have changed width.
			d.widthAssumed(newName, nf)
		}
	}
	if len(reformed) > 0 {
		d.note(ModeReplay, Unproven, fmt.Sprintf("%s of %s changed signature to the form the host (%s) provides to the new build: "+
			"an event log recorded on the old build holds these calls' arguments and results in the old signature "+
			"(where the address width changed, 32- or 64-bit pointers and sizes into the old memory), "+
			"and whether a replay on the new build matches them is not checked (replay runs components, not core modules)",
			strings.Join(reformed, ", "), subj, d.host.Name))
	}
	for _, nf := range n.Functions {
		if lookupFunc(o, nf.Name) == nil {
			d.newImport(RuleImportFunctionAdded, subj+"#"+funcKey(nf.Name), d.providedFunc(newName, nf),
				fmt.Sprintf("function %s of %s is newly imported", nf.Name, subj), "", nf.WIT())
		}
	}
	// A resource the interface now defines is asked of the host too (a
	// component imports its drop): the old host need not have it.
	for _, nt := range n.Types {
		if !ownResource(n, nt) || ownResource(o, o.TypeDef(nt.Name)) {
			continue
		}
		d.newImport(RuleImportAdded, subj+"#"+nt.Name, answer(d.host.ProvidesImport(newName) || d.host.ProvidesImport(newName+"#"+nt.Name)),
			fmt.Sprintf("resource %s of %s is newly imported", nt.Name, subj), "", nt.WIT())
	}
}

// hostForm grades function nf of import module module, which the old
// build imports as of, when the declared host checks its signature: an
// ic0 function under the ic platform whose core signature changed to the
// System API's form at the new build's address width (a memory64 rebuild
// importing the wasm64 forms). IMPORT_TYPE_CHANGED is for a host that
// provides the old type; the System API provides the form of the new
// build's width, so the new build links: IMPORT_PROVIDED (api safe), as
// a new import the host provides is, and importInterface leaves replay
// unproven (the recorded calls have the old form). It reports whether it
// graded nf; a new form the host does not provide is left to
// importFunction and signatureProblem (IMPORT_NOT_PROVIDED). With the
// width neither at hand nor recorded, the form is judged at the width
// inferred from the imports, and widthAssumed leaves api unproven.
func (d *differ) hostForm(subj, module string, of, nf *wit.Function) bool {
	if !d.oldCore || !d.newCore || d.host == nil || !d.host.ic0 || module != "ic0" {
		return false
	}
	og, okOld := coreSignature(of)
	ng, okNew := coreSignature(nf)
	if !okOld || !okNew || og == ng || !d.host.ProvidesImport(module+"#"+nf.Name) {
		return false
	}
	w := d.newWidth
	if w == WidthUnknown {
		w = inferIC0Width(d.new)
	}
	if known, ok, _ := ic0Signature(nf, w); !known || !ok {
		return false
	}
	d.widthAssumed(module, nf)
	d.newImport(RuleImportProvided, subj, answer(true),
		fmt.Sprintf("function %s of %s is imported as %s instead of %s, the System API's form%s", nf.Name, module, coreFuncWAT(nf), coreFuncWAT(of), w.forModule()),
		of.WIT(), nf.WIT())
	return true
}

func (d *differ) importFunction(subj string, of, nf *wit.Function) {
	d.signature(subj, of, nf, importSig, func(ps string, o, n *wit.Type) {
		if value.Identical(o, n) {
			return
		}
		if value.SameStructure(o, n) {
			// Only type names differ: recorded values carry none.
			d.importRenamed(ps, o, n, of, nf)
			return
		}
		// Parameters must stay identical: replay compares the calls the
		// new build makes with the recorded ones.
		tc := value.CheckTypes(o, n)
		steps := append(append([]value.Step(nil), tc.Problems...), tc.Conversions...)
		for _, s := range steps {
			loc := locate(ps, o, n, s.Path)
			d.add(RuleImportTypeChanged, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
		}
		if len(steps) == 0 {
			d.add(RuleImportTypeChanged, ps, fmt.Sprintf("%s: %s is not identical to %s", ps, o.DefinitionWIT(), n.DefinitionWIT()), of.WIT(), nf.WIT())
		}
	})
	o, n := of.Result, nf.Result
	if o != nil && n != nil && value.Identical(o, n) {
		return
	}
	rs := subj + ".result"
	switch {
	case o == nil && n == nil:
		return
	case o == nil || n == nil:
		d.add(RuleImportTypeChanged, rs, fmt.Sprintf("%s: result changed from %s to %s", rs, resultWIT(o), resultWIT(n)), of.WIT(), nf.WIT())
		return
	}
	if value.Identical(o, n) {
		return
	}
	if value.SameStructure(o, n) {
		d.importRenamed(rs, o, n, of, nf)
		return
	}
	// Results must convert old to new: replay hands recorded results of the
	// old type to the new build.
	tc := value.CheckTypes(o, n)
	for _, s := range tc.Problems {
		loc := locate(rs, o, n, s.Path)
		d.add(RuleImportTypeChanged, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
	}
	for _, s := range tc.Conversions {
		loc := locate(rs, o, n, s.Path)
		d.add(RuleImportResultConverted, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
	}
	switch {
	case !tc.OK && len(tc.Problems) == 0:
		d.add(RuleImportTypeChanged, rs, fmt.Sprintf("%s: %s does not convert to %s", rs, o.WIT(), n.WIT()), of.WIT(), nf.WIT())
	case len(tc.Problems) == 0 && len(tc.Conversions) == 0:
		d.add(RuleImportTypeChanged, rs, fmt.Sprintf("%s: %s is not identical to %s", rs, o.DefinitionWIT(), n.DefinitionWIT()), of.WIT(), nf.WIT())
	}
}

// importRenamed reports a parameter or result type of an imported function
// that is the same Component Model value type as before under other type
// names (value.SameStructure: resources still nominal; field, case and
// flag names and their order unchanged) as IMPORT_TYPE_RENAMED, one
// finding per renamed type. Event logs record values in WAVE, which
// names fields, cases and flags but never types, so replay compares the
// new build's calls with the recorded ones, and feeds it recorded results,
// unchanged; only linking against the host's interface is affected.
func (d *differ) importRenamed(subj string, o, n *wit.Type, of, nf *wit.Function) {
	tc := value.CheckTypes(o, n)
	for _, s := range tc.Conversions {
		id := RuleImportTypeRenamed
		if s.Code != value.CodeTypeRenamed {
			id = RuleImportTypeChanged // not expected of the same structure; kept strict
		}
		loc := locate(subj, o, n, s.Path)
		d.add(id, loc.subject, stepMessage(loc.subject, s), orDefault(loc.old, of.WIT()), orDefault(loc.new, nf.WIT()))
	}
	switch {
	case len(tc.Problems) > 0 || !tc.OK:
		// Not expected of two types of the same structure; kept strict.
		d.add(RuleImportTypeChanged, subj, fmt.Sprintf("%s: %s is not identical to %s", subj, o.DefinitionWIT(), n.DefinitionWIT()), of.WIT(), nf.WIT())
	case len(tc.Conversions) == 0:
		// A handle to the same resource through an alias: no value step.
		d.add(RuleImportTypeRenamed, subj, fmt.Sprintf("%s: the type is now written %s instead of %s; it is the same value type", subj, n.WIT(), o.WIT()), of.WIT(), nf.WIT())
	}
}
