package compat

import (
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// imports compares what the builds ask of the host. Asking for less is
// fine; asking for more is a warning (the host must provide it); a function
// both import must keep its type (api), its parameter types and a result
// type recorded results convert to (replay).
func (d *differ) imports() {
	pairs, added := matchItems(d.old.Imports, d.new.Imports)
	for _, p := range pairs {
		o, n := p.old, p.new
		subj := itemSubject(o)
		if n == nil {
			d.add(RuleImportRemoved, subj, fmt.Sprintf("%s %s is no longer imported", o.Kind, o.Name), itemWIT(o, "import"), "")
			continue
		}
		if o.Name != n.Name {
			d.add(RuleImportVersionChanged, subj,
				fmt.Sprintf("%s is imported at %s instead of %s: the host must provide it", wit.ParseQName(o.Name).Unversioned(),
					versionOrNone(wit.ParseQName(n.Name).Version), versionOrNone(wit.ParseQName(o.Name).Version)),
				itemWIT(o, "import"), itemWIT(n, "import"))
		}
		switch o.Kind {
		case wit.ItemInterface:
			d.importInterface(subj, o.Interface, n.Interface)
		case wit.ItemFunction:
			if o.Function != nil && n.Function != nil {
				d.importFunction(subj, o.Function, n.Function)
			}
		case wit.ItemType:
			if o.Type != nil && n.Type != nil && !value.Identical(o.Type.Type, n.Type.Type) {
				d.add(RuleImportTypeChanged, subj, fmt.Sprintf("imported type %s changed", o.Name), o.Type.WIT(), n.Type.WIT())
			}
		}
	}
	for _, n := range added {
		d.add(RuleImportAdded, itemSubject(n), fmt.Sprintf("%s %s is newly imported: the host must provide it", n.Kind, n.Name), "", itemWIT(n, "import"))
	}
}

func (d *differ) importInterface(subj string, o, n *wit.Interface) {
	if o == nil || n == nil {
		d.unknownContents(subj, "imported", ModeAPI, ModeReplay)
		return
	}
	d.docs(subj, "interface "+subj, o.Docs, n.Docs)
	for _, of := range o.Functions {
		fs := subj + "#" + funcKey(of.Name)
		nf := lookupFunc(n, of.Name)
		if nf == nil {
			d.add(RuleImportFunctionRemoved, fs, fmt.Sprintf("function %s of %s is no longer imported", of.Name, subj), of.WIT(), "")
			continue
		}
		d.importFunction(fs, of, nf)
	}
	for _, nf := range n.Functions {
		if lookupFunc(o, nf.Name) == nil {
			d.add(RuleImportFunctionAdded, subj+"#"+funcKey(nf.Name),
				fmt.Sprintf("function %s of %s is newly imported: the host must provide it", nf.Name, subj), "", nf.WIT())
		}
	}
}

func (d *differ) importFunction(subj string, of, nf *wit.Function) {
	d.signature(subj, of, nf, importSig, func(ps string, o, n *wit.Type) {
		if value.Identical(o, n) {
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
	rs := subj + ".result"
	o, n := of.Result, nf.Result
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
