package witparse

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadTextSizes: files smaller and larger than the room left in the
// arena of texts, and more files than one arena chunk holds, read whole.
func TestReadTextSizes(t *testing.T) {
	dir := t.TempDir()
	deps := filepath.Join(dir, "deps")
	if err := os.Mkdir(deps, 0o755); err != nil {
		t.Fatal(err)
	}
	main := "package a:main;\nworld w {\n"
	want := map[string]string{}
	for i, size := range []int{0, 10, arenaChunk / 4, arenaChunk - 100, arenaChunk, 3 * arenaChunk, 100, 5000} {
		doc := strings.Repeat("x", size)
		name := fmt.Sprintf("p%d", i)
		src := fmt.Sprintf("package a:%s;\n/// %s\ninterface i {}\n", name, doc)
		if err := os.WriteFile(filepath.Join(deps, name+".wit"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		main += fmt.Sprintf("  import a:%s/i;\n", name)
		want["a:"+name+"/i"] = doc
	}
	if err := os.WriteFile(filepath.Join(dir, "main.wit"), []byte(main+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := LoadWorld(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, it := range w.Imports {
		if it.Interface == nil {
			continue
		}
		if doc, ok := want[it.Name]; !ok || it.Interface.Docs != doc {
			t.Errorf("%s: docs of %d bytes, want %d", it.Name, len(it.Interface.Docs), len(doc))
		}
		got++
	}
	if got != len(want) {
		t.Errorf("%d interfaces, want %d", got, len(want))
	}
}

// TestValidASCIIID: the fast path agrees with validateID.
func TestValidASCIIID(t *testing.T) {
	for _, s := range []string{"", "a", "A", "a-b", "a--b", "-a", "a-", "aB", "Ab", "AB-cd", "a1", "1a", "a-1", "é", "a_b", "abc-DEF-g9", "x-"} {
		if got, want := validASCIIID(s), validateID(s) == nil; got != want {
			t.Errorf("%q: fast path %v, validateID %v", s, got, want)
		}
	}
}
