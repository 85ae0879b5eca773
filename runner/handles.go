package runner

import (
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Handles of exported resources, held by the runner (the component's
// host). A guest's canon lift gives the host an own handle's
// representation; the runner keeps it in its own table and shows the
// caller a small handle number (1, 2, …), as wasmtime's host API keeps a
// ResourceAny. Arguments are translated back: an own argument moves the
// handle to the guest (it leaves the table), a borrow lends it.

type hostHandle struct {
	res *wit.Type // the resource type (the instance's own, so identity is exact)
	rep uint32
}

type handleTable struct {
	m    map[uint32]hostHandle
	next uint32
}

func resName(t *wit.Type) string {
	if t == nil || t.Name == "" {
		return "resource"
	}
	return t.Name
}

// hasHandles reports whether values of t can hold own or borrow handles.
func hasHandles(t *wit.Type, depth int) bool {
	if t == nil || depth > 64 {
		return false
	}
	switch t.Kind {
	case wit.Own, wit.Borrow:
		return true
	case wit.List, wit.Map, wit.Option:
		return hasHandles(t.Elem, depth+1)
	case wit.Result:
		return hasHandles(t.Ok, depth+1) || hasHandles(t.Err, depth+1)
	case wit.Tuple:
		for _, e := range t.Elems {
			if hasHandles(e, depth+1) {
				return true
			}
		}
	case wit.Record:
		for _, f := range t.Fields {
			if hasHandles(f.Type, depth+1) {
				return true
			}
		}
	case wit.Variant:
		for _, c := range t.Cases {
			if hasHandles(c.Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// mapHandles returns v with every handle h of type t replaced by f(t, h).
func mapHandles(v value.Value, t *wit.Type, f func(t *wit.Type, h uint32) (uint32, error)) (value.Value, error) {
	if !hasHandles(t, 0) {
		return v, nil
	}
	var err error
	sub := func(x value.Value, xt *wit.Type) value.Value {
		if err != nil {
			return x
		}
		var y value.Value
		y, err = mapHandles(x, xt, f)
		return y
	}
	switch t.Kind {
	case wit.Own, wit.Borrow:
		h, err := f(t, v.Handle())
		if err != nil {
			return v, err
		}
		return value.Handle(t.Kind, h), nil
	case wit.List, wit.Map:
		es := v.Elems()
		out := make([]value.Value, len(es))
		for i, e := range es {
			out[i] = sub(e, t.Elem)
		}
		return value.List(out...), err
	case wit.Tuple:
		es := v.Elems()
		out := make([]value.Value, len(es))
		for i, e := range es {
			out[i] = sub(e, t.Elems[i])
		}
		return value.Tuple(out...), err
	case wit.Record:
		es := v.Elems()
		out := make([]value.Value, len(es))
		for i, e := range es {
			out[i] = sub(e, t.Fields[i].Type)
		}
		return value.Record(out...), err
	case wit.Option:
		if p, ok := v.Payload(); ok {
			return value.Some(sub(p, t.Elem)), err
		}
	case wit.Result:
		p, ok := v.Payload()
		if v.Case() == 0 {
			if ok {
				return value.Ok(sub(p, t.Ok)), err
			}
		} else if ok {
			return value.Err(sub(p, t.Err)), err
		}
	case wit.Variant:
		if p, ok := v.Payload(); ok {
			return value.Variant(v.Case(), sub(p, t.Cases[v.Case()].Type)), err
		}
	}
	return v, nil
}

// toGuest translates the caller's handle numbers to representations.
func (ht *handleTable) toGuest(t *wit.Type, h uint32) (uint32, error) {
	e, ok := ht.m[h]
	if !ok {
		return 0, fmt.Errorf("unknown %s handle %d", t.Kind, h)
	}
	if e.res != t.Elem {
		return 0, fmt.Errorf("handle %d is a %s, not a %s", h, resName(e.res), resName(t.Elem))
	}
	if t.Kind == wit.Own {
		delete(ht.m, h)
	}
	return e.rep, nil
}

// fromGuest stores an own handle's representation and returns its number.
func (ht *handleTable) fromGuest(t *wit.Type, rep uint32) (uint32, error) {
	if t.Kind != wit.Own {
		return 0, fmt.Errorf("an export returned a borrow handle")
	}
	if ht.m == nil {
		ht.m = map[uint32]hostHandle{}
	}
	ht.next++
	ht.m[ht.next] = hostHandle{res: t.Elem, rep: rep}
	return ht.next, nil
}

// take removes handle h from the table.
func (ht *handleTable) take(h uint32) (hostHandle, bool) {
	e, ok := ht.m[h]
	if ok {
		delete(ht.m, h)
	}
	return e, ok
}
