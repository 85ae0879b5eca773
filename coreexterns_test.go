package wfcompat

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/manifest"
)

// TestDiffCoreExterns: `wfcompat diff` compares the memories, tables and
// globals of core modules, from binaries and from manifests alike; a
// manifest that does not record them leaves every mode unproven, never
// safe.
func TestDiffCoreExterns(t *testing.T) {
	const wat = "testdata/wat/"
	dir := t.TempDir()
	// writeManifest writes the manifest of a fixture, without the record
	// when strip is set (as a manifest written before it was).
	writeManifest := func(name string, strip bool) string {
		a := open(t, wat+name+".wasm")
		m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), World: a.World, Bytes: a.Bytes, CoreExterns: a.CoreExterns})
		if err != nil {
			t.Fatal(err)
		}
		if strip {
			m.CoreExterns = nil
		}
		data, err := manifest.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+map[bool]string{true: ".old", false: ""}[strip]+".json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	base, baseOld := writeManifest("ext_base", false), writeManifest("ext_base", true)
	for _, tc := range []struct {
		name, old, new, platform string
		api, inFlight            compat.Verdict
		// inFlight is checked when set (manifests written here have no
		// callback analysis: in-flight is unproven for them).
		reason string // in the api reasons
	}{
		{"binaries", wat + "ext_base.wasm", wat + "ext_mem_removed.wasm", "", compat.Unsafe, compat.NotApplicable, ""},
		// The IC links nothing against an exported memory (CORE_EXPORT_UNLINKED).
		{"binaries on ic", wat + "ext_base.wasm", wat + "ext_mem_removed.wasm", "ic", compat.Safe, compat.NotApplicable, ""},
		{"manifest against binary", base, wat + "ext_mem_removed.wasm", "", compat.Unsafe, "", ""},
		{"manifest against binary, near miss", base, wat + "ext_mem_refined.wasm", "", compat.Safe, "", ""},
		{"global import on ic", base, wat + "ext_import_global.wasm", "ic", compat.Unsafe, compat.Unsafe, ""},
		{"old manifest against binary", baseOld, wat + "ext_mem_removed.wasm", "", compat.Unproven, "", "the manifest does not record memories, tables and globals"},
		{"old manifest against the same change as the binary", baseOld, wat + "ext_mem_refined.wasm", "ic", compat.Unproven, "", "the manifest does not record memories, tables and globals"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Diff(context.Background(), open(t, tc.old), open(t, tc.new), DiffOptions{Platform: tc.platform})
			if err != nil {
				t.Fatal(err)
			}
			api := res.Report.Modes[compat.ModeAPI]
			if api.Verdict != tc.api {
				t.Errorf("api %s, want %s: %+v", api.Verdict, tc.api, api.Reasons)
			}
			if v := res.Report.Modes[compat.ModeInFlight].Verdict; tc.inFlight != "" && v != tc.inFlight {
				t.Errorf("in-flight %s, want %s", v, tc.inFlight)
			}
			if tc.reason != "" && !strings.Contains(api.Reasons[len(api.Reasons)-1].Message, tc.reason) {
				t.Errorf("api reasons %+v lack %q", api.Reasons, tc.reason)
			}
		})
	}
}
