package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wfcompat/wfcompat/eventlog"
	"github.com/wfcompat/wfcompat/internal/schematest"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// repoRoot is the module root, found from this file (robust to the
// package moving).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	for dir := filepath.Dir(file); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
	}
	t.Fatal("module root not found")
	return ""
}

// validOutput runs wfcompat with args and validates its standard output
// against schema (strictly: every field must be documented). The verdict
// (exit 0 or 1) is other tests' business; an error (2) fails.
func validOutput(t *testing.T, s *jsonschema.Schema, args ...string) {
	t.Helper()
	code, stdout, stderr := run(t, args...)
	if code != ExitOK && code != ExitUnsafe {
		t.Errorf("%s: exit %d; stderr %s", strings.Join(args, " "), code, stderr)
		return
	}
	if err := schematest.ValidateJSON(s, []byte(stdout)); err != nil {
		t.Errorf("%s: output does not match the schema: %v\n%.2000s", strings.Join(args, " "), err, stdout)
	}
}

// TestReportSchema validates real diff reports against docs/report.schema.json.
func TestReportSchema(t *testing.T) {
	root := repoRoot(t)
	s := schematest.CompileJSONStrict(t, filepath.Join(root, "docs", "report.schema.json"))
	vercel := filepath.Join(root, "compat", "vercel", "testdata")
	validOutput(t, s, "diff", "--format", "json", filepath.Join(vercel, "old.manifest.json"), filepath.Join(vercel, "new.manifest.json"))
	wat := filepath.Join(root, "testdata", "wat")
	validOutput(t, s, "diff", "--format", "json", filepath.Join(wat, "cb_table_old.wasm"), filepath.Join(wat, "cb_table_reused.wasm"))
	validOutput(t, s, "diff", "--format", "json", "--mode", "in-flight", filepath.Join(wat, "cb_table_old.wasm"), filepath.Join(wat, "cb_table_old.wasm"))
	rules := filepath.Join(root, "compat", "testdata", "rules", "ENUM_CASE_ADDED")
	validOutput(t, s, "diff", "--format", "json", "--mode", "restart", filepath.Join(rules, "old.wit"), filepath.Join(rules, "new.wit"))
	// The gate's parts: a profile, the any gate, a fix hint, identical
	// artifacts, a configuration with suppressed findings and warnings.
	ic := filepath.Join(root, "testdata", "examples", "ic")
	validOutput(t, s, "diff", "--format", "json", "--platform", "ic", filepath.Join(ic, "v1.wasm"), filepath.Join(ic, "v2.wasm"))
	validOutput(t, s, "diff", "--format", "json", "--platform", "any", filepath.Join(ic, "v1.wasm"), filepath.Join(ic, "v2.wasm"))
	validOutput(t, s, "diff", "--format", "json", filepath.Join(ic, "v1.wasm"), filepath.Join(ic, "v1.wasm"))
	cfg := filepath.Join(t.TempDir(), "wfcompat.yaml")
	if err := os.WriteFile(cfg, []byte("ignore:\n  - rule: CALLBACK_SLOT_MOVED\n    reason: pinned at deploy\n    until: 2099-12-31\n  - rule: DOCS_CHANGED\n  - rule: PARAM_RENAMED\n    until: 2000-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	validOutput(t, s, "diff", "--format", "json", "--config", cfg, filepath.Join(ic, "v1.wasm"), filepath.Join(ic, "v2.wasm"))
	if _, out, _ := run(t, "diff", "--format", "json", "--config", cfg, filepath.Join(ic, "v1.wasm"), filepath.Join(ic, "v2.wasm")); !strings.Contains(out, `"suppressed": [`) ||
		!strings.Contains(out, `"warnings": [`) || !strings.Contains(out, `"until": "2099-12-31"`) {
		t.Errorf("the report lacks suppressed findings or warnings:\n%.3000s", out)
	}

	shared.Corpus(t, "golem-v1.1.0")
	for _, c := range []struct{ old, new string }{
		{"golem-v1.1.0/update-test-v1.wasm", "golem-v1.1.0/update-test-v2.wasm"},
		{"golem-v1.1.0/update-test-v2.wasm", "golem-v1.1.0/update-test-v3.wasm"},
		{"golem-v1.1.0/shopping-cart.wasm", "golem-v1.3.0/golem-rust-tests.wasm"},
		{"ic/motoko-counter.wasm", "ic/motoko-counter-region.wasm"},
	} {
		validOutput(t, s, "diff", "--format", "json", corpus+c.old, corpus+c.new)
	}
}

// TestInspectSchema validates inspect --json of every kind of input
// against docs/inspect.schema.json.
func TestInspectSchema(t *testing.T) {
	root := repoRoot(t)
	s := schematest.CompileJSONStrict(t, filepath.Join(root, "docs", "inspect.schema.json"))
	fixtures, _ := filepath.Glob(filepath.Join(root, "testdata", "wat", "*.wasm"))
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range fixtures {
		validOutput(t, s, "inspect", "--json", f)
	}
	validOutput(t, s, "inspect", "--json", filepath.Join(root, "compat", "testdata", "rules", "ENUM_CASE_ADDED", "new.wit"))
	dir := t.TempDir()
	man := filepath.Join(dir, "m.json")
	if code, _, stderr := run(t, "manifest", fixtures[0], "-o", man); code != 0 {
		t.Fatal(stderr)
	}
	validOutput(t, s, "inspect", "--json", man)
	// WIT read with some features, and its manifest recording them.
	features := filepath.Join(root, "testdata", "wit", "features.wit")
	validOutput(t, s, "inspect", "--json", "--wit-features", "x", features)
	witMan := filepath.Join(dir, "wit.json")
	if code, _, stderr := run(t, "manifest", "--wit-features", "", features, "-o", witMan); code != 0 {
		t.Fatal(stderr)
	}
	validOutput(t, s, "inspect", "--json", witMan)
	// coreExterns: manifests with the record, without its address width,
	// without the record (v3 and v1); a 64-bit module and global imports.
	mt := filepath.Join(root, "manifest", "testdata")
	for _, f := range []string{"ext_base.manifest.json", "ext_base.nowidth.manifest.json", "cb_forward.noexterns.manifest.json", "rust-counter.v1.manifest.json"} {
		validOutput(t, s, "inspect", "--json", filepath.Join(mt, f))
	}
	for _, f := range []string{"ext_mem64.wasm", "ext_imp_mut.wasm"} {
		m := filepath.Join(dir, f+".json")
		if code, _, stderr := run(t, "manifest", filepath.Join(root, "testdata", "wat", f), "-o", m); code != 0 {
			t.Fatal(stderr)
		}
		validOutput(t, s, "inspect", "--json", m)
	}
	// The schema holds coreExterns and globals to their shape: a width
	// other than 32 or 64, an undocumented field, a negative minimum, an
	// unknown value type fail.
	_, out, _ := run(t, "inspect", "--json", filepath.Join(root, "testdata", "wat", "ext_imp_mut.wasm"))
	if err := schematest.ValidateJSON(s, []byte(out)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		name string
		edit func(x, c map[string]any)
	}{
		{"width 48", func(x, _ map[string]any) { x["address_width"] = 48 }},
		{"width as a string", func(x, _ map[string]any) { x["address_width"] = "32" }},
		{"undocumented extern field", func(x, _ map[string]any) { x["imports"].([]any)[0].(map[string]any)["init"] = 1 }},
		{"negative minimum", func(x, _ map[string]any) { x["imports"].([]any)[0].(map[string]any)["min"] = -1 }},
		{"unknown extern kind", func(x, _ map[string]any) { x["imports"].([]any)[1].(map[string]any)["kind"] = "tag" }},
		{"global of type i8", func(_, c map[string]any) { c["globals"].([]any)[0].(map[string]any)["type"] = "i8" }},
		{"no globals", func(_, c map[string]any) { delete(c, "globals") }},
	} {
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		bad.edit(doc["coreExterns"].(map[string]any), doc["core"].(map[string]any))
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if schematest.ValidateJSON(s, b) == nil {
			t.Errorf("%s: the schema accepts it", bad.name)
		}
	}

	shared.Corpus(t, "golem-v1.1.0")
	for _, f := range []string{"golem-v1.1.0/update-test-v3.wasm", "golem-v1.3.0/golem-rust-tests.wasm", "ic/motoko-counter.wasm", "ic/rust-counter.wasm"} {
		validOutput(t, s, "inspect", "--json", corpus+f)
	}
}

// TestManifestSchema validates the manifests `wfcompat manifest` writes
// for core modules (core_externs among them: memories, tables and globals
// imported and exported, 64-bit memories, mutable globals) against
// docs/manifest.schema.json, strictly.
func TestManifestSchema(t *testing.T) {
	root := repoRoot(t)
	s := schematest.CompileJSONStrict(t, filepath.Join(root, "docs", "manifest.schema.json"))
	fixtures, _ := filepath.Glob(filepath.Join(root, "testdata", "wat", "*.wasm"))
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range fixtures {
		validOutput(t, s, "manifest", f)
	}
	// The address width: 64 for a memory64 module whose memory is not
	// exported, 32 otherwise; absent (a manifest written before it) is
	// valid too, a width that is not an integer is not.
	for _, tc := range []struct {
		fixture string
		width   float64
	}{{"ic0sig_ok64", 64}, {"ic0sig_ok32", 32}} {
		code, stdout, stderr := run(t, "manifest", filepath.Join(root, "testdata", "wat", tc.fixture+".wasm"))
		if code != ExitOK {
			t.Fatalf("manifest %s: exit %d: %s", tc.fixture, code, stderr)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatal(err)
		}
		x, _ := m["core_externs"].(map[string]any)
		if x["address_width"] != tc.width {
			t.Errorf("%s: core_externs.address_width %v, want %v", tc.fixture, x["address_width"], tc.width)
		}
		for _, v := range []any{nil, "64", 0, 16} {
			if v == nil {
				delete(x, "address_width")
			} else {
				x["address_width"] = v
			}
			doc, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := schematest.ValidateJSON(s, doc); (err == nil) != (v == nil) {
				t.Errorf("%s with address_width %v: schema validation gives %v", tc.fixture, v, err)
			}
		}
	}
	shared.Corpus(t, "ic")
	for _, f := range []string{"ic/motoko-counter.wasm", "ic/rust-counter.wasm"} {
		validOutput(t, s, "manifest", corpus+f)
	}
}

// TestAssertSchema validates assert input/event-log --json against
// docs/assert.schema.json.
func TestAssertSchema(t *testing.T) {
	root := repoRoot(t)
	s := schematest.CompileJSONStrict(t, filepath.Join(root, "docs", "assert.schema.json"))
	vercel := filepath.Join(root, "compat", "vercel", "testdata")
	validOutput(t, s, "assert", "input", "--json", "--against", filepath.Join(vercel, "new.manifest.json"),
		"--runs", filepath.Join(vercel, "run-daily.events.json"), "--runs", filepath.Join(vercel, "run-cancel.events.json"))
	validOutput(t, s, "assert", "event-log", "--json", "--against", filepath.Join(vercel, "old.manifest.json"),
		filepath.Join(vercel, "run-fulfill.events.json"))

	shared.Corpus(t, "golem-v1.1.0")
	dir := t.TempDir()
	good := writeLog(t, dir, "good.jsonl", v1,
		invoke("golem:component/api#f1", "(1000)", "0"),
		imp("wasi:clocks/wall-clock@0.2.0#now", "()", "{seconds: 1, nanoseconds: 2}"))
	gone := writeLog(t, dir, "gone.jsonl", v1, &eventlog.Event{Type: eventlog.TypeInvoke, Function: "golem:component/api#f9", Params: "()", Result: eventlog.Returned("3")})
	validOutput(t, s, "assert", "event-log", "--json", "--against", v2, good, gone)
	validOutput(t, s, "assert", "input", "--json", "--against", v2, "--old", v1, "--function", "golem:component/api#f1", "--args", "(1000)")
	validOutput(t, s, "assert", "input", "--json", "--against", v3, "--runs", good)
}
