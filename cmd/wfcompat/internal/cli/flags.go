package cli

import (
	"strings"

	"github.com/spf13/pflag"
)

// stringArray is a repeatable string flag as pflag's StringArrayVar makes
// it (each use adds one value, commas and all; the first replaces the
// default; help names its type "stringArray"), without pflag's rendering of
// the default through encoding/csv, which costs every run a 4 KB buffer
// per such flag when the command tree is built.
type stringArray struct {
	p       *[]string
	changed bool
}

// stringArrayVar defines a repeatable string flag with no default in f.
func stringArrayVar(f interface {
	Var(pflag.Value, string, string)
}, p *[]string, name, usage string) {
	f.Var(&stringArray{p: p}, name, usage)
}

func (s *stringArray) Set(v string) error {
	if !s.changed {
		*s.p = []string{v}
		s.changed = true
	} else {
		*s.p = append(*s.p, v)
	}
	return nil
}

func (s *stringArray) Type() string { return "stringArray" }

// String is "" for no values, so that help shows no default.
func (s *stringArray) String() string { return strings.Join(*s.p, ",") }

// GetSlice returns the values (cobra's completion asks, to offer the flag
// again).
func (s *stringArray) GetSlice() []string { return append([]string(nil), *s.p...) }
