package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
)

// devkit is the DevKit recordings of compat/vercel (see their README).
const devkit = vdir + "devkit/"

func TestAssertEventLogDevKit(t *testing.T) {
	lw := devkit + "v1/local-world"
	code, stdout, stderr := run(t, "assert", "event-log", "--against", devkit+"builds/v2-rename.manifest.json", lw)
	if code != ExitUnsafe || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	for _, w := range []string{
		"FAIL  " + lw + " (wrun_01M8R93386SKT28K2R2V4KKQ2N)  in-flight, 1 problem\n" +
			"      step-missing: the run recorded step step//./src/workflows/order//chargeCard (call 2), which the new manifest does not have " +
			"(the new workflow calls step//./src/workflows/order//chargePayment at that place, from the same file: probably renamed)",
		"        recorded: step//./src/workflows/order//reserveStock -> step//./src/workflows/order//chargeCard -> sleep\n" +
			"        new:      step//./src/workflows/order//reserveStock -> step//./src/workflows/order//chargePayment -> sleep -> step//./src/workflows/order//shipOrder\n",
		"ok    " + lw + " (wrun_01M8R933AXCD42T7PMAPZTG1CW)  in-flight (3 events)",
		"ok    " + lw + " (wrun_01M8R933D4R64J9CXJVJX2T1VS)  finished, not replayed (1 problem would fail a replay)",
		"summary: 3 runs: 2 compatible, 1 incompatible (step-missing: 1); 2 in flight (replayed by the new deployment: these gate), 1 finished (not replayed)",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}

	// --json: status and problems per run, counts in the summary.
	code, stdout, _ = run(t, "assert", "event-log", "--json", "--against", devkit+"builds/v4-classmove.manifest.json", lw)
	var rep LogReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitUnsafe {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, stdout)
	}
	if rep.Summary.InFlight != 2 || rep.Summary.Finished != 1 || rep.Summary.ByReason[compat.ReasonClassMissing] != 1 {
		t.Errorf("summary %+v", rep.Summary)
	}
	for _, l := range rep.Logs {
		if l.Status == "" || (!l.OK && (len(l.Problems) == 0 || l.Problems[0].Reason != compat.ReasonClassMissing)) {
			t.Errorf("log %+v", l)
		}
	}

	// The control build takes every run over.
	if code, stdout, _ := run(t, "assert", "event-log", "--against", devkit+"builds/v6-append.manifest.json", lw); code != 0 {
		t.Errorf("v6: exit %d\n%s", code, stdout)
	}

	// A corrupt event spoils its run, not the store: one line on stderr,
	// the other runs judged, exit status 2.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(lw)); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "events", "wrun_01M8R93386SKT28K2R2V4KKQ2N-evnt_01M8R93391HPETKCRRY8ZW5F06.json")
	if err := os.WriteFile(bad, []byte("{\n  \"eventType\": \"run_created\",\n  \"eventData\": {"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, "assert", "event-log", "--against", devkit+"builds/v1.manifest.json", dir)
	if code != ExitError || stderr != "wfcompat: "+bad+":3:15 (byte 46): invalid JSON: unexpected end of input\n" ||
		!strings.Contains(stdout, "summary: 3 runs: 2 compatible, 0 incompatible, 1 unreadable; 1 in flight") {
		t.Errorf("corrupt event: exit %d, stderr %q\n%s", code, stderr, stdout)
	}

	// Run lists alone are refused, naming what they are.
	for file, what := range map[string]string{
		devkit + "v1/runs.json":  "a list of 3 runs (`wf inspect runs --json`), not an event list",
		devkit + "v1/steps.json": "a list of 3 steps (`wf inspect steps --json`), not an event list",
	} {
		code, _, stderr := run(t, "assert", "event-log", "--against", devkit+"builds/v1.manifest.json", file)
		if code != ExitError || !strings.Contains(stderr, what) {
			t.Errorf("%s: exit %d, %q", file, code, stderr)
		}
	}
}

func TestInspectDevKit(t *testing.T) {
	code, stdout, stderr := run(t, "inspect", devkit+"builds/v3-insert.manifest.json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d %q", code, stderr)
	}
	for _, w := range []string{
		"kind  vercel-manifest",
		"  workflow//./src/workflows/order//processOrder  (export processOrder of src/workflows/order.ts)\n    calls (in order):\n" +
			"      1. step//./src/workflows/order//reserveStock\n      2. step//./src/workflows/order//checkFraud\n      3. step//./src/workflows/order//chargeCard\n      4. sleep\n      5. step//./src/workflows/order//shipOrder\n",
		"step//workflow@4.8.9//fetch  (export fetch of node_modules/workflow/dist/stdlib.js)  [built in: workflow@4.8.9; the id changes with the package version]",
		"classes (1)\n  class//./src/lib/money//Money  (export Money of src/lib/money.ts)",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}

	code, stdout, _ = run(t, "inspect", "--json", devkit+"v1/local-world")
	var doc vercel.Inspection
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 {
		t.Fatalf("exit %d %v", code, err)
	}
	if doc.Schema != vercel.InspectSchema || doc.Kind != vercel.KindRuns || len(doc.Runs) != 3 {
		t.Fatalf("doc %+v", doc)
	}
	found := false
	for _, r := range doc.Runs {
		for _, e := range r.Events {
			for _, v := range e.Values {
				if len(v.Classes) == 1 && v.Classes[0] == "class//./src/lib/money//Money" && v.Format == vercel.FormatDevalue {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("no decoded Money in %+v", doc.Runs)
	}

	// Stripped payloads say so.
	code, stdout, _ = run(t, "inspect", devkit+"v1/wrun_01M8R93386SKT28K2R2V4KKQ2N.events.json")
	if code != 0 || !strings.Contains(stdout, "run_created  2026-12-01T") || !strings.Contains(stdout, "input: "+vercel.NotRecorded) ||
		!strings.Contains(stdout, "running (in flight)") {
		t.Errorf("stripped: exit %d\n%s", code, stdout)
	}
}

func TestAssertInputDevKit(t *testing.T) {
	code, stdout, _ := run(t, "assert", "input", "--against", devkit+"builds/v5-remove.manifest.json", "--runs", devkit+"v1/local-world")
	if code != ExitUnsafe || !strings.Contains(stdout, `workflow//./src/workflows/order//processOrder ["ord_1",1999]`) ||
		!strings.Contains(stdout, "workflow-missing: the new manifest has no workflow workflow//./src/workflows/order//remindLater") ||
		!strings.Contains(stdout, "3 inputs: 2 accepted, 1 rejected (workflow-missing: 1)") {
		t.Errorf("local world: exit %d\n%s", code, stdout)
	}
	// Exported without --withData: the input is not there to check.
	code, stdout, _ = run(t, "assert", "input", "--against", devkit+"builds/v6-append.manifest.json", "--runs", devkit+"v1/wrun_01M8R93386SKT28K2R2V4KKQ2N.events.json")
	if code != ExitUnsafe || !strings.Contains(stdout, "workflow//./src/workflows/order//processOrder "+vercel.NotRecorded) ||
		!strings.Contains(stdout, "values-not-recorded: the workflow exists, but the input was not exported") {
		t.Errorf("stripped: exit %d\n%s", code, stdout)
	}
}

// DevKit runs are read like every input: devices, FIFOs and symlinks in a
// local world's store are refused at once, one line each.
func TestDevKitHostileRuns(t *testing.T) {
	store := t.TempDir()
	if err := os.CopyFS(store, os.DirFS(devkit+"v1/local-world")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(store, "events", "wrun_X-evnt_Z.json")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ log, want string }{
		{"/dev/zero", "a character device, not a regular file"},
		{store, "a symlink in the local world's store"},
	} {
		code, stdout, stderr := run(t, "assert", "event-log", "--against", devkit+"builds/v1.manifest.json", tc.log)
		if code != ExitError || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q\n%s", tc.log, code, stderr, stdout)
		}
	}
	if code, _, stderr := run(t, "--max-input-size", "100", "assert", "event-log", "--against", devkit+"builds/v1.manifest.json", devkit+"v1/runs.json"); code != ExitError || !strings.Contains(stderr, "input limit") {
		t.Errorf("size limit: exit %d %q", code, stderr)
	}
}
