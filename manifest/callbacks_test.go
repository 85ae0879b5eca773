package manifest_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/manifest"
)

// TestCallbacksRoundTrip checks that the callback analysis of every core
// module of the corpus survives a manifest round trip (Build, Encode,
// Read) exactly, with the profiles it was made with — including a
// user-defined profile.
func TestCallbacksRoundTrip(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	extra, err := callbacks.ParseCallbackImport("ic0.msg_reply_data_append:0")
	if err != nil {
		t.Fatal(err)
	}
	for _, profiles := range [][]callbacks.Profile{nil, append(callbacks.IC0(), extra)} {
		for _, path := range corpus(t) {
			b := readFile(t, path)
			a, err := analyze.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if a.Core == nil {
				continue
			}
			an, err := callbacks.Analyze(a.Core, &callbacks.Options{Profiles: profiles})
			if err != nil {
				t.Fatal(err)
			}
			m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), Bytes: b, World: a.World, Callbacks: an, Profiles: profiles})
			if err != nil {
				t.Fatal(err)
			}
			enc, err := manifest.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			back, err := manifest.Read(enc)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if diff := cmp.Diff(an, back.Callbacks.Analysis(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: analysis after the round trip (-analyzed +read):\n%s", path, diff)
			}
			want := profiles
			if want == nil {
				want = callbacks.IC0()
			}
			if got := back.Callbacks.AnalysisProfiles(); !manifest.SameProfiles(want, got) ||
				!cmp.Equal(want, got, cmpopts.EquateEmpty()) {
				t.Errorf("%s: profiles %s, want %s", path, manifest.ProfilesText(got), manifest.ProfilesText(want))
			}
		}
	}
}

// TestCallbacksMirror fails when analyze/callbacks gains a field the
// manifest does not carry: the in-flight check could then decide
// differently on manifests than on binaries. Add the field to the
// manifest's mirror types (manifest/callbacks.go), to the schema and to
// docs/manifest.md — a new schema version — and then here.
func TestCallbacksMirror(t *testing.T) {
	carried := map[reflect.Type][]string{
		reflect.TypeFor[callbacks.Analysis]():   {"Imports", "Forwarders", "Callbacks", "Unresolved", "Tables", "PreUpgradeGuard"},
		reflect.TypeFor[callbacks.Profile]():    {"Module", "Name", "Args", "Table"},
		reflect.TypeFor[callbacks.ProfileArg](): {"Index", "Role", "Env"},
		reflect.TypeFor[callbacks.RegImport]():  {"Import", "Func", "Type", "Table", "Args", "Callers"},
		reflect.TypeFor[callbacks.Forwarder]():  {"Func", "Name", "Import", "Role", "Param", "Map"},
		reflect.TypeFor[callbacks.Callback]():   {"Import", "Role", "Arg", "Table", "Slot", "Func", "Name", "Type", "Fingerprint", "Sites"},
		reflect.TypeFor[callbacks.Site]():       {"Func", "Name", "Off", "Via", "Env"},
		reflect.TypeFor[callbacks.Env]():        {"Kind", "Value", "Detail"},
		reflect.TypeFor[callbacks.Unresolved](): {"Import", "Role", "Arg", "Func", "Name", "Off", "Why"},
		reflect.TypeFor[callbacks.Table](): {"Index", "Export", "Imported", "Elem", "Min", "Max", "HasMax", "Unknown",
			"Ops", "Entries", "IndirectUses", "IndirectFuncs"},
		reflect.TypeFor[callbacks.Entry]():   {"Func", "Name"},
		reflect.TypeFor[callbacks.TableOp](): {"Op", "Write", "Func", "Off", "Known", "Start", "End"},
	}
	// Fields only pin uses, which always reads the binary: the element
	// expression of a slot (and its reason), whose summary is in
	// Table.Unknown.
	// Funcs, the fingerprints of every function of the module, needs the
	// function bodies, which a manifest does not keep: an analysis read
	// back from a manifest has none, and the in-flight check then does not
	// accept a callback slot by the function it holds (CALLBACK_SLOT_REUSED
	// stays reported; docs/manifest.md).
	binaryOnly := map[reflect.Type][]string{
		reflect.TypeFor[callbacks.Analysis](): {"Funcs"},
		reflect.TypeFor[callbacks.Table]():    {"UnknownExprs"},
		reflect.TypeFor[callbacks.Entry]():    {"Expr", "Why"},
	}
	for typ, fields := range binaryOnly {
		carried[typ] = append(carried[typ], fields...)
	}
	for typ, fields := range carried {
		var have []string
		for i := 0; i < typ.NumField(); i++ {
			if f := typ.Field(i); f.IsExported() {
				have = append(have, f.Name)
			}
		}
		slices.Sort(have)
		want := slices.Sorted(slices.Values(fields))
		if !slices.Equal(have, want) {
			t.Errorf("callbacks.%s has fields %s; the manifest carries %s", typ.Name(), strings.Join(have, ", "), strings.Join(want, ", "))
		}
	}
}

// TestProfilesText checks the rendering and comparison of profiles.
func TestProfilesText(t *testing.T) {
	extra, _ := callbacks.ParseCallbackImport("env.register:0,2")
	ps := append(callbacks.IC0(), extra)
	if got, want := manifest.ProfilesText(ps), "env.register:0,2 ic0.call_new:4,6 ic0.call_on_cleanup:0"; got != want {
		t.Errorf("ProfilesText = %q, want %q", got, want)
	}
	if !manifest.SameProfiles(ps, []callbacks.Profile{extra, callbacks.IC0()[1], callbacks.IC0()[0]}) {
		t.Error("order matters to SameProfiles")
	}
	if manifest.SameProfiles(ps, callbacks.IC0()) {
		t.Error("SameProfiles ignores a profile")
	}
	other, _ := callbacks.ParseCallbackImport("env.register:0")
	if manifest.SameProfiles(append(callbacks.IC0(), other), ps) {
		t.Error("SameProfiles ignores arguments")
	}
	// Profiles that differ only in what the --callback-import syntax does
	// not say (a role, an env argument: a manifest edited or damaged) are
	// told apart in messages. Found by the bad-input QA: the message
	// named the same imports twice.
	if a, b := manifest.ProfilesTexts(ps, callbacks.IC0()); a != "env.register:0,2 ic0.call_new:4,6 ic0.call_on_cleanup:0" || b != "ic0.call_new:4,6 ic0.call_on_cleanup:0" {
		t.Errorf("ProfilesTexts of different imports = %q, %q", a, b)
	}
	odd := callbacks.IC0()
	odd[1].Args = append([]callbacks.ProfileArg(nil), odd[1].Args...)
	odd[1].Args[0].Env = -1
	if manifest.SameProfiles(odd, callbacks.IC0()) {
		t.Fatal("SameProfiles ignores the env argument")
	}
	if a, b := manifest.ProfilesTexts(odd, callbacks.IC0()); a == b || !strings.Contains(a, "ic0.call_on_cleanup:0") || !strings.Contains(b, "/env") {
		t.Errorf("ProfilesTexts of profiles differing in env = %q, %q", a, b)
	}
}
