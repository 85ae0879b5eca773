package cli

import (
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

// TestStringArrayAsPflag checks stringArrayVar against pflag's
// StringArrayVar: the same values from the same arguments, and the same
// help line.
func TestStringArrayAsPflag(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"--x", "a"},
		{"--x", "a,b", "--x", "c"},
		{"--x=", "--x", "d"},
		{"--x", "a", "--x", "a"},
	} {
		var ours, theirs []string
		fo := pflag.NewFlagSet("ours", pflag.ContinueOnError)
		stringArrayVar(fo, &ours, "x", "values of x: `V`")
		ft := pflag.NewFlagSet("theirs", pflag.ContinueOnError)
		ft.StringArrayVar(&theirs, "x", nil, "values of x: `V`")
		if err := fo.Parse(args); err != nil {
			t.Fatal(err)
		}
		if err := ft.Parse(args); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ours, theirs) {
			t.Errorf("%q: got %q, pflag %q", args, ours, theirs)
		}
		if fo.Changed("x") != ft.Changed("x") {
			t.Errorf("%q: changed %v, pflag %v", args, fo.Changed("x"), ft.Changed("x"))
		}
		if o, th := fo.FlagUsages(), ft.FlagUsages(); o != th {
			t.Errorf("%q: help %q, pflag %q", args, o, th)
		}
	}
}
