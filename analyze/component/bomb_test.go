package component

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// typeBomb builds the review's component: k tuple types, each a pair of
// the previous one (2^(k+1) nodes as a tree), and an imported function
// with params parameters of the last type.
func typeBomb(k, params int) []byte {
	types := lebU32(uint32(k + 1))
	types = append(types, 0x6f, 2, 0x7d, 0x7d) // tuple<u8, u8>
	for i := 1; i < k; i++ {
		types = append(types, 0x6f, 2, byte(i-1), byte(i-1))
	}
	fn := []byte{0x40, byte(params)}
	for p := 0; p < params; p++ {
		fn = append(fn, str(fmt.Sprintf("p%d", p))...)
		fn = append(fn, byte(k-1))
	}
	fn = append(fn, 0x01, 0x00)
	types = append(types, fn...)
	return comp(sec(SecType, types), sec(SecImport, b(1, 0x00), str("f"), b(0x01, byte(k))))
}

// TestTypeBombs: types that share subtypes are capped per world, not per
// parameter, with the offset of the type, and fail fast in little memory.
func TestTypeBombs(t *testing.T) {
	for _, tc := range []struct {
		name      string
		k, params int
		msg       string
	}{
		{"one huge parameter", 22, 1, "nodes as a tree (limit 131072)"},
		{"twenty large parameters", 15, 20, "the world's types expand to more than 131072 nodes as trees"},
	} {
		in := typeBomb(tc.k, tc.params)
		if len(in) > 250 {
			t.Fatalf("%s: %d bytes", tc.name, len(in))
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c, err := Decode(in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.World()
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "offset 0x") {
			t.Errorf("%s: World err = %v, want %q with an offset", tc.name, err, tc.msg)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 64<<20 {
			t.Errorf("%s: %d MB allocated", tc.name, a>>20)
		}
	}
	// Below the limits the same shape is accepted.
	c, err := Decode(typeBomb(8, 20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.World(); err != nil {
		t.Fatal(err)
	}
}

// TestTypeDepth: value types nested beyond wit.MaxTypeDepth stop with the
// message WIT text gets.
func TestTypeDepth(t *testing.T) {
	n := 300
	types := lebU32(uint32(n + 1))
	types = append(types, 0x70, 0x7d)
	for i := 1; i < n; i++ {
		types = append(types, 0x70)
		types = append(types, s33(int64(i-1))...)
	}
	types = append(types, 0x40, 1)
	types = append(types, str("x")...)
	types = append(types, s33(int64(n-1))...)
	types = append(types, 0x01, 0x00)
	in := comp(sec(SecType, types), sec(SecImport, b(1, 0x00), str("f"), b(0x01), lebU32(uint32(n))))
	c, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.World()
	if err == nil || !strings.Contains(err.Error(), "types nested more than 256 deep") || !strings.HasPrefix(err.Error(), "offset 0x") {
		t.Fatalf("World err = %v", err)
	}
}

// s33 encodes a non-negative type index as a signed LEB128.
func s33(v int64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
}

// TestLongNameCut: an error quoting a 500 KB import name quotes only an
// excerpt.
func TestLongNameCut(t *testing.T) {
	name := strings.Repeat("x", 500_000)
	c, err := Decode(comp(sec(SecType, b(1, 0x70, 0x7d)), sec(SecImport, b(1, 0x00), str(name), b(0x01, 0))))
	if err != nil {
		if len(err.Error()) > 300 {
			t.Fatalf("%d-byte error", len(err.Error()))
		}
		return
	}
	_, err = c.World()
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "(500000 bytes)") {
		t.Fatalf("World: %.300v", err)
	}
}

// TestWriteHostile writes the type bombs to $WFCOMPAT_HOSTILE_DIR, for
// measuring the commands' peak memory; skipped otherwise.
func TestWriteHostile(t *testing.T) {
	dir := os.Getenv("WFCOMPAT_HOSTILE_DIR")
	if dir == "" {
		t.Skip("WFCOMPAT_HOSTILE_DIR not set")
	}
	os.WriteFile(filepath.Join(dir, "type-bomb-20.wasm"), typeBomb(15, 20), 0o644)
	os.WriteFile(filepath.Join(dir, "type-bomb-1.wasm"), typeBomb(22, 1), 0o644)
}
