package manifest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/tetratelabs/wazero"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/wasmbin"
	"github.com/wfcompat/wfcompat/manifest"
)

var update = flag.Bool("update", false, "rewrite docs/manifest.schema.json and golden files")

const docsSchema = "../docs/manifest.schema.json"

// TestPublishedSchema keeps docs/manifest.schema.json identical to the
// schema Read validates against.
func TestPublishedSchema(t *testing.T) {
	if *update {
		if err := os.WriteFile(docsSchema, manifest.SchemaJSON, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(docsSchema)
	if err != nil {
		t.Fatalf("%v (go test ./manifest -update writes it)", err)
	}
	if !bytes.Equal(b, manifest.SchemaJSON) {
		t.Errorf("%s differs from manifest/schema.json; run go test ./manifest -update", docsSchema)
	}
	if _, err := compileDoc(b); err != nil {
		t.Fatal(err)
	}
}

// compileDoc compiles a published schema with the JSON Schema library,
// independently of the manifest package.
func compileDoc(b []byte) (*jsonschema.Schema, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", v); err != nil {
		return nil, err
	}
	return c.Compile("schema.json")
}

func corpus(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(shared.CorpusDir() + "/*/*.wasm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	return files
}

// build opens a corpus file as the CLI does and builds its manifest.
func build(t testing.TB, path string) (*manifest.Manifest, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	in := manifest.Input{Kind: string(a.Kind), Bytes: b, World: a.World}
	if a.Core != nil {
		cb, err := callbacks.Analyze(a.Core, nil)
		if err != nil {
			t.Fatal(err)
		}
		in.Callbacks = cb
	}
	m, err := manifest.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return m, b
}

func TestCorpus(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	schema, err := compileDoc(manifest.SchemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	rt := wazero.NewRuntime(context.Background())
	defer rt.Close(context.Background())
	for _, path := range corpus(t) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			m, wasm := build(t, path)
			enc, err := manifest.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			// The output conforms to the published schema.
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(enc))
			if err != nil {
				t.Fatal(err)
			}
			if verr := schema.Validate(v); verr != nil {
				t.Fatalf("manifest does not match its schema: %v", verr)
			}
			// It reads back to itself.
			back, err := manifest.Read(enc)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff(m, back); diff != "" {
				t.Fatalf("read back (-built +read):\n%s", diff)
			}
			if m.VersionID != manifest.DefaultVersionID(m.Artifact.SHA256) || m.Artifact.Size != int64(len(wasm)) {
				t.Errorf("identity: %+v %s", m.Artifact, m.VersionID)
			}
			if (m.Callbacks != nil) != (m.Artifact.Kind == manifest.KindCore) {
				t.Errorf("callbacks %v for kind %s", m.Callbacks != nil, m.Artifact.Kind)
			}

			// Embedding appends one section and keeps every other byte.
			out, err := manifest.Embed(wasm, m)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out[:len(wasm)], wasm) {
				t.Fatal("Embed changed the original bytes")
			}
			got, ok, err := manifest.Extract(out)
			if err != nil || !ok {
				t.Fatalf("Extract = %v, %v", ok, err)
			}
			if diff := cmp.Diff(m, got); diff != "" {
				t.Fatalf("extracted (-embedded +extracted):\n%s", diff)
			}
			if stripped, err := manifest.Strip(out); err != nil || !bytes.Equal(stripped, wasm) {
				t.Fatalf("Strip did not give back the original (%v)", err)
			}
			again, err := manifest.Embed(out, m)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("embedding twice is not idempotent (%v)", err)
			}
			// The result still decodes to the same world, and a manifest
			// built from it is the same manifest.
			a, err := analyze.Decode(out)
			if err != nil {
				t.Fatalf("embedded binary does not decode: %v", err)
			}
			if diff := cmp.Diff(m.World, a.World); diff != "" {
				t.Fatalf("world changed by embedding:\n%s", diff)
			}
			if m.Artifact.Kind == manifest.KindCore {
				if _, err := rt.CompileModule(context.Background(), out); err != nil && !strings.Contains(err.Error(), "feature") {
					// wazero validates; modules using features it lacks
					// fail the same way without the section.
					if _, err0 := rt.CompileModule(context.Background(), wasm); err0 == nil {
						t.Fatalf("wazero accepts the original but not the embedded module: %v", err)
					}
				}
			}
			// Without a section there is nothing to extract.
			if _, ok, err := manifest.Extract(wasm); ok || err != nil {
				t.Fatalf("Extract of the original = %v, %v", ok, err)
			}
		})
	}
}

func TestSnapshotAndProducers(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, tc := range []struct {
		file       string
		save, load []string
	}{
		{"golem-v1.1.0/update-test-v1.wasm", []string{}, []string{}},
		{"golem-v1.1.0/update-test-v2.wasm", []string{"0.2.0"}, []string{}},
		{"golem-v1.1.0/update-test-v4.wasm", []string{}, []string{"0.2.0"}},
	} {
		m, _ := build(t, shared.CorpusDir()+"/"+tc.file)
		if diff := cmp.Diff(manifest.Snapshot{Save: tc.save, Load: tc.load}, m.Snapshot); diff != "" {
			t.Errorf("%s snapshot (-want +got):\n%s", tc.file, diff)
		}
		if len(m.Producers) == 0 {
			t.Errorf("%s: no producers", tc.file)
		}
	}
	m, _ := build(t, shared.CorpusDir()+"/golem-v1.1.0/update-test-v3.wasm")
	if len(m.Snapshot.Save) != 1 || len(m.Snapshot.Load) != 1 {
		t.Errorf("update-test-v3 snapshot = %+v", m.Snapshot)
	}
	hasLang := false
	for _, p := range m.Producers {
		if p.Field == "language" && p.Name == "Rust" {
			hasLang = true
		}
	}
	if !hasLang {
		t.Errorf("update-test-v3 producers lack language Rust: %+v", m.Producers)
	}
	w, _ := build(t, shared.CorpusDir()+"/ic/wallet-0.7.0.wasm")
	if w.Callbacks == nil || len(w.Callbacks.Callbacks) == 0 {
		t.Errorf("wallet has no callbacks: %+v", w.Callbacks)
	}
}

func TestBuildVersionID(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	b, _ := os.ReadFile(shared.CorpusDir() + "/ic/rust-counter.wasm")
	a, err := analyze.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Build(manifest.Input{Kind: "core", Bytes: b, World: a.World, VersionID: "counter-v7"})
	if err != nil || m.VersionID != "counter-v7" {
		t.Fatalf("Build = %+v, %v", m, err)
	}
	if _, err := manifest.Build(manifest.Input{Kind: "core", Bytes: b, World: a.World, VersionID: "bad\nid"}); err == nil {
		t.Error("Build accepted a version id with a newline")
	}
	if _, err := manifest.Build(manifest.Input{Kind: "elf", Bytes: b, World: a.World}); err == nil {
		t.Error("Build accepted an unknown kind")
	}
}

func TestGolden(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, tc := range []struct{ in, golden string }{
		{shared.CorpusDir() + "/ic/rust-counter.wasm", "testdata/rust-counter.manifest.json"},
		// A small module with a forwarder and env arguments: a v2 seed the
		// fuzzers can mutate quickly.
		{"../testdata/wat/cb_forward.wasm", "testdata/cb_forward.manifest.json"},
		// A core module exporting a memory, a table and a global: a seed
		// with core_externs.
		{"../testdata/wat/ext_base.wasm", "testdata/ext_base.manifest.json"},
	} {
		m, _ := build(t, tc.in)
		enc, err := manifest.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(tc.golden, enc, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(tc.golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if diff := cmp.Diff(string(want), string(enc)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.golden, diff)
		}
	}
}

func TestReadErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/rust-counter.manifest.json")
	if err != nil {
		t.Skip("golden manifest missing; run TestGolden with -update")
	}
	replace := func(old, new string) string {
		s := string(good)
		if !strings.Contains(s, old) {
			t.Fatalf("golden manifest lacks %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "offset 0x0 (line 1, column 1): invalid JSON: unexpected end of input"},
		{"not object", "[1]", "offset 0x0 (line 1, column 1): not a wfcompat manifest: not a JSON object"},
		{"no schema", `{"a":1}`, `offset 0x0 (line 1, column 1): not a wfcompat manifest: no "schema": "wfcompat.manifest/v3"`},
		{"future schema", `{"schema":"wfcompat.manifest/v9"}`, `offset 0xa (line 1, column 11): unsupported manifest schema "wfcompat.manifest/v9"; this wfcompat reads "wfcompat.manifest/v3", "wfcompat.manifest/v2" and "wfcompat.manifest/v1"`},
		{"syntax", "{\n  \"schema\": \"wfcompat.manifest/v1\",\n  x\n}", "offset 0x28 (line 3, column 3): invalid JSON: invalid character 'x' looking for beginning of object key string"},
		{"duplicate", `{"schema":"wfcompat.manifest/v1","schema":"x"}`, `offset 0x21 (line 1, column 34): duplicate key "schema"`},
		{"trailing", string(good) + "x", "invalid JSON: data after the top-level value"},
		{"missing field", replace(`"wit": `, `"wot": `), `offset 0x0 (line 1, column 1): missing required property "wit"`},
		{"unknown field", replace(`"wit": `, `"wot": 1, "wit": `), `: unknown property "wot"`},
		// Found by the bad-input QA: the offset was the object's.
		{"unknown field at its key", replace(`"wit": `, `"wot": 1, "wit": `), `offset 0xc02 (line 134, column 3): unknown property "wot"`},
		{"bad kind", replace(`"kind": "function"`, `"kind": "fn"`), `kind: "fn" is not one of "interface", "function", "type"`},
		{"bad type kind", replace(`"kind": "s32"`, `"kind": "u65"`), `/type/kind: "u65" is not one of`},
		{"bad digest", replace(`"sha256": "`, `"sha256": "X`), `/artifact/sha256: sha256 "X`},
		{"item without member", replace(`"kind": "interface",`, `"kind": "function",`), `needs exactly its "function" member`},
		{"size type", replace(`"size": `, `"size": "big", "x": `), `/artifact/size: want integer, got string`},
		{"float size", replace(`"size": `, `"size": 1.5, "y":`), `/artifact/size: want integer, got number`},
		{"huge exponent", replace(`"size": 503224`, `"size": 1e400`), `artifact.size: value number 1e400 out of range`},
		// Found by the bad-input QA: such manifests were read, the bytes
		// turned into U+FFFD.
		{"invalid UTF-8 in a string", replace(`"wit": "`, `"wit": "`+"\xff\xfe"), `: invalid UTF-8 (a manifest is UTF-8 JSON text)`},
		{"invalid UTF-8 at the start", "\xc3\x28" + string(good), `offset 0x0 (line 1, column 1): invalid UTF-8 (a manifest is UTF-8 JSON text)`},
		{"truncated UTF-8 at the end", string(good) + "\xe2\x82", `: invalid UTF-8 (a manifest is UTF-8 JSON text)`},
		{"huge size", replace(`"size": 503224`, `"size": 99999999999999999999`), `(line 7, column 13): artifact.size: value number 99999999999999999999 out of range`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := manifest.Read([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var me *manifest.Error
			if !errors.As(err, &me) {
				t.Errorf("error %T is not *manifest.Error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n got %s\nwant …%s…", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error is not one line")
			}
			if me != nil && me.Offset >= 0 && !strings.HasPrefix(err.Error(), "offset 0x") {
				t.Errorf("error does not start with the offset: %s", err)
			}
		})
	}
}

func uleb(v uint32) []byte {
	var b []byte
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// TestReadV1 reads a wfcompat.manifest/v1 manifest: it is upgraded, with
// no callback analysis (v1 recorded only a summary).
func TestReadV1(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	b := readFile(t, "testdata/rust-counter.v1.manifest.json")
	m, err := manifest.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Schema != manifest.Schema || m.Legacy != manifest.SchemaV1 || m.Callbacks != nil {
		t.Errorf("schema %q, legacy %q, callbacks %v", m.Schema, m.Legacy, m.Callbacks != nil)
	}
	cur, _ := build(t, shared.CorpusDir()+"/ic/rust-counter.wasm")
	if diff := cmp.Diff(cur.World, m.World); diff != "" || m.Artifact != cur.Artifact || m.VersionID != cur.VersionID {
		t.Errorf("v1 manifest differs from the current one beyond callbacks:\n%s", diff)
	}
	// The upgraded manifest encodes as v2 and reads back.
	enc, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := manifest.Read(enc); err != nil || back.Legacy != "" || back.Callbacks != nil {
		t.Errorf("re-reading the upgraded manifest: %v", err)
	}
	// v1 is validated against v1's schema: v2's callbacks are unknown there.
	v2cb := strings.Replace(string(b), `"callbacks": {`, `"callbacks": {"profiles": [], `, 1)
	if _, err := manifest.Read([]byte(v2cb)); err == nil || !strings.Contains(err.Error(), `unknown property "profiles"`) {
		t.Errorf("v1 with v2 callbacks: %v", err)
	}
}

// TestReadCallbackErrors: what the schema cannot say about the callback
// analysis is checked too.
func TestReadCallbackErrors(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	m, _ := build(t, shared.CorpusDir()+"/ic/wallet-0.7.0.wasm")
	for _, tc := range []struct {
		name   string
		change func(m *manifest.Manifest)
		want   string
	}{
		{"too many entries", func(m *manifest.Manifest) { m.Callbacks.Tables[0].Min = 3 }, "/callbacks/tables/0/entries: 304 entries for a table of 3 slots"},
		{"bad entry", func(m *manifest.Manifest) { m.Callbacks.Tables[0].Entries[7] = -3 }, "/callbacks/tables/0/entries/7: entry -3 is neither"},
		{"names out of order", func(m *manifest.Manifest) {
			m.Callbacks.Tables[0].EntryNames = []manifest.FuncName{{Func: 2, Name: "b"}, {Func: 1, Name: "a"}}
		}, "/callbacks/tables/0/entry_names/1: entry_names must be ordered"},
		{"bad profile", func(m *manifest.Manifest) { m.Callbacks.Profiles[0].Args[0].Env = -2 }, "/callbacks/profiles/0/args/0: a callback argument needs"},
		{"component with callbacks", func(m *manifest.Manifest) { m.Artifact.Kind = manifest.KindComponent }, "/callbacks: a component has no callback analysis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := manifest.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			c, err := manifest.Read(enc)
			if err != nil {
				t.Fatal(err)
			}
			tc.change(c)
			if enc, err = manifest.Encode(c); err != nil {
				t.Fatal(err)
			}
			_, err = manifest.Read(enc)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "offset 0x") {
				t.Errorf("error %v, want …%s…", err, tc.want)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	m, wasm := build(t, shared.CorpusDir()+"/ic/rust-counter.wasm")
	out, err := manifest.Embed(wasm, m)
	if err != nil {
		t.Fatal(err)
	}
	// Changing the binary after embedding makes the manifest stale.
	changed := append([]byte{}, wasm...)
	changed = append(changed, 0, 3, 1, 'x', 0) // a custom section "x"
	stale := append(changed, out[len(wasm):]...)
	_, ok, err := manifest.Extract(stale)
	var se *manifest.StaleError
	if !ok || !errors.As(err, &se) || !strings.HasPrefix(err.Error(), fmt.Sprintf("offset 0x%x: wfcompat:manifest section: the manifest describes sha256 ", len(changed))) {
		t.Errorf("Extract of a changed binary = %v, %v; want a StaleError", ok, err)
	}
	// Two sections.
	two := append(append([]byte{}, out...), out[len(wasm):]...)
	if _, _, err := manifest.Extract(two); err == nil || err.Error() != fmt.Sprintf("offset 0x%x: wfcompat:manifest section: 2 wfcompat:manifest sections; there must be at most one", len(out)) {
		t.Errorf("Extract of two sections: %v", err)
	}
	// A section that is not a manifest: the offset is the file's.
	junk := append(append([]byte{}, wasm...), 0, 19, 17)
	junk = append(junk, "wfcompat:manifest{"...)
	var ee *manifest.EmbedError
	if _, ok, err := manifest.Extract(junk); !ok || !errors.As(err, &ee) ||
		err.Error() != fmt.Sprintf("offset 0x%x: wfcompat:manifest section: invalid JSON: unexpected end of input", len(junk)) {
		t.Errorf("Extract of junk = %v, %v", ok, err)
	}
	// A malformed manifest: the offset is that of the offending value.
	bad := *m
	bad.Artifact.Kind = "elf"
	data, _ := json.Marshal(&bad)
	sec := append([]byte{0}, uleb(uint32(len(data)+18))...)
	sec = append(append(sec, 17), "wfcompat:manifest"...)
	malformed := append(append(append([]byte{}, wasm...), sec...), data...)
	at := len(wasm) + len(sec) + strings.Index(string(data), `"elf"`)
	if _, _, err := manifest.Extract(malformed); err == nil ||
		err.Error() != fmt.Sprintf(`offset 0x%x: wfcompat:manifest section: /artifact/kind: "elf" is not one of "core", "component", "wit"`, at) {
		t.Errorf("Extract of a malformed manifest: %v", err)
	}
	// Bad framing.
	var fe *wasmbin.FormatError
	if _, _, err := manifest.Extract(append(append([]byte{}, wasm...), 0, 0x80)); !errors.As(err, &fe) {
		t.Errorf("Extract of truncated framing: %v", err)
	}
	if _, err := manifest.Embed([]byte("hello world"), m); err == nil {
		t.Error("Embed accepted a non-Wasm file")
	}
	other, _ := build(t, shared.CorpusDir()+"/ic/motoko-counter.wasm")
	if _, err := manifest.Embed(wasm, other); err == nil || !strings.Contains(err.Error(), "manifest describes sha256") {
		t.Errorf("Embed of another artifact's manifest: %v", err)
	}
}
