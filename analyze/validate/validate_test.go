package validate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// features are those wazero implements of what the decoder accepts.
const features = api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall | experimental.CoreFeaturesExtendedConst

func wazeroValid(b []byte) error {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(features))
	defer r.Close(ctx)
	_, err := r.CompileModule(ctx, b)
	return err
}

// beyondWazero reports modules using what wazero does not implement
// (memory64, multi-memory, relaxed SIMD): only wasm-validate can judge.
func beyondWazero(m *core.Module) bool {
	if m.NumMemories() > 1 {
		return true
	}
	for _, l := range append(memLimitsOf(m), core.Limits{}) {
		if l.Is64 {
			return true
		}
	}
	for i := range m.Code {
		r := m.Code[i].Instrs()
		for r.Next() {
			if in := r.Instr(); strings.Contains(in.Op.String(), "relaxed") || in.Mem.Explicit {
				return true
			}
		}
	}
	return false
}

func memLimitsOf(m *core.Module) []core.Limits {
	var out []core.Limits
	for _, im := range m.Imports {
		if im.Kind == core.KindMemory {
			out = append(out, im.Memory)
		}
	}
	for _, mm := range m.Memories {
		out = append(out, mm.Limits)
	}
	return out
}

// readInput reads a module, or the []byte of a go test fuzz corpus file.
func readInput(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := strings.CutPrefix(string(b), "go test fuzz v1\n[]byte("); ok {
		if i := strings.Index(s, ")\n"); i >= 0 {
			if u, err := strconv.Unquote(s[:i]); err == nil {
				return []byte(u)
			}
		}
	}
	return b
}

// inputs returns the core modules of the corpora, the fixtures and the
// fuzzers' kept inputs.
func inputs(t *testing.T) []string {
	var files []string
	for _, pat := range []string{"../../testdata/wat/*.wasm", "../*/testdata/fuzz/*/*", "../../rewrite/testdata/fuzz/*/*"} {
		fs, _ := filepath.Glob(pat)
		files = append(files, fs...)
	}
	if dir := shared.CorpusDir(); dir != "" {
		fs, _ := filepath.Glob(dir + "/ic/*.wasm")
		files = append(files, fs...)
	}
	return files
}

// TestAgainstWazero: on every input that decodes and uses only what
// wazero implements, the validator and wazero agree.
func TestAgainstWazero(t *testing.T) {
	n := 0
	for _, f := range inputs(t) {
		b := readInput(t, f)
		m, err := core.Decode(b)
		if err != nil || beyondWazero(m) {
			continue
		}
		if werr := wazeroValid(b); werr != nil && strings.Contains(werr.Error(), "custom section") {
			continue // see FuzzValidate
		}
		n++
		ours, theirs := Module(m), wazeroValid(b)
		if (ours == nil) != (theirs == nil) {
			t.Errorf("%s: validate says %v; wazero says %v", f, ours, theirs)
		}
	}
	t.Logf("%d modules compared", n)
	if n == 0 {
		t.Fatal("no inputs")
	}
}

// TestAgainstWasmValidate: the validator and wabt's wasm-validate agree
// on every input that decodes, memory64 and multi-memory included.
func TestAgainstWasmValidate(t *testing.T) {
	tool, err := exec.LookPath("wasm-validate")
	if err != nil {
		t.Skip("wasm-validate (Debian's wabt) is not installed")
	}
	n := 0
	dir := t.TempDir()
	for _, f := range inputs(t) {
		b := readInput(t, f)
		m, err := core.Decode(b)
		if err != nil {
			continue
		}
		n++
		p := filepath.Join(dir, "m.wasm")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, werr := exec.Command(tool, "--enable-all", p).CombinedOutput()
		if ours := Module(m); (ours == nil) != (werr == nil) {
			t.Errorf("%s: validate says %v; wasm-validate says %v %s", f, ours, werr, out)
		}
	}
	t.Logf("%d modules compared", n)
}

// mutants returns n single-byte mutations of the fixtures, deterministic.
func mutants(t *testing.T, n int) [][]byte {
	files, _ := filepath.Glob("../../testdata/wat/*.wasm")
	var seeds [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	x := uint64(13)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	var out [][]byte
	for len(out) < n {
		b := append([]byte(nil), seeds[next()%uint64(len(seeds))]...)
		for k := 1 + next()%3; k > 0; k-- {
			i := 8 + next()%uint64(len(b)-8)
			b[i] = byte(next())
		}
		out = append(out, b)
	}
	return out
}

// TestMutantsAgainstWazero: on mutated fixtures (mostly invalid), the
// validator and wazero agree wherever the decoder accepts the mutant.
func TestMutantsAgainstWazero(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	compared, invalid := 0, 0
	for _, b := range mutants(t, n) {
		m, err := core.Decode(b)
		if err != nil || beyondWazero(m) {
			continue
		}
		compared++
		ours, theirs := Module(m), wazeroValid(b)
		if theirs != nil {
			invalid++
		}
		if (ours == nil) != (theirs == nil) {
			t.Errorf("mutant %x…: validate says %v; wazero says %v", b[:min(len(b), 16)], ours, theirs)
		}
	}
	t.Logf("%d mutants compared, %d invalid", compared, invalid)
}

// countBodies is an Observer counting the bodies it sees to their end.
type countBodies struct{ instrs, bodies int }

func (c *countBodies) Observes(core.Opcode) bool { return true }
func (c *countBodies) Instr(*core.Instr)         { c.instrs++ }
func (c *countBodies) EndBody()                  { c.bodies++ }

// checkShortcuts holds Observed and Derived to Module's verdict on m
// (decoded from b): Observed shows a valid module's every body; Derived
// from the module itself skips every body.
func checkShortcuts(t *testing.T, b []byte, m *core.Module, verdict error) {
	t.Helper()
	var mu sync.Mutex
	var parts []*countBodies
	_, err := Observed(m, func(first, n int) Observer {
		c := &countBodies{}
		mu.Lock()
		parts = append(parts, c)
		mu.Unlock()
		return c
	})
	if (err == nil) != (verdict == nil) {
		t.Fatalf("Observed says %v; Module says %v", err, verdict)
	}
	if verdict != nil {
		return
	}
	bodies := 0
	for _, c := range parts {
		bodies += c.bodies
	}
	if bodies != len(m.Code) {
		t.Fatalf("Observed showed %d of %d bodies", bodies, len(m.Code))
	}
	v, err := Check(m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if skipped, err := v.Derived(again); err != nil || skipped != len(again.Code) {
		t.Fatalf("Derived from itself: skipped %d of %d bodies, %v", skipped, len(again.Code), err)
	}
}

// FuzzValidate: the validator never panics, and agrees with wazero on
// what wazero implements; Observed and Derived agree with it.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/wat/*.wasm")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := core.Decode(b)
		if err != nil {
			return
		}
		ours := Module(m)
		checkShortcuts(t, b, m, ours)
		checkFastPath(t, m)
		if beyondWazero(m) {
			return
		}
		theirs := wazeroValid(b)
		if theirs != nil && strings.Contains(theirs.Error(), "custom section") {
			return // wazero misreads some custom sections wasm-validate accepts (testdata/fuzz/FuzzValidate/42a230ccdc37c44f)
		}
		if (ours == nil) != (theirs == nil) {
			t.Fatalf("validate says %v; wazero says %v", ours, theirs)
		}
	})
}

// TestFuzzCacheAgainstWasmValidate compares the validator with
// wasm-validate on a directory of go test fuzz corpus files (the fuzzing
// cache, $GOCACHE/fuzz/...), given in $WFCOMPAT_FUZZ_CORPUS; skipped
// otherwise.
func TestFuzzCacheAgainstWasmValidate(t *testing.T) {
	root := os.Getenv("WFCOMPAT_FUZZ_CORPUS")
	tool, err := exec.LookPath("wasm-validate")
	if root == "" || err != nil {
		t.Skip("WFCOMPAT_FUZZ_CORPUS or wasm-validate missing")
	}
	files, _ := filepath.Glob(filepath.Join(root, "*", "*"))
	dir := t.TempDir()
	n, valid := 0, 0
	for _, f := range files {
		b := readInput(t, f)
		m, err := core.Decode(b)
		if err != nil {
			continue
		}
		n++
		p := filepath.Join(dir, "m.wasm")
		os.WriteFile(p, b, 0o644)
		out, werr := exec.Command(tool, "--enable-all", p).CombinedOutput()
		ours := Module(m)
		if ours == nil {
			valid++
		}
		if (ours == nil) != (werr == nil) {
			t.Errorf("%s: validate says %v; wasm-validate says %v %.200s", f, ours, werr, out)
		}
	}
	t.Logf("%d decodable inputs compared, %d valid", n, valid)
}

// TestMutantsAgainstWasmValidate: on mutated fixtures, memory64 and
// multi-memory ones included, the validator and wasm-validate agree.
func TestMutantsAgainstWasmValidate(t *testing.T) {
	tool, err := exec.LookPath("wasm-validate")
	if err != nil || testing.Short() {
		t.Skip("wasm-validate (Debian's wabt) is not installed, or -short")
	}
	dir := t.TempDir()
	compared, invalid := 0, 0
	for _, b := range mutants(t, 1500) {
		m, err := core.Decode(b)
		if err != nil {
			continue
		}
		compared++
		p := filepath.Join(dir, "m.wasm")
		os.WriteFile(p, b, 0o644)
		out, werr := exec.Command(tool, "--enable-all", p).CombinedOutput()
		if werr != nil {
			invalid++
		}
		ours := Module(m)
		if ours != nil && werr == nil && wabtGap(ours.Error()) {
			continue
		}
		if (ours == nil) != (werr == nil) {
			t.Errorf("mutant %x…: validate says %v; wasm-validate says %v %.200s", b[:min(len(b), 16)], ours, werr, out)
		}
	}
	t.Logf("%d mutants compared, %d invalid", compared, invalid)
}

// wabtGap reports the invalid modules wabt 1.0.32's wasm-validate accepts,
// by the error the validator gives them: a body whose blocks are not all
// closed when it ends (the body 02 40 0b, block end without the
// function's end), and an alignment exponent of 32 or more (1<<32
// overflows to 0 in its check: i32.store8 with align 32 passes).
func wabtGap(ours string) bool {
	if strings.Contains(ours, "missing end") {
		return true
	}
	var exp, nat int
	if i := strings.Index(ours, "alignment 2^"); i >= 0 {
		if _, err := fmt.Sscanf(ours[i:], "alignment 2^%d exceeds the natural alignment 2^%d", &exp, &nat); err == nil && exp >= 32 {
			return true
		}
	}
	return false
}

// callLog is an Observer recording the calls and ref.funcs of the
// bodies it sees (the fast path shows it calls itself).
type callLog struct{ seen []seenInstr }

// seenInstr is what callLog keeps of an instruction.
type seenInstr struct {
	off   uint32
	op    core.Opcode
	index uint32
}

func (c *callLog) Observes(op core.Opcode) bool { return op == core.OpCall || op == core.OpRefFunc }
func (c *callLog) Instr(in *core.Instr) {
	c.seen = append(c.seen, seenInstr{in.Off, in.Op, in.Index})
}
func (c *callLog) EndBody() { c.seen = append(c.seen, seenInstr{op: core.OpEnd}) }

// observeAll validates m's bodies, on the fast path or not, and returns
// the verdict and what a callLog saw, body after body.
func observeAll(m *core.Module, slow bool) ([]seenInstr, error) {
	c, err := structure(m)
	if err != nil {
		return nil, err
	}
	c.slow = slow
	var mu sync.Mutex
	logs := map[int]*callLog{}
	err = c.bodies(nil, func(first, n int) Observer {
		l := &callLog{}
		mu.Lock()
		logs[first] = l
		mu.Unlock()
		return l
	})
	var seen []seenInstr
	for first := range len(m.Code) + 1 {
		if l := logs[first]; l != nil {
			seen = append(seen, l.seen...)
		}
	}
	return seen, err
}

// checkFastPath holds the validator's fast path (fast) to the general one:
// the same verdict, message and offset, and the same instructions shown
// to an observer of a valid module.
func checkFastPath(t *testing.T, m *core.Module) {
	t.Helper()
	fastSeen, fastErr := observeAll(m, false)
	slowSeen, slowErr := observeAll(m, true)
	if fmt.Sprint(fastErr) != fmt.Sprint(slowErr) {
		t.Fatalf("fast path says %v; general path says %v", fastErr, slowErr)
	}
	if fastErr == nil && !slices.Equal(fastSeen, slowSeen) {
		t.Fatalf("fast path showed %d instructions, general path %d", len(fastSeen), len(slowSeen))
	}
}

// TestFastPath: on the corpus, the fixtures and their mutants, the fast
// path of the body check agrees with the general one.
func TestFastPath(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	compared, invalid := 0, 0
	bins := mutants(t, n)
	for _, f := range inputs(t) {
		bins = append(bins, readInput(t, f))
	}
	// Mutants of a real module's code section: type errors and odd
	// encodings amid the instructions the fast path takes.
	if p := filepath.Join(shared.CorpusDir(), "ic", "wallet-0.12.0.wasm"); !exists(p) {
		t.Logf("third-party corpus absent (%s): no mutants of a real module's code section", p)
	} else {
		b := readInput(t, p)
		m, err := core.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := int(m.Code[0].Start), int(m.Code[0].Start)
		for _, c := range m.Code {
			hi = max(hi, int(c.Start)+len(c.Body))
		}
		hi = min(hi, len(b))
		x := uint64(29)
		next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
		k := 150
		if testing.Short() {
			k = 20
		}
		for range k {
			mb := slices.Clone(b)
			for j := 1 + next()%2; j > 0; j-- {
				mb[lo+int(next()%uint64(hi-lo))] = byte(next())
			}
			bins = append(bins, mb)
		}
	}
	for _, b := range bins {
		m, err := core.Decode(b)
		if err != nil {
			continue
		}
		compared++
		if Module(m) != nil {
			invalid++
		}
		checkFastPath(t, m)
	}
	t.Logf("%d modules compared, %d invalid", compared, invalid)
}

// TestFirstError: with bodies checked in runs on several processors, the
// error reported is the first invalid body's, as a sequential check
// reports it.
func TestFirstError(t *testing.T) {
	b := readInput(t, shared.Corpus(t, "ic/wallet-0.12.0.wasm"))
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	// i32.add on an empty stack as the first instruction of a body.
	breakBody := func(b []byte, ci int) []byte {
		b = slices.Clone(b)
		b[m.Code[ci].InstrOff] = 0x6a
		return b
	}
	n := len(m.Code)
	for _, pair := range [][2]int{{1, n - 2}, {n / 3, n / 2}, {n/2 - 1, n / 2}, {n / 8, 7 * n / 8}} {
		early, _ := core.Decode(breakBody(b, pair[0]))
		both, _ := core.Decode(breakBody(breakBody(b, pair[0]), pair[1]))
		want, got := Module(early), Module(both)
		if want == nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("bodies %d and %d invalid: %v; want the first's error %v", pair[0], pair[1], got, want)
		}
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
