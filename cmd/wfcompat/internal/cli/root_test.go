package cli

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCommandsTable: the table Main picks a run's one command from names
// every command of the tree, in order.
func TestCommandsTable(t *testing.T) {
	io, _, _ := Test()
	var tree, table []string
	for _, c := range NewRootCmd(io).Commands() {
		tree = append(tree, c.Name())
		if len(c.Aliases) > 0 {
			t.Errorf("command %s has aliases %v: Main picks commands by name only", c.Name(), c.Aliases)
		}
	}
	for _, c := range commands {
		table = append(table, c.name)
	}
	slices.Sort(tree)
	slices.Sort(table)
	if diff := cmp.Diff(tree, table); diff != "" {
		t.Errorf("commands table differs from the command tree (-tree +table):\n%s", diff)
	}
}

// TestOneCommandTree: a run with only its command built behaves as with
// the whole tree: help, usage errors, version.
func TestOneCommandTree(t *testing.T) {
	var runs [][]string
	for _, c := range commands {
		runs = append(runs, []string{c.name, "--help"}, []string{c.name, "--no-such-flag"})
	}
	runs = append(runs, []string{"assert", "input", "--help"}, []string{"version"}, []string{"--version"},
		[]string{"help"}, []string{"help", "diff"}, []string{"dif"}, []string{}, []string{"diff"})
	for _, args := range runs {
		io, out, errb := Test()
		code := Main(args, io)
		wio, wout, werrb := Test()
		wcode := mainWith(NewRootCmd(wio), args, wio)
		if code != wcode || out.String() != wout.String() || errb.String() != werrb.String() {
			t.Errorf("wfcompat %q: one-command tree gives exit %d\n%s%s\nwhole tree gives exit %d\n%s%s", args, code, out, errb, wcode, wout, werrb)
		}
	}
}
