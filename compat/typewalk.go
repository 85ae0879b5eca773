package compat

import "github.com/wfcompat/wfcompat/wit"

// typeWalk visits every type reachable from the types and functions it is
// given until visit returns true (found). A world's types are a graph
// with sharing: a type that contains others is walked once; a leaf (a
// primitive, an enum, a resource, ...) may be visited once per
// reference, which spares the walk a map entry for each of them (most of
// the types reached), so visit must give the same answer every time.
type typeWalk struct {
	seen  map[*wit.Type]bool
	visit func(*wit.Type) bool
}

// walkRoom is the room the walk's map starts with: the types that contain
// others in a world with WASI 0.2's interfaces (about 90 in Golem's
// update-test), without most of the copies growing it step by step would
// make.
const walkRoom = 64

func newTypeWalk(visit func(*wit.Type) bool) *typeWalk {
	return &typeWalk{seen: make(map[*wit.Type]bool, walkRoom), visit: visit}
}

// reset makes w a new walk with visit, keeping its map's room.
func (w *typeWalk) reset(visit func(*wit.Type) bool) {
	clear(w.seen)
	w.visit = visit
}

// leafType reports whether t contains no other type.
func leafType(t *wit.Type) bool {
	return len(t.Fields) == 0 && len(t.Cases) == 0 && len(t.Elems) == 0 && t.Elem == nil && t.Ok == nil && t.Err == nil
}

// typ walks t and the types it contains; it reports whether visit found
// one.
func (w *typeWalk) typ(t *wit.Type) bool {
	if t == nil {
		return false
	}
	if leafType(t) {
		return w.visit(t)
	}
	if w.seen[t] {
		return false
	}
	w.seen[t] = true
	if w.visit(t) {
		return true
	}
	for _, f := range t.Fields {
		if w.typ(f.Type) {
			return true
		}
	}
	for _, c := range t.Cases {
		if w.typ(c.Type) {
			return true
		}
	}
	for _, e := range t.Elems {
		if w.typ(e) {
			return true
		}
	}
	return w.typ(t.Elem) || w.typ(t.Ok) || w.typ(t.Err)
}

// function walks the parameter and result types of f (nil: none).
func (w *typeWalk) function(f *wit.Function) bool {
	if f == nil {
		return false
	}
	for _, p := range f.Params {
		if w.typ(p.Type) {
			return true
		}
	}
	return w.typ(f.Result)
}
