package witparse

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/format"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testbuild"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

var (
	benchOnce sync.Once
	benchDirs [2]string
	benchErr  error
	benchTmp  string

	benchBins sync.Map // build name → *benchBuild
)

// benchInputs writes two WIT directories made from what `wasm-tools
// component wit` prints for Golem's update-test-v1 and v2 (the main
// package, and every WASI package they import under deps/), in a
// temporary directory.
func benchInputs(b *testing.B) [2]string {
	b.Helper()
	v1 := shared.Corpus(b, "golem-v1.3.0/update-test-v1.wasm")
	v2 := shared.Corpus(b, "golem-v1.3.0/update-test-v2.wasm")
	benchOnce.Do(func() {
		benchTmp, benchErr = os.MkdirTemp("", "witparse-bench-")
		if benchErr != nil {
			return
		}
		for i, c := range []string{v1, v2} {
			benchDirs[i] = filepath.Join(benchTmp, []string{"v1", "v2"}[i])
			splitWIT(b, componentWIT(b, c), benchDirs[i])
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDirs
}

// benchBuilds are the ways the wfcompat command is built: as the
// releases build the wfcompat they ship (.goreleaser.yaml, Dockerfile:
// the lean front, -tags lean, which links neither the runner nor wazero
// and hands the commands that run Wasm to wfcompat-full; static, no cgo,
// trimmed, without symbol tables), and as a plain `go build` or `go
// install` builds it where a C compiler is present (the complete build;
// cgo on for package net: a dynamically linked binary, which costs about
// 0.7 ms more to start).
//
// A release reaches its users as a file written out of an archive or an
// image layer, not as the file the linker wrote through a memory mapping
// (which `go build -o` and `go install` rename into place): the release
// build runs a copy, as those users do (testbuild.Build.Copied). The
// kernel's page cache holds the two differently, and a process of the copy
// starts about 1 ms sooner here (measured on identical bytes, 500
// interleaved runs each; LoadWIT's process, some 170 ms, is the same
// either way).
var benchBuilds = []struct {
	name  string
	build testbuild.Build
}{
	{"release", testbuild.Release.WithTags("lean")},
	{"go-build", testbuild.Build{}},
}

type benchBuild struct {
	once sync.Once
	bin  string
	err  error
}

// benchBinary builds the wfcompat command the i-th way of benchBuilds,
// once; withWasmTools builds the complete build (without lean) with -tags
// wasmtools instead, which links the reader through the embedded
// wasm-tools (wit/wasmtools), the same other way: LoadWIT's side.
func benchBinary(b *testing.B, i int, withWasmTools bool) string {
	b.Helper()
	if !testbuild.Available() {
		b.Skip("no go command on PATH to build wfcompat with")
	}
	benchInputs(b) // the temporary directory
	name, build := benchBuilds[i].name, benchBuilds[i].build
	if withWasmTools {
		name += "-wasmtools"
		build = build.WithTags("wasmtools")
	}
	v, _ := benchBins.LoadOrStore(name, &benchBuild{})
	bb := v.(*benchBuild)
	bb.once.Do(func() {
		bb.bin = filepath.Join(benchTmp, "wfcompat-"+name)
		bb.err = build.Command(bb.bin, "github.com/wfcompat/wfcompat/cmd/wfcompat")
	})
	if bb.err != nil {
		b.Fatal(bb.err)
	}
	return bb.bin
}

// run is one process's wall-clock and CPU (user + system) time.
type run struct{ wall, cpu time.Duration }

// readerEnv selects the wfcompat command's WIT reader: "wasm-tools" in a
// build with -tags wasmtools (cmd/wfcompat/internal/cli).
const readerEnv = "WFCOMPAT_WIT_READER"

// runDiff runs `wfcompat diff A B` once with the given WIT reader.
func runDiff(b *testing.B, bin string, dirs [2]string, reader string) run {
	cmd := exec.Command(bin, "diff", dirs[0], dirs[1])
	cmd.Env = append(os.Environ(), readerEnv+"="+reader)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		// Exit status 1 is a verdict (unsafe), not a failure.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			b.Fatalf("wfcompat diff (%s reader): %v\n%s", reader, err, out)
		}
	}
	return run{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

// BenchmarkDiffProcess measures the whole process `wfcompat diff A B` on
// the two WIT directories, with the native reader (the wfcompat of
// benchBuilds: the lean front the releases ship) and with LoadWIT (the
// complete build with -tags wasmtools, its embedded wasm-tools selected by
// WFCOMPAT_WIT_READER=wasm-tools: the one executable of before the native
// reader), built the same way otherwise, side by side in one run: each
// iteration runs both, after one warm-up run each (LoadWIT's compilation
// cache is then warm). Metrics per process, for each reader: mean, median
// and minimum wall-clock time, mean and minimum CPU time; and the
// LoadWIT/native ratios of each. On a shared, loaded machine the
// minimum and the CPU time are the steadier figures. One sub-benchmark
// per build of the command (benchBuilds); "release" is what users of the
// released binaries and the container run.
func BenchmarkDiffProcess(b *testing.B) {
	dirs := benchInputs(b)
	for i, build := range benchBuilds {
		b.Run(build.name, func(b *testing.B) {
			bins := [2]string{benchBinary(b, i, false), benchBinary(b, i, true)}
			diffProcess(b, bins, dirs)
		})
	}
}

// diffProcess runs bins[0] with the native reader and bins[1] with
// wasm-tools'.
func diffProcess(b *testing.B, bins [2]string, dirs [2]string) {
	runDiff(b, bins[0], dirs, "native")
	runDiff(b, bins[1], dirs, "wasm-tools")
	var sum, minimum [2]run
	walls := [2][]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, reader := range []string{"native", "wasm-tools"} {
			r := runDiff(b, bins[j], dirs, reader)
			sum[j].wall += r.wall
			sum[j].cpu += r.cpu
			walls[j] = append(walls[j], r.wall)
			if i == 0 || r.wall < minimum[j].wall {
				minimum[j].wall = r.wall
			}
			if i == 0 || r.cpu < minimum[j].cpu {
				minimum[j].cpu = r.cpu
			}
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	median := func(ds []time.Duration) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[len(s)/2]
	}
	n := time.Duration(b.N)
	b.ReportMetric(ms(sum[0].wall/n), "native-ms")
	b.ReportMetric(ms(sum[1].wall/n), "loadwit-ms")
	b.ReportMetric(ms(median(walls[0])), "native-med-ms")
	b.ReportMetric(ms(median(walls[1])), "loadwit-med-ms")
	b.ReportMetric(ms(minimum[0].wall), "native-min-ms")
	b.ReportMetric(ms(minimum[1].wall), "loadwit-min-ms")
	b.ReportMetric(ms(sum[0].cpu/n), "native-cpu-ms")
	b.ReportMetric(ms(sum[1].cpu/n), "loadwit-cpu-ms")
	b.ReportMetric(ms(minimum[0].cpu), "native-cpu-min-ms")
	b.ReportMetric(ms(minimum[1].cpu), "loadwit-cpu-min-ms")
	b.ReportMetric(float64(sum[1].wall)/float64(sum[0].wall), "ratio-mean")
	b.ReportMetric(float64(median(walls[1]))/float64(median(walls[0])), "ratio-med")
	b.ReportMetric(float64(minimum[1].wall)/float64(minimum[0].wall), "ratio-min")
	b.ReportMetric(float64(sum[1].cpu)/float64(max(sum[0].cpu, 1)), "ratio-cpu")
}

// BenchmarkLoad measures loading one of those directories in process.
func BenchmarkLoad(b *testing.B) {
	dirs := benchInputs(b)
	var size int64
	filepath.Walk(dirs[0], func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	b.Run("native", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			if _, err := LoadWorld(dirs[0], "root"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("loadwit", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			if _, err := wasmtools.LoadWIT(dirs[0], "root"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDoublingChain loads a 40-step `type tN = tuple<tN-1, tN-1>`
// chain (about 1 KB, 2^40 nodes expanded): the size check rejects it in
// linear time.
func BenchmarkDoublingChain(b *testing.B) {
	src := doublingChain(40)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if _, err := LoadString("chain.wit", src, Options{}); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkCheckLimits measures wit.CheckLimits alone on the world of
// update-test-v1 (WASI 0.2 and golem:api, little sharing) and on a
// 15-step doubling chain (each type shared twice by the next; about 2^16
// nodes as trees, under wit.MaxWorldNodes).
func BenchmarkCheckLimits(b *testing.B) {
	chain, err := LoadString("chain.wit", doublingChain(15)+"world w { export i; }\n", Options{})
	if err != nil {
		b.Fatal(err)
	}
	cw, err := chain.selectWorld("")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		world func(b *testing.B) *wit.World
	}{
		{"update-test", func(b *testing.B) *wit.World {
			w, err := LoadWorld(benchInputs(b)[0], "root")
			if err != nil {
				b.Fatal(err)
			}
			return w
		}},
		{"doubling-chain", func(*testing.B) *wit.World { return cw }},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := c.world(b)
			b.ReportAllocs()
			for b.Loop() {
				if err := wit.CheckLimits(w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTokenize lexes the files of one of the benchmark's directories
// (their texts read once): "one-pass" as tokenize does, checking the
// input in the same pass; "check-first" with checkInput's pass first, as
// tokenize did before.
func BenchmarkTokenize(b *testing.B) {
	dirs := benchInputs(b)
	var files []*srcFile
	var size int64
	filepath.Walk(dirs[0], func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			text, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, &srcFile{name: p, text: string(text)})
			size += int64(len(text))
		}
		return nil
	})
	for _, c := range []struct {
		name string
		lex  func(*srcFile, []token) ([]token, error)
	}{
		{"one-pass", tokenize},
		{"check-first", func(f *srcFile, buf []token) ([]token, error) {
			if err := checkInput(f); err != nil {
				return buf, err
			}
			return lex(f, buf, false)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			var buf []token
			for i := 0; i < b.N; i++ {
				for _, f := range files {
					var err error
					if buf, err = c.lex(f, buf); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkDiffWIT measures what `wfcompat diff` does with the two
// benchmark directories' worlds once they are read (each read once):
// compat.Diff of the two as WIT sides, and the text report of the result
// (compat/format), the steps of the whole process after the reads.
func BenchmarkDiffWIT(b *testing.B) {
	dirs := benchInputs(b)
	var worlds [2]*wit.World
	for i, d := range dirs {
		w, err := LoadWorld(d, "root")
		if err != nil {
			b.Fatal(err)
		}
		worlds[i] = w
	}
	rules, err := compat.NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	opts := compat.Options{Old: compat.Artifact{Path: dirs[0], Kind: "wit"}, New: compat.Artifact{Path: dirs[1], Kind: "wit"},
		Rules: rules}
	b.Run("diff", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			compat.Diff(worlds[0], worlds[1], opts)
		}
	})
	b.Run("text", func(b *testing.B) {
		r := compat.Diff(worlds[0], worlds[1], opts)
		fo := format.Options{Rules: opts.Rules}
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := format.Write(&buf, format.Text, r, fo); err != nil {
				b.Fatal(err)
			}
		}
	})
}
