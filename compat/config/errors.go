package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem of a configuration file at the node it is about: the
// key of an unknown key, the value of a bad value, the item of a bad list
// item. Its message is one line: "wfcompat.yaml: line 4, column 5:
// wit_features: feature "9lives" is not a WIT identifier".
type Error struct {
	// File is the file's name as given to Parse ("" leaves it out).
	File string
	// Line and Column are 1-based (the YAML reader's count: a column is
	// a character, not a byte); 0 when the problem is at no node.
	Line, Column int
	Err          error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	// One line: the lines of a joined error become "; "-separated, as
	// several Errors are. Quoted values keep their spaces.
	msg := strings.TrimSpace(e.Err.Error())
	b.WriteString(strings.NewReplacer("\r\n", "; ", "\n", "; ", "\r", "; ").Replace(msg))
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errors are the problems a configuration file has, in file order. Its
// message is theirs on one line, joined with "; " (each names the file):
// a file with several typos is fixed in one go. Beyond MaxShown problems
// the message counts the rest instead of listing them (a generated file of
// a hundred thousand bad keys would otherwise make a message of megabytes);
// the slice holds them all.
type Errors []*Error

// MaxShown is how many problems the message of Errors lists.
const MaxShown = 20

func (es Errors) Error() string {
	shown := es[:min(len(es), MaxShown)]
	msgs := make([]string, len(shown), len(shown)+1)
	for i, e := range shown {
		msgs[i] = e.Error()
	}
	if rest := len(es) - len(shown); rest > 0 {
		file := ""
		if es[0].File != "" {
			file = " in " + es[0].File
		}
		msgs = append(msgs, fmt.Sprintf("and %d more problems%s (the first %d shown)", rest, file, len(shown)))
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// problems collects the errors of one check of a file.
type problems struct{ errs Errors }

// at records a problem at n (nil: at no node). An argument may be a hint,
// worked out only when the message is (one of the first MaxShown).
func (ps *problems) at(n *yaml.Node, format string, args ...any) {
	var err error
	if slices.ContainsFunc(args, func(a any) bool { _, ok := a.(hint); return ok }) {
		err = &lazyError{format, args}
	} else {
		err = fmt.Errorf(format, args...)
	}
	e := &Error{Err: err}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	ps.errs = append(ps.errs, e)
}

// result returns the problems in file order (those at no node last),
// naming file, or nil when there are none.
func (ps *problems) result(file string) error {
	if len(ps.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.errs, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			return cmp.Compare(b.Line, a.Line) // unplaced last
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	for _, e := range ps.errs {
		e.File = file
	}
	return ps.errs
}

// hint is an argument of problems.at whose text (a "did you mean"
// suggestion) is worked out when the message is formatted: finding the
// nearest of a few hundred rule IDs for each of a hundred thousand unknown
// ones takes seconds, and MaxShown of them are shown.
type hint func() string

func (h hint) String() string { return h() }

// lazyError is a message with hints, formatted when asked for (%w does not
// apply: a format with hints wraps nothing).
type lazyError struct {
	format string
	args   []any
}

func (e *lazyError) Error() string { return fmt.Sprintf(e.format, e.args...) }

// deref returns what an alias node stands for (n itself when it is none).
// An alias never names another alias, but the loop is bounded anyway.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n != nil && n.Kind == yaml.AliasNode; i++ {
		n = n.Alias
	}
	return n
}

// topMapping returns the top-level mapping of a parsed file, or nil.
func topMapping(root *yaml.Node) *yaml.Node {
	if root == nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	if top := deref(root.Content[0]); top != nil && top.Kind == yaml.MappingNode {
		return top
	}
	return nil
}

// entry returns the key and the value node of key in mapping m (nil, nil
// when m is not a mapping or has no such key), looking into the mappings
// merged into it (<<) too.
func entry(m *yaml.Node, key string) (k, v *yaml.Node) {
	return entryIn(m, key, 0)
}

func entryIn(m *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return nil, nil
	}
	var merged []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch c := m.Content[i]; {
		case isMerge(c):
			merged = append(merged, m.Content[i+1])
		case c.Kind == yaml.ScalarNode && c.Value == key:
			return c, m.Content[i+1]
		}
	}
	for _, mv := range merged {
		mv = deref(mv)
		maps := []*yaml.Node{mv}
		if mv != nil && mv.Kind == yaml.SequenceNode {
			maps = mv.Content
		}
		for _, mm := range maps {
			if k, v := entryIn(mm, key, depth+1); k != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// isMerge reports whether k is the merge key "<<".
func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge"
}

// keyNodes indexes the keys of a mapping (and of those merged into it)
// by text, for placing the errors of many keys without a search each.
type keyNodes map[string][2]*yaml.Node

// indexKeys returns the keys of mapping m by text; a key written in m
// wins over a merged one, as when decoding.
func indexKeys(m *yaml.Node) keyNodes {
	idx := keyNodes{}
	var add func(m *yaml.Node, depth int)
	add = func(m *yaml.Node, depth int) {
		m = deref(m)
		if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
			return
		}
		var merged []*yaml.Node
		for i := 0; i+1 < len(m.Content); i += 2 {
			switch k := m.Content[i]; {
			case isMerge(k):
				merged = append(merged, m.Content[i+1])
			case k.Kind == yaml.ScalarNode:
				if _, ok := idx[k.Value]; !ok {
					idx[k.Value] = [2]*yaml.Node{k, m.Content[i+1]}
				}
			}
		}
		for _, mv := range merged {
			if d := deref(mv); d != nil && d.Kind == yaml.SequenceNode {
				for _, it := range d.Content {
					add(it, depth+1)
				}
			} else {
				add(mv, depth+1)
			}
		}
	}
	add(m, 0)
	return idx
}

// key returns the key node of key, or m (valueOf).
func (idx keyNodes) key(m *yaml.Node, key string) *yaml.Node {
	if kv, ok := idx[key]; ok {
		return kv[0]
	}
	return m
}

// value returns the value node of key, or m (valueOf).
func (idx keyNodes) value(m *yaml.Node, key string) *yaml.Node {
	if kv, ok := idx[key]; ok {
		return kv[1]
	}
	return m
}

// valueOf returns the value node of key in mapping m, or m itself when
// it has none (a merged key): an error is placed at the nearest node
// that holds it.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	if _, v := entry(m, key); v != nil {
		return v
	}
	return m
}

// itemOf returns item i of list n, or n itself when it has none.
func itemOf(n *yaml.Node, i int) *yaml.Node {
	if d := deref(n); d != nil && d.Kind == yaml.SequenceNode && i < len(d.Content) {
		return d.Content[i]
	}
	return n
}

// position is where a node is: 1-based line and column, 0 when unknown.
type position struct{ line, column int }

// positionsOf returns where the items of list n are.
func positionsOf(n *yaml.Node) []position {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]position, len(n.Content))
	for i, it := range n.Content {
		out[i] = position{it.Line, it.Column}
	}
	return out
}
