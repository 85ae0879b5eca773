package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/manifest"
)

var corpus = shared.CorpusDir() + "/"

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errb := Test()
	code = Main(args, io)
	return code, out.String(), errb.String()
}

func TestInspectText(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	tests := []struct {
		file string
		want []string
	}{
		{"golem-v1.1.0/update-test-v3.wasm", []string{
			"kind:    component",
			"golem:api/save-snapshot@0.2.0 (interface)",
			"save: func() -> list<u8>",
			"golem:api/load-snapshot@0.2.0 (interface)",
			"load: func(bytes: list<u8>) -> result<_, string>",
			"core modules (",
		}},
		{"golem-v1.1.0/update-test-v1.wasm", []string{
			"golem:component/api (interface)",
			"f1: func(speed-ms: u64) -> u64",
		}},
		{"ic/wallet-0.7.0.wasm", []string{
			"kind:    core",
			"size:    932232 bytes",
			"call_new: func(p0: s32, p1: s32, p2: s32, p3: s32, p4: s32, p5: s32, p6: s32, p7: s32)",
			"tables (1):",
			"elements (1):",
			"[0] active table 0 offset 1, 303 functions",
			"memories (1):",
			`[0] min 25 pages exported as "memory"`, // wasm-objdump -x: initial=25
			"custom sections (",
			// wasm-objdump -d: i32.const 56 passed as reply_fun and reject_fun.
			"ic0.call_new reply: table 0 slot 56 -> ",
			"ic0.call_new reject: table 0 slot 56 -> ",
		}},
		{"ic/motoko-call.wasm", []string{`exported as "table"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, errOut := run(t, "inspect", corpus+tt.file)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}

func TestInspectJSON(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	code, out, errOut := run(t, "inspect", "--json", corpus+"ic/wallet-0.7.0.wasm")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc Inspection
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != InspectSchema || doc.Kind != "core" || doc.Size != 932232 || len(doc.SHA256) != 64 {
		t.Errorf("header = %q %q %d %q", doc.Schema, doc.Kind, doc.Size, doc.SHA256)
	}
	if doc.Core == nil || len(doc.Core.Tables) != 1 || len(doc.Core.Elements) != 1 {
		t.Fatalf("core = %+v", doc.Core)
	}
	el := doc.Core.Elements[0]
	if el.Start == nil || *el.Start != 1 || len(el.Functions) != 303 {
		t.Errorf("element 0 = start %v, %d functions", el.Start, len(el.Functions))
	}
	// Every schema field the docs promise is present in the raw document.
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "path", "kind", "size", "sha256", "imports", "exports", "core", "world"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	good, err := os.ReadFile(corpus + "golem-v1.1.0/rust-echo.wasm")
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
		args []string
		want string
	}{
		{"truncated component", []string{"inspect", write("t.wasm", good[:len(good)/2])}, ": offset 0x"},
		{"wrong magic", []string{"inspect", write("m.wasm", []byte("not wasm at all"))}, ": offset 0x0: bad magic number"},
		{"missing", []string{"inspect", filepath.Join(dir, "missing.wasm")}, "no such file or directory"},
		{"no args", []string{"inspect"}, "accepts 1 arg(s), received 0"},
		{"unknown flag", []string{"inspect", "--bogus", "x"}, "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if out != "" {
				t.Errorf("partial output on stdout: %q", out)
			}
			if !strings.HasPrefix(errOut, "wfcompat: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr = %q, want one line containing %q", errOut, tt.want)
			}
		})
	}
}

// FuzzInspectJSON checks that any input either fails to decode or yields an
// inspect document that encodes to valid JSON and decodes back.
func FuzzInspectJSON(f *testing.F) {
	// Small seeds keep the fuzzer fast: the hand-written fixtures (core
	// modules with callbacks, elements, names) and the smallest components.
	seeds, err := filepath.Glob("../../../../testdata/wat/*.wasm")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	seeds = append(seeds, "../../../../analyze/component/testdata/wit/rich.wasm")
	if p := corpus + "golem-v1.1.0/rust-echo.wasm"; fileExists(p) { // third-party, in ../shared
		seeds = append(seeds, p)
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Add([]byte("\x00asm\x0d\x00\x01\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := analyze.Options{Manifests: manifest.Reader{}}.Decode(b)
		if err != nil {
			return
		}
		doc, err := NewInspection(a, nil)
		if err != nil {
			return
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back Inspection
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("unmarshal own output: %v", err)
		}
		if back.Schema != InspectSchema || back.Kind != doc.Kind {
			t.Fatalf("round trip changed header")
		}
		// A core module always shows its externs (what diff compares), and
		// they survive the round trip; other kinds have none.
		if (doc.Kind == string(analyze.KindCore)) != (doc.CoreExterns != nil) {
			t.Fatalf("kind %s with coreExterns %v", doc.Kind, doc.CoreExterns)
		}
		if d := cmp.Diff(doc.CoreExterns, back.CoreExterns); d != "" {
			t.Fatalf("coreExterns round trip (-before +after):\n%s", d)
		}
	})
}

// TestInspectManifest inspects a manifest file, a binary with an embedded
// manifest and a v1 manifest: each says so, and a manifest shows what it
// records of the artifact, callbacks included.
func TestInspectManifest(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	bin := corpus + "ic/wallet-0.7.0.wasm"
	mp, emb := filepath.Join(dir, "w.json"), filepath.Join(dir, "w.wasm")
	if code, _, stderr := run(t, "manifest", "--version-id", "v7", bin, "-o", mp); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "manifest", "--version-id", "v7", "--embed", bin, "-o", emb); code != 0 {
		t.Fatal(stderr)
	}
	inspect := func(path string) *Inspection {
		t.Helper()
		code, out, errOut := run(t, "inspect", "--json", path)
		if code != 0 {
			t.Fatalf("inspect %s: exit %d: %s", path, code, errOut)
		}
		var doc Inspection
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return &doc
	}
	fromBin, fromMan, fromEmb := inspect(bin), inspect(mp), inspect(emb)
	if fromBin.Manifest != nil {
		t.Errorf("a plain binary has a manifest: %+v", fromBin.Manifest)
	}
	want := InspectManifest{Schema: manifest.Schema, VersionID: "v7", Embedded: false, Callbacks: true}
	if fromMan.Manifest == nil || *fromMan.Manifest != want || fromMan.Kind != "core" || fromMan.SHA256 != fromBin.SHA256 ||
		fromMan.Size != fromBin.Size || fromMan.Core != nil {
		t.Errorf("manifest file: %+v %+v", fromMan.Manifest, fromMan)
	}
	if diff := cmp.Diff(fromBin.Callbacks, fromMan.Callbacks, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("callbacks (-binary +manifest):\n%s", diff)
	}
	want.Embedded = true
	if fromEmb.Manifest == nil || *fromEmb.Manifest != want || fromEmb.SHA256 != fromBin.SHA256 || fromEmb.Core == nil {
		t.Errorf("embedded: %+v, sha256 %s", fromEmb.Manifest, fromEmb.SHA256)
	}

	_, text, _ := run(t, "inspect", mp)
	for _, w := range []string{"sha256:  " + fromBin.SHA256 + "\n", "manifest: " + manifest.Schema + ", version id v7 (the input is a manifest",
		"\ncallbacks (2):\n", "ic0.call_new reply: table 0 slot "} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
	_, text, _ = run(t, "inspect", emb)
	if !strings.Contains(text, "manifest: "+manifest.Schema+", version id v7 (embedded, describing this binary)\n") {
		t.Errorf("embedded text:\n%.600s", text)
	}

	// A v1 manifest reads, says it is v1 and that it records no callbacks.
	v1 := "../../../../manifest/testdata/rust-counter.v1.manifest.json"
	code, text, errOut := run(t, "inspect", v1)
	if code != 0 || !strings.Contains(text, "manifest: "+manifest.SchemaV1+", version id ") || !strings.Contains(text, "callbacks: not recorded in the manifest") {
		t.Errorf("v1: exit %d %s\n%s", code, errOut, text)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestInspectMemory64 checks that inspect says which memories are 64-bit
// (memory64), in the text and the JSON report, on the project's wasm64
// fixture and a multi-memory one of 32-bit memories.
func TestInspectMemory64(t *testing.T) {
	for _, tc := range []struct {
		file string
		text []string // lines of the memories list
		is64 []bool   // per memory, in the JSON document
	}{
		{"pin_mem64.wasm", []string{"[0] min 1 pages max 65536, 64-bit (memory64)"}, []bool{true}},
		{"pin_multimem.wasm", []string{"[0] min 1 pages\n", "[1] min 1 pages\n"}, []bool{false, false}},
	} {
		code, out, stderr := run(t, "inspect", wat+tc.file)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.file, code, stderr)
		}
		for _, w := range tc.text {
			if !strings.Contains(out, w) {
				t.Errorf("%s: text lacks %q:\n%s", tc.file, w, out)
			}
		}
		if len(tc.is64) > 0 && !tc.is64[0] && strings.Contains(out, "memory64") {
			t.Errorf("%s: a 32-bit memory called memory64:\n%s", tc.file, out)
		}
		code, out, stderr = run(t, "inspect", "--json", wat+tc.file)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.file, code, stderr)
		}
		var doc Inspection
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		var got []bool
		for _, m := range doc.Core.Memories {
			got = append(got, m.Memory64)
		}
		if d := cmp.Diff(tc.is64, got); d != "" {
			t.Errorf("%s: memory64 per memory (-want +got):\n%s", tc.file, d)
		}
		if tc.is64[0] != strings.Contains(out, `"memory64": true`) {
			t.Errorf("%s: JSON memories: %s", tc.file, out)
		}
	}
}

// TestInspectCoreExternsAsDiff: for pairs where diff finds a memory, table
// or global changed, inspect of each build, and of its manifest, shows
// the import or export exactly as the finding writes it (old and new
// columns), so a user can see what diff compared.
func TestInspectCoreExternsAsDiff(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ old, new, rule string }{
		{"ext_base", "ext_mem64", "CORE_EXPORT_TYPE_CHANGED"},
		{"ext_base", "ext_global_mut", "CORE_EXPORT_TYPE_CHANGED"},
		{"ext_base", "ext_global_i64", "CORE_EXPORT_TYPE_CHANGED"},
		{"ext_base", "ext_table_externref", "CORE_EXPORT_TYPE_CHANGED"},
		{"ext_imp_old", "ext_imp_mut", "CORE_IMPORT_TYPE_CHANGED"},
		{"ext_imp_old", "ext_imp_tightened", ""},
		{"ext_base", "ext_import_global", "CORE_IMPORT_ADDED"},
	} {
		t.Run(tc.old+"/"+tc.new, func(t *testing.T) {
			_, out, stderr := run(t, "diff", "--format", "json", wat+tc.old+".wasm", wat+tc.new+".wasm")
			var rep struct {
				Findings []struct{ Rule, Old, New string }
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("diff: %v %s", err, stderr)
			}
			text := func(name string) (bin, man string) {
				t.Helper()
				code, bin, stderr := run(t, "inspect", wat+name+".wasm")
				if code != 0 {
					t.Fatalf("inspect %s: exit %d: %s", name, code, stderr)
				}
				mp := filepath.Join(dir, name+".json")
				if code, _, stderr := run(t, "manifest", wat+name+".wasm", "-o", mp); code != 0 {
					t.Fatal(stderr)
				}
				code, man, stderr = run(t, "inspect", mp)
				if code != 0 {
					t.Fatalf("inspect %s: exit %d: %s", mp, code, stderr)
				}
				return bin, man
			}
			oldBin, oldMan := text(tc.old)
			newBin, newMan := text(tc.new)
			seen := false
			for _, f := range rep.Findings {
				if !strings.HasPrefix(f.Rule, "CORE_") || (f.Old == "" && f.New == "") {
					continue
				}
				seen = seen || f.Rule == tc.rule
				for _, c := range []struct{ want, bin, man string }{{f.Old, oldBin, oldMan}, {f.New, newBin, newMan}} {
					if c.want == "" {
						continue
					}
					line := "\n    " + c.want + "\n"
					if !strings.Contains(c.bin, line) || !strings.Contains(c.man, line) {
						t.Errorf("%s: inspect of the binary or the manifest lacks %q:\n%s\n%s", f.Rule, c.want, c.bin, c.man)
					}
				}
			}
			if tc.rule != "" && !seen {
				t.Errorf("diff found no %s: %+v", tc.rule, rep.Findings)
			}
		})
	}
}

// TestInspectCoreExterns: the coreExterns record of binaries and of
// manifests with and without it (or its address width), in the JSON and
// the text; and the globals of the core section.
func TestInspectCoreExterns(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	dir := t.TempDir()
	mem64 := filepath.Join(dir, "mem64.json")
	if code, _, stderr := run(t, "manifest", wat+"ext_mem64.wasm", "-o", mem64); code != 0 {
		t.Fatal(stderr)
	}
	u := func(v uint64) *uint64 { return &v }
	mt := "../../../../manifest/testdata/"
	for _, tc := range []struct {
		name, path string
		want       *externs.Set // nil: absent
		text       []string
		notText    []string
	}{
		{"binary with imports", wat + "ext_import_global.wasm", &externs.Set{AddressWidth: 32,
			Imports: []externs.Extern{{Kind: "global", Module: "env", Name: "base", Type: "i32"}},
			Exports: []externs.Extern{
				{Kind: "memory", Name: "memory", Min: u(17), Max: u(256)},
				{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
				{Kind: "global", Name: "g", Type: "i32"},
			}}, []string{
			"globals (2):\n  [0] i32 (imported)\n  [1] i32 exported as \"g\"\n",
			"core externs (memories, tables and globals diff compares; address width 32):\n  imports (1):\n    (import \"env\" \"base\" (global i32))\n  exports (3):\n",
		}, nil},
		{"mutable global", wat + "ext_imp_mut.wasm", nil, []string{"(imported)\n", "(mut i32)"}, nil},
		{"manifest of a 64-bit module", mem64, &externs.Set{AddressWidth: 64, Imports: []externs.Extern{},
			Exports: []externs.Extern{
				{Kind: "memory", Name: "memory", Min: u(17), Max: u(256), Memory64: true},
				{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
				{Kind: "global", Name: "g", Type: "i32"},
			}}, []string{"address width 64):", `(export "memory" (memory i64 17 256))`}, []string{"\nglobals ("}},
		{"manifest without the width", mt + "ext_base.nowidth.manifest.json", &externs.Set{Imports: []externs.Extern{},
			Exports: []externs.Extern{
				{Kind: "memory", Name: "memory", Min: u(17), Max: u(256)},
				{Kind: "table", Name: "table", Type: "funcref", Min: u(10), Max: u(20)},
				{Kind: "global", Name: "g", Type: "i32"},
			}}, []string{"core externs (memories, tables and globals diff compares; address width not recorded):\n"}, nil},
		{"v3 manifest without the record", mt + "cb_forward.noexterns.manifest.json", nil, []string{"\ncore externs: not recorded in the manifest\n"}, []string{"core externs ("}},
		{"v1 manifest", mt + "rust-counter.v1.manifest.json", nil, []string{"\ncore externs: not recorded in the manifest\n"}, []string{"core externs ("}},
		{"component", corpus + "golem-v1.1.0/rust-echo.wasm", nil, nil, []string{"core externs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, "inspect", "--json", tc.path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var doc Inspection
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if tc.want != nil {
				if d := cmp.Diff(tc.want, doc.CoreExterns); d != "" {
					t.Errorf("coreExterns (-want +got):\n%s", d)
				}
			} else if strings.Contains(tc.name, "manifest") || tc.name == "component" {
				if strings.Contains(out, `"coreExterns"`) {
					t.Errorf("coreExterns present:\n%.1500s", out)
				}
			}
			if tc.want != nil && tc.want.AddressWidth == 0 && strings.Contains(out, "address_width") {
				t.Errorf("an unrecorded width is shown:\n%.1500s", out)
			}
			_, text, _ := run(t, "inspect", tc.path)
			for _, w := range tc.text {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tc.notText {
				if strings.Contains(text, w) {
					t.Errorf("text has %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestInspectTextNoTrailingSpace: the text form's lines end in what they
// say (a memory, table or global export has no type on its line: it was
// printed with a trailing space).
func TestInspectTextNoTrailingSpace(t *testing.T) {
	code, out, stderr := run(t, "inspect", filepath.Join("..", "..", "..", "..", "testdata", "wat", "ext_base.wasm"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "\n  memory memory\n") {
		t.Errorf("no line for the exported memory:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d ends with a space: %q", i+1, line)
		}
	}
}
