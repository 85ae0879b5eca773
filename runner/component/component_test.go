package component_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	ast "github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit/value"
)

// noHost provides nothing.
type noHost struct{}

func (noHost) Instance(string) *component.HostInstance { return nil }
func (noHost) Func(string) component.HostFunc          { return nil }

func load(t testing.TB, path string) (*ast.Component, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ast.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return c, b
}

func instantiate(t testing.TB, path string, cfg component.Config) (*component.Instance, error) {
	t.Helper()
	c, b := load(t, path)
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	t.Cleanup(func() { rt.Close(ctx) })
	cfg.Runtime = rt
	if cfg.Host == nil {
		cfg.Host = noHost{}
	}
	return component.Instantiate(ctx, c, b, cfg)
}

func TestCallsAndTraps(t *testing.T) {
	inst, err := instantiate(t, "../testdata/bench.wasm", component.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := inst.Func("", "id").Call(ctx, []value.Value{value.U64(1 << 60)})
	if err != nil || len(res) != 1 || res[0].Uint() != 1<<60 {
		t.Fatalf("id: %v %v", res, err)
	}
	res, err = inst.Func("", "echo").Call(ctx, []value.Value{value.String("ünïcode")})
	if err != nil || res[0].Text() != "ünïcode" {
		t.Fatalf("echo: %v %v", res, err)
	}
	if inst.Func("", "nope") != nil || inst.Func("iface", "id") != nil {
		t.Error("unknown exports resolved")
	}
}

func TestTrapNamesCoreFunction(t *testing.T) {
	inst, err := instantiate(t, "../testdata/bench.wasm", component.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// points(n) with n far beyond memory: the bump allocator grows memory
	// past its end (n*8 wraps around), and the store traps.
	_, err = inst.Func("", "points").Call(context.Background(), []value.Value{value.U32(1 << 30)})
	var tr *component.Trap
	if !errors.As(err, &tr) {
		t.Fatalf("want a trap, got %v", err)
	}
	if tr.CoreFunc == "" || !strings.Contains(tr.CoreFunc, "points") || !strings.Contains(tr.Reason, "out of bounds memory access") {
		t.Errorf("trap %+v", tr)
	}
	// A trapped instance may not be entered again.
	if _, err := inst.Func("", "id").Call(context.Background(), []value.Value{value.U64(1)}); err == nil {
		t.Error("a trapped instance was entered again")
	}
}

func TestRefusesAsync(t *testing.T) {
	for _, f := range []string{"async-callback.wasm", "async-stackful.wasm"} {
		_, err := instantiate(t, "../../analyze/component/testdata/wit/"+f, component.Config{StubMissing: true})
		var ue *component.UnsupportedError
		if !errors.As(err, &ue) {
			t.Fatalf("%s: want an UnsupportedError, got %v", f, err)
		}
		if ue.Off == 0 || !strings.Contains(err.Error(), "offset 0x") {
			t.Errorf("%s: %v", f, err)
		}
		t.Logf("%s: %v", f, err)
	}
}

func TestMissingImportsListed(t *testing.T) {
	_, err := instantiate(t, "../../analyze/component/testdata/wit/rich.wasm", component.Config{})
	var me *component.MissingImportsError
	if !errors.As(err, &me) {
		t.Fatalf("want a MissingImportsError, got %v", err)
	}
	if len(me.Missing) == 0 {
		t.Fatal("no missing import listed")
	}
	for _, m := range me.Missing {
		if m.Name == "" || m.Type == "" {
			t.Errorf("incomplete entry %+v", m)
		}
	}
	if !strings.Contains(err.Error(), "func(") {
		t.Errorf("types missing from %q", err)
	}
	// With StubMissing it instantiates.
	if _, err := instantiate(t, "../../analyze/component/testdata/wit/rich.wasm", component.Config{StubMissing: true}); err != nil {
		t.Fatal(err)
	}
}

func TestInterceptorSeesHostCalls(t *testing.T) {
	// rich.wasm's imports, stubbed: nothing calls them at instantiation,
	// which is what the interceptor must see too.
	calls := 0
	_, err := instantiate(t, "../../analyze/component/testdata/wit/rich.wasm", component.Config{StubMissing: true,
		Intercept: func(ctx context.Context, c *component.ImportCall, next func() ([]value.Value, error)) ([]value.Value, error) {
			calls++
			return next()
		}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Errorf("%d import calls at instantiation", calls)
	}
}
