package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Kind
		wantErr string
	}{
		{"core", []byte("\x00asm\x01\x00\x00\x00"), KindCore, ""},
		{"component", []byte("\x00asm\x0d\x00\x01\x00"), KindComponent, ""},
		{"empty", nil, "", "offset 0x0: truncated preamble: need 8 bytes, file has 0"},
		{"truncated magic", []byte("\x00as"), "", "offset 0x3: truncated preamble: need 8 bytes, file has 3"},
		{"truncated version", []byte("\x00asm\x01\x00"), "", "offset 0x6: truncated preamble: need 8 bytes, file has 6"},
		{"wrong magic", []byte("\x7fELF\x02\x01\x01\x00"), "", "offset 0x0: bad magic number, not a WebAssembly binary: 7f 45 4c 46"},
		{"text", []byte("package a:b;"), "", "offset 0x0: bad magic number, not a WebAssembly binary: 70 61 63 6b"},
		{"wrong version", []byte("\x00asm\x02\x00\x00\x00"), "", "offset 0x4: unknown WebAssembly version/layer (want 01 00 00 00 for a core module, 0d 00 01 00 for a component): 02 00 00 00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sniff(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Sniff() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Sniff() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestOpenCorpus opens every binary of the real-world corpus: each must
// decode, with a world, and be of the kind its directory says.
func TestOpenCorpus(t *testing.T) {
	files, err := filepath.Glob("../testdata/corpus/*/*.wasm")
	if err != nil || len(files) < 30 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			a, err := Open(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := KindComponent
			if strings.Contains(f, "/ic/") {
				want = KindCore
			}
			if a.Kind != want {
				t.Errorf("kind = %s, want %s", a.Kind, want)
			}
			if a.World == nil || len(a.World.Exports) == 0 {
				t.Errorf("no exports in world")
			}
			if len(a.SHA256) != 64 {
				t.Errorf("sha256 = %q", a.SHA256)
			}
		})
	}
}

func TestOpenKnownFacts(t *testing.T) {
	v3, err := Open("../testdata/corpus/golem-v1.1.0/update-test-v3.wasm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"golem:api/save-snapshot@0.2.0", "golem:api/load-snapshot@0.2.0"} {
		if v3.World.Lookup(name, false) == nil {
			t.Errorf("update-test-v3 does not export %s", name)
		}
	}
	wallet, err := Open("../testdata/corpus/ic/wallet-0.7.0.wasm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ic0 := wallet.World.Lookup("ic0", true)
	if ic0 == nil || ic0.Interface.Function("call_new") == nil {
		t.Fatalf("wallet-0.7.0 does not import ic0.call_new")
	}
	if got := ic0.Interface.Function("call_new").WIT(); got != "call_new: func(p0: s32, p1: s32, p2: s32, p3: s32, p4: s32, p5: s32, p6: s32, p7: s32)" {
		t.Errorf("call_new = %s", got)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	wallet, err := os.ReadFile("../testdata/corpus/ic/motoko-counter.wasm")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		want string // prefix of the error after the path
	}{
		{"missing", filepath.Join(dir, "nope.wasm"), "stat: no such file or directory"},
		{"wrong magic", write("elf.wasm", []byte("\x7fELF\x02\x01\x01\x00")), "offset 0x0: bad magic number"},
		{"truncated", write("trunc.wasm", wallet[:1000]), "offset 0x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			want := tt.path + ": " + tt.want
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error = %q, want prefix %q", err, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
