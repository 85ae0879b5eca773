package compat

import "github.com/wfcompat/wfcompat/wit"

// sameVersionAs returns n, an interface matched to o at another version,
// as if it had o's name: its name and the owner of the resources it
// defines are o's, so ownResource still tells its own resources. The
// contents of a matched pair are compared as one interface, whose version
// change is a finding of its own (EXPORT_VERSION_INCOMPATIBLE,
// IMPORT_VERSION_*), so its own resources at the two versions are not
// reported again as changed types in every method. Resources of other
// interfaces keep their owners: a handle to another interface's resource
// at a version host matching does not link with the old one is a type
// change (wit.SameResource). n is returned as it is when the names agree;
// nothing is modified.
func sameVersionAs(o, n *wit.Interface) *wit.Interface {
	if o == nil || n == nil || o.Name == n.Name || wit.UnversionedName(o.Name) != wit.UnversionedName(n.Name) {
		return n
	}
	r := retargeter{from: n.Name, to: o.Name, memo: map[*wit.Type]*wit.Type{}}
	out := &wit.Interface{Name: o.Name, Docs: n.Docs,
		Types: make([]*wit.TypeDef, len(n.Types)), Functions: make([]*wit.Function, len(n.Functions))}
	for i, td := range n.Types {
		c := *td
		c.Type = r.typ(td.Type)
		out.Types[i] = &c
	}
	for i, f := range n.Functions {
		c := *f
		c.Params = make([]wit.Param, len(f.Params))
		for k, p := range f.Params {
			c.Params[k] = wit.Param{Name: p.Name, Type: r.typ(p.Type)}
		}
		c.Result = r.typ(f.Result)
		out.Functions[i] = &c
	}
	return out
}

// retargeter copies types whose resources are owned by from, with owner
// to; types without such a resource are shared, not copied.
type retargeter struct {
	from, to string
	memo     map[*wit.Type]*wit.Type
}

func (r *retargeter) typ(t *wit.Type) *wit.Type {
	if t == nil {
		return nil
	}
	if c, ok := r.memo[t]; ok {
		return c
	}
	r.memo[t] = t // a type reached again while being copied stays shared
	c := *t
	changed := false
	if t.Kind == wit.Resource && t.Owner == r.from {
		c.Owner, changed = r.to, true
	}
	sub := func(x *wit.Type) *wit.Type {
		y := r.typ(x)
		changed = changed || y != x
		return y
	}
	if len(t.Fields) > 0 {
		c.Fields = make([]wit.Field, len(t.Fields))
		for i, f := range t.Fields {
			c.Fields[i] = wit.Field{Name: f.Name, Type: sub(f.Type), Docs: f.Docs}
		}
	}
	if len(t.Cases) > 0 {
		c.Cases = make([]wit.Case, len(t.Cases))
		for i, cs := range t.Cases {
			c.Cases[i] = wit.Case{Name: cs.Name, Type: sub(cs.Type), Docs: cs.Docs}
		}
	}
	if len(t.Elems) > 0 {
		c.Elems = make([]*wit.Type, len(t.Elems))
		for i, e := range t.Elems {
			c.Elems[i] = sub(e)
		}
	}
	c.Elem, c.Ok, c.Err = sub(t.Elem), sub(t.Ok), sub(t.Err)
	if !changed {
		return t
	}
	r.memo[t] = &c
	return &c
}
