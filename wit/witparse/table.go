package witparse

import (
	"unsafe"

	"github.com/wfcompat/wfcompat/wit"
)

// tableIndexAt is the size past which a table indexes its names in a map.
const tableIndexAt = 32

// table maps names to values for the handful of names of an interface,
// a world, a package or a file: its names are searched one by one, and
// indexed in a map once it holds more than tableIndexAt (so that a
// hostile input with thousands of names stays linear).
type table[V any] struct {
	ents []tableEntry[V] // keys and values side by side: one allocation
	m    map[string]int
}

type tableEntry[V any] struct {
	key string
	val V
}

// newTable returns a table with room for n names.
func newTable[V any](n int) *table[V] {
	return &table[V]{ents: make([]tableEntry[V], 0, n)}
}

func (t *table[V]) index(k string) (int, bool) {
	if t.m != nil {
		i, ok := t.m[k]
		return i, ok
	}
	for i := range t.ents {
		if t.ents[i].key == k {
			return i, true
		}
	}
	return 0, false
}

// get returns the value of k and whether there is one.
func (t *table[V]) get(k string) (V, bool) {
	if i, ok := t.index(k); ok {
		return t.ents[i].val, true
	}
	var zero V
	return zero, false
}

// lookup returns the value of k, or the zero value.
func (t *table[V]) lookup(k string) V {
	v, _ := t.get(k)
	return v
}

// set sets the value of k.
func (t *table[V]) set(k string, v V) {
	if i, ok := t.index(k); ok {
		t.ents[i].val = v
		return
	}
	t.ents = append(t.ents, tableEntry[V]{k, v})
	switch {
	case t.m != nil:
		t.m[k] = len(t.ents) - 1
	case len(t.ents) > tableIndexAt:
		t.m = make(map[string]int, 2*len(t.ents))
		for i := range t.ents {
			t.m[t.ents[i].key] = i
		}
	}
}

// newType returns a new type, from the resolver's slab: fewer, larger
// allocations (in a fresh process, every span the allocator takes costs
// page faults). Its 4 KB chunks hold 23 types, where 16 (2,816 bytes)
// took 3,072.
func (r *resolver) newType() *wit.Type {
	return r.types.new()
}

// paramChunk is the size of newParams' chunks: 1 KB (42 parameters),
// an allocator size class (none of a chunk is lost to rounding up) that
// the parser's chunks use too: in a fresh process, each size class the
// allocator serves takes spans, and pages, of its own.
const paramChunk = 1024 / int(unsafe.Sizeof(wit.Param{}))

// newParams returns an empty list of parameters (never nil) with room
// for n, from a chunk of paramChunk: its capacity is n, so that an append
// past n copies it.
func (r *resolver) newParams(n int) []wit.Param {
	if r.params == nil || cap(r.params)-len(r.params) < n {
		if n > paramChunk {
			return make([]wit.Param, 0, n)
		}
		r.params = make([]wit.Param, 0, paramChunk)
	}
	i := len(r.params)
	r.params = r.params[:i+n]
	return r.params[i : i : i+n]
}

// joinChunk is the size of the chunks join makes when the arena of texts
// has no room: 1 KB, a size class the parser's chunks use too.
const joinChunk = 1024

// join returns a+b+c+d, stored in the arena of texts (r.texts, which
// readText fills: what is there is never written again; the walk, which
// uses its room for listings, is over before anything is resolved)
// rather than in an allocation of its own.
func (r *resolver) join(a, b, c, d string) string {
	n := len(a) + len(b) + len(c) + len(d)
	if n == 0 || n > joinChunk/4 {
		return a + b + c + d
	}
	if cap(r.texts)-len(r.texts) < n {
		r.texts = make([]byte, 0, joinChunk)
	}
	i := len(r.texts)
	r.texts = append(append(append(append(r.texts, a...), b...), c...), d...)
	return unsafe.String(&r.texts[i], n)
}
