package runner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
)

// TestTrapKind: an invocation that does not return says why in its trap's
// kind, and the reason's text is today's. grow.wasm (a core module whose
// memory starts at 1 page with a maximum of 4; its spin never returns) traps when memory.grow is
// refused: by the runner's memory limit (2 pages here) it is the sandbox's
// doing, by the memory's own maximum the program's. restart-old.wasm (a
// component) divides by zero on div(0) and spins on spin. A call of an
// import the host lacks, stubbed by StubMissing, is the host's (TrapHost).
func TestTrapKind(t *testing.T) {
	const page = 65536
	tests := []struct {
		name        string
		fixture     string
		opts        runner.Options
		ctx         time.Duration // the caller's context times out after it (0: never)
		calls       []string      // run in order; all but the last return, unless trapsBefore
		trapsBefore bool
		kind        runner.TrapKind
		returns     bool   // the last call returns
		reason      string // in the last call's trap
	}{
		{name: "grow within the limit", fixture: "grow.wasm", opts: runner.Options{MaxMemory: 2 * page},
			calls: []string{"grow(1)"}, returns: true},
		{name: "grow refused by the limit", fixture: "grow.wasm", opts: runner.Options{MaxMemory: 2 * page},
			calls: []string{"grow(2)"}, kind: runner.TrapMemoryLimit, reason: "wasm error: unreachable"},
		{name: "grow refused by the limit after grows it allowed", fixture: "grow.wasm", opts: runner.Options{MaxMemory: 2 * page},
			calls: []string{"grow(1)", "grow(0)", "grow(1)"}, kind: runner.TrapMemoryLimit, reason: "wasm error: unreachable"},
		{name: "grow refused by the memory's own maximum", fixture: "grow.wasm",
			calls: []string{"grow(4)"}, kind: runner.TrapProgram, reason: "wasm error: unreachable"},
		{name: "own maximum under a limit past it", fixture: "grow.wasm", opts: runner.Options{MaxMemory: 8 * page},
			calls: []string{"grow(3)", "grow(1)"}, kind: runner.TrapProgram, reason: "wasm error: unreachable"},
		{name: "limit's refusal is the invocation's only", fixture: "grow.wasm", opts: runner.Options{MaxMemory: 2 * page},
			calls: []string{"grow(2)", "grow(9)"}, trapsBefore: true, kind: runner.TrapProgram, reason: "wasm error: unreachable"},
		{name: "program trap", fixture: "restart-old.wasm",
			calls: []string{"div(0)"}, kind: runner.TrapProgram, reason: "wasm error: integer divide by zero"},
		{name: "returns", fixture: "restart-old.wasm", calls: []string{"div(5)"}, returns: true},
		{name: "timeout", fixture: "restart-old.wasm", opts: runner.Options{Timeout: 100 * time.Millisecond},
			calls: []string{"spin(1)"}, kind: runner.TrapTimeout, reason: "trap in spin: timeout: the invocation ran longer than 100ms; the instance was closed"},
		{name: "canceled", fixture: "restart-old.wasm", ctx: 100 * time.Millisecond,
			calls: []string{"spin(1)"}, kind: runner.TrapCanceled, reason: "trap in spin: canceled: context deadline exceeded; the instance was closed"},
		{name: "core module timeout", fixture: "grow.wasm", opts: runner.Options{Timeout: 100 * time.Millisecond},
			calls: []string{"spin(1)"}, kind: runner.TrapTimeout, reason: "timeout: the invocation ran longer than 100ms"},
		// host-trap.wasm's quit(x) calls wasi:cli/exit's exit-with-code,
		// which the host lacks: StubMissing's stub fails, the host's
		// doing; div(0) is the program's own trap.
		{name: "stub of a missing import", fixture: "host-trap.wasm", opts: runner.Options{StubMissing: true},
			calls: []string{"quit(0)"}, kind: runner.TrapHost,
			reason: "called the import wasi:cli/exit@0.2.0#exit-with-code, which the host does not provide (stubbed by --stub-missing)"},
		{name: "program trap beside a stub", fixture: "host-trap.wasm", opts: runner.Options{StubMissing: true},
			calls: []string{"div(0)"}, kind: runner.TrapProgram, reason: "wasm error: integer divide by zero"},
		{name: "core module stub of a missing import", fixture: "needs-host.wasm", opts: runner.Options{StubMissing: true},
			calls: []string{"f()", "reply()"}, kind: runner.TrapHost,
			reason: "called the import ic0#msg_reply, which the host does not provide (stubbed by --stub-missing)"},
	}
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(context.Background())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctx)
				defer cancel()
			}
			i, err := eng.Instantiate(context.Background(), openFixture(t, tc.fixture), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer i.Close(context.Background())
			var o *runner.Outcome
			for k, c := range tc.calls {
				o, err = i.InvokeWAVE(ctx, c)
				if err != nil {
					t.Fatalf("%s: %v", c, err)
				}
				if k < len(tc.calls)-1 && !o.Returned() && !tc.trapsBefore {
					t.Fatalf("%s: trap %v", c, o.Trap)
				}
			}
			if o.Returned() != tc.returns {
				t.Fatalf("returned %v (trap %v), want %v", o.Returned(), o.Trap, tc.returns)
			}
			if tc.returns {
				return
			}
			if got := o.TrapKind(); got != tc.kind || runner.KindOf(o.Trap) != tc.kind {
				t.Errorf("kind %s, want %s (trap %v)", got, tc.kind, o.Trap)
			}
			if got := o.TrapKind().Sandbox(); got != (tc.kind != runner.TrapProgram) {
				t.Errorf("Sandbox() = %v for %s", got, tc.kind)
			}
			if !strings.Contains(o.Trap.Error(), tc.reason) {
				t.Errorf("trap %q does not say %q", o.Trap, tc.reason)
			}
		})
	}
}

// TestMemoryLimitAtInstantiation: a memory whose initial size is over the
// memory limit fails the instantiation, in wazero's words for its own
// limit, as a grow past it fails: one the module exports before it is
// allocated, one it does not once the module is instantiated.
func TestMemoryLimitAtInstantiation(t *testing.T) {
	const page = 65536
	mods := []struct {
		name string
		bin  []byte
	}{
		{"(module (memory 3))", []byte{0, 'a', 's', 'm', 1, 0, 0, 0, 5, 3, 1, 0, 3}},
		{`(module (memory (export "m") 3))`, []byte{0, 'a', 's', 'm', 1, 0, 0, 0, 5, 3, 1, 0, 3, 7, 5, 1, 1, 'm', 2, 0}},
	}
	tests := []struct {
		max  uint64
		want string // "" when it instantiates
	}{
		{max: 2 * page, want: "section memory: min 3 pages (192 Ki) over limit of 2 pages (128 Ki)"},
		{max: 3 * page},
		{max: 3*page + page/2}, // the limit counts whole pages
		{max: 3*page - 1, want: "section memory: min 3 pages (192 Ki) over limit of 2 pages (128 Ki)"},
	}
	ctx := context.Background()
	for k, m := range mods {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("mem%d.wasm", k))
		if err := os.WriteFile(path, m.bin, 0o644); err != nil {
			t.Fatal(err)
		}
		a, err := analyze.Open(path, analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			i, err := runner.Instantiate(ctx, a, runner.Options{MaxMemory: tc.max, CacheDir: "off"})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s, MaxMemory %d: %v", m.name, tc.max, err)
			case tc.want != "" && err == nil:
				t.Errorf("%s, MaxMemory %d: instantiated, want %q", m.name, tc.max, tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("%s, MaxMemory %d: %v, want %q", m.name, tc.max, err, tc.want)
			}
			if err == nil {
				i.Close(ctx)
			}
		}
	}
}

// TestMemoryLimitComponent: the memory limit is each instance's, also for
// component instances of one engine, which share a runtime: bench.wasm's
// grow(n) returns memory.grow's answer (-1 refused), and points(n), whose
// list the guest's realloc allocates, traps (unreachable) when its grow is
// refused.
func TestMemoryLimitComponent(t *testing.T) {
	const page = 65536
	ctx := context.Background()
	eng, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	a := openFixture(t, "bench.wasm")
	small, err := eng.Instantiate(ctx, a, runner.Options{MaxMemory: 2 * page})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close(ctx)
	large, err := eng.Instantiate(ctx, a, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer large.Close(ctx)
	tests := []struct {
		i      *runner.Instance
		call   string
		result string          // when it returns
		kind   runner.TrapKind // when it traps
	}{
		{i: small, call: "grow(1)", result: "1"},
		{i: large, call: "grow(1)", result: "1"},
		{i: small, call: "grow(1)", result: "-1"},
		{i: large, call: "grow(1)", result: "2"},
		{i: large, call: "points(100000)", result: ""},
		{i: small, call: "points(100000)", kind: runner.TrapMemoryLimit},
	}
	for _, tc := range tests {
		name := "small"
		if tc.i == large {
			name = "large"
		}
		o, err := tc.i.InvokeWAVE(ctx, tc.call)
		if err != nil {
			t.Fatalf("%s %s: %v", name, tc.call, err)
		}
		switch {
		case tc.result == "" && tc.kind == runner.TrapProgram:
			if !o.Returned() {
				t.Errorf("%s %s: trap %v", name, tc.call, o.Trap)
			}
		case tc.result != "":
			r, err := o.ResultWAVE()
			if err != nil || r != tc.result {
				t.Errorf("%s %s = %q (trap %v, %v), want %s", name, tc.call, r, o.Trap, err, tc.result)
			}
		default:
			if o.Returned() || o.TrapKind() != tc.kind || !strings.Contains(o.Trap.Error(), "unreachable") {
				t.Errorf("%s %s: returned %v, trap %v of kind %s, want an unreachable of kind %s", name, tc.call, o.Returned(), o.Trap, o.TrapKind(), tc.kind)
			}
		}
	}
}
