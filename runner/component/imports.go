package component

import (
	"context"
	"fmt"
	"strings"

	ast "github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// checkImports compares the component's world imports with what the host
// provides and lists every missing function and resource, with its type.
// With StubMissing the list is kept and the missing items trap when used.
func (l *Linker) checkImports(c *ast.Component) error {
	w, err := c.World()
	if err != nil {
		return err
	}
	var missing []MissingImport
	for _, it := range w.Imports {
		switch it.Kind {
		case wit.ItemInterface:
			hi := l.cfg.Host.Instance(it.Name)
			if hi == nil {
				missing = append(missing, MissingImport{Name: it.Name, Type: "interface " + ifaceSummary(it.Interface)})
				continue
			}
			for _, td := range it.Interface.Types {
				if td.Type != nil && td.Type.Kind == wit.Resource && td.Type.Owner == it.Name {
					if _, ok := hi.Resources[td.Name]; !ok {
						missing = append(missing, MissingImport{Name: it.Name, Item: td.Name, Type: "resource"})
					}
				}
			}
			for _, f := range it.Interface.Functions {
				if _, ok := hi.Funcs[f.Name]; !ok {
					missing = append(missing, MissingImport{Name: it.Name, Item: f.Name, Type: signature(f)})
				}
			}
		case wit.ItemFunction:
			if l.cfg.Host.Func(it.Name) == nil {
				missing = append(missing, MissingImport{Name: it.Name, Type: signature(it.Function)})
			}
		}
	}
	l.missing = missing
	if len(missing) > 0 && !l.cfg.StubMissing {
		return &MissingImportsError{Missing: missing}
	}
	return nil
}

// signature returns f's type in WIT, without its name.
func signature(f *wit.Function) string {
	s := f.WIT()
	if i := strings.Index(s, ": func"); i >= 0 {
		return s[i+2:]
	}
	return s
}

func ifaceSummary(i *wit.Interface) string {
	if i == nil {
		return ""
	}
	s := "{"
	for k, f := range i.Functions {
		if k > 0 {
			s += "; "
		}
		if k == 3 {
			s += fmt.Sprintf("… %d more", len(i.Functions)-3)
			break
		}
		s += f.WIT()
	}
	return s + "}"
}

// importDef binds an import: to the argument of that name for a nested
// component, to the host for the top-level component.
func (l *Linker) importDef(fr *frame, im *ast.Import) error {
	name := fullName(im.Name)
	if !fr.top {
		it, ok := fr.args[im.Name.Name]
		if !ok {
			it, ok = fr.args[name]
		}
		if !ok {
			return l.errAt(im.Off, "no argument for the import %q of a nested component", name)
		}
		if it.sort != im.Desc.Sort {
			return l.errAt(im.Off, "import %q is a %s, the argument a %s", name, im.Desc.Sort, it.sort)
		}
		if it.sort == ast.SortType && it.ty.res != nil {
			it.ty.res.setName(im.Name.Name)
		}
		fr.push(it)
		return nil
	}
	d := im.Desc
	switch d.Sort {
	case ast.SortInstance:
		t, err := fr.typ(im.Off, d.Index)
		if err != nil {
			return err
		}
		if t.def == nil || t.def.Kind != ast.KindInstance {
			return l.errAt(im.Off, "import %q: type index %d is not an instance type", name, d.Index)
		}
		inst, err := l.hostInstance(fr, name, t)
		if err != nil {
			return err
		}
		fr.push(item{sort: ast.SortInstance, inst: inst})
	case ast.SortFunc:
		t, err := fr.typ(im.Off, d.Index)
		if err != nil {
			return err
		}
		if t.fn == nil {
			return l.errAt(im.Off, "import %q: type index %d is not a function type", name, d.Index)
		}
		fr.push(item{sort: ast.SortFunc, fn: l.hostFunc("", name, t.fn, l.cfg.Host.Func(name))})
	case ast.SortType:
		if d.Bound == ast.BoundSubResource {
			r := NewResource(name, nil)
			l.resources[r.Type] = r
			fr.push(item{sort: ast.SortType, ty: &rtype{val: r.Type, res: r}})
			return nil
		}
		t, err := fr.typ(im.Off, d.Index)
		if err != nil {
			return err
		}
		fr.push(item{sort: ast.SortType, ty: t})
	case ast.SortCoreModule:
		return unsupported(im.Off, "import of a core module from the host")
	case ast.SortComponent:
		return unsupported(im.Off, "import of a component from the host")
	case ast.SortValue:
		return unsupported(im.Off, "import of a component value")
	default:
		return l.errAt(im.Off, "import %q of sort %s", name, d.Sort)
	}
	return nil
}

// hostInstance elaborates an imported instance type against the host's
// implementation of the interface.
func (l *Linker) hostInstance(fr *frame, name string, t *rtype) (*Inst, error) {
	hi := l.cfg.Host.Instance(name)
	df := &frame{parent: t.defn, inst: fr.inst}
	inst := &Inst{exports: map[string]item{}}
	for i := range t.def.Decls {
		d := &t.def.Decls[i]
		switch d.Kind {
		case ast.DeclCoreType:
			df.coreTypes += d.CoreType.Types
		case ast.DeclType:
			rt, err := l.defType(d.Type, df)
			if err != nil {
				return nil, err
			}
			df.types = append(df.types, rt)
		case ast.DeclAlias:
			if err := l.alias(df, d.Alias); err != nil {
				return nil, err
			}
		case ast.DeclExport:
			n := fullName(d.Name)
			var it item
			switch d.Desc.Sort {
			case ast.SortType:
				if d.Desc.Bound == ast.BoundSubResource {
					var r *Resource
					if hi != nil {
						r = hi.Resources[n]
					}
					if r == nil {
						r = NewResource(n, nil)
					}
					l.resources[r.Type] = r
					it = item{sort: ast.SortType, ty: &rtype{val: r.Type, res: r}}
				} else {
					rt, err := df.typ(d.Off, d.Desc.Index)
					if err != nil {
						return nil, err
					}
					it = item{sort: ast.SortType, ty: rt}
				}
				df.types = append(df.types, it.ty)
			case ast.SortFunc:
				rt, err := df.typ(d.Off, d.Desc.Index)
				if err != nil {
					return nil, err
				}
				if rt.fn == nil {
					return nil, l.errAt(d.Off, "import %q: %q: type index %d is not a function type", name, n, d.Desc.Index)
				}
				var hf HostFunc
				if hi != nil {
					hf = hi.Funcs[n]
				}
				it = item{sort: ast.SortFunc, fn: l.hostFunc(name, n, rt.fn, hf)}
			default:
				return nil, unsupported(d.Off, fmt.Sprintf("import %q: an exported %s in an instance type", name, d.Desc.Sort))
			}
			inst.exports[n] = it
			inst.order = append(inst.order, n)
		default:
			return nil, l.errAt(d.Off, "import %q: unexpected declarator in an instance type", name)
		}
	}
	return inst, nil
}

// hostFunc makes the component function for an imported host function;
// a missing one traps with its name when called.
func (l *Linker) hostFunc(iface, name string, ft *wit.Function, hf HostFunc) *Func {
	sig := *ft
	sig.Name = name
	if hf == nil {
		qn := name
		if iface != "" {
			qn = iface + "#" + name
		}
		hf = func(context.Context, *HostCall, []value.Value) ([]value.Value, error) {
			return nil, fmt.Errorf("called the import %s, which the host does not provide (stubbed by --stub-missing)", qn)
		}
	}
	return &Func{Type: &sig, l: l, host: &hostImpl{call: HostCall{Interface: iface, Name: name, Type: &sig}, fn: hf}}
}
