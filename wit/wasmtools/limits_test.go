package wasmtools

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// witBomb is the review's WIT: k tuple types, each a pair of the
// previous one, and a function taking the last.
func witBomb(k int) string {
	var b strings.Builder
	b.WriteString("package a:b;\ninterface i {\n  type t0 = u8;\n")
	for i := 1; i < k; i++ {
		fmt.Fprintf(&b, "  type t%d = tuple<t%d, t%d>;\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "  f: func(x: t%d);\n}\nworld w { export i; }\n", k-1)
	return b.String()
}

// witNested is a function parameter of n nested lists, literally.
func witNested(n int) string {
	return "package a:b;\ninterface i {\n  f: func(x: " + strings.Repeat("list<", n) + "u8" + strings.Repeat(">", n) + ");\n}\nworld w { export i; }\n"
}

// witChain is n list types, each of the previous one.
func witChain(n int) string {
	var b strings.Builder
	b.WriteString("package a:b;\ninterface i {\n  type t0 = u8;\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  type t%d = list<t%d>;\n", i, i-1)
	}
	fmt.Fprintf(&b, "  f: func(x: t%d);\n}\nworld w { export i; }\n", n-1)
	return b.String()
}

// TestWITLimits: the bombs fail fast with the limits' messages, the same
// as for binaries; nesting is refused before the embedded wasm-tools
// runs (it trapped at about 2,000).
func TestWITLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, src, msg string
	}{
		{"shared subtypes (600 bytes)", witBomb(24), "the world's types expand to more than 131072 nodes as trees"},
		{"nested 2000 deep", witNested(2000), "offset 0x52c (line 3): types nested more than 256 deep"},
		{"nested 257 deep", witNested(257), "types nested more than 256 deep"},
		{"alias chain 2000 deep", witChain(2000), "types nested more than 256 deep"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".wit")
		os.WriteFile(p, []byte(tc.src), 0o644)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := LoadWIT(p, "")
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "wasm stack trace") {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 256<<20 {
			t.Errorf("%s: %d MB allocated", tc.name, a>>20)
		}
	}
	// At the limit both forms load.
	for i, src := range []string{witNested(256), witChain(200), witBomb(12)} {
		p := filepath.Join(dir, fmt.Sprintf("ok%d.wit", i))
		os.WriteFile(p, []byte(src), 0o644)
		if _, err := LoadWIT(p, ""); err != nil {
			t.Errorf("ok%d: %v", i, err)
		}
	}
}

// TestNestingOffset covers comments and the reset at declarations.
func TestNestingOffset(t *testing.T) {
	deep := strings.Repeat("<", 257)
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"f: func(x: list<u8>);", -1},
		{"// " + deep + "\nx;", -1},
		{"/* /* " + deep + " */ */ x;", -1},
		{"a" + deep, 257},
		{strings.Repeat("<", 200) + ";" + strings.Repeat("<", 200), -1},
	} {
		if got := nestingOffset([]byte(tc.src)); got != tc.want {
			t.Errorf("nestingOffset(%.30q…) = %d, want %d", tc.src, got, tc.want)
		}
	}
}

// TestWriteHostile writes the WIT bombs to $WFCOMPAT_HOSTILE_DIR, for
// measuring the commands' peak memory; skipped otherwise.
func TestWriteHostile(t *testing.T) {
	dir := os.Getenv("WFCOMPAT_HOSTILE_DIR")
	if dir == "" {
		t.Skip("WFCOMPAT_HOSTILE_DIR not set")
	}
	for name, src := range map[string]string{"bomb.wit": witBomb(24), "bomb-big.wit": witBomb(60), "nested.wit": witNested(2000), "chain.wit": witChain(2000)} {
		os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
	}
}
