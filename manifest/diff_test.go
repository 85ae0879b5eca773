package manifest_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/manifest"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDiffManifestsLikeBinaries checks that a platform keeping manifests
// instead of binaries loses nothing: comparing two manifests (written to
// JSON and read back) gives the same verdicts and findings as comparing
// the binaries they came from, for every ordered pair of the corpus —
// in-flight included: the binaries are compared with their callback
// analyses, the manifests with the analyses read back from them.
func TestDiffManifestsLikeBinaries(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	// The corpus, and the hand-written core modules that exercise every
	// in-flight rule.
	fixtures, err := filepath.Glob("../testdata/wat/cb_*.wasm")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no callback fixtures: %v", err)
	}
	// And those that exercise the rules of memories, tables and globals.
	externs, err := filepath.Glob("../testdata/wat/ext_*.wasm")
	if err != nil || len(externs) == 0 {
		t.Fatalf("no memory, table and global fixtures: %v", err)
	}
	fixtures = append(fixtures, externs...)
	files := append(corpus(t), fixtures...)
	type side struct {
		bin, man     compat.Artifact
		binW         *analyze.Artifact
		binCB, manCB *callbacks.Analysis
		m            *manifest.Manifest
	}
	sides := make([]side, len(files))
	for i, path := range files {
		back, a := buildRead(t, path)
		s := side{
			bin:  compat.Artifact{Path: path, Kind: string(a.Kind), SHA256: a.SHA256},
			man:  compat.Artifact{Path: path, Kind: back.Artifact.Kind, SHA256: back.Artifact.SHA256},
			binW: a,
			m:    back,
		}
		if a.Core != nil {
			if s.binCB, err = callbacks.Analyze(a.Core, nil); err != nil {
				t.Fatal(err)
			}
			if back.Callbacks == nil {
				t.Fatalf("%s: the manifest of a core module has no callback analysis", path)
			}
			s.manCB = back.Callbacks.Analysis()
			if back.CoreExterns == nil || a.CoreExterns == nil {
				t.Fatalf("%s: the manifest of a core module records no memories, tables and globals", path)
			}
		}
		sides[i] = s
	}
	pairs, accepted, inflight, rules := 0, 0, map[compat.Verdict]int{}, map[string]bool{}
	for i, o := range sides {
		for j, n := range sides {
			fromBin := compat.Diff(o.binW.World, n.binW.World, compat.Options{Old: o.bin, New: n.bin, OldCallbacks: o.binCB, NewCallbacks: n.binCB,
				OldExterns: o.binW.CoreExterns, NewExterns: n.binW.CoreExterns})
			fromMan := compat.Diff(o.m.World, n.m.World, compat.Options{Old: o.man, New: n.man, OldCallbacks: o.manCB, NewCallbacks: n.manCB,
				OldExterns: o.m.RecordedCoreExterns(), NewExterns: n.m.RecordedCoreExterns()})
			// The reports name their inputs; everything else must agree.
			fromMan.Old, fromMan.New = fromBin.Old, fromBin.New
			// Except what Funcs, which a manifest does not keep, decides:
			// the binaries' report may accept a callback slot that still
			// holds the very function (docs/manifest.md). Without Funcs
			// the binaries give the manifests' report, and with it they
			// only lose CALLBACK_SLOT_REUSED findings.
			bare := fromBin
			if o.binCB != nil && n.binCB != nil && (o.binCB.Funcs != nil || n.binCB.Funcs != nil) {
				ob, nb := *o.binCB, *n.binCB
				ob.Funcs, nb.Funcs = nil, nil
				bare = compat.Diff(o.binW.World, n.binW.World, compat.Options{Old: o.bin, New: n.bin, OldCallbacks: &ob, NewCallbacks: &nb,
					OldExterns: o.binW.CoreExterns, NewExterns: n.binW.CoreExterns})
				if lost := onlyLostSlotReused(fromBin.Findings, bare.Findings); lost < 0 {
					t.Errorf("%s → %s: the binaries' Funcs changed findings other than taking CALLBACK_SLOT_REUSED away:\n%s",
						filepath.Base(files[i]), filepath.Base(files[j]), cmp.Diff(bare.Findings, fromBin.Findings))
				} else if lost > 0 {
					accepted++
				}
			}
			if diff := cmp.Diff(bare, fromMan); diff != "" {
				t.Errorf("%s → %s: manifests and binaries disagree (-binaries +manifests):\n%s",
					filepath.Base(files[i]), filepath.Base(files[j]), diff)
			}
			pairs++
			if o.binCB != nil && n.binCB != nil {
				inflight[fromBin.Modes[compat.ModeInFlight].Verdict]++
			}
			for _, f := range fromBin.Findings {
				rules[f.Rule] = true
			}
		}
	}
	// The comparison means something for in-flight only if the core pairs
	// reach real verdicts.
	if inflight[compat.Safe] == 0 || inflight[compat.Unsafe] == 0 || inflight[compat.Unproven] == 0 {
		t.Errorf("in-flight verdicts of core pairs: %v; want safe, unsafe and unproven ones", inflight)
	}
	// CORE_IMPORT_NOT_PROVIDED needs a host; the others come from the
	// ext_ fixtures.
	for _, id := range []string{compat.RuleCoreExportRemoved, compat.RuleCoreExportTypeChanged, compat.RuleCoreExportTypeRefined,
		compat.RuleCoreImportAdded, compat.RuleCoreImportTypeChanged, compat.RuleCoreImportTypeTightened,
		compat.RuleCoreImportTypeRelaxed, compat.RuleCoreImportRemoved} {
		if !rules[id] {
			t.Errorf("no pair reports %s: the comparison does not cover it", id)
		}
	}
	for _, r := range compat.InFlightRules() {
		if !rules[r.ID] {
			t.Errorf("no pair reports %s: the comparison does not cover it", r.ID)
		}
	}
	// The fixtures where a role is dropped and its function kept.
	if accepted == 0 {
		t.Error("no pair where the binaries accept a slot the manifests report: the comparison does not cover Funcs")
	}
	t.Logf("%d pairs compared; in-flight verdicts of core pairs: %v; %d pairs where only the binaries accept a slot by its function", pairs, inflight, accepted)
}

// onlyLostSlotReused returns how many findings of bare are missing from
// with when those are CALLBACK_SLOT_REUSED findings and with has no
// finding bare lacks, and -1 otherwise.
func onlyLostSlotReused(with, bare []compat.Finding) int {
	for _, f := range with {
		if !slices.ContainsFunc(bare, func(g compat.Finding) bool { return cmp.Equal(f, g) }) {
			return -1
		}
	}
	lost := 0
	for _, f := range bare {
		if !slices.ContainsFunc(with, func(g compat.Finding) bool { return cmp.Equal(f, g) }) {
			if f.Rule != compat.RuleCallbackSlotReused {
				return -1
			}
			lost++
		}
	}
	return lost
}

// TestDiffManifestsLikeBinariesIC: on the ic platform, which checks ic0
// signatures at the new build's address width, a manifest (its recorded
// core_externs.address_width) gives the binary's report, for every
// ordered pair of the corpus's canisters and of the ic0 signature
// fixtures (32- and 64-bit). Its manifest without the width (written
// before it was recorded) is never api safe where the binary is not.
func TestDiffManifestsLikeBinariesIC(t *testing.T) {
	files, err := filepath.Glob("../testdata/wat/ic0sig_*.wasm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no ic0sig fixtures: %v", err)
	}
	if canisters, _ := filepath.Glob(shared.CorpusDir() + "/ic/*.wasm"); len(canisters) > 0 {
		files = append(files, canisters...)
	} else {
		t.Logf("no canisters under %s: the ic0sig fixtures only", shared.CorpusDir())
	}
	host, err := compat.NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	type side struct {
		a              *analyze.Artifact
		m              *manifest.Manifest
		binCB, manCB   *callbacks.Analysis
		noWidth        *externs.Set
		bin, man, name string
	}
	sides := make([]side, len(files))
	widths := map[compat.AddressWidth]int{}
	for i, path := range files {
		back, a := buildRead(t, path)
		cb, err := callbacks.Analyze(a.Core, nil)
		if err != nil {
			t.Fatal(err)
		}
		x := *back.CoreExterns
		x.AddressWidth = 0
		sides[i] = side{a: a, m: back, binCB: cb, manCB: back.Callbacks.Analysis(), noWidth: &x, name: filepath.Base(path)}
		widths[compat.CoreWidth(a.Core)]++
	}
	if widths[compat.Width32] == 0 || widths[compat.Width64] == 0 {
		t.Fatalf("widths %v: want 32- and 64-bit modules", widths)
	}
	core := compat.Artifact{Kind: "core"}
	counts := map[string]int{}
	for _, o := range sides {
		for _, n := range sides {
			fromBin := compat.Diff(o.a.World, n.a.World, compat.Options{Old: core, New: core, Host: host, OldCallbacks: o.binCB, NewCallbacks: n.binCB,
				OldExterns: o.a.CoreExterns, NewExterns: n.a.CoreExterns, NewWidth: compat.CoreWidth(n.a.Core)})
			fromMan := compat.Diff(o.m.World, n.m.World, compat.Options{Old: core, New: core, Host: host, OldCallbacks: o.manCB, NewCallbacks: n.manCB,
				OldExterns: o.m.RecordedCoreExterns(), NewExterns: n.m.RecordedCoreExterns(), NewWidth: compat.RecordedWidth(n.m.RecordedCoreExterns())})
			if diff := cmp.Diff(fromBin, fromMan); diff != "" {
				t.Errorf("%s → %s: manifests and binaries disagree (-binaries +manifests):\n%s", o.name, n.name, diff)
			}
			noWidth := compat.Diff(o.m.World, n.m.World, compat.Options{Old: core, New: core, Host: host, OldCallbacks: o.manCB, NewCallbacks: n.manCB,
				OldExterns: o.m.RecordedCoreExterns(), NewExterns: n.noWidth, NewWidth: compat.RecordedWidth(n.noWidth)})
			b, w := fromBin.Modes[compat.ModeAPI].Verdict, noWidth.Modes[compat.ModeAPI].Verdict
			if w == compat.Safe && b != compat.Safe {
				t.Errorf("%s → %s: api safe from a manifest without the width, %s from the binary", o.name, n.name, b)
			}
			counts["pairs"]++
			counts["binary api "+string(b)]++
			if w != b {
				counts["without the width, api "+string(b)+" → "+string(w)]++
			}
		}
	}
	t.Logf("%v", counts)
}

// buildRead builds the manifest of the binary at path and reads it back
// from its encoding, with the binary decoded beside it.
func buildRead(t testing.TB, path string) (*manifest.Manifest, *analyze.Artifact) {
	t.Helper()
	m, wasm := build(t, path)
	enc, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := manifest.Read(enc)
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyze.Decode(wasm)
	if err != nil {
		t.Fatal(err)
	}
	return back, a
}
