package manifest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/manifest"
)

// TestCoreExternsRoundTrip: the memories, tables and globals of a core
// module come back from its manifest as analyze found them in the binary,
// and analyze.Open gives them for the manifest file as for the binary.
func TestCoreExternsRoundTrip(t *testing.T) {
	// ic0sig_ok64 defines a memory64 memory it does not export: only
	// address_width says the module is a 64-bit one.
	for _, name := range []string{"ext_base", "ext_import_mem", "ext_imp_old", "ext_mem64", "ext_global_mut", "ext_table_externref", "cb_forward", "ic0sig_ok64", "ic0sig_ok32"} {
		t.Run(name, func(t *testing.T) {
			path := "../testdata/wat/" + name + ".wasm"
			m, wasm := build(t, path)
			bin, err := analyze.Decode(wasm)
			if err != nil {
				t.Fatal(err)
			}
			enc, err := manifest.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			file := t.TempDir() + "/m.json"
			if err := os.WriteFile(file, enc, 0o644); err != nil {
				t.Fatal(err)
			}
			a, err := analyze.Open(file, analyze.Options{Manifests: manifest.Reader{}})
			if err != nil {
				t.Fatal(err)
			}
			if a.CoreExterns == nil {
				t.Fatal("the manifest's artifact has no memories, tables and globals")
			}
			if diff := cmp.Diff(bin.CoreExterns, a.CoreExterns); diff != "" {
				t.Errorf("manifest and binary disagree (-binary +manifest):\n%s", diff)
			}
			if w := compat.RecordedWidth(a.CoreExterns); w == compat.WidthUnknown || w != compat.CoreWidth(bin.Core) {
				t.Errorf("recorded address width %d, the binary's is %d", w, compat.CoreWidth(bin.Core))
			}
		})
	}
	// The record is made from the bytes when the input does not give it,
	// and taken as given when it does.
	b, err := os.ReadFile("../testdata/wat/ext_base.wasm")
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	given := &externs.Set{Imports: []externs.Extern{}, Exports: a.CoreExterns.Exports[:1]}
	m, err := manifest.Build(manifest.Input{Kind: "core", Bytes: b, World: a.World, CoreExterns: given})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(given, m.CoreExterns); diff != "" {
		t.Errorf("given record not kept (-given +manifest):\n%s", diff)
	}
}

// TestCoreExternsUnrecorded: a manifest that does not record memories,
// tables and globals (v1, v2, or a v3 manifest written before the
// record) gives none, which leaves the checks unproven, never an empty
// record, which would say there are none.
func TestCoreExternsUnrecorded(t *testing.T) {
	for _, file := range []string{"testdata/cb_forward.v2.manifest.json", "testdata/cb_forward.noexterns.manifest.json", "testdata/rust-counter.v1.manifest.json"} {
		a, err := analyze.Open(file, analyze.Options{Manifests: manifest.Reader{}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != analyze.KindCore || a.CoreExterns != nil {
			t.Errorf("%s: kind %s, memories, tables and globals %+v; want core, none", file, a.Kind, a.CoreExterns)
		}
	}
	for _, file := range []string{"testdata/cb_forward.manifest.json", "testdata/ext_base.manifest.json", "testdata/ext_base.nowidth.manifest.json"} {
		a, err := analyze.Open(file, analyze.Options{Manifests: manifest.Reader{}})
		if err != nil {
			t.Fatal(err)
		}
		if a.CoreExterns == nil {
			t.Errorf("%s: no memories, tables and globals", file)
		}
	}
}

// TestAddressWidthUnrecorded: a v3 manifest written before
// core_externs.address_width reads with the width unknown, never 32, and
// is re-encoded without one.
func TestAddressWidthUnrecorded(t *testing.T) {
	b := readFile(t, "testdata/ext_base.nowidth.manifest.json")
	if strings.Contains(string(b), "address_width") {
		t.Fatal("the fixture records an address width")
	}
	m, err := manifest.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.CoreExterns == nil || m.CoreExterns.AddressWidth != 0 || compat.RecordedWidth(m.RecordedCoreExterns()) != compat.WidthUnknown {
		t.Errorf("core_externs %+v: want a record without a width", m.CoreExterns)
	}
	enc, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(enc) != string(b) {
		t.Error("re-encoding a manifest without the width changed it")
	}
	// The same manifest made now records the width, and nothing else
	// differs.
	now := readFile(t, "testdata/ext_base.manifest.json")
	if got := strings.Replace(string(now), "    \"address_width\": 32,\n", "", 1); got != string(b) {
		t.Error("testdata/ext_base.manifest.json differs from the fixture without the width by more than address_width")
	}
}

// TestReadCoreExternsErrors: what core_externs must hold, with the
// offset of the offending value.
func TestReadCoreExternsErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/ext_base.manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) string {
		s := string(good)
		if !strings.Contains(s, old) {
			t.Fatalf("golden manifest lacks %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	for _, tc := range []struct{ name, in, want string }{
		{"unknown kind", replace(`"kind": "memory"`, `"kind": "tag"`), `/core_externs/exports/0/kind: "tag" is not one of "memory", "table", "global"`},
		{"unknown type", replace(`"type": "i32"`, `"type": "i31"`), `/core_externs/exports/2/type: "i31" is not one of`},
		{"unknown field", replace(`"min": 17`, `"min": 17, "initial": 1`), `unknown property "initial"`},
		{"memory without min", replace(`"min": 17,`, ``), `/core_externs/exports/0: a memory needs min`},
		{"max below min", replace(`"max": 256`, `"max": 16`), `/core_externs/exports/0: max 16 is below min 17`},
		{"negative min", replace(`"min": 17`, `"min": -1`), `value number -1 out of range`},
		{"memory with a type", replace(`"min": 17`, `"type": "i32", "min": 17`), `/core_externs/exports/0: a memory has no type`},
		{"table of i32", replace(`"type": "funcref"`, `"type": "i32"`), `/core_externs/exports/1: table element type "i32" is not funcref or externref`},
		{"global without type", replace(`"type": "i32"`, `"mutable": true`), `/core_externs/exports/2: a global needs type`},
		{"global with limits", replace(`"type": "i32"`, `"type": "i32", "min": 1`), `/core_externs/exports/2: a global has no limits`},
		{"export with module", replace(`"name": "memory"`, `"module": "env", "name": "memory"`), `/core_externs/exports/0: an export has no module`},
		{"no imports list", replace(`"imports": [],`, ``), `missing required property "imports"`},
		{"width 48", replace(`"address_width": 32`, `"address_width": 48`), `/core_externs/address_width: 48 is not one of 32, 64`},
		{"width 0", replace(`"address_width": 32`, `"address_width": 0`), `/core_externs/address_width: 0 is not one of 32, 64`},
		{"width 0.0", replace(`"address_width": 32`, `"address_width": 0.0`), `/core_externs/address_width: 0.0 is not one of 32, 64`},
		{"negative width", replace(`"address_width": 32`, `"address_width": -64`), `/core_externs/address_width: -64 is not one of 32, 64`},
		{"width as a string", replace(`"address_width": 32`, `"address_width": "64"`), `/core_externs/address_width: want integer, got string`},
		{"fractional width", replace(`"address_width": 32`, `"address_width": 32.5`), `/core_externs/address_width: want integer`},
		{"huge width", replace(`"address_width": 32`, `"address_width": 18446744073709551616`), `/core_externs/address_width: 18446744073709551616 is not one of 32, 64`},
		{"width as a boolean", replace(`"address_width": 32`, `"address_width": true`), `/core_externs/address_width: want integer, got boolean`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := manifest.Read([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "offset 0x") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error:\n got %s\nwant offset 0x… …%s…", err, tc.want)
			}
		})
	}
	// Only a core module has the record.
	wit, err := os.ReadFile("testdata/features.manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Replace(string(wit), `"producers"`, `"core_externs": {"imports": [], "exports": []}, "producers"`, 1)
	if _, err := manifest.Read([]byte(in)); err == nil || !strings.Contains(err.Error(), "/core_externs: a wit has no core memories, tables and globals") {
		t.Errorf("WIT with core_externs: %v", err)
	}
	// A v2 manifest cannot carry the record.
	v2, err := os.ReadFile("testdata/cb_forward.v2.manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	in = strings.Replace(string(v2), `"producers"`, `"core_externs": {"imports": [], "exports": []}, "producers"`, 1)
	if _, err := manifest.Read([]byte(in)); err == nil || !strings.Contains(err.Error(), `unknown property "core_externs"`) {
		t.Errorf("v2 with core_externs: %v", err)
	}
}
