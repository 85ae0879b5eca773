package compat_test

import (
	"fmt"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/wit"
)

// A build-pipeline plugin that already has both worlds (from
// analyze.Open, wasmtools.LoadWIT or its own decoder) calls Diff and gates on the
// modes it cares about.
func ExampleDiff() {
	u32, u64 := wit.Prim(wit.U32), wit.Prim(wit.U64)
	api := func(speed *wit.Type) *wit.World {
		f := &wit.Function{Name: "f1", Params: []wit.Param{{Name: "speed-ms", Type: speed}}, Result: u64}
		return &wit.World{Name: "root", Exports: []*wit.Item{{
			Name: "golem:component/api", Kind: wit.ItemInterface,
			Interface: &wit.Interface{Name: "golem:component/api", Functions: []*wit.Function{f}},
		}}}
	}
	r := compat.Diff(api(u32), api(u64), compat.Options{
		Policy: compat.Policy{Except: []string{compat.RuleDocsChanged}},
	})
	for _, m := range compat.AllModes() {
		fmt.Printf("%-9s %s\n", m, r.Modes[m].Verdict)
	}
	for _, f := range r.Findings {
		fmt.Printf("%s %s %s\n", f.Severity, f.Rule, f.Subject)
	}
	// Output:
	// api       unsafe
	// restart   safe
	// replay    unproven
	// snapshot  n/a
	// in-flight n/a
	// warning INTEGER_WIDENED golem:component/api#f1.param(speed-ms)
}
