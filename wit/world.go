package wit

import "strings"

// World is everything one component (or one WIT world) imports and exports.
type World struct {
	// Name is the world's name: the WIT world name, or "root" for a world
	// decoded from a component binary (binaries do not record it).
	Name string `json:"name"`
	// Package is the qualified package of the world ("golem:it@0.1.0"), or ""
	// when unknown, as for component binaries.
	Package string `json:"package,omitempty"`
	// Imports and Exports keep the order of the source.
	Imports []*Item `json:"imports"`
	Exports []*Item `json:"exports"`
	Docs    string  `json:"docs,omitempty"`
}

// ItemKind tells which field of an Item is set.
type ItemKind string

// Item kinds.
const (
	ItemInterface ItemKind = "interface"
	ItemFunction  ItemKind = "function"
	ItemType      ItemKind = "type"
)

// Item is one import or export of a world: a whole interface, a world-level
// function, or a world-level type (a resource or a type imported with use).
type Item struct {
	// Name is the import or export name: the qualified interface name with its
	// version ("wasi:io/streams@0.2.0") or a plain name ("run", "my-iface").
	Name      string     `json:"name"`
	Kind      ItemKind   `json:"kind"`
	Interface *Interface `json:"interface,omitempty"`
	Function  *Function  `json:"function,omitempty"`
	Type      *TypeDef   `json:"type,omitempty"`
}

// Interface is a named collection of types and functions.
type Interface struct {
	// Name is the qualified name with version ("golem:api/save-snapshot@0.2.0"),
	// or the plain name of an interface declared inline in a world.
	Name      string      `json:"name"`
	Types     []*TypeDef  `json:"types,omitempty"`
	Functions []*Function `json:"functions,omitempty"`
	Docs      string      `json:"docs,omitempty"`
}

// TypeDef is a named type declared in an interface or a world.
type TypeDef struct {
	Name string `json:"name"`
	// Type is the definition. Its Name and Owner are those of this TypeDef.
	Type *Type  `json:"type"`
	Docs string `json:"docs,omitempty"`
}

// Function is a function of an interface or a world. Resource methods,
// constructors and static functions keep their Component Model names
// ("[method]cart.add-item", "[constructor]cart", "[static]cart.merge").
type Function struct {
	Name   string  `json:"name"`
	Params []Param `json:"params"`
	// Result is the single result type, or nil when the function returns nothing.
	Result *Type  `json:"result,omitempty"`
	Async  bool   `json:"async,omitempty"`
	Docs   string `json:"docs,omitempty"`
}

// Param is a named function parameter.
type Param struct {
	Name string `json:"name"`
	Type *Type  `json:"type"`
}

// Kind is the kind of a component value type.
type Kind string

// Value type kinds. The primitive kinds carry no further data.
const (
	Bool   Kind = "bool"
	S8     Kind = "s8"
	U8     Kind = "u8"
	S16    Kind = "s16"
	U16    Kind = "u16"
	S32    Kind = "s32"
	U32    Kind = "u32"
	S64    Kind = "s64"
	U64    Kind = "u64"
	F32    Kind = "f32"
	F64    Kind = "f64"
	Char   Kind = "char"
	String Kind = "string"

	Record  Kind = "record"
	Variant Kind = "variant"
	List    Kind = "list"
	// Map is map<K, V>: Elem is tuple<K, V>, the form its values and its
	// canonical ABI take (a list of key-value tuples), so code that walks
	// lists walks maps; the kind keeps map<K, V> and list<tuple<K, V>>
	// different types, as the Component Model has them.
	Map          Kind = "map"
	Tuple        Kind = "tuple"
	Flags        Kind = "flags"
	Enum         Kind = "enum"
	Option       Kind = "option"
	Result       Kind = "result"
	Own          Kind = "own"
	Borrow       Kind = "borrow"
	Resource     Kind = "resource"
	Future       Kind = "future"
	Stream       Kind = "stream"
	ErrorContext Kind = "error-context"

	// Core value types appear only in worlds derived from core modules,
	// whose imports and exports carry core signatures (i32 is written s32,
	// i64 s64). They convert only to themselves.
	CoreV128      Kind = "v128"
	CoreFuncref   Kind = "funcref"
	CoreExternref Kind = "externref"
)

// Type is a component value type (or a resource type), as a tree.
//
// A type that refers to a named definition carries the definition's Name and
// Owner next to its full structure; an anonymous type (list<u8>, a tuple)
// has Name == "". A type alias (type a = b) is represented by b's structure
// under the alias's name.
type Type struct {
	Kind Kind `json:"kind"`
	// Name is the name of the named type this is, or "".
	Name string `json:"name,omitempty"`
	// Owner is the qualified name of the interface that defines the named
	// type (or the world, "" for world-level types).
	Owner string `json:"owner,omitempty"`

	// Fields of a record.
	Fields []Field `json:"fields,omitempty"`
	// Cases of a variant.
	Cases []Case `json:"cases,omitempty"`
	// Labels of an enum (cases) or flags (flag names), in order.
	Labels []string `json:"labels,omitempty"`
	// Elem is the element of list, option, future and stream (nil for a
	// future or stream without payload), the tuple<K, V> of a map,
	// and the resource of own and borrow.
	// For a resource known by an alias (type headers = fields, or
	// use i.{r as s}), Elem is the resource it names: resources are
	// nominal, so the alias and the resource are the same type
	// (ResourceID).
	Elem *Type `json:"elem,omitempty"`
	// Elems are the members of a tuple.
	Elems []*Type `json:"elems,omitempty"`
	// Ok and Err of a result; either may be nil (result<_, E>, result<T>).
	Ok  *Type `json:"ok,omitempty"`
	Err *Type `json:"err,omitempty"`
	// Len is the length of a fixed-size list (list<T, N>); 0 for list<T>.
	Len uint32 `json:"len,omitempty"`
}

// Field is a record field.
type Field struct {
	Name string `json:"name"`
	Type *Type  `json:"type"`
	Docs string `json:"docs,omitempty"`
}

// Case is a variant case; Type is nil for a case without payload.
type Case struct {
	Name string `json:"name"`
	Type *Type  `json:"type,omitempty"`
	Docs string `json:"docs,omitempty"`
}

// Prim returns the primitive type of kind k.
func Prim(k Kind) *Type { return &Type{Kind: k} }

// IsPrimitive reports whether k is a primitive kind (bool, numbers, char, string).
func (k Kind) IsPrimitive() bool {
	switch k {
	case Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String, ErrorContext:
		return true
	}
	return false
}

// ResourceID is the identity of resource type t up to its owner's version:
// the owner (without its version) and the name of the resource's
// definition, through an alias ("wasi:http/types#fields" for type headers =
// fields). Two resource types are the same type exactly when their
// ResourceIDs are equal and their owners' versions are ones a host links as
// one import (SameResource).
func (t *Type) ResourceID() string {
	if t.Elem != nil && t.Elem.Kind == Resource {
		t = t.Elem
	}
	return UnversionedName(t.Owner) + "#" + t.Name
}

// SameResource reports whether resource types a and b are the same type:
// a.ResourceID() == b.ResourceID() (without building the IDs), and owner
// versions that Component Model host matching links as one import (equal,
// or one semver-compatible with the other: wasi:io/streams@0.2.0 and
// @0.2.3 are one interface, @0.2.0 and @0.3.0 two, and so are their
// resources). An owner without a version (one a reader did not record)
// matches any version.
func SameResource(a, b *Type) bool {
	if a.Elem != nil && a.Elem.Kind == Resource {
		a = a.Elem
	}
	if b.Elem != nil && b.Elem.Kind == Resource {
		b = b.Elem
	}
	if a.Name != b.Name || UnversionedName(a.Owner) != UnversionedName(b.Owner) {
		return false
	}
	av, bv := ownerVersion(a.Owner), ownerVersion(b.Owner)
	return av == bv || av == "" || bv == "" || SemverCompatible(av, bv) || SemverCompatible(bv, av)
}

// ownerVersion is the version of a qualified owner name (ParseQName's,
// without its allocations), "" when it has none.
func ownerVersion(owner string) string {
	if at := strings.LastIndexByte(owner, '@'); at >= 0 {
		return owner[at+1:]
	}
	return ""
}

// AliasOf returns the resource type an alias of resource r names (r
// itself when r is no alias), for readers building alias types.
func AliasOf(r *Type) *Type {
	if r.Elem != nil && r.Elem.Kind == Resource {
		return r.Elem
	}
	return r
}

// Named reports whether t refers to a named type definition.
func (t *Type) Named() bool { return t != nil && t.Name != "" }

// Lookup returns the import (imports == true) or export named name, or nil.
// The name is matched exactly, version included.
func (w *World) Lookup(name string, imports bool) *Item {
	items := w.Exports
	if imports {
		items = w.Imports
	}
	for _, it := range items {
		if it.Name == name {
			return it
		}
	}
	return nil
}

// Function returns the function of i named name, or nil.
func (i *Interface) Function(name string) *Function {
	for _, f := range i.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// TypeDef returns the named type of i called name, or nil.
func (i *Interface) TypeDef(name string) *TypeDef {
	for _, t := range i.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}
