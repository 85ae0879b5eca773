package config

import (
	"errors"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The shape checks place what the YAML decoder reports by line only, or
// not at all (a value of the wrong kind, a key given twice, a !!binary
// value that is not base64), at its node, and they keep the decoder from
// time it would spend on a hostile file: they run before it, in time linear
// in the file (and its aliases, up to maxShapeVisits), and the decoder runs
// only on a file they accept.
//
// The decoder's check for a key given twice compares every key of a
// mapping with every later one and formats a message for each pair that
// matches: quadratic time, and for a mapping of one key repeated, memory
// (a 1 MiB file of "modes: []" lines never finished). The checks here find
// the same keys with a set, and they accept only mappings of a size the
// decoder handles at once: the top level and ignore entries hold known
// keys (checkKeys) once each, so at most a dozen; a mapping of rule IDs
// (severity, ignore_only, what is merged into them) of distinct keys is
// refused when it has more keys than there are rules, as one of them must
// then be unknown; any other mapping is a value of the wrong kind.

// maxShapeVisits bounds the nodes the shape checks visit: aliases can
// make a small file stand for a very large tree. A file that stands for
// more is refused (a file of 1 MiB without aliases has fewer nodes).
const maxShapeVisits = 1 << 20

// shapes checks the kinds of the values of a parsed file.
type shapes struct {
	problems
	visits int
	// maxRuleKeys is the number of rules: a mapping of rule IDs with
	// more distinct keys holds one that is not a rule.
	maxRuleKeys int
	// limited is set when a problem is one of the bounds (maxShapeVisits,
	// maxRuleKeys) rather than one the decoder reports too.
	limited bool
}

// shapeErrors returns the problems of the kinds of root's values, with
// mappings of rule IDs of at most maxRuleKeys keys.
func shapeErrors(root *yaml.Node, maxRuleKeys int) shapes {
	s := shapes{maxRuleKeys: maxRuleKeys}
	if root == nil || root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return s
	}
	doc := root.Content[0]
	top := deref(doc)
	if top == nil || isNull(top) {
		return s
	}
	if top.Kind != yaml.MappingNode {
		s.mismatch("", "a mapping of keys (version, modes, ignore, ...)", doc)
		return s
	}
	s.mapping("", top, func(where string, k, v *yaml.Node) {
		switch k.Value {
		case "version", "platform":
			s.scalar(k.Value, "a string", v, new(string))
		case "require_proof":
			s.scalar(k.Value, "true or false", v, new(bool))
		case "modes":
			s.list(k.Value, "a list of modes", "a mode", v)
		case "except", "callback_imports", "host_provides", "logs", "wit_features":
			s.list(k.Value, "a list of strings", "a string", v)
		case "ignore":
			s.ignore(v)
		case "ignore_only":
			s.stringMap(k.Value, "a mapping of rule IDs to lists of subjects", v, func(where string, v *yaml.Node) {
				s.list(where, "a list of strings", "a string", v)
			})
		case "severity":
			s.stringMap(k.Value, "a mapping of rule IDs to severities", v, func(where string, v *yaml.Node) {
				s.scalar(where, "a severity", v, new(string))
			})
		}
	})
	return s
}

// visit counts node n; false when the budget is spent, which is a problem
// at the node that spent it.
func (s *shapes) visit(n *yaml.Node) bool {
	s.visits++
	if s.visits == maxShapeVisits+1 {
		s.limited = true
		s.at(n, "the file stands for more than %d values through its aliases (*name); a configuration is refused beyond that", maxShapeVisits)
	}
	return s.visits <= maxShapeVisits
}

// isNull reports whether n is a null scalar (~, null, or nothing), which
// decodes as the zero value of any type.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// mismatch records that the value n at where is not what is wanted.
func (s *shapes) mismatch(where, want string, n *yaml.Node) {
	d := deref(n)
	got := "another kind of value"
	if d != nil {
		if g := yamlTag(strings.TrimPrefix(d.ShortTag(), "!!")); g != "" {
			got = g
		} else {
			got = "a value tagged " + d.ShortTag()
		}
		if d.Kind == yaml.ScalarNode {
			got += " (" + clip(d.Value) + ")"
		}
	}
	if where != "" {
		where += ": "
	}
	s.at(n, "%swant %s, got %s", where, want, got)
}

// clip shortens a value quoted in a message.
func clip(v string) string {
	const max = 40
	if utf8.RuneCountInString(v) <= max {
		return v
	}
	return string([]rune(v)[:max-3]) + "..."
}

// scalar checks that n decodes into out (a string or a bool): a scalar
// the decoder accepts for it.
func (s *shapes) scalar(where, want string, n *yaml.Node, out any) {
	if !s.visit(n) {
		return
	}
	d := deref(n)
	if d == nil || d.Kind != yaml.ScalarNode {
		s.mismatch(where, want, n)
		return
	}
	err := d.Decode(out)
	var te *yaml.TypeError
	switch {
	case err == nil:
	case errors.As(err, &te):
		s.mismatch(where, want, n)
	default: // a !!binary value that is not base64
		s.at(n, "%s: %s", where, strings.TrimPrefix(err.Error(), "yaml: "))
	}
}

// container returns n (aliases followed) when it is a node of kind, and
// nil when it is nothing (absent or null, which every key allows) or
// another kind, which it reports as not what is wanted.
func (s *shapes) container(where, want string, n *yaml.Node, kind yaml.Kind) *yaml.Node {
	if !s.visit(n) {
		return nil
	}
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind != kind {
		s.mismatch(where, want, n)
		return nil
	}
	return d
}

// list checks that n is nothing or a list of scalars that are strings.
func (s *shapes) list(where, want, itemWant string, n *yaml.Node) {
	d := s.container(where, want, n, yaml.SequenceNode)
	if d == nil {
		return
	}
	for _, it := range d.Content {
		s.scalar(where, itemWant, it, new(string))
	}
}

// mapping checks that n is a mapping with each key once, and calls f with
// each key and value.
func (s *shapes) mapping(where string, n *yaml.Node, f func(where string, k, v *yaml.Node)) {
	d := deref(n)
	type seen struct {
		kind  yaml.Kind
		value string
	}
	first := map[seen]*yaml.Node{}
	for i := 0; i+1 < len(d.Content); i += 2 {
		k, v := d.Content[i], d.Content[i+1]
		if !s.visit(k) {
			return
		}
		// The decoder's test of a key given twice: same kind, same text.
		if f, ok := first[seen{k.Kind, k.Value}]; ok {
			in := ""
			if where != "" {
				in = " in " + where
			}
			s.at(k, "key %q%s is already defined at line %d, column %d", k.Value, in, f.Line, f.Column)
			continue
		}
		first[seen{k.Kind, k.Value}] = k
		f(where, k, v)
	}
}

// stringMap checks that n is nothing or a mapping of string keys (rule
// IDs) to values that value checks.
func (s *shapes) stringMap(where, want string, n *yaml.Node, value func(where string, v *yaml.Node)) {
	d := s.container(where, want, n, yaml.MappingNode)
	if d == nil {
		return
	}
	keys := 0
	s.mapping(where, d, func(where string, k, v *yaml.Node) {
		if isMerge(k) {
			s.merge(where, want, v, value)
			return
		}
		keys++
		var id string
		if dk := deref(k); dk == nil || dk.Kind != yaml.ScalarNode || dk.Decode(&id) != nil {
			s.mismatch(where, "a rule ID as the key", k)
			return
		}
		value(where+"."+id, v)
	})
	if keys > s.maxRuleKeys {
		s.limited = true
		s.at(n, "%s: a mapping of %d rule IDs, but there are %d rules: some are not rules (wfcompat rules lists them)", where, keys, s.maxRuleKeys)
	}
}

// merge checks the value of a merge key (<<) in a stringMap: a mapping
// of the same kind, or a list of them.
func (s *shapes) merge(where, want string, n *yaml.Node, value func(where string, v *yaml.Node)) {
	const mergeWant = "a mapping or a list of mappings to merge"
	d := deref(n)
	switch {
	case d == nil:
	case d.Kind == yaml.MappingNode:
		s.stringMap(where, want, n, value)
	case d.Kind == yaml.SequenceNode:
		for _, it := range d.Content {
			if dit := deref(it); dit == nil || dit.Kind != yaml.MappingNode {
				s.mismatch(where+": <<", mergeWant, it)
				continue
			}
			s.stringMap(where, want, it, value)
		}
	default:
		s.mismatch(where+": <<", mergeWant, n)
	}
}

// ignore checks the value of ignore: a list of subjects and
// {rule, subject, reason, until} entries.
func (s *shapes) ignore(n *yaml.Node) {
	d := s.container("ignore", "a list of subjects or {rule, subject, reason, until} entries", n, yaml.SequenceNode)
	if d == nil {
		return
	}
	for _, it := range d.Content {
		if !s.visit(it) {
			return
		}
		e := deref(it)
		switch {
		case e == nil:
		case e.Kind == yaml.ScalarNode:
			s.scalar("ignore", "a subject or a {rule, subject, reason, until} entry", it, new(string))
		case e.Kind == yaml.MappingNode:
			s.mapping("an ignore entry", e, func(_ string, k, v *yaml.Node) {
				// Unknown keys are checkKeys'.
				s.scalar("ignore: "+k.Value, "a string", v, new(string))
			})
		default:
			s.mismatch("ignore", "a subject or a {rule, subject, reason, until} entry", it)
		}
	}
}
