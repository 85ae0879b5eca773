package compat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

var corpus = shared.CorpusDir()

// diffFiles opens two corpus binaries with the native decoders and diffs them.
func diffFiles(t testing.TB, oldPath, newPath string) *Report {
	t.Helper()
	o, err := analyze.Open(filepath.Join(corpus, oldPath), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := analyze.Open(filepath.Join(corpus, newPath), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Diff(o.World, n.World, Options{
		Old: Artifact{Path: o.Path, Kind: string(o.Kind), SHA256: o.SHA256},
		New: Artifact{Path: n.Path, Kind: string(n.Kind), SHA256: n.SHA256},
	})
}

// TestCorpusGolemUpdates runs Golem's own update fixtures. The expectations
// come from the components' worlds (../shared/corpus/README.md) and Golem's
// documented update behaviour, not from wfcompat's output:
//   - v1 exports f1..f3 and nothing for snapshots; v2 adds f4 and
//     save-snapshot but no load-snapshot; v3 replaces f1..f3 by get/set and
//     exports both snapshot interfaces; v4 exports only load-snapshot.
//   - Snapshot-based update needs save-snapshot on the old build and
//     load-snapshot on the new one; with both it stays unproven (the new
//     load may refuse the bytes, as v3's does for fewer than 8 bytes and
//     v4's always does), since that is behaviour, not types.
func TestCorpusGolemUpdates(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	type want map[Mode]Verdict
	tests := []struct {
		old, new string
		want     want
	}{
		// v1 → v2: everything old is still there, so api and restart hold.
		{"golem-v1.1.0/update-test-v1.wasm", "golem-v1.1.0/update-test-v2.wasm",
			want{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven, ModeSnapshot: Unsafe, ModeInFlight: NotApplicable}},
		{"golem-v1.3.0/update-test-v1.wasm", "golem-v1.3.0/update-test-v2.wasm",
			want{ModeAPI: Safe, ModeRestart: Safe, ModeReplay: Unproven, ModeSnapshot: Unsafe, ModeInFlight: NotApplicable}},
		// v1 → v3: f1..f3 are gone; v1 cannot save a snapshot.
		{"golem-v1.1.0/update-test-v1.wasm", "golem-v1.1.0/update-test-v3.wasm",
			want{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe, ModeSnapshot: Unsafe, ModeInFlight: NotApplicable}},
		{"golem-v1.3.0/update-test-v1.wasm", "golem-v1.3.0/update-test-v3.wasm",
			want{ModeAPI: Unsafe, ModeRestart: Unsafe, ModeReplay: Unsafe, ModeSnapshot: Unsafe, ModeInFlight: NotApplicable}},
		// v2 → v3 (and the 1.1.x-package and SDK variants): v2 saves, v3 loads.
		{"golem-v1.1.0/update-test-v2.wasm", "golem-v1.1.0/update-test-v3.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
		{"golem-v1.1.0/update-test-v2-11.wasm", "golem-v1.1.0/update-test-v3-11.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
		{"golem-v1.3.0/update-test-v2.wasm", "golem-v1.3.0/update-test-v3.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
		{"golem-v1.3.0/update-test-v2-11.wasm", "golem-v1.3.0/update-test-v3-11.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
		{"golem-v1.3.0/update-test-v2-11.wasm", "golem-v1.3.0/update-test-v3-sdk.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
		// v2 → v4: v4's load always fails at run time, which types cannot show.
		{"golem-v1.1.0/update-test-v2.wasm", "golem-v1.1.0/update-test-v4.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
		{"golem-v1.3.0/update-test-v2.wasm", "golem-v1.3.0/update-test-v4.wasm",
			want{ModeAPI: Unsafe, ModeSnapshot: Unproven}},
	}
	for _, tt := range tests {
		t.Run(tt.old+" to "+filepath.Base(tt.new), func(t *testing.T) {
			r := diffFiles(t, tt.old, tt.new)
			for m, v := range tt.want {
				if got := r.Modes[m].Verdict; got != v {
					t.Errorf("%s: %s, want %s; reasons %+v", m, got, v, r.Modes[m].Reasons)
				}
			}
			checkReport(t, r)
		})
	}
}

// TestCorpusGolemFindings checks the findings of v1 → v3 one by one.
func TestCorpusGolemFindings(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	r := diffFiles(t, "golem-v1.1.0/update-test-v1.wasm", "golem-v1.1.0/update-test-v3.wasm")
	got := strings.Join(ruleSubjects(r), "\n")
	for _, want := range []string{
		"EXPORT_FUNCTION_REMOVED golem:component/api#f1",
		"EXPORT_FUNCTION_REMOVED golem:component/api#f2",
		"EXPORT_FUNCTION_REMOVED golem:component/api#f3",
		"EXPORT_FUNCTION_ADDED golem:component/api#get",
		"SNAPSHOT_SAVE_MISSING golem:api/save-snapshot",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing finding %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "SNAPSHOT_LOAD_MISSING") {
		t.Errorf("v3 exports load-snapshot:\n%s", got)
	}
}

// TestCorpusCoreModules: IC canisters are core modules; their in-flight
// mode comes from the callback analyses (without them it is unproven).
func TestCorpusCoreModules(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	r := diffFiles(t, "ic/wallet-0.7.0.wasm", "ic/wallet-0.8.2.wasm")
	if res := r.Modes[ModeInFlight]; res.Verdict != Unproven || !strings.Contains(res.Reasons[len(res.Reasons)-1].Message, "callback analysis not run") {
		t.Errorf("in-flight without analyses: %+v", res)
	}
	if v := r.Modes[ModeSnapshot].Verdict; v != NotApplicable {
		t.Errorf("snapshot %s", v)
	}
	checkReport(t, r)

	var as [2]*callbacks.Analysis
	for i, p := range []string{"ic/wallet-0.7.0.wasm", "ic/wallet-0.8.2.wasm"} {
		a, err := analyze.Open(filepath.Join(corpus, p), analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if as[i], err = callbacks.Analyze(a.Core, nil); err != nil {
			t.Fatal(err)
		}
	}
	w := &wit.World{}
	r = Diff(w, w, Options{Old: Artifact{Kind: "core"}, New: Artifact{Kind: "core"}, OldCallbacks: as[0], NewCallbacks: as[1]})
	want, findings := InFlight(as[0], as[1])
	if got := r.Modes[ModeInFlight].Verdict; got != want.Verdict || got == NotApplicable {
		t.Errorf("in-flight %s, InFlight says %s", got, want.Verdict)
	}
	if len(r.Findings) != len(findings) {
		t.Errorf("%d findings, InFlight has %d", len(r.Findings), len(findings))
	}
	checkReport(t, r)
}

// BenchmarkDiff decodes update-test-v1 and -v2 (Golem 1.1.0) with the
// native component decoder and diffs them: the whole in-process path of
// wfcompat diff, without file I/O.
func BenchmarkDiff(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	ob, nb := readPair(b)
	b.SetBytes(int64(len(ob) + len(nb)))
	b.ReportAllocs()
	for b.Loop() {
		o, n := decodePair(b, ob, nb)
		Diff(o, n, Options{})
	}
}

// decodePair decodes two binaries with the native decoder and returns
// their worlds.
func decodePair(b *testing.B, ob, nb []byte) (old, new *wit.World) {
	o, err := analyze.Decode(ob)
	if err != nil {
		b.Fatal(err)
	}
	n, err := analyze.Decode(nb)
	if err != nil {
		b.Fatal(err)
	}
	return o.World, n.World
}

// BenchmarkDiffLoadWIT does the same with the worlds extracted by
// wasmtools.LoadWIT (go.bytecodealliance.org's embedded wasm-tools), for
// comparison.
func BenchmarkDiffLoadWIT(b *testing.B) {
	shared.Need(b, shared.CorpusDir())
	ob, nb := readPair(b)
	b.SetBytes(int64(len(ob) + len(nb)))
	b.ReportAllocs()
	op, np := filepath.Join(corpus, benchOld), filepath.Join(corpus, benchNew)
	for b.Loop() {
		o, err := wasmtools.LoadWIT(op, "")
		if err != nil {
			b.Fatal(err)
		}
		n, err := wasmtools.LoadWIT(np, "")
		if err != nil {
			b.Fatal(err)
		}
		Diff(o, n, Options{})
	}
}

const (
	benchOld = "golem-v1.1.0/update-test-v1.wasm"
	benchNew = "golem-v1.1.0/update-test-v2.wasm"
)

func readPair(b *testing.B) (old, new []byte) {
	b.Helper()
	old, err := os.ReadFile(filepath.Join(corpus, benchOld))
	if err != nil {
		b.Fatal(err)
	}
	new, err = os.ReadFile(filepath.Join(corpus, benchNew))
	if err != nil {
		b.Fatal(err)
	}
	return old, new
}
