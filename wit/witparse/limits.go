package witparse

import (
	"errors"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// LimitError is a world beyond wit.MaxTypeDepth or wit.MaxWorldNodes (see
// wit.CheckLimits), located in the text: Pos is at the type definition,
// or the function parameter or result, where the limit was crossed, and
// its message is the limit's. errors.As finds both the *Error and the
// *wit.LimitError.
type LimitError struct {
	Pos   *Error
	Limit *wit.LimitError
}

// Error returns "FILE:LINE:COL: ITEM: MSG" with the source line and caret.
func (e *LimitError) Error() string { return e.Pos.Error() }

// Unwrap returns the position and the limit.
func (e *LimitError) Unwrap() []error { return []error{e.Pos, e.Limit} }

// checkLimits checks w, a world of res, against wit.CheckLimits and puts
// the place of a failure into the text.
func (res *Resolve) checkLimits(w *wit.World) error {
	err := wit.CheckLimits(w)
	var le *wit.LimitError
	if !errors.As(err, &le) || res.r == nil {
		return err
	}
	f, pos, ok := res.r.locateLimit(w, le)
	if !ok {
		return err
	}
	return &LimitError{Pos: f.errorf(int(pos), "%s: %s", le.Where, le.Msg), Limit: le}
}

// locateLimit finds the text of the world item le names: its file and the
// byte offset of the type definition, parameter or function.
func (r *resolver) locateLimit(m *wit.World, le *wit.LimitError) (*srcFile, int32, bool) {
	var w *world
	for _, p := range r.order {
		for _, cand := range p.worldOrder {
			if cand.m == m {
				w = cand
			}
		}
	}
	if w == nil {
		return nil, 0, false
	}
	for _, es := range [][]*entry{w.imports, w.exports} {
		for _, e := range es {
			if e.name() != le.Item {
				continue
			}
			if e.iface != nil && e.iface.ast != nil && e.iface.scope != nil {
				return e.iface.scope.file, locateIn(e.iface.ast.items, le), true
			}
			if w.scope == nil || w.ast == nil {
				return nil, 0, false
			}
			var items []any
			for _, it := range w.ast.items {
				switch {
				case it.fn != nil && it.label.name == le.Item:
					fn := *it.fn
					fn.name = it.label
					items = append(items, &fn)
				case it.td != nil:
					items = append(items, it.td)
				case it.use != nil:
					items = append(items, it.use)
				}
			}
			return w.scope.file, locateIn(items, le), true
		}
	}
	return nil, 0, false
}

// locateIn finds, among an interface's (or world's) items, the type
// definition or function le names; for a function, the parameter.
// A resource's methods, static functions and constructor are found in
// their resource.
func locateIn(items []any, le *wit.LimitError) int32 {
	fname := le.Function
	res := ""
	if rest, ok := strings.CutPrefix(fname, "[constructor]"); ok {
		res, fname = rest, ""
	} else if rest, ok := strings.CutPrefix(fname, "[method]"); ok {
		res, fname, _ = strings.Cut(rest, ".")
	} else if rest, ok := strings.CutPrefix(fname, "[static]"); ok {
		res, fname, _ = strings.Cut(rest, ".")
	}
	for _, it := range items {
		switch it := it.(type) {
		case *astTypeDef:
			if le.Type != "" && it.name.name == le.Type {
				return it.name.pos
			}
			if res != "" && it.name.name == res {
				for _, fn := range it.funcs {
					if fn.kind == fnCtor && fname == "" || fn.kind != fnCtor && fn.name.name == fname {
						return locateFunc(fn, le)
					}
				}
				return it.name.pos
			}
		case *astUse:
			for _, n := range it.names {
				if le.Type != "" && (n.as.name == le.Type || n.as.name == "" && n.name.name == le.Type) {
					if n.as.name != "" {
						return n.as.pos
					}
					return n.name.pos
				}
			}
		case *astFunc:
			if res == "" && le.Function != "" && it.name.name == le.Function {
				return locateFunc(it, le)
			}
		}
	}
	return 0
}

// locateFunc returns the offset of the parameter or result of fn le names,
// or of fn.
func locateFunc(fn *astFunc, le *wit.LimitError) int32 {
	if le.Param != "" {
		for _, p := range fn.params {
			if p.name.name == le.Param {
				return p.name.pos
			}
		}
	}
	if le.Result && fn.result != nil {
		return fn.result.pos
	}
	if fn.name.name != "" {
		return fn.name.pos
	}
	return fn.pos
}
