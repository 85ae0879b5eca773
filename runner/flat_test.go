package runner_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/runner/component"
)

func flatInstance(t *testing.T, opts runner.Options) *runner.Instance {
	t.Helper()
	opts.CacheDir = "off"
	i, err := runner.Instantiate(context.Background(), openFixture(t, "flat.wasm"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i.Close(context.Background()) })
	return i
}

func flatExport(t *testing.T, i *runner.Instance, name string) *runner.FlatExport {
	t.Helper()
	e, err := i.Export(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.Flat()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFlatCall calls exports through the fast path and checks each result
// against the value the general path (Instance.InvokeWAVE) lifts, lowered
// with abi.LowerScalar: the two paths must agree bit for bit.
func TestFlatCall(t *testing.T) {
	tests := []struct {
		name   string
		params []uint64
		wave   string // the same call for the general path
		want   uint64
	}{
		{"id-u64", []uint64{math.MaxUint64}, "id-u64(18446744073709551615)", math.MaxUint64},
		{"id-s64", []uint64{api.EncodeI64(-7)}, "id-s64(-7)", api.EncodeI64(-7)},
		{"id-s8", []uint64{api.EncodeI32(-128)}, "id-s8(-128)", api.EncodeI32(-128)},
		{"id-char", []uint64{'✓'}, "id-char('✓')", '✓'},
		{"id-f32", []uint64{api.EncodeF32(1.5)}, "id-f32(1.5)", api.EncodeF32(1.5)},
		{"id-f64", []uint64{api.EncodeF64(-0.25)}, "id-f64(-0.25)", api.EncodeF64(-0.25)},
		{"id-enum", []uint64{2}, "id-enum(z)", 2},
		{"id-flags", []uint64{5}, "id-flags({p, r})", 5},
		// Lifting truncates, sign-extends and normalizes what the core
		// function returns.
		{"to-u8", []uint64{300}, "to-u8(300)", 44},
		{"to-s8", []uint64{200}, "to-s8(200)", api.EncodeI32(-56)},
		{"to-u16", []uint64{70000}, "to-u16(70000)", 4464},
		{"to-s16", []uint64{40000}, "to-s16(40000)", api.EncodeI32(-25536)},
		{"to-bool", []uint64{7}, "to-bool(7)", 1},
		{"to-bool", []uint64{0}, "to-bool(0)", 0},
		{"to-flags", []uint64{0xff}, "to-flags(255)", 7},
		{"nan", nil, "nan()", abi.CanonicalNaN32},
		// A record parameter flattens to its fields.
		{"sum", []uint64{1, api.EncodeI64(-5), api.EncodeF64(0.5), 1}, "sum({a: 1, b: -5, c: 0.5}, true)", api.EncodeF64(996.5)},
	}
	fast := flatInstance(t, runner.Options{})
	general := flatInstance(t, runner.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := flatExport(t, fast, tc.name)
			res := []uint64{0xdead}
			if err := f.Call(context.Background(), tc.params, res); err != nil {
				t.Fatal(err)
			}
			if res[0] != tc.want {
				t.Errorf("%v -> %#x, want %#x", tc.params, res[0], tc.want)
			}
			o, err := general.InvokeWAVE(context.Background(), tc.wave)
			if err != nil || o.Trap != nil {
				t.Fatal(err, o.Trap)
			}
			g, err := abi.LowerScalar(o.Results[0], f.Sig().Result)
			if err != nil {
				t.Fatal(err)
			}
			if g != res[0] {
				t.Errorf("general path %s -> %#x, fast path %#x", tc.wave, g, res[0])
			}
		})
	}
}

// TestFlatBadParams: a parameter that is not a value of its type is an
// error, the call is not made, and the instance stays usable.
func TestFlatBadParams(t *testing.T) {
	i := flatInstance(t, runner.Options{})
	tests := []struct {
		name   string
		params []uint64
	}{
		{"id-s8", []uint64{200}},
		{"id-s8", []uint64{api.EncodeI32(-129)}},
		{"to-u8", []uint64{1 << 32}},
		{"id-char", []uint64{0xD800}},
		{"id-char", []uint64{0x110000}},
		{"id-enum", []uint64{3}},
		{"id-flags", []uint64{8}},
		{"id-f32", []uint64{1 << 40}},
		{"sum", []uint64{1, 2, 3, 2}}, // bool 2
		{"sum", []uint64{1, 2, 3}},    // too few
		{"id-u64", nil},
	}
	for _, tc := range tests {
		f := flatExport(t, i, tc.name)
		err := f.Call(context.Background(), tc.params, make([]uint64, 1))
		var tr *component.Trap
		if err == nil || errors.As(err, &tr) {
			t.Errorf("%s%v: got %v, want an error that is not a trap", tc.name, tc.params, err)
		}
	}
	f := flatExport(t, i, "id-s8")
	res := make([]uint64, 1)
	if err := f.Call(context.Background(), []uint64{api.EncodeI32(-1)}, res); err != nil || res[0] != api.EncodeI32(-1) {
		t.Errorf("after bad calls: %#x, %v", res[0], err)
	}
}

// TestFlatPostReturn: post-return runs after every fast call.
func TestFlatPostReturn(t *testing.T) {
	i := flatInstance(t, runner.Options{})
	f := flatExport(t, i, "counted")
	res := make([]uint64, 1)
	for n := uint64(0); n < 3; n++ {
		if err := f.Call(context.Background(), []uint64{n}, res); err != nil || res[0] != n {
			t.Fatalf("counted(%d) = %d, %v", n, res[0], err)
		}
	}
	if err := flatExport(t, i, "posts").Call(context.Background(), nil, res); err != nil || res[0] != 3 {
		t.Errorf("posts() = %d, %v; want 3", res[0], err)
	}
}

// TestFlatTraps: a trap in the core function and an invalid char or enum
// case lifted from it are traps naming the export; the instance may not be
// entered again.
func TestFlatTraps(t *testing.T) {
	tests := []struct{ name, reason string }{
		{"boom", "unreachable"},
		{"to-char", "invalid `char` bit pattern"},
		{"to-enum", "invalid variant discriminant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i := flatInstance(t, runner.Options{})
			f := flatExport(t, i, tc.name)
			err := f.Call(context.Background(), []uint64{0xD800}, make([]uint64, 1))
			var tr *component.Trap
			if !errors.As(err, &tr) {
				t.Fatalf("got %v, want a trap", err)
			}
			if tr.Export != tc.name || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("trap %q (export %q), want one in %s saying %q", err, tr.Export, tc.name, tc.reason)
			}
			err = flatExport(t, i, "id-u64").Call(context.Background(), []uint64{1}, make([]uint64, 1))
			if err == nil {
				t.Error("a trapped instance was entered again")
			}
		})
	}
}

// TestFlatTimeout: the timeout and the caller's cancellation stop a fast
// call that never returns, and close the instance.
func TestFlatTimeout(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		i := flatInstance(t, runner.Options{Timeout: 50 * time.Millisecond})
		// The timer is reused: calls that return in time leave it stopped.
		id := flatExport(t, i, "id-u64")
		for n := 0; n < 3; n++ {
			if err := id.Call(context.Background(), []uint64{1}, make([]uint64, 1)); err != nil {
				t.Fatal(err)
			}
		}
		err := flatExport(t, i, "spin").Call(context.Background(), []uint64{0}, make([]uint64, 1))
		var tr *component.Trap
		if !errors.As(err, &tr) || !strings.Contains(tr.Reason, "timeout") {
			t.Fatalf("got %v, want a timeout", err)
		}
		if err := id.Call(context.Background(), []uint64{1}, make([]uint64, 1)); err == nil {
			t.Error("a timed-out instance was called again")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		i := flatInstance(t, runner.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err := flatExport(t, i, "spin").Call(ctx, []uint64{0}, make([]uint64, 1))
		var tr *component.Trap
		if !errors.As(err, &tr) || !strings.Contains(tr.Reason, "canceled") {
			t.Fatalf("got %v, want a cancellation", err)
		}
	})
}

// TestFlatLogged: with an event log, fast calls take the general path and
// are logged as invocations.
func TestFlatLogged(t *testing.T) {
	var log bytes.Buffer
	i := flatInstance(t, runner.Options{Log: &log})
	res := make([]uint64, 1)
	if err := flatExport(t, i, "to-s8").Call(context.Background(), []uint64{200}, res); err != nil || res[0] != api.EncodeI32(-56) {
		t.Fatalf("to-s8(200) = %#x, %v", res[0], err)
	}
	sum := flatExport(t, i, "sum")
	if err := sum.Call(context.Background(), []uint64{1, api.EncodeI64(-5), api.EncodeF64(0.5), 1}, res); err != nil || res[0] != api.EncodeF64(996.5) {
		t.Fatalf("sum = %#x, %v", res[0], err)
	}
	err := flatExport(t, i, "boom").Call(context.Background(), []uint64{1}, res)
	var tr *component.Trap
	if !errors.As(err, &tr) {
		t.Fatalf("boom: got %v, want a trap", err)
	}
	for _, want := range []string{`"function":"to-s8","params":"(200)","result":"-56"`, `"params":"({a: 1, b: -5, c: 0.5}, true)","result":"996.5"`, `"function":"boom","params":"(1)","trap":`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %s:\n%s", want, log.String())
		}
	}
}

// TestFlatRefused: exports whose signature is not scalar, and core modules,
// have no fast path.
func TestFlatRefused(t *testing.T) {
	i := flatInstance(t, runner.Options{})
	e, err := i.Export("opt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Flat(); err == nil || !strings.Contains(err.Error(), "option") {
		t.Errorf("opt(option<u32>): got %v, want an error naming the option", err)
	}
	c, err := runner.Instantiate(context.Background(), openFixture(t, "reactor.wasm"), runner.Options{CacheDir: "off"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	ce, err := c.Export("add")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ce.Flat(); err == nil {
		t.Error("add of a core module: no error")
	}
}

// TestFlatAllocs: without a timeout, a fast call allocates nothing (with
// one, wazero's termination goroutine does).
func TestFlatAllocs(t *testing.T) {
	i := flatInstance(t, runner.Options{Timeout: -1})
	f := flatExport(t, i, "counted")
	params, res := []uint64{1}, make([]uint64, 1)
	if n := testing.AllocsPerRun(100, func() {
		if err := f.Call(context.Background(), params, res); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per call, want 0", n)
	}
}
