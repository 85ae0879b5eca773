package eventlog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// Target is what a qualified function name resolved to in a world.
type Target struct {
	// Item is the import or export holding the function: an interface, or
	// the world-level function itself.
	Item *wit.Item
	Func *wit.Function
	// Name is the qualified name as the world spells it (with the item's
	// version), which may differ from the name looked up.
	Name string
}

// Why a name does not resolve (ResolveError.Reason).
const (
	ReasonInterfaceMissing    = "interface-missing"
	ReasonVersionIncompatible = "version-incompatible"
	ReasonFunctionMissing     = "function-missing"
)

// ResolveError says why a qualified name has no function in a world.
type ResolveError struct {
	Name   string
	Reason string
	Msg    string
	// Suggestion is the known function name nearest to Name (edit
	// distance), "" when none is near; Msg ends with "; did you mean
	// Suggestion?" when it is set.
	Suggestion string
}

func (e *ResolveError) Error() string { return e.Msg }

// SplitName splits a qualified function name at its first '#' into the
// interface and the function: "golem:component/api#f1" gives
// ("golem:component/api", "f1"); a name without '#' is a world-level
// function and gives ("", name). Interface names never contain '#'.
func SplitName(name string) (iface, fn string) {
	if i := strings.IndexByte(name, '#'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// JoinName builds the qualified name of function fn of interface iface
// ("" for a world-level function).
func JoinName(iface, fn string) string {
	if iface == "" {
		return fn
	}
	return iface + "#" + fn
}

// Resolve finds the function a qualified name refers to among the imports
// (imports == true) or the exports of w.
//
// The interface is matched as a Component Model host matches it: the same
// name with the same version first; then the same name without version at
// a version that satisfies the one asked for (1.1.0 satisfies 1.0.0, 0.2.1
// satisfies 0.2.0; wit.SemverCompatible); a name given without version
// matches the interface at any version. A world-level function is named
// without interface ("run"), or as "world#run". A name whose interface
// part matches nothing is tried whole as a world-level function, for core
// modules whose export names may contain '#'.
func Resolve(w *wit.World, name string, imports bool) (*Target, error) {
	t, err := resolve(w, name, imports)
	var re *ResolveError
	if err != nil && errors.As(err, &re) && re.Reason != ReasonVersionIncompatible {
		items := w.Exports
		if imports {
			items = w.Imports
		}
		if s := Suggest(name, FunctionNames(items)); s != "" {
			re.Suggestion = s
			re.Msg += "; did you mean " + s + "?"
		}
	}
	return t, err
}

func resolve(w *wit.World, name string, imports bool) (*Target, error) {
	side := "exports"
	if imports {
		side = "imports"
	}
	items := w.Exports
	if imports {
		items = w.Imports
	}
	iface, fn := SplitName(name)
	if iface != "" {
		t, err := resolveInInterface(items, name, iface, fn, side)
		if err == nil {
			return t, nil
		}
		if t := worldFunction(items, name); t != nil {
			return t, nil
		}
		if iface == "world" {
			if t := worldFunction(items, fn); t != nil {
				return t, nil
			}
		}
		return nil, err
	}
	if t := worldFunction(items, fn); t != nil {
		return t, nil
	}
	return nil, &ResolveError{Name: name, Reason: ReasonFunctionMissing,
		Msg: fmt.Sprintf("the world %s no function %s", side, name)}
}

func worldFunction(items []*wit.Item, fn string) *Target {
	for _, it := range items {
		if it.Kind == wit.ItemFunction && it.Function != nil && it.Name == fn {
			return &Target{Item: it, Func: it.Function, Name: fn}
		}
	}
	return nil
}

func resolveInInterface(items []*wit.Item, name, iface, fn, side string) (*Target, error) {
	want := wit.ParseQName(iface)
	var exact, compatible, any *wit.Item
	var versions []string
	for _, it := range items {
		if it.Kind != wit.ItemInterface || it.Interface == nil {
			continue
		}
		if it.Name == iface {
			exact = it
			break
		}
		have := wit.ParseQName(it.Name)
		if have.Unversioned() != want.Unversioned() {
			continue
		}
		if have.Version == "" {
			versions = append(versions, it.Name+" (unversioned)")
		} else {
			versions = append(versions, it.Name)
		}
		switch {
		case want.Version == "":
			if any == nil {
				any = it
			}
		case compatible == nil && wit.SemverCompatible(have.Version, want.Version):
			compatible = it
		}
	}
	it := exact
	if it == nil {
		it = compatible
	}
	if it == nil {
		it = any
	}
	if it == nil {
		if len(versions) > 0 {
			return nil, &ResolveError{Name: name, Reason: ReasonVersionIncompatible,
				Msg: fmt.Sprintf("the world %s %s only at %s, which does not satisfy %s",
					side, want.Unversioned(), strings.Join(versions, ", "), iface)}
		}
		return nil, &ResolveError{Name: name, Reason: ReasonInterfaceMissing,
			Msg: fmt.Sprintf("the world %s no interface %s", side, iface)}
	}
	f := it.Interface.Function(fn)
	if f == nil {
		return nil, &ResolveError{Name: name, Reason: ReasonFunctionMissing,
			Msg: fmt.Sprintf("interface %s (in the world's %s) has no function %s", it.Name, side, fn)}
	}
	return &Target{Item: it, Func: f, Name: JoinName(it.Name, fn)}, nil
}
