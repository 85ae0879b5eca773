package wit

import (
	"errors"
	"fmt"
)

// Limits on the types of one world, the same for every reader (component
// binaries, WIT text). Types may share subtypes (`type t1 = tuple<t0,
// t0>`), so a few hundred bytes can describe a type whose tree has 2^40
// nodes; everything that walks types as trees (diff, manifests, value
// conversion, printing) would then cost that much. A reader checks its
// world with CheckLimits before handing it on.
const (
	// MaxTypeDepth bounds the nesting of value types.
	MaxTypeDepth = 256
	// MaxWorldNodes bounds the nodes of all the world's types (function
	// parameters and results, type definitions) counted as trees: about
	// 200 times the largest world of the corpora (673 nodes, a Golem test
	// component with WASI 0.2 and golem:api). Manifests and inspect --json
	// write types as trees, about 500 bytes a node: at the limit, 70 MB of
	// JSON and about 350 MB of memory.
	MaxWorldNodes = 1 << 17
)

// LimitError is a world beyond MaxTypeDepth or MaxWorldNodes. Where names
// the item where the limit was crossed ("a:b/i, function f, parameter x");
// Item, Type, Function, Param and Result say the same as fields, for a
// reader that can point at the text (wit/witparse gives the file, line and
// column).
type LimitError struct {
	Where string
	Msg   string
	// Item is the world's import or export.
	Item string
	// Type is the type definition: of the interface Item, or Item itself
	// when Item is a type; "" for a function.
	Type string
	// Function is the function: of the interface Item, or Item itself
	// when Item is a function; "" for a type.
	Function string
	// Param is the function's parameter, "" for its result or a type.
	Param string
	// Result is set for the function's result.
	Result bool
}

func (e *LimitError) Error() string { return e.Where + ": " + e.Msg }

// DepthMessage is the message of a type nested beyond MaxTypeDepth, the
// same for binaries and WIT text. (A constant, so that no start-up work
// formats it; TestDepthMessage checks it names MaxTypeDepth.)
const DepthMessage = "types nested more than 256 deep"

// CheckLimits walks w's types as a DAG, each shared subtype once, and
// reports the first item where the nesting exceeds MaxTypeDepth or the
// expanded size of all types so far exceeds MaxWorldNodes.
func CheckLimits(w *World) error {
	c := NewLimiter()
	for _, items := range [][]*Item{w.Imports, w.Exports} {
		for _, it := range items {
			if err := c.item(it); err != nil {
				return err
			}
		}
	}
	return nil
}

// A Limiter checks the types of one world against MaxTypeDepth and
// MaxWorldNodes as a reader adds them, each shared subtype walked once.
type Limiter struct {
	seen  map[*Type]shape
	total int
}

// shape is what the Limiter knows of a type walked once.
type shape struct {
	size   int32 // expanded size (capped above MaxWorldNodes), -1 while being walked
	height int32 // nesting below and including the type
}

// NewLimiter returns a Limiter for one world.
func NewLimiter() *Limiter {
	return &Limiter{seen: make(map[*Type]shape, 128)}
}

// Add counts one use of t (a parameter, a result, a type definition): it
// fails when t is nested too deep or the world's types, t included, expand
// to too many nodes.
func (c *Limiter) Add(t *Type) error {
	n, _, err := c.walk(t, 0)
	if err != nil {
		return err
	}
	c.total += n
	if c.total > MaxWorldNodes {
		return fmt.Errorf("the world's types expand to more than %d nodes as trees (this one to %d): types that share subtypes grow exponentially", MaxWorldNodes, n)
	}
	return nil
}

func (c *Limiter) item(it *Item) error {
	switch {
	case it.Interface != nil:
		for _, td := range it.Interface.Types {
			if err := c.Add(td.Type); err != nil {
				return limitError(err, LimitError{Where: it.Name + ", type " + td.Name, Item: it.Name, Type: td.Name})
			}
		}
		for _, f := range it.Interface.Functions {
			if err := c.function(f, it.Name, f.Name); err != nil {
				return err
			}
		}
	case it.Function != nil:
		return c.function(it.Function, it.Name, "")
	case it.Type != nil:
		if err := c.Add(it.Type.Type); err != nil {
			return limitError(err, LimitError{Where: "type " + it.Name, Item: it.Name, Type: it.Name})
		}
	}
	return nil
}

// function checks f's parameters and result: f is function fn of the
// interface item, or (fn == "") the function item itself. The messages
// are built only for an error: this runs for every function of a world.
func (c *Limiter) function(f *Function, item, fn string) error {
	at := func(err error) error {
		le := LimitError{Msg: err.Error(), Item: item, Function: fn, Where: item + ", function " + fn}
		if fn == "" {
			le.Function, le.Where = item, "function "+item
		}
		return &le
	}
	for _, p := range f.Params {
		if err := c.Add(p.Type); err != nil {
			le := at(err).(*LimitError)
			le.Where, le.Param = le.Where+", parameter "+p.Name, p.Name
			return le
		}
	}
	if err := c.Add(f.Result); err != nil {
		le := at(err).(*LimitError)
		le.Where, le.Result = le.Where+", result", true
		return le
	}
	return nil
}

// limitError completes at, the place of a failure, with err's message.
func limitError(err error, at LimitError) error {
	at.Msg = err.Error()
	return &at
}

// walk returns the expanded size of t, capped above MaxWorldNodes, and its
// height (the nesting below and including it). depth is the nesting above
// t; a shared type counts with its height, wherever it is used. Leaves
// (types without parts: primitives, enums, flags, resources) are not
// remembered, nor looked up: a map access costs more than walking one.
func (c *Limiter) walk(t *Type, depth int) (size, height int, err error) {
	if t == nil {
		return 0, 0, nil
	}
	if depth > MaxTypeDepth {
		return 0, 0, errDepth
	}
	if t.Fields == nil && t.Cases == nil && t.Elems == nil && t.Elem == nil && t.Ok == nil && t.Err == nil {
		return 1, 1, nil
	}
	if sh, ok := c.seen[t]; ok {
		if sh.size < 0 {
			return 0, 0, errSelf
		}
		if depth+int(sh.height) > MaxTypeDepth+1 {
			return 0, 0, errDepth
		}
		return int(sh.size), int(sh.height), nil
	}
	c.seen[t] = shape{size: -1}
	n, h := 1, 1
	add := func(k *Type) error {
		m, kh, err := c.walk(k, depth+1)
		n = min(n+m, MaxWorldNodes+1)
		h = max(h, kh+1)
		return err
	}
	for i := 0; err == nil && i < len(t.Fields); i++ {
		err = add(t.Fields[i].Type)
	}
	for i := 0; err == nil && i < len(t.Cases); i++ {
		err = add(t.Cases[i].Type)
	}
	for i := 0; err == nil && i < len(t.Elems); i++ {
		err = add(t.Elems[i])
	}
	for _, k := range [...]*Type{t.Elem, t.Ok, t.Err} {
		if err == nil {
			err = add(k)
		}
	}
	if err != nil {
		delete(c.seen, t)
		return 0, 0, err
	}
	c.seen[t] = shape{size: int32(n), height: int32(h)}
	return n, h, nil
}

var (
	errDepth = errors.New(DepthMessage)
	errSelf  = errors.New("type refers to itself")
)
