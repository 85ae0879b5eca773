package analyze_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/manifest"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    analyze.Kind
		wantErr string
	}{
		{"core", []byte("\x00asm\x01\x00\x00\x00"), analyze.KindCore, ""},
		{"component", []byte("\x00asm\x0d\x00\x01\x00"), analyze.KindComponent, ""},
		{"empty", nil, "", "offset 0x0: truncated preamble: need 8 bytes, file has 0"},
		{"truncated magic", []byte("\x00as"), "", "offset 0x3: truncated preamble: need 8 bytes, file has 3"},
		{"truncated version", []byte("\x00asm\x01\x00"), "", "offset 0x6: truncated preamble: need 8 bytes, file has 6"},
		{"wrong magic", []byte("\x7fELF\x02\x01\x01\x00"), "", "offset 0x0: bad magic number, not a WebAssembly binary: 7f 45 4c 46"},
		{"text", []byte("package a:b;"), "", "offset 0x0: bad magic number, not a WebAssembly binary: 70 61 63 6b"},
		{"wrong version", []byte("\x00asm\x02\x00\x00\x00"), "", "offset 0x4: unknown WebAssembly version/layer (want 01 00 00 00 for a core module, 0d 00 01 00 for a component): 02 00 00 00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := analyze.Sniff(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("analyze.Sniff() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("analyze.Sniff() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestOpenCorpus opens every binary of the real-world corpus: each must
// decode, with a world, and be of the kind its directory says.
func TestOpenCorpus(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	files, err := filepath.Glob(shared.CorpusDir() + "/*/*.wasm")
	if err != nil || len(files) < 30 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			a, err := analyze.Open(f, analyze.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := analyze.KindComponent
			if strings.Contains(f, "/ic/") {
				want = analyze.KindCore
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
	shared.Need(t, shared.CorpusDir())
	v3, err := analyze.Open(shared.CorpusDir()+"/golem-v1.1.0/update-test-v3.wasm", analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"golem:api/save-snapshot@0.2.0", "golem:api/load-snapshot@0.2.0"} {
		if v3.World.Lookup(name, false) == nil {
			t.Errorf("update-test-v3 does not export %s", name)
		}
	}
	wallet, err := analyze.Open(shared.CorpusDir()+"/ic/wallet-0.7.0.wasm", analyze.Options{})
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
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	wallet, err := os.ReadFile(shared.CorpusDir() + "/ic/motoko-counter.wasm")
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
			_, err := analyze.Open(tt.path, analyze.Options{})
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

// TestOpenManifest opens a manifest file, a binary with an embedded
// manifest, and broken ones.
func TestOpenManifest(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	mopts := analyze.Options{Manifests: manifest.Reader{}}
	src := shared.CorpusDir() + "/ic/wallet-0.7.0.wasm"
	bin, err := analyze.Open(src, mopts)
	if err != nil {
		t.Fatal(err)
	}
	if bin.Manifest != nil || bin.FromManifest() {
		t.Fatal("a plain binary has a manifest")
	}
	an, err := callbacks.Analyze(bin.Core, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Build(manifest.Input{Kind: string(bin.Kind), Bytes: bin.Bytes, World: bin.World, Callbacks: an})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := manifest.Encode(m)
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

	// A manifest file stands for its artifact.
	mp := write("wallet.manifest.json", enc)
	a, err := analyze.Open(mp, mopts)
	if err != nil {
		t.Fatal(err)
	}
	if !a.FromManifest() || a.Embedded || a.Bytes != nil || a.Core != nil || a.Path != mp ||
		a.Kind != analyze.KindCore || a.SHA256 != bin.SHA256 || a.Size != bin.Size || manifest.Of(a).Callbacks == nil {
		t.Errorf("manifest file opened as %+v", a)
	}
	if diff := cmp.Diff(bin.World, a.World); diff != "" {
		t.Errorf("world (-binary +manifest):\n%s", diff)
	}
	if _, err := analyze.Open(mp, analyze.Options{Manifests: manifest.Reader{}, World: "core"}); err != nil {
		t.Errorf("--world naming the manifest's world: %v", err)
	}
	if _, err := analyze.Open(mp, analyze.Options{Manifests: manifest.Reader{}, World: "other"}); err == nil || !strings.Contains(err.Error(), `describes world "core", not "other"`) {
		t.Errorf("--world naming another world: %v", err)
	}

	// An embedded manifest keeps the build's identity.
	emb, err := manifest.Embed(bin.Bytes, m)
	if err != nil {
		t.Fatal(err)
	}
	ep := write("embedded.wasm", emb)
	a, err = analyze.Open(ep, mopts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Manifest == nil || !a.Embedded || a.FromManifest() || a.SHA256 != bin.SHA256 || a.Size != int64(len(emb)) || a.Core == nil {
		t.Errorf("embedded: manifest %v, embedded %v, sha256 %s (want %s), size %d", a.Manifest != nil, a.Embedded, a.SHA256, bin.SHA256, a.Size)
	}

	// Broken inputs are one line with the file and the offset.
	stale := append(append(append([]byte{}, bin.Bytes...), 0, 3, 1, 'x', 0), emb[len(bin.Bytes):]...)
	bad := strings.Replace(string(enc), `"kind": "core"`, `"kind": "elf"`, 1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"stale embedded", stale, fmt.Sprintf(": offset 0x%x: wfcompat:manifest section: the manifest describes sha256 %s, but the binary without it is ", len(bin.Bytes)+5, bin.SHA256)},
		{"malformed manifest", []byte(bad), fmt.Sprintf(`: offset 0x%x (line 5, column 13): /artifact/kind: "elf" is not one of`, strings.Index(bad, `"elf"`))},
		{"broken JSON", []byte("{\"schema\": \"wfcompat.manifest/v2\",\n  oops"), ": offset 0x25 (line 2, column 3): invalid JSON"},
		{"other JSON", []byte(`{"workflows": {}}`), `: offset 0x0 (line 1, column 1): not a wfcompat manifest`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tc.name, " ", "-"), tc.data)
			_, err := analyze.Open(p, mopts)
			var ae *analyze.Error
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), p+tc.want) {
				t.Errorf("error %v\nwant %s%s…", err, p, tc.want)
			}
			if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// TestOpenWithoutManifestReader: without Options.Manifests a manifest file
// is refused and an embedded manifest is not read, but the digest still
// leaves its section out.
func TestOpenWithoutManifestReader(t *testing.T) {
	bin, err := analyze.Open(shared.Corpus(t, "ic/motoko-counter.wasm"), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Build(manifest.Input{Kind: string(bin.Kind), Bytes: bin.Bytes, World: bin.World})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := manifest.Embed(bin.Bytes, m)
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Decode(emb)
	if err != nil {
		t.Fatal(err)
	}
	if a.Manifest != nil || a.SHA256 != bin.SHA256 {
		t.Errorf("embedded without a reader: manifest %v, sha256 %s, want %s", a.Manifest, a.SHA256, bin.SHA256)
	}
	enc, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(p, enc, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := analyze.Open(p, analyze.Options{}); err == nil || !strings.Contains(err.Error(), "a JSON document") {
		t.Errorf("manifest file without a reader: %v", err)
	}
}

// TestOpenErrorNamesFileOnce: a WIT error already at file:line:column is
// not prefixed with the input's path again, for a file or a directory.
func TestOpenErrorNamesFileOnce(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.wit")
	if err := os.WriteFile(p, []byte("package a:b;\ninterface i {\n  f: func(x: u32 -> string;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{p, dir} {
		_, err := analyze.Open(in, analyze.Options{})
		if err == nil {
			t.Fatalf("%s: no error", in)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, p+":3:") || strings.Count(msg, p) != 1 {
			t.Errorf("%s: error %q, want it to start with %s:3: and name the file once", in, msg, p)
		}
	}
}
