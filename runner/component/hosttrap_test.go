package component_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit/value"
)

// exitHost provides wasi:cli/exit@0.2.0's exit-with-code, which host-trap.wasm
// imports, implemented by fn.
type exitHost struct {
	fn component.HostFunc
}

func (h exitHost) Instance(name string) *component.HostInstance {
	if name != "wasi:cli/exit@0.2.0" {
		return nil
	}
	return &component.HostInstance{Name: name, Funcs: map[string]component.HostFunc{"exit-with-code": h.fn}}
}

func (exitHost) Func(string) component.HostFunc { return nil }

// TestHostTrapKind: a call the host function ends with an error is the
// host's (TrapHost, the error a *HostError in the trap's chain), and so is
// a panic of the host's Go code; a *Trap the host returns on purpose, and
// the guest's own trap after the call returns, are the program's; a *Exit
// passes through. host-trap.wasm's quit(x) calls exit-with-code(x), then
// traps (unreachable).
func TestHostTrapKind(t *testing.T) {
	hostErr := errors.New("the host cannot do this")
	tests := []struct {
		name   string
		fn     component.HostFunc
		kind   component.TrapKind
		exit   bool   // ends as a *Exit
		reason string // in the trap
	}{
		{name: "host function error",
			fn: func(context.Context, *component.HostCall, []value.Value) ([]value.Value, error) {
				return nil, hostErr
			},
			kind: component.TrapHost, reason: "the host cannot do this"},
		{name: "host function panics",
			fn: func(context.Context, *component.HostCall, []value.Value) ([]value.Value, error) {
				var m map[string]int
				m["x"]++ // a Go runtime error: assignment to entry in nil map
				return nil, nil
			},
			kind: component.TrapHost, reason: "nil map"},
		{name: "host traps the guest on purpose",
			fn: func(context.Context, *component.HostCall, []value.Value) ([]value.Value, error) {
				return nil, &component.Trap{Reason: "the specification says this traps"}
			},
			kind: component.TrapProgram, reason: "the specification says this traps"},
		{name: "host returns, guest traps",
			fn: func(context.Context, *component.HostCall, []value.Value) ([]value.Value, error) {
				return nil, nil
			},
			kind: component.TrapProgram, reason: "unreachable"},
		{name: "exit",
			fn: func(context.Context, *component.HostCall, []value.Value) ([]value.Value, error) {
				return nil, &component.Exit{Code: 3}
			},
			exit: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := instantiate(t, "../testdata/host-trap.wasm", component.Config{Host: exitHost{fn: tc.fn}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = inst.Func("", "quit").Call(context.Background(), []value.Value{value.U8(0)})
			var ex *component.Exit
			if tc.exit {
				if !errors.As(err, &ex) || ex.Code != 3 {
					t.Fatalf("got %v, want exit 3", err)
				}
				return
			}
			var tr *component.Trap
			if !errors.As(err, &tr) {
				t.Fatalf("got %v (%T), want a *component.Trap", err, err)
			}
			if tr.Kind != tc.kind {
				t.Errorf("kind %s, want %s (%v)", tr.Kind, tc.kind, tr)
			}
			var he *component.HostError
			if got := errors.As(err, &he); got != (tc.kind == component.TrapHost && tc.name == "host function error") {
				t.Errorf("a *HostError in the chain: %v", got)
			} else if got && (he.Import != "wasi:cli/exit@0.2.0#exit-with-code" || !errors.Is(err, hostErr)) {
				t.Errorf("HostError %+v does not name the import and wrap the host's error", he)
			}
			if !strings.Contains(tr.Error(), tc.reason) {
				t.Errorf("trap %q does not say %q", tr, tc.reason)
			}
		})
	}
}
