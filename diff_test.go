package wfcompat

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/compat/format"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/manifest"
)

func open(t *testing.T, path string) *analyze.Artifact {
	t.Helper()
	a, err := Open(path, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func parseConfig(t *testing.T, src string) *config.Config {
	t.Helper()
	c, err := config.Parse("wfcompat.yaml", []byte(src), Rules())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rulesOf(r *compat.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// TestDiffVercelPolicy: wfcompat.yaml may name VERCEL_ rules, and a Vercel
// diff applies the policy.
func TestDiffVercelPolicy(t *testing.T) {
	const dir = "compat/vercel/testdata/"
	old, nw := open(t, dir+"old.manifest.json"), open(t, dir+"new.manifest.json")
	if old.Kind != "vercel-manifest" || old.Document == nil || old.World != nil {
		t.Fatalf("a Vercel manifest opened as %+v", old)
	}
	base, err := Diff(context.Background(), old, nw, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rulesOf(base.Report), "VERCEL_WORKFLOW_REMOVED") {
		t.Fatalf("fixture pair: %v", rulesOf(base.Report))
	}
	cfg := parseConfig(t, "except: [VERCEL_WORKFLOW_REMOVED]\n")
	res, err := Diff(context.Background(), old, nw, DiffOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(rulesOf(res.Report), "VERCEL_WORKFLOW_REMOVED") {
		t.Errorf("except ignored: %v", rulesOf(res.Report))
	}
	// A Vercel manifest against a Wasm build is a usage error.
	_, err = Diff(context.Background(), old, open(t, "testdata/examples/ic/v1.wasm"), DiffOptions{})
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "is a Vercel Workflow manifest but") {
		t.Errorf("mixed kinds: %v", err)
	}
}

// TestDiffInFlightAndGate: the library runs the callback analyses (the
// in-flight verdict the CLI shows) and decides the gate per the modes.
func TestDiffInFlightAndGate(t *testing.T) {
	old, nw := open(t, "testdata/examples/ic/v1.wasm"), open(t, "testdata/examples/ic/v2.wasm")
	ctx := context.Background()
	res, err := Diff(ctx, old, nw, DiffOptions{Platform: "ic"})
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Report.Modes[compat.ModeInFlight].Verdict; v != compat.Unsafe || !slices.Contains(rulesOf(res.Report), compat.RuleCallbackSlotMoved) {
		t.Errorf("in-flight %s, findings %v", v, rulesOf(res.Report))
	}
	if res.Outcome != format.OutcomeFail {
		t.Errorf("gate %s, want fail", res.Outcome)
	}
	// Gating only on api passes; the config's modes apply when no Modes
	// are given, and Modes replace them.
	for _, tc := range []struct {
		cfg   string
		modes []compat.Mode
		want  format.Outcome
	}{
		{"modes: [api]\n", nil, format.OutcomePass},
		{"modes: [api]\n", []compat.Mode{compat.ModeInFlight}, format.OutcomeFail},
		{"modes: [replay]\nrequire_proof: true\n", nil, format.OutcomeFail},
		{"modes: [replay]\n", nil, format.OutcomeUnproven},
	} {
		res, err := Diff(ctx, old, nw, DiffOptions{Config: parseConfig(t, tc.cfg), Modes: tc.modes, Platform: "ic"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != tc.want {
			t.Errorf("%q %v: gate %s, want %s", tc.cfg, tc.modes, res.Outcome, tc.want)
		}
	}
	// A canceled context stops the analysis.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Diff(cctx, old, nw, DiffOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// TestDiffHost: the host comes from --platform, the config's platform: and
// host_provides:; a new import it lacks is unsafe in every mode.
func TestDiffHost(t *testing.T) {
	old, nw := open(t, "testdata/examples/golem/v1.wasm"), open(t, "testdata/examples/golem/v2.wasm")
	verdictOf := func(opts DiffOptions) (compat.Verdict, []string) {
		t.Helper()
		res, err := Diff(context.Background(), old, nw, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Report.Findings {
			if strings.HasPrefix(f.Subject, "demo:orders/ledger") {
				return res.Report.Modes[compat.ModeAPI].Verdict, []string{f.Rule, string(f.Severity)}
			}
		}
		return "", nil
	}
	for _, tc := range []struct {
		name string
		opts DiffOptions
		want []string
	}{
		{"no host", DiffOptions{}, []string{compat.RuleImportAdded, "error"}},
		{"golem", DiffOptions{Platform: "golem"}, []string{compat.RuleImportNotProvided, "error"}},
		{"config platform", DiffOptions{Config: parseConfig(t, "platform: golem\n")}, []string{compat.RuleImportNotProvided, "error"}},
		{"host_provides", DiffOptions{Config: parseConfig(t, "platform: golem\nhost_provides: ['demo:orders/ledger@1.1.0']\n")}, []string{compat.RuleImportProvided, "info"}},
	} {
		if _, got := verdictOf(tc.opts); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ledger finding %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := Diff(context.Background(), old, nw, DiffOptions{Platform: "azure"}); err == nil {
		t.Error("an unknown platform accepted")
	}
}

// TestRules: one registry holds every rule once; the catalog and docs read it.
func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules().Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	for _, id := range []string{compat.RuleParamRenamed, compat.RuleCallbackSlotMoved, "VERCEL_WORKFLOW_REMOVED", compat.RuleImportNotProvided} {
		if !seen[id] {
			t.Errorf("registry lacks %s", id)
		}
	}
}

// TestOpenOnce: Open reads a file once, whatever it is; a JSON document
// that is neither kind of manifest is a wfcompat-manifest error.
func TestOpenOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(p, []byte(`{"hello": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(p, analyze.Options{}); err == nil || !strings.Contains(err.Error(), "not a wfcompat manifest") {
		t.Errorf("other JSON: %v", err)
	}
}

// TestDiffCarriesGate: the report carries the gate (modes, profile,
// outcome), the tool version, the configuration file and, for a moved
// callback, the pin command with the two paths.
func TestDiffCarriesGate(t *testing.T) {
	old, nw := open(t, "testdata/examples/ic/v1.wasm"), open(t, "testdata/examples/ic/v2.wasm")
	cfg := parseConfig(t, "platform: ic\n")
	res, err := Diff(context.Background(), old, nw, DiffOptions{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	want := &compat.Gate{Modes: []compat.Mode{compat.ModeInFlight, compat.ModeAPI}, Profile: "ic", Outcome: "fail"}
	if diff := cmp.Diff(want, r.Gate); diff != "" {
		t.Errorf("gate (-want +got):\n%s", diff)
	}
	if r.ToolVersion == "" || r.Config != "wfcompat.yaml" || res.Gate.Rules != Rules() {
		t.Errorf("toolVersion %q, config %q, rules %p", r.ToolVersion, r.Config, res.Gate.Rules)
	}
	fixes := 0
	for _, f := range r.Findings {
		if f.Rule == compat.RuleCallbackSlotMoved {
			fixes++
			if f.Fix != "wfcompat pin testdata/examples/ic/v2.wasm --against testdata/examples/ic/v1.wasm -o PINNED.wasm" {
				t.Errorf("fix %q", f.Fix)
			}
		}
	}
	if fixes == 0 {
		t.Errorf("no CALLBACK_SLOT_MOVED finding: %v", rulesOf(r))
	}
	// The JSON carries it all.
	var b strings.Builder
	if err := format.WriteJSON(&b, r, res.Gate); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"profile": "ic"`, `"outcome": "fail"`, `"toolVersion": `, `"config": "wfcompat.yaml"`, `"fix": "wfcompat pin `} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("JSON lacks %s", s)
		}
	}
	// The any profile gates on the best modes.
	res, err = Diff(context.Background(), old, nw, DiffOptions{Platform: "any"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Report.Gate.Any || res.Report.Gate.Profile != "any" || res.Gate.Any != true || res.Outcome == format.OutcomeFail {
		t.Errorf("any: gate %+v, outcome %s, modes %v", res.Report.Gate, res.Outcome, res.Report.Modes)
	}
}

// TestDiffIdentical: the same build on both sides, or a build and its
// manifest, is safe in every mode without analysis, and passes even with
// proof required; a different build is analysed.
func TestDiffIdentical(t *testing.T) {
	bin := "testdata/examples/golem/v1.wasm"
	man := filepath.Join(t.TempDir(), "v1.manifest.json")
	a := open(t, bin)
	m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), World: a.World, Bytes: a.Bytes})
	if err != nil {
		t.Fatal(err)
	}
	data, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(man, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{bin, bin}, {man, bin}, {bin, man}} {
		res, err := Diff(context.Background(), open(t, pair[0]), open(t, pair[1]), DiffOptions{RequireProof: true})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Report.Identical || res.Outcome != format.OutcomePass {
			t.Errorf("%v: identical %v, outcome %s", pair, res.Report.Identical, res.Outcome)
		}
		for m, v := range res.Report.Modes {
			if v.Verdict != compat.Safe {
				t.Errorf("%v: %s %s", pair, m, v.Verdict)
			}
		}
	}
	res, err := Diff(context.Background(), a, open(t, "testdata/examples/golem/v2.wasm"), DiffOptions{})
	if err != nil || res.Report.Identical {
		t.Errorf("different builds judged identical: %v", err)
	}
}

// TestDiffIdenticalInFlight: an upgrade instantiates even the same core
// module afresh (main memory discarded, tables rebuilt from the element
// segments), so identical artifacts leave in-flight as the callback
// analysis judges them where it finds a slot written at run time, a table
// the module imports or an env that is a heap pointer or unclassified (it
// said safe); the other modes stay safe, and a module whose slots are
// static stays safe.
func TestDiffIdenticalInFlight(t *testing.T) {
	for _, tc := range []struct {
		path, rule string
	}{
		{"testdata/wat/cb_table_written.wasm", compat.RuleCallbackTableWritten},
		{"testdata/wat/cb_table_imported.wasm", compat.RuleCallbackUnresolved},
		{"testdata/wat/cb_table_old.wasm", ""},
		{"corpus:ic/wallet-0.12.0.wasm", compat.RuleCallbackEnvHeapPointer},
		// An env from a call (an allocator's result) is not classified:
		// unproven, unless the module's pre_upgrade refuses the upgrade
		// while callbacks are outstanding (the Motoko runtime's guard).
		{"testdata/wat/cb_env_call.wasm", compat.RuleCallbackEnvUnknown},
		{"testdata/wat/cb_env_call_guard.wasm", ""},
		{"corpus:ic/motoko-call.wasm", ""},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			path := tc.path
			if p, ok := strings.CutPrefix(path, "corpus:"); ok {
				path = shared.Corpus(t, p) // skips, saying so, without ../shared
			}
			for _, platform := range []string{"", "ic"} {
				res, err := Diff(context.Background(), open(t, path), open(t, path), DiffOptions{Platform: platform})
				if err != nil {
					t.Fatal(err)
				}
				if !res.Report.Identical {
					t.Errorf("%s: not identical", tc.path)
				}
				for m, v := range res.Report.Modes {
					want := compat.Safe
					if m == compat.ModeInFlight && tc.rule != "" {
						want = compat.Unproven
					}
					if v.Verdict != want {
						t.Errorf("%s %q: %s %s, want %s", tc.path, platform, m, v.Verdict, want)
					}
				}
				var rules []string
				for _, f := range res.Report.Findings {
					rules = append(rules, f.Rule)
				}
				if tc.rule == "" && len(rules) != 0 || tc.rule != "" && !slices.Contains(rules, tc.rule) {
					t.Errorf("%s %q: findings %v, want %q", tc.path, platform, rules, tc.rule)
				}
			}
			if tc.rule == "" {
				return
			}
			// Ignored with a reason, the finding is suppressed and
			// counted, and in-flight is safe again.
			cfg := parseConfig(t, "ignore:\n  - rule: "+tc.rule+"\n    reason: stopped before upgrading\n")
			res, err := Diff(context.Background(), open(t, path), open(t, path), DiffOptions{Platform: "ic", Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if v := res.Report.Modes[compat.ModeInFlight].Verdict; v != compat.Safe || len(res.Report.Suppressed) == 0 || res.Report.Suppressed[0].Rule != tc.rule {
				t.Errorf("%s ignored: in-flight %s, suppressed %v", tc.path, v, res.Report.Suppressed)
			}
		})
	}
}

// TestDiffProfilePathClosed: a profile whose upgrade path does not apply to
// the builds (golem-manual, neither build exporting snapshots) fails
// closed; an explicit --mode keeps n/a as not gating.
func TestDiffProfilePathClosed(t *testing.T) {
	old, nw := open(t, "testdata/examples/golem/v1.wasm"), open(t, "testdata/examples/golem/v2.wasm")
	res, err := Diff(context.Background(), old, nw, DiffOptions{Platform: "golem-manual"})
	if err != nil {
		t.Fatal(err)
	}
	snap := res.Report.Modes[compat.ModeSnapshot]
	if res.Outcome != format.OutcomeFail || snap.Verdict != compat.Unsafe || !strings.Contains(snap.Reasons[0].Message, "platform golem-manual upgrades by snapshot") {
		t.Errorf("outcome %s, snapshot %+v", res.Outcome, snap)
	}
	res, err = Diff(context.Background(), old, nw, DiffOptions{Platform: "golem-manual", Modes: []compat.Mode{compat.ModeSnapshot}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Modes[compat.ModeSnapshot].Verdict != compat.NotApplicable || res.Outcome != format.OutcomePass {
		t.Errorf("--mode snapshot: outcome %s, snapshot %s", res.Outcome, res.Report.Modes[compat.ModeSnapshot].Verdict)
	}
}

// TestDiffSameFileTwoWorlds: one WIT file, two worlds picked: two builds,
// analysed, not identical.
func TestDiffSameFileTwoWorlds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.wit")
	src := "package demo:two;\n\ninterface api {\n  f: func(x: u32) -> u32;\n}\n\nworld a {\n  export api;\n}\n\nworld b {\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := Open(path, analyze.Options{World: "a"})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := Open(path, analyze.Options{World: "b"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Diff(context.Background(), old, nw, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Identical || res.Report.Modes[compat.ModeAPI].Verdict != compat.Unsafe || res.Outcome != format.OutcomeFail {
		t.Errorf("identical %v, api %s, outcome %s", res.Report.Identical, res.Report.Modes[compat.ModeAPI].Verdict, res.Outcome)
	}
	same, err := Diff(context.Background(), old, old, DiffOptions{})
	if err != nil || !same.Report.Identical {
		t.Errorf("the same world of the same file: %v", err)
	}
}

// TestDiffGolemManualGatesAPI: a Golem manual update whose snapshot path
// is offered still fails when the new build drops an export: the updated
// worker goes on serving its callers (golem-manual gates on snapshot and
// api).
func TestDiffGolemManualGatesAPI(t *testing.T) {
	dir := t.TempDir()
	const snapshot = `
  export golem:api/save-snapshot@1.1.0;
  export golem:api/load-snapshot@1.1.0;
}
package golem:api@1.1.0 {
  interface save-snapshot { save: func() -> list<u8>; }
  interface load-snapshot { load: func(bytes: list<u8>) -> result<_, string>; }
}
`
	write := func(name, api string) string {
		p := filepath.Join(dir, name)
		src := "package demo:w;\n\ninterface api {\n" + api + "}\n\nworld w {\n  export api;" + snapshot
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := open(t, write("old.wit", "  f: func() -> u32;\n  g: func() -> u32;\n"))
	nw := open(t, write("new.wit", "  f: func() -> u32;\n"))
	res, err := Diff(context.Background(), old, nw, DiffOptions{Platform: "golem-manual"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Report.Gate.Modes, compat.ModeAPI) || res.Report.Modes[compat.ModeAPI].Verdict != compat.Unsafe || res.Outcome != format.OutcomeFail {
		t.Errorf("gate %v, api %s, outcome %s", res.Report.Gate.Modes, res.Report.Modes[compat.ModeAPI].Verdict, res.Outcome)
	}
	if v := res.Report.Modes[compat.ModeSnapshot].Verdict; v == compat.Unsafe || v == compat.NotApplicable {
		t.Errorf("snapshot %s: the path is offered by these builds", v)
	}
}

// TestDiffSameWITOtherFeatures: one WIT file read with other @unstable
// features on each side is two worlds, compared, not identical artifacts;
// with the same features (in any order) it is identical.
func TestDiffSameWITOtherFeatures(t *testing.T) {
	const path = "testdata/wit/features.wit"
	read := func(f analyze.WITFeatures) *analyze.Artifact {
		a, err := Open(path, analyze.Options{WITFeatures: f})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	all, none := read(analyze.WITFeatures{}), read(analyze.WITFeatures{Only: true})
	xy, yx := read(analyze.WITFeatures{Only: true, Names: []string{"x", "y"}}), read(analyze.WITFeatures{Only: true, Names: []string{"y", "x", "x"}})
	for _, tc := range []struct {
		name      string
		old, new  *analyze.Artifact
		identical bool
	}{
		{"every feature, then none", all, none, false},
		{"none, then every feature", none, all, false},
		{"x and y, then none", xy, none, false},
		{"x and y, in another order", xy, yx, true},
		{"every feature twice", all, read(analyze.WITFeatures{}), true},
	} {
		res, err := Diff(context.Background(), tc.old, tc.new, DiffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Report.Identical != tc.identical {
			t.Errorf("%s: identical = %v, want %v", tc.name, res.Report.Identical, tc.identical)
		}
	}
	res, err := Diff(context.Background(), all, none, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Report.Modes[compat.ModeAPI].Verdict; v != compat.Unsafe {
		t.Errorf("every feature → none: api %s, want unsafe (gated items removed)", v)
	}
}

// TestDiffWITManifestFeatures: a manifest of WIT records the @unstable
// features its world was read with, so it is the same reading as the WIT
// it was made from read with the same features (identical artifacts), and
// as another manifest with the same digest and features; with other
// features it is compared. A v2 manifest of WIT records none and is never
// identical to anything (it may have been made with fewer features).
func TestDiffWITManifestFeatures(t *testing.T) {
	const path = "testdata/wit/features.wit"
	dir := t.TempDir()
	read := func(f analyze.WITFeatures) *analyze.Artifact {
		a, err := Open(path, analyze.Options{WITFeatures: f})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	// man writes the manifest of the WIT read with f (as v2 when legacy)
	// and opens it.
	man := func(name string, f analyze.WITFeatures, legacy bool) *analyze.Artifact {
		a := read(f)
		m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), SHA256: a.SHA256, Size: a.Size, World: a.World, WITFeatures: a.WITFeatures})
		if err != nil {
			t.Fatal(err)
		}
		b, err := manifest.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if legacy {
			if m.Artifact.WITFeatures != nil {
				t.Fatal("a v2 manifest has no wit_features")
			}
			b = []byte(strings.Replace(string(b), manifest.Schema, manifest.SchemaV2, 1))
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := Open(p, analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	all, none := analyze.WITFeatures{}, analyze.WITFeatures{Only: true}
	xy, yx := analyze.WITFeatures{Only: true, Names: []string{"x", "y"}}, analyze.WITFeatures{Only: true, Names: []string{"y", "x"}}
	x := analyze.WITFeatures{Only: true, Names: []string{"x"}}
	manAll, manNone, manXY := man("all.json", all, false), man("none.json", none, false), man("xy.json", xy, false)
	manX, manX2, manV2 := man("x.json", x, false), man("x2.json", x, false), man("v2.json", all, true)
	for _, tc := range []struct {
		name      string
		old, new  *analyze.Artifact
		identical bool
		apiUnsafe bool // the gated function removed
	}{
		{"manifest (every feature), its WIT read alike", manAll, read(all), true, false},
		{"WIT (every feature), its manifest", read(all), manAll, true, false},
		{"manifest (x, y), its WIT read with y, x", manXY, read(yx), true, false},
		{"manifest (none), its WIT read alike", manNone, read(none), true, false},
		{"two manifests, same digest and features", manX, manX2, true, false},
		{"manifest (every feature), WIT read with none", manAll, read(none), false, true},
		{"manifest (none), WIT read with every feature", manNone, read(all), false, false},
		{"manifest (x), WIT read with x and y", manX, read(xy), false, false},
		{"manifest (x), manifest (x, y)", manX, manXY, false, false},
		{"manifest (every feature), manifest (none)", manAll, manNone, false, true},
		{"v2 manifest, its WIT read with every feature", manV2, read(all), false, false},
		{"WIT read with every feature, v2 manifest", read(all), manV2, false, false},
		{"v2 manifest, itself", manV2, manV2, false, false},
		{"v2 manifest, WIT read with none", manV2, read(none), false, true},
	} {
		res, err := Diff(context.Background(), tc.old, tc.new, DiffOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if res.Report.Identical != tc.identical {
			t.Errorf("%s: identical = %v, want %v", tc.name, res.Report.Identical, tc.identical)
		}
		if v := res.Report.Modes[compat.ModeAPI].Verdict; (v == compat.Unsafe) != tc.apiUnsafe {
			t.Errorf("%s: api %s, unsafe wanted: %v", tc.name, v, tc.apiUnsafe)
		}
	}
	// The report names a manifest side's features as a WIT side's.
	res, err := Diff(context.Background(), manX, read(x), DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Report.Old.WITFeatures; f == nil || !slices.Equal(*f, []string{"x"}) {
		t.Errorf("report's old side: witFeatures %v, want [x]", f)
	}
}

// Without logs, the modes only running proves stay unproven and say which
// command proves them.
func TestDiffWithoutLogsNamesTheCommand(t *testing.T) {
	old := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	nw := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v3-11.wasm"))
	res, err := Diff(context.Background(), old, nw, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for m, cmd := range map[compat.Mode]string{compat.ModeReplay: "wfcompat replay", compat.ModeSnapshot: "wfcompat upgrade --mode snapshot"} {
		mr := res.Report.Modes[m]
		found := false
		for _, r := range mr.Reasons {
			if r.Verdict == compat.Unproven && strings.Contains(r.Message, cmd) {
				found = true
			}
			if strings.Contains(r.Message, "not yet implemented") {
				t.Errorf("%s: %s", m, r.Message)
			}
		}
		if !found && mr.Verdict != compat.NotApplicable {
			t.Errorf("%s (%s): no unproven reason naming %q: %+v", m, mr.Verdict, cmd, mr.Reasons)
		}
	}
}

// Logs without a Prover are refused, not left unproven in silence: the
// root package runs nothing (package evidence does).
func TestDiffLogsNeedAProver(t *testing.T) {
	old := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v1.wasm"))
	nw := open(t, shared.Corpus(t, "golem-v1.1.0/update-test-v2.wasm"))
	_, err := Diff(context.Background(), old, nw, DiffOptions{Logs: []string{"runner/replay/testdata/golem-v1.1.0/v1-f3.jsonl"}})
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no Prover") {
		t.Fatalf("Diff with logs and no Prover = %v, want a UsageError saying no Prover", err)
	}
}
