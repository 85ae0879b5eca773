package compat

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSuppressed: findings the policy ignores are kept apart with the
// reason and expiry of the entry that matched, lower no verdict, and the
// entries that expired or matched nothing are warned about.
func TestSuppressed(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p := Policy{
		Now: now,
		Suppress: []Suppression{
			{Rule: RuleSnapshotSaveMissing, Reason: "v1 never offered snapshots", Until: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Where: "w.yaml:2"},
			{Rule: RuleSnapshotLoadMissing, Subject: "golem:api/load-snapshot", Reason: "expired", Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Where: "w.yaml:5"},
			{Subject: "wasi:http/types", Where: "w.yaml:9"},
		},
		Ignore: []string{"golem:component/api#f4", "nothing:here/at-all"},
	}
	if err := p.Validate(nil); err != nil {
		t.Fatal(err)
	}
	r := Diff(updateTest(1, "1.1.0"), updateTest(2, "1.1.0"), Options{Policy: p, Old: Artifact{Path: "v1.wasm"}, New: Artifact{Path: "v2.wasm"}})
	var got []string
	for _, s := range r.Suppressed {
		got = append(got, s.Rule+" "+s.Subject+" | "+s.Reason+" | "+s.Until)
	}
	want := []string{
		"EXPORT_FUNCTION_ADDED golem:component/api#f4 | ignore: golem:component/api#f4 | ",
		"SNAPSHOT_SAVE_MISSING golem:api/save-snapshot | v1 never offered snapshots | 2026-12-01",
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	// The expired entry no longer applies: load-snapshot is still reported
	// and still makes snapshot unsafe.
	if !slices.Contains(ruleSubjects(r), "SNAPSHOT_LOAD_MISSING golem:api/load-snapshot") || r.Modes[ModeSnapshot].Verdict != Unsafe {
		t.Errorf("findings %v, snapshot %s", ruleSubjects(r), r.Modes[ModeSnapshot].Verdict)
	}
	for _, rs := range r.Modes[ModeSnapshot].Reasons {
		if rs.Rule == RuleSnapshotSaveMissing {
			t.Errorf("a suppressed finding lowers a verdict: %+v", rs)
		}
	}
	wantWarn := []string{
		"ignore entry at w.yaml:5 (rule SNAPSHOT_LOAD_MISSING, subject golem:api/load-snapshot) expired on 2026-11-30 and no longer applies; renew its until: or remove it",
		"ignore entry at w.yaml:9 (subject wasi:http/types) matched no finding; remove it",
		`ignore entry "nothing:here/at-all" matched no finding; remove it`,
	}
	if diff := cmp.Diff(wantWarn, r.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// The day after until, the first entry expires too.
	p.Now = now.Add(24 * time.Hour)
	r = Diff(updateTest(1, "1.1.0"), updateTest(2, "1.1.0"), Options{Policy: p})
	if len(r.Suppressed) != 1 || !strings.Contains(strings.Join(r.Warnings, "\n"), "w.yaml:2 (rule SNAPSHOT_SAVE_MISSING) expired on 2026-12-01") {
		t.Errorf("after until: suppressed %v, warnings %q", r.Suppressed, r.Warnings)
	}
}

func TestSuppressionValidate(t *testing.T) {
	p := Policy{Suppress: []Suppression{{Reason: "nothing named"}, {Rule: "DOCS_CHANGE"}}}
	err := p.Validate(nil)
	for _, want := range []string{"ignore[0]: an entry needs a rule, a subject or both", `ignore[1]: unknown rule "DOCS_CHANGE" (did you mean "DOCS_CHANGED"?)`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestIdentical(t *testing.T) {
	a := Artifact{Path: "v1.wasm", Kind: "component", SHA256: strings.Repeat("ab", 32)}
	b := Artifact{Path: "v1.manifest.json", Kind: "component", SHA256: strings.Repeat("AB", 32)}
	if !SameArtifact(a, b) || SameArtifact(a, Artifact{}) || SameArtifact(Artifact{}, Artifact{}) {
		t.Fatal("SameArtifact")
	}
	r := Identical(a, b)
	for _, m := range AllModes() {
		if r.Modes[m].Verdict != Safe {
			t.Errorf("%s: %s", m, r.Modes[m].Verdict)
		}
	}
	if !r.Identical || len(r.Findings) != 0 || r.Findings == nil {
		t.Errorf("%+v", r)
	}
}

func TestDefaultGate(t *testing.T) {
	tests := []struct {
		old, new int
		want     []Mode
	}{
		// v1 offers no snapshot path: snapshot does not gate.
		{1, 2, []Mode{ModeAPI, ModeRestart, ModeReplay}},
		// v2 exports save-snapshot: a v2 worker may be updated by snapshot.
		{2, 3, []Mode{ModeAPI, ModeRestart, ModeReplay, ModeSnapshot}},
		{3, 4, []Mode{ModeAPI, ModeRestart, ModeReplay, ModeSnapshot}},
		// Neither offers snapshots: n/a.
		{1, 1, []Mode{ModeAPI, ModeRestart, ModeReplay}},
	}
	for _, tt := range tests {
		r := Diff(updateTest(tt.old, "1.1.0"), updateTest(tt.new, "1.1.0"), Options{})
		if diff := cmp.Diff(tt.want, DefaultGate(r)); diff != "" {
			t.Errorf("v%d -> v%d (-want +got):\n%s", tt.old, tt.new, diff)
		}
	}
	// Suppressing SNAPSHOT_SAVE_MISSING does not make the path gate.
	r := Diff(updateTest(1, "1.1.0"), updateTest(2, "1.1.0"), Options{Policy: Policy{Except: []string{RuleSnapshotSaveMissing}}})
	if slices.Contains(DefaultGate(r), ModeSnapshot) {
		t.Errorf("snapshot gates: %v", DefaultGate(r))
	}
}

func TestProfiles(t *testing.T) {
	want := map[string]struct {
		host  string
		modes []Mode
		any   bool
	}{
		"golem":           {"golem", nil, false},
		"golem-automatic": {"golem", []Mode{ModeReplay}, false},
		"golem-manual":    {"golem", []Mode{ModeSnapshot, ModeAPI}, false},
		"vercel":          {"", []Mode{ModeRestart}, false},
		"ic":              {"ic", []Mode{ModeInFlight, ModeAPI}, false},
		"any":             {"", nil, true},
	}
	if got := ProfileNames(); len(got) != len(want) {
		t.Errorf("profiles %v", got)
	}
	for name, w := range want {
		p, err := ProfileByName(name)
		if err != nil {
			t.Fatal(err)
		}
		// A profile's upgrade path is its gating modes, but for
		// golem-manual's: snapshot is the path, api gates too.
		path := w.modes
		if name == "golem-manual" {
			path = []Mode{ModeSnapshot}
		}
		if p.Host != w.host || !slices.Equal(p.Modes, w.modes) || p.Any != w.any || p.Doc == "" || !slices.Equal(p.PathModes(), path) {
			t.Errorf("%s: %+v", name, p)
		}
		h, err := NewHost(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if (h != nil) != (w.host != "") || h != nil && h.Name != w.host {
			t.Errorf("%s: host %+v", name, h)
		}
	}
	if h, _ := NewHost("golem-automatic", nil); !h.ProvidesImport("wasi:io/streams@0.2.0") {
		t.Error("golem-automatic does not provide WASI")
	}
	if _, err := ProfileByName("golem-auto"); err == nil || !strings.Contains(err.Error(), "golem-automatic") {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestDidYouMean(t *testing.T) {
	keys := []string{"version", "modes", "require_proof", "ignore", "ignore_only", "platform"}
	for in, want := range map[string]string{
		"mode": "modes", "Modes": "modes", "require_prof": "require_proof", "platfrom": "platform",
		"ignore-only": "ignore_only", "breaking": "", "x": "", "modes": "", "require": "require_proof", "ign": "",
		"modse": "modes", "vresion": "version", "paltform": "platform",
	} {
		if got := DidYouMean(in, keys); got != want {
			t.Errorf("DidYouMean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFixHint: a rule with a fix command names the report's paths.
func TestFixHint(t *testing.T) {
	fix := fixer(Artifact{Path: "dist/old build.wasm"}, Artifact{Path: "new.wasm"})
	if got := fix("wfcompat pin NEW --against OLD -o PINNED.wasm"); got != "wfcompat pin new.wasm --against 'dist/old build.wasm' -o PINNED.wasm" {
		t.Errorf("fix %q", got)
	}
	if got := fixer(Artifact{Path: "-"}, Artifact{})("wfcompat pin NEW --against OLD"); got != "wfcompat pin NEW --against OLD" {
		t.Errorf("fix without paths %q", got)
	}
	r, ok := BaseRegistry().Lookup(RuleCallbackSlotMoved)
	if !ok || r.Fix != "wfcompat pin NEW --against OLD -o PINNED.wasm" {
		t.Errorf("CALLBACK_SLOT_MOVED fix %q", r.Fix)
	}
}
