package compat

import (
	"fmt"
	"slices"
	"sync"
)

// Registry is one rule catalog: every rule a diff can report under, each
// once. Listing (wfcompat rules), the generated docs/rules.md, policy and
// configuration validation, and the finding builder all read a Registry,
// so a rule known to one is known to all. A Registry is immutable and safe
// for concurrent use.
type Registry struct {
	rules []Rule
	byID  map[string]int
}

// NewRegistry returns the registry of compat's rules (the world diff's and
// the in-flight check's) followed by each extra set, such as the Vercel
// Workflow rules of compat/vercel (vercel.Rules()). A rule ID registered
// twice is an error.
func NewRegistry(extra ...[]Rule) (*Registry, error) {
	sets := append([][]Rule{catalog, coreExternRules, inFlightRules}, extra...)
	n := 0
	for _, set := range sets {
		n += len(set)
	}
	// Sized once: the registry is built in every run that diffs.
	r := &Registry{rules: make([]Rule, 0, n), byID: make(map[string]int, n)}
	for i, set := range sets {
		for _, rule := range set {
			if rule.ID == "" {
				return nil, fmt.Errorf("compat: a rule without an ID: %q", rule.Purpose)
			}
			if _, dup := r.byID[rule.ID]; dup {
				return nil, fmt.Errorf("compat: rule %s registered twice", rule.ID)
			}
			if i >= 3 {
				// The caller's sets may change later; compat's own tables
				// never do.
				rule.Effects = slices.Clone(rule.Effects)
			}
			r.byID[rule.ID] = len(r.rules)
			r.rules = append(r.rules, rule)
		}
	}
	return r, nil
}

// baseRegistry is compat's own rules, for callers that give none.
var baseRegistry = sync.OnceValue(func() *Registry {
	r, err := NewRegistry()
	if err != nil {
		panic(err) // the tables above are constants; a duplicate is a bug
	}
	return r
})

// BaseRegistry returns the registry of compat's own rules: those of the
// world diff and of the in-flight check.
func BaseRegistry() *Registry { return baseRegistry() }

// Rules returns the registered rules in listing order (copies).
func (r *Registry) Rules() []Rule {
	out := slices.Clone(r.rules)
	for i := range out {
		out[i].Effects = slices.Clone(out[i].Effects)
	}
	return out
}

// Lookup returns the rule with the given ID (a copy).
func (r *Registry) Lookup(id string) (Rule, bool) {
	p := r.rule(id)
	if p == nil {
		return Rule{}, false
	}
	c := *p
	c.Effects = slices.Clone(p.Effects)
	return c, true
}

// rule returns the registered rule id, or nil; nil r is BaseRegistry.
func (r *Registry) rule(id string) *Rule {
	if r == nil {
		r = baseRegistry()
	}
	i, ok := r.byID[id]
	if !ok {
		return nil
	}
	return &r.rules[i]
}
