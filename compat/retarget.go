package compat

import (
	"slices"

	"github.com/wfcompat/wfcompat/wit"
)

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
	r := retargeter{from: n.Name, to: o.Name}
	// The lists, and the definitions and functions in them, are n's
	// where nothing in them changes.
	out := &wit.Interface{Name: o.Name, Docs: n.Docs, Types: n.Types, Functions: n.Functions}
	if out.Types == nil {
		out.Types = []*wit.TypeDef{} // as a copy of none (not nil)
	}
	if out.Functions == nil {
		out.Functions = []*wit.Function{}
	}
	for i, td := range n.Types {
		t := r.typ(td.Type)
		if t == td.Type {
			continue
		}
		if len(out.Types) > 0 && &out.Types[0] == &n.Types[0] {
			out.Types = slices.Clone(n.Types)
		}
		c := *td
		c.Type = t
		out.Types[i] = &c
	}
	for i, f := range n.Functions {
		var params []wit.Param
		for k, p := range f.Params {
			t := r.typ(p.Type)
			if t == p.Type {
				continue
			}
			if params == nil {
				params = slices.Clone(f.Params)
			}
			params[k].Type = t
		}
		result := r.typ(f.Result)
		if params == nil && result == f.Result {
			continue
		}
		if len(out.Functions) > 0 && &out.Functions[0] == &n.Functions[0] {
			out.Functions = slices.Clone(n.Functions)
		}
		c := *f
		if params != nil {
			c.Params = params
		}
		c.Result = result
		out.Functions[i] = &c
	}
	return out
}

// retargeter copies types whose resources are owned by from, with owner
// to; types without such a resource are shared, not copied (nor is any
// part of a copy that has none: its unchanged lists are shared too).
type retargeter struct {
	from, to string
	// memo holds the types that contain others, once reached (the copy,
	// or the type itself when unchanged), so that shared types are walked
	// once; leaves are decided without it.
	memo map[*wit.Type]*wit.Type
}

func (r *retargeter) typ(t *wit.Type) *wit.Type {
	if t == nil {
		return nil
	}
	if c, ok := r.memo[t]; ok {
		return c
	}
	own := t.Kind == wit.Resource && t.Owner == r.from
	if leafType(t) && !own {
		return t
	}
	if r.memo == nil {
		r.memo = map[*wit.Type]*wit.Type{}
	}
	r.memo[t] = t // a type reached again while being copied stays shared
	c := t        // t until something changes, then a copy
	edit := func() {
		if c == t {
			cp := *t
			c = &cp
		}
	}
	if own {
		edit()
		c.Owner = r.to
	}
	for i, f := range t.Fields {
		if y := r.typ(f.Type); y != f.Type {
			edit()
			if &c.Fields[0] == &t.Fields[0] {
				c.Fields = slices.Clone(t.Fields)
			}
			c.Fields[i].Type = y
		}
	}
	for i, cs := range t.Cases {
		if y := r.typ(cs.Type); y != cs.Type {
			edit()
			if &c.Cases[0] == &t.Cases[0] {
				c.Cases = slices.Clone(t.Cases)
			}
			c.Cases[i].Type = y
		}
	}
	for i, e := range t.Elems {
		if y := r.typ(e); y != e {
			edit()
			if &c.Elems[0] == &t.Elems[0] {
				c.Elems = slices.Clone(t.Elems)
			}
			c.Elems[i] = y
		}
	}
	if y := r.typ(t.Elem); y != t.Elem {
		edit()
		c.Elem = y
	}
	if y := r.typ(t.Ok); y != t.Ok {
		edit()
		c.Ok = y
	}
	if y := r.typ(t.Err); y != t.Err {
		edit()
		c.Err = y
	}
	r.memo[t] = c
	return c
}
