package wit

import (
	"fmt"
	"slices"
)

// TypeError is a type whose parts do not fit its kind (a list without an
// element, a record with cases): Path is the JSON pointer of the offending
// part below the type validated ("" for the type itself, "/fields/0/type").
type TypeError struct {
	Path string
	Msg  string
}

func (e *TypeError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Validate checks that t has exactly the parts its kind needs (fields for
// a record, an element for a list or option, ...), all the way down, so
// that code walking it never meets a nil where the model promises a
// value. Types decoded from binaries or WIT always pass; a type read from
// a document (a manifest) may not. Errors are *TypeError.
func (t *Type) Validate() error {
	if err := t.validate("", 0); err != nil {
		return err
	}
	return nil
}

func (t *Type) validate(p string, depth int) *TypeError {
	fail := func(format string, args ...any) *TypeError {
		return &TypeError{Path: p, Msg: fmt.Sprintf(format, args...)}
	}
	if t == nil {
		return fail("null type")
	}
	if depth > MaxTypeDepth {
		return fail("types nested more than %d deep", MaxTypeDepth)
	}
	sub := func(c *Type, name string) *TypeError { return c.validate(p+"/"+name, depth+1) }
	// Which members each kind may have.
	has := map[string]bool{
		"fields": t.Fields != nil, "cases": t.Cases != nil, "labels": t.Labels != nil,
		"elem": t.Elem != nil, "elems": t.Elems != nil, "ok": t.Ok != nil, "err": t.Err != nil, "len": t.Len != 0,
	}
	var allowed []string
	switch t.Kind {
	case Record:
		allowed = []string{"fields"}
		for i, f := range t.Fields {
			if err := sub(f.Type, fmt.Sprintf("fields/%d/type", i)); err != nil {
				return err
			}
		}
	case Variant:
		allowed = []string{"cases"}
		for i, c := range t.Cases {
			if c.Type != nil {
				if err := sub(c.Type, fmt.Sprintf("cases/%d/type", i)); err != nil {
					return err
				}
			}
		}
	case Enum, Flags:
		allowed = []string{"labels"}
	case List:
		allowed = []string{"elem", "len"}
		if t.Elem == nil {
			return fail("list without elem")
		}
		if err := sub(t.Elem, "elem"); err != nil {
			return err
		}
	case Map:
		allowed = []string{"elem"}
		if t.Elem == nil || t.Elem.Kind != Tuple || len(t.Elem.Elems) != 2 {
			return fail("map whose elem is not a tuple of key and value")
		}
		if err := sub(t.Elem, "elem"); err != nil {
			return err
		}
	case Option, Own, Borrow:
		allowed = []string{"elem"}
		if t.Elem == nil {
			return fail("%s without elem", t.Kind)
		}
		if err := sub(t.Elem, "elem"); err != nil {
			return err
		}
	case Future, Stream:
		allowed = []string{"elem"}
		if t.Elem != nil {
			if err := sub(t.Elem, "elem"); err != nil {
				return err
			}
		}
	case Tuple:
		allowed = []string{"elems"}
		for i, e := range t.Elems {
			if err := sub(e, fmt.Sprintf("elems/%d", i)); err != nil {
				return err
			}
		}
	case Result:
		allowed = []string{"ok", "err"}
		if t.Ok != nil {
			if err := sub(t.Ok, "ok"); err != nil {
				return err
			}
		}
		if t.Err != nil {
			if err := sub(t.Err, "err"); err != nil {
				return err
			}
		}
	case Resource:
		if t.Elem != nil {
			// An alias of a resource names it.
			allowed = []string{"elem"}
			if t.Elem.Kind != Resource || t.Elem.Elem != nil {
				return fail("a resource's elem is the resource it aliases, not a %s", t.Elem.Kind)
			}
		}
	default:
		if !t.Kind.IsPrimitive() && t.Kind != CoreV128 && t.Kind != CoreFuncref && t.Kind != CoreExternref {
			return fail("unknown type kind %q", t.Kind)
		}
	}
	for _, member := range []string{"fields", "cases", "labels", "elem", "elems", "ok", "err", "len"} {
		if has[member] && !slices.Contains(allowed, member) {
			return fail("a %s type has no %q", t.Kind, member)
		}
	}
	return nil
}
