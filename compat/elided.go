package compat

import "github.com/wfcompat/wfcompat/wit"

// elidedImports returns the import items of w that a component built from
// w does not import: interfaces without functions and without resources
// whose types nothing the component keeps refers to. wit-component imports
// an instance only for what the component uses, so a world read from WIT
// may list type-only interfaces (`use`d by another import, or imported for
// their types alone) that the component built from it does not ask the
// host for. Comparing such items would make the WIT and the binary of one
// build give different verdicts; the host need not provide them.
//
// What the component imports, as wit-component's dummy build (the
// reference TestWITAndComponentWorlds compares with) imports it: every
// imported interface with a function or a resource of its own (a guest
// imports the resource's drop), and every interface that these types
// refer to: the types of every function (imported or exported), of every
// world-level type (a resource, or a type a world-level `use` brings in),
// and of every exported interface. The types of an imported interface
// that no function uses do not count: wit-component leaves them out of the
// instance it imports.
//
// tw, when not nil, is a walk to reuse (its map's room: the two sides of
// a diff are walked one after the other).
func elidedImports(w *wit.World, tw *typeWalk) map[*wit.Item]bool {
	used := map[string]bool{}
	visit := func(t *wit.Type) bool {
		if t.Named() {
			used[t.Owner] = true
		}
		return false
	}
	if tw == nil {
		tw = newTypeWalk(visit)
	} else {
		tw.reset(visit)
	}
	walk := func(t *wit.Type) { tw.typ(t) }
	function := func(f *wit.Function) { tw.function(f) }
	kept := map[*wit.Item]bool{}
	for _, it := range w.Imports {
		switch {
		case it.Function != nil:
			function(it.Function)
		case it.Type != nil:
			walk(it.Type.Type)
		case it.Interface != nil && hasFunctionOrResource(it.Interface):
			kept[it] = true
			for _, f := range it.Interface.Functions {
				function(f)
			}
		}
	}
	for _, it := range w.Exports {
		switch {
		case it.Function != nil:
			function(it.Function)
		case it.Type != nil:
			walk(it.Type.Type)
		case it.Interface != nil:
			for _, f := range it.Interface.Functions {
				function(f)
			}
			for _, td := range it.Interface.Types {
				walk(td.Type)
			}
		}
	}
	var out map[*wit.Item]bool
	for _, it := range w.Imports {
		if it.Kind == wit.ItemInterface && it.Interface != nil && !kept[it] && !used[it.Name] && !used[it.Interface.Name] {
			if out == nil {
				out = map[*wit.Item]bool{}
			}
			out[it] = true
		}
	}
	return out
}

// hasFunctionOrResource reports whether in declares a function or a
// resource type of its own.
func hasFunctionOrResource(in *wit.Interface) bool {
	if len(in.Functions) > 0 {
		return true
	}
	for _, td := range in.Types {
		if ownResource(in, td) {
			return true
		}
	}
	return false
}

// ownResource reports whether td is a resource that interface i defines
// (not one it uses from another interface, nor an alias). The types of an
// interface declared inline in a world have no owner.
func ownResource(i *wit.Interface, td *wit.TypeDef) bool {
	if td == nil || td.Type == nil || td.Type.Kind != wit.Resource || td.Type.Elem != nil {
		return false
	}
	return td.Type.Owner == i.Name || td.Type.Owner == "" && !wit.ParseQName(i.Name).Qualified()
}

// withoutElided returns items less those in elided.
func withoutElided(items []*wit.Item, elided map[*wit.Item]bool) []*wit.Item {
	if len(elided) == 0 {
		return items
	}
	out := make([]*wit.Item, 0, len(items))
	for _, it := range items {
		if !elided[it] {
			out = append(out, it)
		}
	}
	return out
}
