package witparse

import "unsafe"

// slabBytes is the size of a slab's chunks: 4 KB, an allocator size
// class that the resolver's and the parser's other chunks use too (in a
// fresh process, each size class the allocator serves takes spans, and
// pages, of its own).
const slabBytes = 4096

// slab hands out values of type T cut from chunks of slabBytes: a few
// large allocations rather than one per value. A chunk lives as long as
// any value cut from it, so a slab serves what lives as long as the
// load's result.
type slab[T any] struct{ s []T }

// new returns a pointer to a new zero T.
func (sl *slab[T]) new() *T {
	if len(sl.s) == cap(sl.s) {
		var zero T
		sl.s = make([]T, 0, max(slabBytes/int(unsafe.Sizeof(zero)), 1))
	}
	sl.s = sl.s[:len(sl.s)+1]
	return &sl.s[len(sl.s)-1]
}
