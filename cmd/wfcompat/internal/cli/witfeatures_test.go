package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/manifest"
)

// featureWIT is testdata/wit/features.wit: a WIT package whose interface
// has an ungated function, a @since one and one behind
// @unstable(feature = x), and whose world has a function behind
// @unstable(feature = y); drop leaves out the item on the line that
// contains it, and its gate.
func featureWIT(drop string) string {
	var lines []string
	b, err := os.ReadFile("../../../../testdata/wit/features.wit")
	if err != nil {
		panic(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if drop == "" || !strings.Contains(l, drop) {
			lines = append(lines, l)
		} else if n := len(lines); n > 0 && strings.HasPrefix(strings.TrimSpace(lines[n-1]), "@") {
			lines = lines[:n-1]
		}
	}
	return strings.Join(lines, "\n")
}

// TestWITFeatures: --wit-features, --all-wit-features and the config's
// wit_features decide which @unstable items diff compares, on both sides.
// By default (every feature) the removal of a gated function is reported;
// with its feature enabled too; without it the function is on neither side
// and nothing is reported. @since items are always compared. A flag wins
// over the configuration.
func TestWITFeatures(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{
		"old.wit":       featureWIT(""),
		"gated.wit":     featureWIT("gated: func"), // x's function removed
		"since.wit":     featureWIT("since: func"), // the @since function removed
		"x.yaml":        "wit_features: [x]\n",
		"y.yaml":        "wit_features: [y]\n",
		"none.yaml":     "wit_features: []\n",
		"absent.yaml":   "modes: [api]\n",
		"bad.yaml":      "wit_features: [\"x y\"]\n",
		"notalist.yaml": "wit_features: x\n",
	})
	old := filepath.Join(dir, "old.wit")
	gated, since := filepath.Join(dir, "gated.wit"), filepath.Join(dir, "since.wit")
	cfg := func(name string) []string { return []string{"--config", filepath.Join(dir, name)} }
	for _, tc := range []struct {
		name    string
		flags   []string
		new     string
		code    int
		reports string // a subject the report must name ("": none)
		stderr  string // what standard error must hold ("": nothing)
	}{
		{"default: every feature", nil, gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"--all-wit-features", []string{"--all-wit-features"}, gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"x enabled", []string{"--wit-features", "x"}, gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"x among others, comma-separated", []string{"--wit-features", "y,x"}, gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"x among others, repeated", []string{"--wit-features", "y", "--wit-features", "x"}, gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"x not enabled", []string{"--wit-features", "y"}, gated, ExitOK, "", ""},
		{"no feature ('')", []string{"--wit-features", ""}, gated, ExitOK, "", ""},
		{"@since always read", []string{"--wit-features", ""}, since, ExitUnsafe, "api@1.0.0#since", ""},
		{"@since always read, x enabled", []string{"--wit-features", "x"}, since, ExitUnsafe, "api@1.0.0#since", ""},
		{"unknown feature: a warning", []string{"--wit-features", "x,tpyo"}, gated, ExitUnsafe, "api@1.0.0#gated",
			`wfcompat: warning: --wit-features: feature "tpyo" enables nothing: no feature gate of the WIT read names it`},
		{"config x", cfg("x.yaml"), gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"config y", cfg("y.yaml"), gated, ExitOK, "", ""},
		{"config none", cfg("none.yaml"), gated, ExitOK, "", ""},
		{"config without the key", cfg("absent.yaml"), gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"flag wins over config", append(cfg("y.yaml"), "--wit-features", "x"), gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"--all-wit-features wins over config", append(cfg("y.yaml"), "--all-wit-features"), gated, ExitUnsafe, "api@1.0.0#gated", ""},
		{"flag restricts over config", append(cfg("x.yaml"), "--wit-features", "y"), gated, ExitOK, "", ""},
		{"both flags", []string{"--wit-features", "x", "--all-wit-features"}, gated, ExitError, "",
			"wfcompat: --wit-features and --all-wit-features: give one"},
		{"not an identifier", []string{"--wit-features", "x y"}, gated, ExitError, "",
			`wfcompat: --wit-features: feature "x y" is not a WIT identifier`},
		{"config: not an identifier", cfg("bad.yaml"), gated, ExitError, "", `wit_features: feature "x y" is not a WIT identifier`},
		{"config: not a list", cfg("notalist.yaml"), gated, ExitError, "", "want a list of strings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"diff"}, tc.flags...), old, tc.new)
			code, out, errb := runCLI(t, "", false, args...)
			if code != tc.code {
				t.Fatalf("wfcompat %q: exit %d, want %d\n%s%s", args, code, tc.code, out, errb)
			}
			if tc.reports != "" && !strings.Contains(out, tc.reports) {
				t.Errorf("report lacks %s:\n%s", tc.reports, out)
			}
			if tc.reports == "" && strings.Contains(out, "#") {
				t.Errorf("report names a subject, want none:\n%s", out)
			}
			if tc.stderr == "" && errb != "" || !strings.Contains(errb, tc.stderr) {
				t.Errorf("stderr %q, want %q", errb, tc.stderr)
			}
		})
	}
}

// TestWITFeaturesReport: the JSON report records, for each WIT side, the
// features it was read with when they were restricted, and nothing by
// default; the text report says so beside each side.
func TestWITFeaturesReport(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"old.wit": featureWIT(""), "new.wit": featureWIT("gated: func")})
	for _, tc := range []struct {
		flags []string
		want  any // old.witFeatures as decoded
	}{
		{nil, nil},
		{[]string{"--all-wit-features"}, nil},
		{[]string{"--wit-features", "x,y"}, []any{"x", "y"}},
		{[]string{"--wit-features", ""}, []any{}},
	} {
		args := append(append([]string{"diff", "--format", "json"}, tc.flags...), filepath.Join(dir, "old.wit"), filepath.Join(dir, "new.wit"))
		code, out, errb := runCLI(t, "", false, args...)
		if code == ExitError {
			t.Fatalf("%q: exit %d\n%s", args, code, errb)
		}
		var doc struct{ Old, New map[string]any }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		for _, side := range []map[string]any{doc.Old, doc.New} {
			if got := side["witFeatures"]; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q: witFeatures %#v, want %#v", args, got, tc.want)
			}
		}
		args = append([]string{"diff"}, args[3:]...)
		_, out, _ = runCLI(t, "", false, args...)
		want := ""
		if list, ok := tc.want.([]any); ok {
			want = "none)"
			if len(list) > 0 {
				want = "only x,y)"
			}
		}
		if n := strings.Count(out, ", WIT features "+want); want != "" && n != 2 || want == "" && strings.Contains(out, "WIT features") {
			t.Errorf("%q: text report, want \"WIT features %s\" on both sides (none if \"\"):\n%s", args, want, out)
		}
	}
}

// TestWITFeaturesOtherCommands: inspect and manifest read WIT with the
// same flags as diff.
func TestWITFeaturesOtherCommands(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"w.wit": featureWIT("")})
	in := filepath.Join(dir, "w.wit")
	for _, cmd := range []string{"inspect", "manifest"} {
		for _, tc := range []struct {
			flags      []string
			gated, ext bool // whether gated (x) and extra (y) are read
		}{
			{nil, true, true},
			{[]string{"--wit-features", "x"}, true, false},
			{[]string{"--wit-features", "y"}, false, true},
			{[]string{"--wit-features", ""}, false, false},
		} {
			args := append(append([]string{cmd}, tc.flags...), in)
			code, out, errb := runCLI(t, "", false, args...)
			if code != ExitOK || errb != "" {
				t.Fatalf("%q: exit %d\n%s", args, code, errb)
			}
			if strings.Contains(out, "gated") != tc.gated || strings.Contains(out, "extra") != tc.ext || !strings.Contains(out, "since") {
				t.Errorf("%q: gated %v, extra %v, since always; got\n%s", args, tc.gated, tc.ext, out)
			}
		}
	}
}

// TestWITFeaturesManifestNotIdentical: a manifest made from WIT with
// every feature, diffed against the same WIT read with other features, is
// compared, not passed as identical artifacts (a false "safe", found in
// review when manifests did not record the features): the gated items the
// manifest has and the restricted read lacks are found.
func TestWITFeaturesManifestNotIdentical(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"w.wit": featureWIT("")})
	wit, man := filepath.Join(dir, "w.wit"), filepath.Join(dir, "w.manifest.json")
	if code, _, stderr := run(t, "manifest", wit, "-o", man); code != ExitOK {
		t.Fatalf("manifest: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := run(t, "diff", "--wit-features", "", man, wit)
	if code != ExitUnsafe || strings.Contains(stdout, "identical artifacts") || !strings.Contains(stdout, "api@1.0.0#gated") {
		t.Errorf("exit %d, want %d with the gated function removed:\n%s%s", code, ExitUnsafe, stdout, stderr)
	}
}

// TestWITFeaturesManifestRecorded: `manifest --wit-features` records the
// selection (artifact.wit_features), so diffing the manifest against the
// WIT it was made from, read with the same features, is identical
// artifacts again, and with other features it is compared. Re-emitting the
// manifest keeps the record; a v2 manifest of WIT, which has none, is not
// re-emitted as v3 (it would claim every feature).
func TestWITFeaturesManifestRecorded(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"w.wit": featureWIT("")})
	wit, man := filepath.Join(dir, "w.wit"), filepath.Join(dir, "w.manifest.json")
	if code, _, stderr := run(t, "manifest", "--wit-features", "y,x", wit, "-o", man); code != ExitOK {
		t.Fatalf("manifest: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(man)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\"wit_features\": [\n      \"x\",\n      \"y\"\n    ]") {
		t.Errorf("the manifest does not record x and y:\n%.400s", b)
	}
	for _, tc := range []struct {
		flags     []string
		identical bool
	}{
		{[]string{"--wit-features", "x,y"}, true},
		{[]string{"--wit-features", "y", "--wit-features", "x"}, true},
		{[]string{"--wit-features", "x"}, false},
		{[]string{"--wit-features", ""}, false},
		{[]string{"--all-wit-features"}, false},
		{nil, false},
	} {
		args := append(append([]string{"diff"}, tc.flags...), man, wit)
		code, stdout, stderr := run(t, args...)
		if identical := strings.Contains(stdout, "identical artifacts"); identical != tc.identical || code == ExitError {
			t.Errorf("%v: exit %d, identical %v, want %v:\n%s%s", tc.flags, code, identical, tc.identical, stdout, stderr)
		}
	}
	again := filepath.Join(dir, "again.json")
	if code, _, stderr := run(t, "manifest", man, "-o", again); code != ExitOK {
		t.Fatalf("re-emit: exit %d: %s", code, stderr)
	}
	if c, _ := os.ReadFile(again); string(c) != string(b) {
		t.Errorf("the re-emitted manifest differs:\n%s", c)
	}
	v2 := filepath.Join(dir, "v2.json")
	if code, _, stderr := run(t, "manifest", wit, "-o", v2); code != ExitOK {
		t.Fatalf("manifest: exit %d: %s", code, stderr)
	}
	c, _ := os.ReadFile(v2)
	if err := os.WriteFile(v2, []byte(strings.Replace(string(c), manifest.Schema, manifest.SchemaV2, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "manifest", v2, "-o", again)
	if code != ExitError || stdout != "" || !strings.Contains(stderr, "does not record the @unstable features") {
		t.Errorf("re-emitting a v2 manifest of WIT: exit %d: %s%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "diff", v2, wit); code == ExitError || strings.Contains(stdout, "identical artifacts") {
		t.Errorf("a v2 manifest of WIT diffed with its WIT: exit %d, taken as identical:\n%s", code, stdout)
	}
}

// TestWITFeaturesWarningsInReport: a feature no gate names is ignored, as
// wit-parser ignores it, but kept in the report's record of the selection
// (witFeatures: the selection as given), and the warning about it is in
// the report's warnings (JSON, SARIF, ...) as well as on standard error,
// once. So is a manifest of WIT recorded with other features than the
// run's, when the run names features or reads WIT beside it; manifests
// are not WIT read now, so their missing gates do not make every feature
// "enable nothing".
func TestWITFeaturesWarningsInReport(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"old.wit": featureWIT(""), "new.wit": featureWIT("gated: func")})
	old, nw := filepath.Join(dir, "old.wit"), filepath.Join(dir, "new.wit")
	man := filepath.Join(dir, "old.x.json")
	if code, _, stderr := run(t, "manifest", "--wit-features", "x", old, "-o", man); code != ExitOK {
		t.Fatalf("manifest: exit %d: %s", code, stderr)
	}
	const typo = `--wit-features: feature "tpyo" enables nothing`
	manWarn := man + `: a manifest of WIT read with WIT features only x, not `
	for _, tc := range []struct {
		args     []string
		features map[string][]any // side → witFeatures
		warnings []string         // each in the report and on stderr
	}{
		{[]string{"--wit-features", "x,tpyo", old, nw}, map[string][]any{"old": {"x", "tpyo"}, "new": {"x", "tpyo"}}, []string{typo}},
		{[]string{"--wit-features", "x", man, old}, map[string][]any{"old": {"x"}, "new": {"x"}}, nil},
		{[]string{"--wit-features", "tpyo", man, man}, map[string][]any{"old": {"x"}, "new": {"x"}}, []string{manWarn + "only tpyo (--wit-features)"}},
		{[]string{man, nw}, map[string][]any{"old": {"x"}, "new": nil}, []string{manWarn + "all (the default)"}},
		{[]string{man, man}, map[string][]any{"old": {"x"}, "new": {"x"}}, nil},
	} {
		args := append([]string{"diff", "--format", "json"}, tc.args...)
		code, out, errb := runCLI(t, "", false, args...)
		if code == ExitError {
			t.Fatalf("%q: exit %d\n%s", args, code, errb)
		}
		var doc struct {
			Old, New map[string]any
			Warnings []string
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		for side, m := range map[string]map[string]any{"old": doc.Old, "new": doc.New} {
			got, _ := m["witFeatures"].([]any)
			if !reflect.DeepEqual(got, tc.features[side]) {
				t.Errorf("%q: %s witFeatures %#v, want %#v", args, side, got, tc.features[side])
			}
		}
		if len(doc.Warnings) != len(tc.warnings) || strings.Count(errb, "wfcompat: warning: ") != len(tc.warnings) {
			t.Errorf("%q: warnings %q, stderr %q; want %q", args, doc.Warnings, errb, tc.warnings)
			continue
		}
		for i, w := range tc.warnings {
			if !strings.HasPrefix(doc.Warnings[i], w) || !strings.Contains(errb, "wfcompat: warning: "+w) {
				t.Errorf("%q: warning %d %q, stderr %q; want %q", args, i, doc.Warnings[i], errb, w)
			}
		}
	}
}

// TestWITFeaturesInspect: inspect names the features WIT was read with,
// or a manifest of WIT records, when restricted (witFeatures, and a line
// in the text form), and nothing for every feature.
func TestWITFeaturesInspect(t *testing.T) {
	dir := testfiles.Write(t, map[string]string{"w.wit": featureWIT("")})
	wit, man := filepath.Join(dir, "w.wit"), filepath.Join(dir, "w.json")
	if code, _, stderr := run(t, "manifest", "--wit-features", "y,x", wit, "-o", man); code != ExitOK {
		t.Fatalf("manifest: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		args []string
		want []any  // witFeatures (nil: absent)
		text string // the text form's line ("": none)
	}{
		{[]string{wit}, nil, ""},
		{[]string{"--wit-features", "", wit}, []any{}, "WIT features: none ("},
		{[]string{"--wit-features", "x", wit}, []any{"x"}, "WIT features: only x ("},
		// A feature named none is not no feature (it said "only none" for both).
		{[]string{"--wit-features", "none", wit}, []any{"none"}, "WIT features: only none ("},
		{[]string{man}, []any{"x", "y"}, "WIT features: only x,y ("},
	} {
		code, out, errb := run(t, append([]string{"inspect", "--json"}, tc.args...)...)
		if code != ExitOK {
			t.Fatalf("%q: exit %d: %s", tc.args, code, errb)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		got, _ := doc["witFeatures"].([]any)
		if _, present := doc["witFeatures"]; present != (tc.want != nil) || !reflect.DeepEqual(got, tc.want) && tc.want != nil {
			t.Errorf("%q: witFeatures %#v, want %#v", tc.args, doc["witFeatures"], tc.want)
		}
		_, out, _ = run(t, append([]string{"inspect"}, tc.args...)...)
		if has := strings.Contains(out, "WIT features:"); has != (tc.text != "") || !strings.Contains(out, tc.text) {
			t.Errorf("%q: text form lacks %q (or has a WIT features line it should not):\n%s", tc.args, tc.text, out)
		}
	}
}
