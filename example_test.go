package wfcompat_test

import (
	"context"
	"fmt"
	"log"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/format"
)

// A build-pipeline plugin asks what `wfcompat diff --platform golem
// v1.wasm v2.wasm` asks, and gets the same answer: the verdicts, the
// findings and the gate's decision.
func ExampleDiff() {
	ctx := context.Background()
	old, err := wfcompat.Open("testdata/examples/golem/v1.wasm", analyze.Options{})
	if err != nil {
		log.Fatal(err)
	}
	nw, err := wfcompat.Open("testdata/examples/golem/v2.wasm", analyze.Options{})
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := wfcompat.FindConfig("testdata/examples/golem") // none there: nil
	if err != nil {
		log.Fatal(err)
	}
	res, err := wfcompat.Diff(ctx, old, nw, wfcompat.DiffOptions{Config: cfg, Platform: "golem"})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range compat.AllModes() {
		fmt.Printf("%-9s %s\n", m, res.Report.Modes[m].Verdict)
	}
	for _, f := range res.Report.Findings {
		fmt.Printf("%-7s %s %s\n", f.Severity, f.Rule, f.Subject)
	}
	fmt.Println("gate:", res.Outcome, res.Outcome == format.OutcomeFail)
	// Output:
	// api       unsafe
	// restart   unsafe
	// replay    unsafe
	// snapshot  n/a
	// in-flight n/a
	// info    EXPORT_VERSION_CHANGED demo:orders/api@1.0.0
	// warning RECORD_FIELD_ADDED demo:orders/api@1.0.0#order.field(note)
	// error   EXPORT_FUNCTION_REMOVED demo:orders/api@1.0.0#cancel
	// error   IMPORT_NOT_PROVIDED demo:orders/ledger@1.1.0
	// gate: fail true
}
