package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/shared"
)

var (
	v1 = corpus + "golem-v1.1.0/update-test-v1.wasm"
	v2 = corpus + "golem-v1.1.0/update-test-v2.wasm"
	v3 = corpus + "golem-v1.1.0/update-test-v3.wasm"
)

const vdir = "../../../../compat/vercel/testdata/"

func fileSHA(t *testing.T, path string) string {
	s := sha256.Sum256(readFile(t, path))
	return hex.EncodeToString(s[:])
}

// writeLog writes an event log recorded by the build at artifact.
func writeLog(t *testing.T, dir, name, artifact string, events ...*eventlog.Event) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := eventlog.NewWriter(f, eventlog.Header{SHA256: fileSHA(t, artifact), VersionID: filepath.Base(artifact)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func invoke(fn, params, result string) *eventlog.Event {
	return &eventlog.Event{Type: eventlog.TypeInvoke, Function: fn, Params: params, Result: eventlog.Returned(result)}
}

func imp(fn, params, result string) *eventlog.Event {
	return &eventlog.Event{Type: eventlog.TypeImport, Function: fn, Params: params, Result: eventlog.Returned(result)}
}

func TestAssertInputCommand(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	oldMan := filepath.Join(dir, "v1.json")
	if code, _, stderr := run(t, "manifest", v1, "-o", oldMan); code != 0 {
		t.Fatal(stderr)
	}
	runs := writeLog(t, dir, "runs.jsonl", v1,
		invoke("golem:component/api#f1", "(1000)", "0"),
		imp("wasi:clocks/wall-clock@0.2.0#now", "()", "{seconds: 1, nanoseconds: 2}"),
		invoke("golem:component/api#f2", "()", "42"),
	)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"accepted", []string{"--against", v2, "--old", v1, "--function", "golem:component/api#f1", "--args", "(1000)"}, 0,
			[]string{"ok    --args  golem:component/api#f1(1000)", "→ golem:component/api#f1(1000)", "1 input: 1 accepted, 0 rejected"}},
		{"old from manifest", []string{"--against", v2, "--old", oldMan, "--function", "golem:component/api#f1", "--args", "(7)"}, 0,
			[]string{"→ golem:component/api#f1(7)"}},
		{"no old", []string{"--against", v2, "--function", "golem:component/api#f1", "--args", "(7)"}, 0,
			[]string{"note: no --old given: the arguments were read directly against the new signature"}},
		{"missing export", []string{"--against", v3, "--old", v1, "--function", "golem:component/api#f1", "--args", "(1000)"}, 1,
			[]string{"FAIL  --args  golem:component/api#f1(1000)", "export-missing: the new build does not export golem:component/api#f1", "1 rejected (export-missing: 1)"}},
		{"bad args", []string{"--against", v2, "--function", "golem:component/api#f1", "--args", "(-1)"}, 1,
			[]string{"args-invalid"}},
		{"runs", []string{"--against", v2, "--old", oldMan, "--runs", runs}, 0,
			[]string{"runs.jsonl:2  golem:component/api#f1(1000)", "runs.jsonl:4  golem:component/api#f2()", "2 inputs: 2 accepted, 0 rejected"}},
		{"runs against v3", []string{"--against", v3, "--runs", runs}, 1,
			[]string{"2 inputs: 0 accepted, 2 rejected (export-missing: 2)"}},
		{"vercel runs", []string{"--against", vdir + "new.manifest.json", "--runs", vdir + "run-daily.events.json", "--runs", vdir + "run-cancel.events.json"}, 1,
			[]string{"ok    " + vdir + "run-daily.events.json:2  workflow//./src/workflows/report//daily [{\"day\":\"2025-06-01\"}]",
				"workflow-missing: the new manifest has no workflow workflow//./src/workflows/order//cancel",
				"note: " + "Vercel Workflow manifests carry no types"}},
		{"vercel function", []string{"--against", vdir + "new.manifest.json", "--function", "workflow//./src/workflows/report//weekly", "--args", "[]"}, 0,
			[]string{"1 input: 1 accepted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"assert", "input"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestAssertInputUsage(t *testing.T) {
	for _, args := range [][]string{
		{"assert", "input", "--against", v2},
		{"assert", "input", "--against", v2, "--function", "f"},
		{"assert", "input", "--against", v2, "--function", "f", "--args", "()", "--runs", "x"},
		{"assert", "input", "--function", "f", "--args", "()"},
		{"assert", "input", "--against", "nope.wasm", "--function", "f", "--args", "()"},
		{"assert", "input", "--against", v2, "--old", vdir + "old.manifest.json", "--function", "f", "--args", "()"},
	} {
		code, stdout, stderr := run(t, args...)
		if code != ExitError || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestAssertEventLogCommand(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	good := writeLog(t, dir, "good.jsonl", v1,
		invoke("golem:component/api#f1", "(1000)", "0"),
		imp("wasi:clocks/wall-clock@0.2.0#now", "()", "{seconds: 1, nanoseconds: 2}"),
		invoke("golem:component/api#f3", "()", "3"))
	gone := writeLog(t, dir, "gone.jsonl", v1,
		invoke("golem:component/api#f1", "(1000)", "0"),
		invoke("golem:component/api#f9", "()", "3"))
	malformed := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(malformed, append(readFile(t, good), []byte("{\"type\": invoke}\n")...), 0o644)

	code, stdout, stderr := run(t, "assert", "event-log", "--against", v2, good, gone)
	if code != ExitUnsafe || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, w := range []string{
		"ok    " + good + "  (3 events)",
		"FAIL  " + gone + ":3  export-missing: the new build does not export golem:component/api#f9",
		"note: the log's header has no world and no --old was given",
		"summary: 2 logs: 1 compatible, 1 incompatible (export-missing: 1)",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	if code, _, _ := run(t, "assert", "event-log", "--against", v2, "--old", v1, good); code != 0 {
		t.Errorf("good log with --old: exit %d", code)
	}

	// A malformed log: one line on stderr with file and line, the others
	// still reported, exit 2.
	code, stdout, stderr = run(t, "assert", "event-log", "--against", v2, good, malformed)
	if code != ExitError || !strings.HasPrefix(stderr, "wfcompat: "+malformed+":5:10: invalid JSON") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("malformed: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "summary: 2 logs: 1 compatible, 0 incompatible, 1 unreadable") {
		t.Errorf("malformed: %s", stdout)
	}

	// JSON.
	code, stdout, _ = run(t, "assert", "event-log", "--json", "--against", v2, good, gone)
	var rep LogReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 1 {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, stdout)
	}
	if rep.Schema != compat.AssertSchema || len(rep.Logs) != 2 || rep.Logs[1].Line != 3 || rep.Summary.ByReason[compat.ReasonExportMissing] != 1 ||
		rep.Against.SHA256 != fileSHA(t, v2) {
		t.Errorf("--json: %+v", rep)
	}

	// A Vercel event list given against a Wasm build.
	code, _, stderr = run(t, "assert", "event-log", "--against", v2, vdir+"run-daily.events.json")
	if code != ExitError || !strings.Contains(stderr, "looks like a Vercel Workflow event list") {
		t.Errorf("vercel list against wasm: exit %d, %q", code, stderr)
	}
}

func TestAssertEventLogVercel(t *testing.T) {
	code, stdout, stderr := run(t, "assert", "event-log", "--against", vdir+"new.manifest.json",
		vdir+"run-daily.events.json", vdir+"run-fulfill.events.json", vdir+"run-cancel.events.json", vdir+"run-refund.events.json")
	if code != ExitUnsafe || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, w := range []string{
		// daily has no graph in the new manifest: the order of its calls
		// is not known.
		"FAIL  " + vdir + "run-daily.events.json (wrun_daily1)  in-flight, 1 problem\n      order-unproven: the new manifest has no graph for workflow workflow//./src/workflows/report//daily",
		"FAIL  " + vdir + "run-fulfill.events.json (wrun_ord42)  in-flight, 1 problem\n" +
			"      step-missing: the run recorded step step//./src/workflows/order//charge (call 1), which the new manifest does not have " +
			"(the new workflow calls step//./src/workflows/order//chargeCard at that place, from the same file: probably renamed): replaying the run fails (ReplayDivergenceError) (line 4)\n" +
			"        recorded: step//./src/workflows/order//charge -> hook\n" +
			"        new:      step//./src/workflows/order//chargeCard -> step//./src/workflows/logistics//ship\n",
		"FAIL  " + vdir + "run-cancel.events.json (wrun_c1)  in-flight, 1 problem\n      workflow-missing:",
		"FAIL  " + vdir + "run-refund.events.json (wrun_r1)  in-flight, 1 problem\n      order-unproven: the run's recorded calls fit the new workflow's graph as far as it shows them, but the new build has steps no workflow graph shows",
		"note: Vercel Workflow manifests carry no types: argument and result shapes of workflows and steps were not checked (4 of 4 logs)",
		"summary: 4 runs: 0 compatible, 4 incompatible (order-unproven: 2, step-missing: 1, workflow-missing: 1); 4 in flight (replayed by the new deployment: these gate), 0 finished (not replayed)",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	// Against the old manifest the cancel run fits; the fulfill run
	// recorded a hook its workflow's graph does not make (hooks take
	// correlation ids like steps), which a replay would not consume.
	code, stdout, _ = run(t, "assert", "event-log", "--against", vdir+"old.manifest.json", vdir+"run-fulfill.events.json", vdir+"run-cancel.events.json")
	if code != ExitUnsafe || !strings.Contains(stdout, "step-order-diverges: call 2 of the run was hook, but the new workflow workflow//./src/workflows/order//fulfill calls step//./src/workflows/shipping//ship there") ||
		!strings.Contains(stdout, "ok    "+vdir+"run-cancel.events.json (wrun_c1)  in-flight (1 event)") {
		t.Errorf("against old: exit %d\n%s", code, stdout)
	}
	code, _, stderr = run(t, "assert", "event-log", "--against", vdir+"new.manifest.json", vdir+"old.manifest.json")
	if code != ExitError || !strings.Contains(stderr, "not a Vercel Workflow event list") {
		t.Errorf("manifest as event list: exit %d %q", code, stderr)
	}
}

func TestAssertProgress(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	var logs []string
	for i := 0; i < 3; i++ {
		logs = append(logs, writeLog(t, dir, "l"+string(rune('a'+i))+".jsonl", v1, invoke("golem:component/api#f2", "()", "1")))
	}
	for _, tty := range []bool{false, true} {
		io, out, errb := Test()
		io.ErrTTY = tty
		cmd := NewCmdAssert(io, nil, func(o *AssertOptions) error {
			o.progressEvery = 0
			return runAssertLog(o)
		})
		cmd.SetArgs(append([]string{"event-log", "--against", v2}, logs...))
		cmd.SetOut(io.Out)
		cmd.SetErr(io.Err)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		// With no throttle every log is drawn (TestProgress checks the
		// bar itself), then the bar erased.
		e := errb.String()
		frames := frame.FindAllStringSubmatchIndex(e, -1)
		if tty != (len(frames) == 3) || !tty && e != "" {
			t.Errorf("ErrTTY=%v: stderr %q", tty, e)
		}
		if tty && len(frames) > 0 {
			last := frames[len(frames)-1]
			if rest := e[last[1]:]; rest != erased(last[1]-last[0]-1) {
				t.Errorf("progress bar not cleared: %q", e)
			}
		}
		if strings.Contains(out.String(), "\x1b") {
			t.Errorf("escape codes on stdout")
		}
	}
}
