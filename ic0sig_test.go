package wfcompat

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/manifest"
)

// TestDiffIC0Signatures: with --platform ic, an ic0 import is provided only
// with the signature the Internet Computer links (compat/ic0.go) — the
// wasm32 form in a 32-bit module, the wasm64 one in a memory64 module — as
// the new build's memory decides; any other is IMPORT_NOT_PROVIDED, unsafe
// in every mode, as an import the host lacks by name is.
func TestDiffIC0Signatures(t *testing.T) {
	const dir = "testdata/wat/"
	for _, tc := range []struct {
		name, old, new string
		// notProvided are the subjects of IMPORT_NOT_PROVIDED findings;
		// provided those of IMPORT_PROVIDED.
		notProvided, provided []string
		// also are other rules the report must have.
		also []string
	}{
		{name: "wasm32 forms", old: "ic0sig_old", new: "ic0sig_ok32",
			provided: []string{"ic0#msg_reply_data_append", "ic0#msg_arg_data_size", "ic0#stable64_read",
				"ic0#msg_cycles_accept128", "ic0#call_perform", "ic0#stable_size", "ic0#call_cycles_add"}},
		{name: "wasm64 forms in a memory64 module", old: "ic0sig_old", new: "ic0sig_ok64",
			provided: []string{"ic0#msg_reply_data_append", "ic0#msg_arg_data_size", "ic0#stable64_read",
				"ic0#msg_cycles_accept128", "ic0#call_perform"}},
		// The newer System API functions (environment variables, caller
		// info, cost_http_request_v2): a build adding them stays api-safe.
		{name: "newer functions, wasm32 forms", old: "ic0sig_old", new: "ic0sig_new32",
			provided: []string{"ic0#env_var_count", "ic0#env_var_name_exists", "ic0#env_var_value_copy",
				"ic0#msg_caller_info_data_size", "ic0#cost_http_request_v2"}},
		{name: "newer functions, wasm64 forms", old: "ic0sig_old", new: "ic0sig_new64",
			provided: []string{"ic0#env_var_count", "ic0#env_var_name_exists", "ic0#env_var_value_copy",
				"ic0#msg_caller_info_data_size", "ic0#cost_http_request_v2"}},
		{name: "newer function, wasm64 form in a 32-bit module", old: "ic0sig_old", new: "ic0sig_new_wrong",
			notProvided: []string{"ic0#env_var_count"}, provided: []string{"ic0#env_var_name_exists"}},
		{name: "i64 pointers in a 32-bit module", old: "ic0sig_old", new: "ic0sig_width",
			notProvided: []string{"ic0#msg_reply_data_append"}},
		{name: "extra parameter", old: "ic0sig_old", new: "ic0sig_extra",
			notProvided: []string{"ic0#msg_reply_data_append"}},
		{name: "missing result", old: "ic0sig_old", new: "ic0sig_noresult",
			notProvided: []string{"ic0#call_perform"}},
		{name: "stable64 narrowed", old: "ic0sig_old", new: "ic0sig_stable64_narrow",
			notProvided: []string{"ic0#stable64_size"}},
		{name: "wasm32 form in a memory64 module", old: "ic0sig_old", new: "ic0sig_64_32form",
			notProvided: []string{"ic0#msg_reply_data_append"}},
		{name: "32-bit-only function in a memory64 module", old: "ic0sig_old", new: "ic0sig_64_stable",
			notProvided: []string{"ic0#stable_size"}},
		{name: "mixed widths in a 32-bit module", old: "ic0sig_old", new: "ic0sig_mixed",
			notProvided: []string{"ic0#msg_reply_data_append"}, provided: []string{"ic0#msg_arg_data_size"}},
		// A new import module is judged whole: one wrong function makes
		// it not provided.
		{name: "new ic0 module, wasm32 forms", old: "ic0sig_none", new: "ic0sig_ok32", provided: []string{"ic0"}},
		{name: "new ic0 module, wrong width", old: "ic0sig_none", new: "ic0sig_width", notProvided: []string{"ic0"}},
		// A function both builds import: a changed signature the IC does
		// not link, and an unchanged one the new width makes wrong.
		{name: "signature changed", old: "ic0sig_old_append", new: "ic0sig_width",
			notProvided: []string{"ic0#msg_reply_data_append"}, also: []string{compat.RuleImportTypeChanged}},
		{name: "now a memory64 module", old: "ic0sig_old_append", new: "ic0sig_64_32form",
			notProvided: []string{"ic0#msg_reply_data_append"}},
		{name: "unchanged and right", old: "ic0sig_old_append", new: "ic0sig_old_append"},
		// Changed to the form the System API has at the new width: the
		// replica links it, so it is provided as a new import is
		// (compat.TestIC0FormChangedWithWidth has the replay side).
		{name: "right signature, changed with the width", old: "ic0sig_old_append", new: "ic0sig_ok64",
			provided: []string{"ic0#msg_reply_data_append", "ic0#msg_arg_data_size", "ic0#stable64_read", "ic0#msg_cycles_accept128", "ic0#call_perform"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, nw := open(t, dir+tc.old+".wasm"), open(t, dir+tc.new+".wasm")
			res, err := Diff(context.Background(), old, nw, DiffOptions{Platform: "ic"})
			if err != nil {
				t.Fatal(err)
			}
			var notProvided, provided []string
			for _, f := range res.Report.Findings {
				switch f.Rule {
				case compat.RuleImportNotProvided:
					notProvided = append(notProvided, f.Subject)
					if !strings.Contains(f.Message, "the System API has ") || !strings.Contains(f.Message, "host (ic)") {
						t.Errorf("message does not say the signature the IC links: %s", f.Message)
					}
				case compat.RuleImportProvided:
					provided = append(provided, f.Subject)
				}
			}
			slices.Sort(notProvided)
			slices.Sort(provided)
			want := slices.Sorted(slices.Values(tc.notProvided))
			if !slices.Equal(notProvided, want) {
				t.Errorf("IMPORT_NOT_PROVIDED at %q, want %q", notProvided, want)
			}
			if want := slices.Sorted(slices.Values(tc.provided)); !slices.Equal(provided, want) {
				t.Errorf("IMPORT_PROVIDED at %q, want %q", provided, want)
			}
			for _, r := range tc.also {
				if !slices.Contains(rulesOf(res.Report), r) {
					t.Errorf("no %s: %v", r, rulesOf(res.Report))
				}
			}
			api := res.Report.Modes[compat.ModeAPI].Verdict
			switch {
			case len(tc.notProvided) > 0:
				// Not provided: the build does not install, every mode
				// is unsafe, as for an import the host lacks by name.
				for m, r := range res.Report.Modes {
					if r.Verdict != compat.Unsafe && r.Verdict != compat.NotApplicable {
						t.Errorf("%s is %s, want unsafe", m, r.Verdict)
					}
				}
			case len(tc.also) == 0 && api != compat.Safe:
				t.Errorf("api is %s, want safe: %v", api, rulesOf(res.Report))
			}
		})
	}
}

// TestDiffIC0SignaturesManifest: a manifest records its module's address
// width (core_externs.address_width), so under --platform ic a diff with
// either side a manifest gives the report the binaries give, for every
// ordered pair of the ic0 signature fixtures (memory64 ones among them,
// whose memory is not exported). A manifest without the width (written
// before it was recorded) keeps the inferred width: where the binary's
// width decides, its api verdict is never safe unless the binary's is,
// and a new import provided only at the inferred width is unproven.
func TestDiffIC0SignaturesManifest(t *testing.T) {
	bins, err := filepath.Glob("testdata/wat/ic0sig_*.wasm")
	if err != nil || len(bins) < 2 {
		t.Fatalf("ic0sig fixtures: %v %v", bins, err)
	}
	dir := t.TempDir()
	type fixture struct{ bin, man, noWidth string }
	var fixtures []fixture
	widths := map[compat.AddressWidth]int{}
	for _, bin := range bins {
		a := open(t, bin)
		cb, err := callbacks.Analyze(a.Core, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := manifest.Build(manifest.Input{Kind: string(a.Kind), World: a.World, Bytes: a.Bytes, CoreExterns: a.CoreExterns, Callbacks: cb})
		if err != nil {
			t.Fatal(err)
		}
		w := compat.RecordedWidth(m.CoreExterns)
		if w != compat.CoreWidth(a.Core) {
			t.Fatalf("%s: manifest records width %d, the module is %d", bin, w, compat.CoreWidth(a.Core))
		}
		widths[w]++
		name := strings.TrimSuffix(filepath.Base(bin), ".wasm")
		f := fixture{bin: bin, man: filepath.Join(dir, name+".json"), noWidth: filepath.Join(dir, name+".nowidth.json")}
		writeJSON := func(path string) {
			data, err := manifest.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		writeJSON(f.man)
		x := *m.CoreExterns
		x.AddressWidth = 0 // as written before the field
		m.CoreExterns = &x
		writeJSON(f.noWidth)
		fixtures = append(fixtures, f)
	}
	if widths[compat.Width32] == 0 || widths[compat.Width64] == 0 {
		t.Fatalf("fixture widths %v: want 32- and 64-bit modules", widths)
	}
	diff := func(old, new string) *compat.Report {
		t.Helper()
		res, err := Diff(context.Background(), open(t, old), open(t, new), DiffOptions{Platform: "ic"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Report
	}
	assumed := func(r *compat.Report) bool {
		return slices.ContainsFunc(r.Modes[compat.ModeAPI].Reasons, func(x compat.Reason) bool {
			return strings.Contains(x.Message, "memory is not at hand")
		})
	}
	pairs, changed := 0, 0
	for _, o := range fixtures {
		for _, n := range fixtures {
			name := filepath.Base(o.bin) + " → " + filepath.Base(n.bin)
			want := diff(o.bin, n.bin)
			for _, sides := range [][2]string{{o.bin, n.man}, {o.man, n.man}, {o.man, n.bin}} {
				got := diff(sides[0], sides[1])
				got.Old, got.New = want.Old, want.New // the reports name their inputs
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s: %s vs %s disagrees with the binaries (-binaries +manifest):\n%s", name, filepath.Base(sides[0]), filepath.Base(sides[1]), d)
				}
			}
			if assumed(want) {
				t.Errorf("%s: binaries diffed with an assumed width", name)
			}
			// The new build as a manifest without the width.
			old := diff(o.bin, n.noWidth)
			wantAPI, oldAPI := want.Modes[compat.ModeAPI].Verdict, old.Modes[compat.ModeAPI].Verdict
			if oldAPI == compat.Safe && wantAPI != compat.Safe {
				t.Errorf("%s: api safe from a manifest without the width, %s from the binary", name, wantAPI)
			}
			if oldAPI != wantAPI {
				changed++
				if oldAPI != compat.Unproven || !assumed(old) {
					t.Errorf("%s: api %s from a manifest without the width (binary: %s), want unproven with the width note: %+v",
						name, oldAPI, wantAPI, old.Modes[compat.ModeAPI].Reasons)
				}
			}
			pairs++
		}
	}
	// The width decides somewhere: a memory64 module's wasm64 imports
	// (ic0sig_ok64) and a 32-bit module's i64 pointers (ic0sig_width)
	// are told apart only by the recorded width.
	for _, tc := range []struct {
		new string
		api compat.Verdict
	}{{"ic0sig_ok64", compat.Safe}, {"ic0sig_width", compat.Unsafe}} {
		r := diff("testdata/wat/ic0sig_old.wasm", filepath.Join(dir, tc.new+".json"))
		if v := r.Modes[compat.ModeAPI].Verdict; v != tc.api || assumed(r) {
			t.Errorf("ic0sig_old → %s manifest: api %s, want %s without an assumed width", tc.new, v, tc.api)
		}
		r = diff("testdata/wat/ic0sig_old.wasm", filepath.Join(dir, tc.new+".nowidth.json"))
		if v := r.Modes[compat.ModeAPI].Verdict; v != compat.Unproven || !assumed(r) {
			t.Errorf("ic0sig_old → %s manifest without the width: api %s, want unproven with the width note", tc.new, v)
		}
	}
	t.Logf("%d pairs (×3 with manifests) agree with the binaries; %d differ in api when the new manifest lacks the width", pairs, changed)
}
