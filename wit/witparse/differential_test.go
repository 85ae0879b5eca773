package witparse

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bawit "go.bytecodealliance.org/wit"

	"github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testbuild"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// The differential tests hold the native reader against the oracle:
// go.bytecodealliance.org's LoadWIT, which runs the wasm-tools 1.230 it
// embeds (`component wit -j --all-features`), converted by wasmtools.FromResolve.
// Both read with every feature enabled. Nothing is normalized: worlds must
// be identical, docs, order and sharing-independent structure included.

var allFeatures = Options{AllFeatures: true}

// oracleWorlds loads path through the embedded wasm-tools and converts
// every world it can; it reports false when wasm-tools 1.230 rejects the
// input (newer WIT than it knows).
func oracleWorlds(t *testing.T, path string) (map[string]*wit.World, bool) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := bawit.LoadWIT(abs)
	if err != nil {
		return nil, false
	}
	out := map[string]*wit.World{}
	for _, w := range res.Worlds {
		m, err := wasmtools.FromResolve(res, w)
		if err != nil {
			// A kind go.bytecodealliance.org v0.7.0 does not decode
			// (fixed-size lists): not comparable.
			return nil, false
		}
		out[m.Package+"/"+m.Name] = m
	}
	return out, true
}

func nativeWorlds(t *testing.T, path string) map[string]*wit.World {
	t.Helper()
	res, err := Load(path, allFeatures)
	if err != nil {
		t.Fatalf("native: %v", err)
	}
	out := map[string]*wit.World{}
	for _, p := range res.Packages {
		for _, w := range p.Worlds {
			out[w.Package+"/"+w.Name] = w
		}
	}
	return out
}

// compareWorlds compares the worlds and the compat.Diff reports of every
// ordered pair of them (each world against itself included).
//
// excuse, when not nil, is asked about a world that differs: it returns
// true when the difference is wasm-tools 1.230 disagreeing with current
// WIT (the native world is what wit-parser produces today, or differs only
// in 1.230's async name prefixes), which is logged, not failed, and leaves
// that world out of the report pairs.
func compareWorlds(t *testing.T, ref, nat map[string]*wit.World, excuse func(key string) bool) bool {
	t.Helper()
	ok := true
	excused := map[string]bool{}
	var keys []string
	for k := range ref {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := nat[k]
		if n == nil {
			t.Errorf("world %s: missing from the native result", k)
			ok = false
			continue
		}
		if d := cmp.Diff(ref[k], n); d != "" {
			if excuse != nil && excuse(k) {
				t.Logf("world %s: wasm-tools 1.230 differs from current WIT, which the native world follows (-LoadWIT +native):\n%s", k, d)
				excused[k] = true
				continue
			}
			t.Errorf("world %s (-LoadWIT +native):\n%s", k, d)
			ok = false
		}
	}
	if !ok {
		return false
	}
	for _, a := range keys {
		for _, b := range keys {
			if excused[a] || excused[b] {
				continue
			}
			opts := compat.Options{Old: compat.Artifact{Path: a, Kind: "wit"}, New: compat.Artifact{Path: b, Kind: "wit"}}
			rr := compat.Diff(ref[a], ref[b], opts)
			nr := compat.Diff(nat[a], nat[b], opts)
			if d := cmp.Diff(rr, nr); d != "" {
				t.Errorf("diff %s → %s: reports differ (-LoadWIT +native):\n%s", a, b, d)
				ok = false
			}
		}
	}
	return ok
}

// TestDifferentialUI compares the native reader with LoadWIT on every valid
// package of wit-parser's UI tests that wasm-tools 1.230 also reads.
func TestDifferentialUI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools on every package")
	}
	dir := uiDir(t)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, read, same, newer := 0, 0, 0, 0
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".wit.json")
		if !ok {
			continue
		}
		input := filepath.Join(dir, name)
		if _, err := os.Stat(input); err != nil {
			input += ".wit"
			if _, err := os.Stat(input); err != nil {
				continue // a .wat package
			}
		}
		if bin, _ := filepath.Glob(filepath.Join(input, "deps", "*.wa[st]*")); len(bin) > 0 {
			continue // binary WIT packages: not read natively
		}
		total++
		t.Run(name, func(t *testing.T) {
			ref, ok := oracleWorlds(t, input)
			if !ok {
				t.Skip("wasm-tools 1.230 (LoadWIT) does not read this package")
			}
			read++
			nat := nativeWorlds(t, input)
			want, err := loadUIJSON(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			differs := false
			excuse := func(key string) bool {
				for i := range want.r.Worlds {
					w, err := want.world(i)
					if err == nil && w.Package+"/"+w.Name == key && cmp.Equal(w, nat[key]) && !cmp.Equal(w, ref[key]) {
						differs = true
						return true
					}
				}
				return false
			}
			if compareWorlds(t, ref, nat, excuse) {
				if differs {
					newer++
				} else {
					same++
				}
			}
		})
	}
	t.Logf("differential (UI packages): %d identical, %d where wasm-tools 1.230 differs from current wit-parser (native = current) / %d read by LoadWIT / %d WIT packages", same, newer, read, total)
}

// wasmToolsBuild holds the wasm-tools command embedded in
// go.bytecodealliance.org, built once per test binary into a directory
// TestMain removes.
var wasmToolsBuild testbuild.Once

// wasmTools builds the wasm-tools command embedded in go.bytecodealliance.org
// (once per test binary) and returns its path; it skips the test when the
// command cannot be built.
func wasmTools(tb testing.TB) string {
	tb.Helper()
	dir, err := wasmToolsBuild.Do(func(dir string) error {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, testbuild.Exe("wasm-tools")), "go.bytecodealliance.org/internal/cmd/wasm-tools").CombinedOutput()
		if err != nil {
			return fmt.Errorf("build wasm-tools: %v\n%s", err, out)
		}
		return nil
	})
	if err != nil {
		tb.Skipf("embedded wasm-tools unavailable: %v", err)
	}
	return filepath.Join(dir, testbuild.Exe("wasm-tools"))
}

func TestMain(m *testing.M) {
	code := m.Run()
	wasmToolsBuild.Remove()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

// componentWIT returns what `wasm-tools component wit` prints for a
// component binary.
func componentWIT(tb testing.TB, component string) string {
	tb.Helper()
	// Its file system is the current directory only: run it there.
	cmd := exec.Command(wasmTools(tb), "component", "wit", filepath.Base(component))
	cmd.Dir = filepath.Dir(component)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("wasm-tools component wit %s: %v\n%s", component, err, stderr.Bytes())
	}
	return string(out)
}

// splitWIT splits what `component wit` prints (the main package, then its
// dependencies as `package x:y@v { … }` blocks) into a main file and one
// file per dependency, and writes them as a WIT directory with deps/.
func splitWIT(tb testing.TB, text, dir string) {
	tb.Helper()
	var main strings.Builder
	deps := map[string]*strings.Builder{}
	var cur *strings.Builder
	var header string
	for _, line := range strings.SplitAfter(text, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "package ") && strings.HasSuffix(strings.TrimSpace(line), "{"):
			name := strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(line, "package ")), "{")
			header = strings.TrimSpace(name)
			cur = &strings.Builder{}
			deps[header] = cur
			fmt.Fprintf(cur, "package %s;\n", header)
		case cur != nil && strings.TrimRight(line, "\n") == "}":
			cur = nil
		case cur != nil:
			cur.WriteString(line)
		default:
			main.WriteString(line)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "deps"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.wit"), []byte(main.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	for name, b := range deps {
		file := strings.NewReplacer(":", "-", "@", "-").Replace(name) + ".wit"
		if err := os.WriteFile(filepath.Join(dir, "deps", file), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// binaryOpts drop what a component binary does not record: docs, and the
// world's package (the world's name, "root", is compared); and they compare
// an interface's types and functions regardless of order: a binary lists
// them in the order its encoder met them, printed WIT in the order of its
// text (`use`d types first, a resource's functions at the resource).
var binaryOpts = []cmp.Option{
	cmpopts.SortSlices(func(a, b *wit.TypeDef) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b *wit.Function) bool { return a.Name < b.Name }),
	cmpopts.IgnoreFields(wit.World{}, "Docs", "Package"),
	cmpopts.IgnoreFields(wit.Interface{}, "Docs"),
	cmpopts.IgnoreFields(wit.TypeDef{}, "Docs"),
	cmpopts.IgnoreFields(wit.Function{}, "Docs"),
	cmpopts.IgnoreFields(wit.Field{}, "Docs"),
	cmpopts.IgnoreFields(wit.Case{}, "Docs"),
}

func corpusComponents(tb testing.TB) []string {
	var files []string
	for _, dir := range []string{"golem-v1.1.0", "golem-v1.3.0"} {
		m, _ := filepath.Glob(filepath.Join(shared.CorpusDir(), dir, "*.wasm"))
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Skipf("third-party corpus not available in %s (set WFCOMPAT_SHARED)", shared.CorpusDir())
	}
	return files
}

// TestDifferentialCorpus compares the native reader with LoadWIT on the WIT
// that `wasm-tools component wit` prints for every corpus component, both
// as one file with nested packages and as a directory with deps/, and
// compares the compat.Diff reports of every pair of them.
func TestDifferentialCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools on every corpus component")
	}
	files := corpusComponents(t)
	tmp := t.TempDir()
	refAll, natAll := map[string]*wit.World{}, map[string]*wit.World{}
	same := 0
	for i, c := range files {
		name := filepath.Base(filepath.Dir(c)) + "/" + filepath.Base(c)
		t.Run(name, func(t *testing.T) {
			text := componentWIT(t, c)
			file := filepath.Join(tmp, fmt.Sprintf("c%d.wit", i))
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(tmp, fmt.Sprintf("d%d", i))
			splitWIT(t, text, dir)
			ok := true
			for _, in := range []string{file, dir} {
				ref, err := wasmtools.LoadWIT(in, "root")
				if err != nil {
					t.Fatalf("LoadWIT: %v", err)
				}
				nat, err := LoadWorld(in, "root")
				if err != nil {
					t.Fatalf("native: %v", err)
				}
				if d := cmp.Diff(ref, nat); d != "" {
					t.Errorf("%s (-LoadWIT +native):\n%s", filepath.Base(in), d)
					ok = false
				}
				refAll[name], natAll[name] = ref, nat
			}
			// And the component decoder's world of the binary itself
			// (docs and package aside: a binary records neither, see
			// wit/crosscheck_test.go).
			b, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dc, err := component.Decode(b)
			if err != nil {
				t.Fatalf("component.Decode: %v", err)
			}
			bw, err := dc.World()
			if err != nil {
				t.Fatalf("component World: %v", err)
			}
			if d := cmp.Diff(bw, natAll[name], binaryOpts...); d != "" {
				t.Errorf("native world of the printed WIT differs from the binary's (-component +native):\n%s", d)
				ok = false
			}
			if ok {
				same++
			}
		})
	}
	t.Logf("differential (corpus WIT): %d identical / %d components", same, len(files))
	if !t.Failed() {
		compareWorlds(t, refAll, natAll, nil)
	}
}

// TestDifferentialRepoWIT compares the native reader with LoadWIT on every
// .wit file of this repository (the compat rule fixtures' old/new pairs,
// the component fixtures' sources, these fixtures) and on the WIT of the
// semver-check conformance cases, with the compat.Diff reports of every
// pair of worlds within each directory.
func TestDifferentialRepoWIT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools on every file")
	}
	byDir := map[string][]string{}
	root := filepath.Join("..", "..")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "deps") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".wit") && !strings.Contains(p, "/flat/") && !strings.Contains(p, "/nested/") {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	if m, _ := filepath.Glob(filepath.Join(shared.ConformanceDir(), "semver-check", "*.wit")); len(m) > 0 {
		for _, p := range m {
			byDir[p] = []string{p}
		}
	}
	var dirs []string
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	files, read, same, asyncOnly := 0, 0, 0, 0
	for _, d := range dirs {
		t.Run(strings.TrimPrefix(d, root+"/"), func(t *testing.T) {
			ref, nat := map[string]*wit.World{}, map[string]*wit.World{}
			for _, f := range byDir[d] {
				files++
				r, ok := oracleWorlds(t, f)
				if !ok {
					t.Logf("%s: LoadWIT does not read it", filepath.Base(f))
					continue
				}
				read++
				n := nativeWorlds(t, f)
				for k, w := range r {
					key := filepath.Base(f) + ":" + k
					ref[key], nat[key] = w, n[k]
					if n[k] == nil {
						nat[key] = &wit.World{}
					}
				}
			}
			excused := 0
			excuse := func(key string) bool {
				if cmp.Equal(withoutAsyncPrefixes(ref[key]), nat[key]) {
					excused++
					return true
				}
				return false
			}
			if compareWorlds(t, ref, nat, excuse) {
				same += len(ref) - excused
				asyncOnly += excused
			}
		})
	}
	t.Logf("differential (repository and semver-check WIT): %d files, %d read by LoadWIT; worlds: %d identical, %d differing only in 1.230's async name prefixes", files, read, same, asyncOnly)
}

// withoutAsyncPrefixes returns w with the function names wasm-tools 1.230
// gives async functions ("[async]f", "[async method]r.f", "[async
// static]r.f") written as current WIT names them ("f", "[method]r.f",
// "[static]r.f"; async-ness is the Async field). Only that differs
// between the two readers on async functions.
func withoutAsyncPrefixes(w *wit.World) *wit.World {
	rename := func(n string) string {
		for _, p := range [][2]string{{"[async method]", "[method]"}, {"[async static]", "[static]"}, {"[async]", ""}} {
			if rest, ok := strings.CutPrefix(n, p[0]); ok {
				return p[1] + rest
			}
		}
		return n
	}
	fn := func(f *wit.Function) *wit.Function {
		c := *f
		c.Name = rename(f.Name)
		return &c
	}
	items := func(in []*wit.Item) []*wit.Item {
		out := make([]*wit.Item, len(in))
		for i, it := range in {
			c := *it
			switch {
			case it.Function != nil:
				c.Name, c.Function = rename(it.Name), fn(it.Function)
			case it.Interface != nil:
				ic := *it.Interface
				ic.Functions = nil
				for _, f := range it.Interface.Functions {
					ic.Functions = append(ic.Functions, fn(f))
				}
				c.Interface = &ic
			}
			out[i] = &c
		}
		return out
	}
	c := *w
	c.Imports, c.Exports = items(w.Imports), items(w.Exports)
	return &c
}
