package runner_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/wit/value"
)

const fixtures = "testdata/"

func openFixture(b testing.TB, name string) *analyze.Artifact {
	b.Helper()
	a, err := analyze.Open(fixtures+name, analyze.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkCallDirect is the baseline of the call-overhead target: the core
// function behind bench.wasm's "id" (u64 -> u64) called directly with
// wazero, CallWithStack with a reused stack and context.Background().
//
//   - plain: a runtime that cannot interrupt running code;
//   - sandboxed: one with WithCloseOnContextDone(true), which the runner's
//     timeout needs (wazero then starts a goroutine per call into Wasm: most
//     of the cost);
//   - timeout: sandboxed, plus the context.WithTimeout per call that a
//     wazero user bounding each call would write (for reference).
//
// The target (issue 8) is BenchmarkCallFlat ≤ 2× BenchmarkCallDirect, each
// configuration against the same one: plain vs plain (the runner with
// Options.Timeout < 0), sandboxed vs sandboxed (the runner's default 10 s
// timeout, which also arms and stops a timer per call).
func BenchmarkCallDirect(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchDirect(b, false, false) })
	b.Run("sandboxed", func(b *testing.B) { benchDirect(b, true, false) })
	b.Run("timeout", func(b *testing.B) { benchDirect(b, true, true) })
}

func benchDirect(b *testing.B, sandboxed, perCallTimeout bool) {
	ctx := context.Background()
	f := directID(b, sandboxed)
	stack := make([]uint64, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		stack[0] = uint64(n)
		cctx, cancel := ctx, context.CancelFunc(nil)
		if perCallTimeout {
			cctx, cancel = context.WithTimeout(ctx, runner.DefaultTimeout)
		}
		if err := f.CallWithStack(cctx, stack); err != nil {
			b.Fatal(err)
		}
		if cancel != nil {
			cancel()
		}
	}
}

// BenchmarkCallRunner calls the same u64 -> u64 function as a component
// export through the runner: resolution, argument check, canonical ABI,
// recording, timeout.
func BenchmarkCallRunner(b *testing.B) {
	ctx := context.Background()
	i, err := runner.Instantiate(ctx, openFixture(b, "bench.wasm"), runner.Options{CacheDir: "off"})
	if err != nil {
		b.Fatal(err)
	}
	defer i.Close(ctx)
	args := []value.Value{value.U64(7)}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		o, err := i.Invoke(ctx, "id", args)
		if err != nil || o.Trap != nil {
			b.Fatal(err, o.Trap)
		}
	}
}

// BenchmarkCallExport calls it through a prepared export (Instance.Export),
// the path a replayer takes for many calls of one function: with the
// default timeout (sandboxed), and without one (plain).
func BenchmarkCallExport(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchExport(b, -1) })
	b.Run("sandboxed", func(b *testing.B) { benchExport(b, 0) })
}

func benchExport(b *testing.B, timeout time.Duration) {
	ctx := context.Background()
	e := benchExportID(b, timeout)
	args := []value.Value{value.U64(7)}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		o, err := e.Call(ctx, args)
		if err != nil || o.Trap != nil {
			b.Fatal(err, o.Trap)
		}
	}
}

// BenchmarkCallFlat calls the u64 -> u64 export through the typed fast path
// (Export.Flat, FlatExport.Call with reused parameter and result slices):
// plain (Options.Timeout < 0) and sandboxed (the default timeout). Compare
// each with the same configuration of BenchmarkCallDirect.
func BenchmarkCallFlat(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchFlat(b, -1) })
	b.Run("sandboxed", func(b *testing.B) { benchFlat(b, 0) })
}

func benchFlat(b *testing.B, timeout time.Duration) {
	ctx := context.Background()
	f := benchFlatID(b, timeout)
	params, results := make([]uint64, 1), make([]uint64, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		params[0] = uint64(n)
		if err := f.Call(ctx, params, results); err != nil {
			b.Fatal(err)
		}
	}
	if results[0] != uint64(b.N-1) {
		b.Fatalf("id(%d) = %d", b.N-1, results[0])
	}
}

func benchLiftLower(b *testing.B, call string, size int64) {
	ctx := context.Background()
	i, err := runner.Instantiate(ctx, openFixture(b, "bench.wasm"), runner.Options{CacheDir: "off", MaxMemory: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer i.Close(ctx)
	t, args, err := i.ParseCall(call)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		o, err := i.Invoke(ctx, t.Name, args)
		if err != nil || o.Trap != nil {
			b.Fatal(err, o.Trap)
		}
	}
}

// BenchmarkString1MiB lowers a 1 MiB string into the guest and lifts it back.
func BenchmarkString1MiB(b *testing.B) {
	s := strings.Repeat("wfcompat ", (1<<20)/9)
	benchLiftLower(b, `echo("`+s+`")`, int64(2*len(s)))
}

// BenchmarkListRecordLower lowers a list<record{x: u32, y: u32}> of 100k
// elements into the guest.
func BenchmarkListRecordLower(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("count([")
	for k := 0; k < 100000; k++ {
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("{x: 1, y: 2}")
	}
	sb.WriteString("])")
	benchLiftLower(b, sb.String(), 100000*8)
}

// BenchmarkListRecordLift lifts a list<record{x: u32, y: u32}> of 100k
// elements out of the guest.
func BenchmarkListRecordLift(b *testing.B) {
	benchLiftLower(b, "points(100000)", 100000*8)
}

// BenchmarkInstantiateWarm instantiates update-test-v1 with a warm
// compilation cache (on disk, as a second run of wfcompat sees it: each
// iteration uses a fresh engine over the same directory).
func BenchmarkInstantiateWarm(b *testing.B) {
	a := runnertest.Open(b, "golem-v1.1.0/update-test-v1.wasm")
	dir := b.TempDir()
	ctx := context.Background()
	i, err := runner.Instantiate(ctx, a, runner.Options{CacheDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	i.Close(ctx)
	b.SetBytes(int64(len(a.Bytes)))
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		i, err := runner.Instantiate(ctx, a, runner.Options{CacheDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		i.Close(ctx)
	}
}

// BenchmarkInstantiateEngine instantiates update-test-v1 again and again on
// one engine (modules compiled once, in memory): the replayer's case.
func BenchmarkInstantiateEngine(b *testing.B) {
	a := runnertest.Open(b, "golem-v1.1.0/update-test-v1.wasm")
	ctx := context.Background()
	e, err := runner.NewEngine("off")
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close(ctx)
	i, err := e.Instantiate(ctx, a, runner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	i.Close(ctx)
	b.SetBytes(int64(len(a.Bytes)))
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		i, err := e.Instantiate(ctx, a, runner.Options{})
		if err != nil {
			b.Fatal(err)
		}
		i.Close(ctx)
	}
}

// BenchmarkInstantiateCold instantiates update-test-v1 with an empty cache.
func BenchmarkInstantiateCold(b *testing.B) {
	a := runnertest.Open(b, "golem-v1.1.0/update-test-v1.wasm")
	ctx := context.Background()
	b.SetBytes(int64(len(a.Bytes)))
	b.ReportAllocs()
	for n := 0; n < b.N; n++ {
		i, err := runner.Instantiate(ctx, a, runner.Options{CacheDir: "off"})
		if err != nil {
			b.Fatal(err)
		}
		i.Close(ctx)
	}
}

// BenchmarkCallRatio measures the call-overhead target on a noisy machine:
// it alternates blocks of 256 direct wazero calls (BenchmarkCallDirect)
// and 256 fast-path calls (BenchmarkCallFlat) of the same u64 -> u64
// function, in the same configuration, and reports the fastest block of
// each (other processes only ever add time) as direct-ns/call and
// flat-ns/call, and their quotient as ratio (the target: ≤ 2).
func BenchmarkCallRatio(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchRatio(b, -1) })
	b.Run("sandboxed", func(b *testing.B) { benchRatio(b, 0) })
}

func benchRatio(b *testing.B, timeout time.Duration) {
	ctx := context.Background()
	direct := directID(b, timeout >= 0)
	f := benchFlatID(b, timeout)
	const block = 256
	stack, params, results := make([]uint64, 1), make([]uint64, 1), make([]uint64, 1)
	best := [2]time.Duration{time.Hour, time.Hour}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n += block {
		t0 := time.Now()
		for k := 0; k < block; k++ {
			stack[0] = uint64(k)
			if err := direct.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		for k := 0; k < block; k++ {
			params[0] = uint64(k)
			if err := f.Call(ctx, params, results); err != nil {
				b.Fatal(err)
			}
		}
		t2 := time.Now()
		best[0] = min(best[0], t1.Sub(t0))
		best[1] = min(best[1], t2.Sub(t1))
	}
	d := float64(best[0]) / block
	fl := float64(best[1]) / block
	b.ReportMetric(d, "direct-ns/call")
	b.ReportMetric(fl, "flat-ns/call")
	b.ReportMetric(fl/d, "ratio")
}

// benchExportID instantiates bench.wasm (export id: u64 -> u64) with
// timeout and returns its export id; the instance is closed when b ends.
func benchExportID(b *testing.B, timeout time.Duration) *runner.Export {
	ctx := context.Background()
	i, err := runner.Instantiate(ctx, openFixture(b, "bench.wasm"), runner.Options{CacheDir: "off", Timeout: timeout})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { i.Close(ctx) })
	e, err := i.Export("id")
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// benchFlatID is benchExportID's export through the typed fast path.
func benchFlatID(b *testing.B, timeout time.Duration) *runner.FlatExport {
	f, err := benchExportID(b, timeout).Flat()
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// directID instantiates id64-core.wasm (export id: i64 -> i64) on plain
// wazero, closing on context cancellation when sandboxed, and returns the
// export; the runtime is closed when b ends.
func directID(b *testing.B, sandboxed bool) api.Function {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(sandboxed))
	b.Cleanup(func() { rt.Close(ctx) })
	bin, err := os.ReadFile(fixtures + "id64-core.wasm")
	if err != nil {
		b.Fatal(err)
	}
	m, err := rt.Instantiate(ctx, bin)
	if err != nil {
		b.Fatal(err)
	}
	return m.ExportedFunction("id")
}
