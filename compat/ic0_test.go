package compat

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/wit"
)

// TestIC0TableCoversPlatform: the signature table is sorted (lookupIC0
// searches it) and lists exactly the functions the ic platform provides,
// so no ic0 function of the platform is name-only.
func TestIC0TableCoversPlatform(t *testing.T) {
	if !slices.IsSortedFunc(ic0Funcs, func(a, b ic0Func) int { return strings.Compare(a.name, b.name) }) {
		t.Fatal("ic0Funcs is not sorted by name")
	}
	var names []string
	for _, f := range ic0Funcs {
		names = append(names, "ic0#"+f.name)
		if strings.Trim(f.params+f.results, "ilI") != "" {
			t.Errorf("%s: bad type letters %q -> %q", f.name, f.params, f.results)
		}
		if f.only32 && strings.Contains(f.params+f.results, "I") {
			t.Errorf("%s: a 32-bit-only function has no address-width type", f.name)
		}
	}
	i := slices.IndexFunc(platforms, func(p Platform) bool { return p.Name == "ic" })
	provides := slices.Sorted(slices.Values(platforms[i].Provides))
	if !slices.Equal(names, provides) {
		t.Errorf("table %v\nplatform %v", names, provides)
	}
}

// coreFunc builds a function as analyze.CoreWorld does: params p0.. of
// s32 (i32) and s64 (i64), several results a tuple.
func coreFunc(name, params, results string) *wit.Function {
	typ := func(c byte) *wit.Type {
		switch c {
		case 'i':
			return wit.Prim(wit.S32)
		case 'l':
			return wit.Prim(wit.S64)
		}
		return wit.Prim(wit.F32)
	}
	f := &wit.Function{Name: name}
	for i := range len(params) {
		f.Params = append(f.Params, wit.Param{Name: "p" + strconv.Itoa(i), Type: typ(params[i])})
	}
	switch len(results) {
	case 0:
	case 1:
		f.Result = typ(results[0])
	default:
		t := &wit.Type{Kind: wit.Tuple}
		for i := range len(results) {
			t.Elems = append(t.Elems, typ(results[i]))
		}
		f.Result = t
	}
	return f
}

// TestProvidesCoreFunction: the ic host provides a listed ic0 function
// only with its wasm32 form (32-bit module), its wasm64 form (memory64
// module) or either (width unknown); names the table lacks, other import
// modules, and hosts without the ic platform stay name-only.
func TestProvidesCoreFunction(t *testing.T) {
	ic, err := NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	icPlus, err := NewHost("ic", []string{"ic0", "ic0#brand_new", "env#f"})
	if err != nil {
		t.Fatal(err)
	}
	namesOnly, err := NewHost("", []string{"ic0"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		host         *Host
		module       string
		name, params string
		results      string
		w            AddressWidth
		want         bool
	}{
		{ic, "ic0", "msg_reply_data_append", "ii", "", Width32, true},
		{ic, "ic0", "msg_reply_data_append", "ll", "", Width32, false},
		{ic, "ic0", "msg_reply_data_append", "ll", "", Width64, true},
		{ic, "ic0", "msg_reply_data_append", "ii", "", Width64, false},
		{ic, "ic0", "msg_reply_data_append", "ii", "", WidthUnknown, true},
		{ic, "ic0", "msg_reply_data_append", "ll", "", WidthUnknown, true},
		{ic, "ic0", "msg_reply_data_append", "il", "", WidthUnknown, false},
		{ic, "ic0", "msg_reply_data_append", "iii", "", Width32, false},
		{ic, "ic0", "msg_reply_data_append", "ii", "i", Width32, false},
		{ic, "ic0", "msg_reply_data_append", "ff", "", Width32, false},
		{ic, "ic0", "call_perform", "", "i", Width64, true},
		{ic, "ic0", "call_perform", "", "", Width32, false},
		{ic, "ic0", "call_perform", "", "ii", Width32, false},
		{ic, "ic0", "msg_arg_data_size", "", "l", Width64, true},
		{ic, "ic0", "msg_arg_data_size", "", "i", Width64, false},
		{ic, "ic0", "stable64_size", "", "l", Width32, true},
		{ic, "ic0", "stable64_size", "", "i", Width32, false},
		{ic, "ic0", "stable_size", "", "i", Width32, true},
		{ic, "ic0", "stable_size", "", "i", Width64, false},
		{ic, "ic0", "stable_size", "", "i", WidthUnknown, true},
		{ic, "ic0", "call_cycles_add", "l", "", Width32, true},
		{ic, "ic0", "call_cycles_add", "l", "", Width64, false},
		{ic, "ic0", "call_cycles_add128", "ll", "", Width64, true},
		{ic, "ic0", "msg_cycles_accept128", "lli", "", Width32, true},
		{ic, "ic0", "msg_cycles_accept128", "lll", "", Width64, true},
		{ic, "ic0", "msg_cycles_accept128", "lli", "", Width64, false},
		{ic, "ic0", "mint_cycles", "l", "l", Width64, true},
		{ic, "ic0", "cost_sign_with_ecdsa", "llil", "i", Width64, true},
		{ic, "ic0", "cost_sign_with_ecdsa", "iiii", "i", Width32, true},
		{ic, "ic0", "cost_sign_with_ecdsa", "llll", "i", Width64, false},
		// Newer functions (env_var_*, msg_caller_info_*, cost_http_request_v2):
		// provided at either width, with their own form only.
		{ic, "ic0", "env_var_count", "", "i", Width32, true},
		{ic, "ic0", "env_var_count", "", "l", Width64, true},
		{ic, "ic0", "env_var_count", "", "l", Width32, false},
		{ic, "ic0", "env_var_count", "", "", Width32, false},
		{ic, "ic0", "env_var_name_exists", "ii", "i", Width32, true},
		{ic, "ic0", "env_var_name_exists", "ll", "i", Width64, true},
		{ic, "ic0", "env_var_name_exists", "ll", "l", Width64, false}, // the result is i32 at both widths
		{ic, "ic0", "env_var_value_copy", "iiiii", "", Width32, true},
		{ic, "ic0", "env_var_value_copy", "lllll", "", Width64, true},
		{ic, "ic0", "env_var_value_copy", "iiii", "", Width32, false},
		{ic, "ic0", "env_var_name_copy", "llll", "", Width64, true},
		{ic, "ic0", "env_var_name_size", "l", "l", Width64, true},
		{ic, "ic0", "env_var_value_size", "ii", "i", Width32, true},
		{ic, "ic0", "msg_caller_info_data_size", "", "l", Width64, true},
		{ic, "ic0", "msg_caller_info_signer_copy", "iii", "", Width32, true},
		{ic, "ic0", "msg_caller_info_signer_copy", "lll", "", Width32, false},
		{ic, "ic0", "cost_http_request_v2", "iii", "", Width32, true},
		{ic, "ic0", "cost_http_request_v2", "lll", "", Width64, true},
		{ic, "ic0", "cost_http_request_v2", "lli", "", Width32, false}, // cost_http_request's shape
		{ic, "ic0", "brand_new", "", "", Width32, false},               // not provided by name
		{ic, "env", "msg_reply", "", "", Width32, false},
		// host_provides adds names; it cannot vouch for a signature.
		{icPlus, "ic0", "brand_new", "lll", "", Width32, true},
		{icPlus, "ic0", "msg_reply_data_append", "ll", "", Width32, false},
		{icPlus, "env", "f", "f", "", Width32, true},
		// Without the ic platform, names only.
		{namesOnly, "ic0", "msg_reply_data_append", "ll", "", Width32, true},
	} {
		f := coreFunc(tc.name, tc.params, tc.results)
		if got := tc.host.ProvidesCoreFunction(tc.module, f, tc.w); got != tc.want {
			t.Errorf("%s: %s.%s %s at width %d: provided %v, want %v", tc.host.Name, tc.module, tc.name, coreFuncWAT(f), tc.w, got, tc.want)
		}
	}
}

// TestIC0UnknownWidth: without the module or its recorded width (a
// manifest written before core_externs.address_width: Options.NewWidth
// unknown), the new build's ic0 imports are judged at the one width they
// fit together; imports that each fit some width but not one together
// are not all provided.
func TestIC0UnknownWidth(t *testing.T) {
	ic, err := NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	world := func(name string) *wit.World { return openCore(t, name).World }
	old := world("ic0sig_old")
	for _, tc := range []struct {
		new         string
		w           AddressWidth // inferred
		notProvided []string
	}{
		{"ic0sig_ok32", Width32, nil},
		{"ic0sig_ok64", Width64, nil},
		// A memory64 module would have these imports: provided, as
		// nothing says the module is not one.
		{"ic0sig_width", Width64, nil},
		{"ic0sig_64_32form", Width32, nil},
		{"ic0sig_mixed", Width32, []string{"ic0#msg_reply_data_append"}},
		{"ic0sig_extra", Width32, []string{"ic0#msg_reply_data_append"}},
		{"ic0sig_noresult", Width32, []string{"ic0#call_perform"}},
		{"ic0sig_stable64_narrow", Width32, []string{"ic0#stable64_size"}},
		{"ic0sig_old", WidthUnknown, nil},
	} {
		nw := world(tc.new)
		if got := inferIC0Width(nw); got != tc.w {
			t.Errorf("%s: inferred width %d, want %d", tc.new, got, tc.w)
		}
		// No memory, table or global on either side (recorded as none):
		// only the ic0 functions differ.
		r := Diff(old, nw, Options{Old: Artifact{Kind: "core"}, New: Artifact{Kind: "core"}, Host: ic, OldExterns: &externs.Set{}, NewExterns: &externs.Set{}})
		var got []string
		for _, f := range r.Findings {
			if f.Rule == RuleImportNotProvided {
				got = append(got, f.Subject)
				if !strings.Contains(f.Message, "memory is not at hand") {
					t.Errorf("%s: message does not say the width was inferred: %s", tc.new, f.Message)
				}
			}
		}
		if !slices.Equal(got, tc.notProvided) {
			t.Errorf("%s: IMPORT_NOT_PROVIDED at %q, want %q", tc.new, got, tc.notProvided)
		}
		// A new import provided only at the inferred width leaves api
		// unproven, not safe: the memory was not seen.
		api := r.Modes[ModeAPI]
		assumed := slices.ContainsFunc(api.Reasons, func(x Reason) bool { return strings.Contains(x.Message, "memory is not at hand") })
		switch {
		case len(tc.notProvided) > 0:
			if api.Verdict != Unsafe {
				t.Errorf("%s: api %s, want unsafe", tc.new, api.Verdict)
			}
		case tc.w == WidthUnknown:
			if api.Verdict != Safe || assumed {
				t.Errorf("%s: api %s %v, want safe without a width note", tc.new, api.Verdict, api.Reasons)
			}
		default:
			if api.Verdict != Unproven || !assumed {
				t.Errorf("%s: api %s %v, want unproven: the width was assumed", tc.new, api.Verdict, api.Reasons)
			}
		}
	}
}

// TestIC0UnknownWidthUnchanged: an ic0 import both builds have, right
// only at the inferred width, leaves api unproven as a new one does: the
// new build may have changed width (ic0sig_64_32form is a memory64
// module importing ic0sig_ok32's wasm32 forms, which its binary shows
// unsafe). With the width known, it is judged at it.
func TestIC0UnknownWidthUnchanged(t *testing.T) {
	ic, err := NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	decode := func(name string) *analyze.Artifact { return openCore(t, name) }
	old, nw := decode("ic0sig_ok32"), decode("ic0sig_64_32form")
	for _, tc := range []struct {
		w    AddressWidth
		want Verdict
	}{{WidthUnknown, Unproven}, {CoreWidth(nw.Core), Unsafe}, {Width32, Safe}} {
		r := Diff(old.World, nw.World, Options{Old: Artifact{Kind: "core"}, New: Artifact{Kind: "core"}, Host: ic,
			OldExterns: &externs.Set{}, NewExterns: &externs.Set{}, NewWidth: tc.w})
		api := r.Modes[ModeAPI]
		assumed := slices.ContainsFunc(api.Reasons, func(x Reason) bool { return strings.Contains(x.Message, "memory is not at hand") })
		if api.Verdict != tc.want || assumed != (tc.w == WidthUnknown) {
			t.Errorf("width %d: api %s %+v, want %s", tc.w, api.Verdict, api.Reasons, tc.want)
		}
	}
}

// TestIC0CorpusCanisters checks the table against real canisters: every
// ic0 import of every Internet Computer canister of the shared corpus (all
// installed on the IC, so all with the signatures it links) must have the
// table's signature at the canister's address width. A disagreement is
// an error in the table.
func TestIC0CorpusCanisters(t *testing.T) {
	dir := shared.Corpus(t, "ic")
	paths, err := filepath.Glob(filepath.Join(dir, "*.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Skipf("no canisters in %s", dir)
	}
	host, err := NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	checked, names := 0, map[string]bool{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := analyze.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		w := CoreWidth(a.Core)
		// Read from a manifest, the width is inferred from the imports:
		// the canister's own, or either when it imports only fixed-width
		// functions.
		if iw := inferIC0Width(a.World); iw != w && iw != WidthUnknown {
			t.Errorf("%s: width %d inferred from its imports, memory says %d", filepath.Base(p), iw, w)
		}
		for _, it := range a.World.Imports {
			if it.Name != "ic0" || it.Interface == nil {
				continue
			}
			for _, f := range it.Interface.Functions {
				checked++
				names[f.Name] = true
				if why := host.coreSignatureProblem("ic0", f, w); why != "" || !host.ProvidesCoreFunction("ic0", f, w) {
					t.Errorf("%s: ic0.%s %s: %s", filepath.Base(p), f.Name, coreFuncWAT(f), why)
				}
			}
		}
	}
	t.Logf("%d canisters, %d ic0 imports, %d distinct functions", len(paths), checked, len(names))
	if checked == 0 {
		t.Error("no ic0 import checked")
	}
}

// TestIC0FormChangedWithWidth: an ic0 import both builds have whose
// signature changed to the System API's form at the new build's width (a
// memory64 rebuild importing the wasm64 forms, or back) is provided under
// the ic platform: IMPORT_PROVIDED, api safe, replay unproven (a log
// recorded on the old build holds the old form's values). Without the ic
// platform (no host, or a host naming ic0 only) the change stays
// IMPORT_TYPE_CHANGED; a changed signature that is not the form at the new
// width stays IMPORT_NOT_PROVIDED; with the width neither at hand nor
// recorded, the form inferred from the imports leaves api unproven.
func TestIC0FormChangedWithWidth(t *testing.T) {
	ic, err := NewHost("ic", nil)
	if err != nil {
		t.Fatal(err)
	}
	namesOnly, err := NewHost("", []string{"ic0"})
	if err != nil {
		t.Fatal(err)
	}
	reformed := []string{"ic0#msg_arg_data_size", "ic0#msg_cycles_accept128", "ic0#msg_reply_data_append"}
	const known = AddressWidth(-1) // the new module's own width
	for _, tc := range []struct {
		name, old, new string
		host           *Host
		width          AddressWidth
		api, replay    Verdict
		// provided and notProvided are the subjects of IMPORT_PROVIDED
		// and IMPORT_NOT_PROVIDED findings; typeChanged whether any
		// IMPORT_TYPE_CHANGED or IMPORT_RESULT_CONVERTED is reported.
		provided, notProvided []string
		typeChanged           bool
		// replayNote: replay names the changed forms (hostForm).
		replayNote bool
	}{
		{name: "32-bit to memory64, ic", old: "ic0sig_ok32", new: "ic0sig_ok64", host: ic, width: known,
			api: Safe, replay: Unproven, provided: reformed, replayNote: true},
		{name: "memory64 to 32-bit, ic", old: "ic0sig_ok64", new: "ic0sig_ok32", host: ic, width: known,
			api: Safe, replay: Unproven, replayNote: true,
			// stable_size and call_cycles_add are new, 32-bit only.
			provided: append([]string{"ic0#call_cycles_add", "ic0#stable_size"}, reformed...)},
		{name: "32-bit to memory64, no host", old: "ic0sig_ok32", new: "ic0sig_ok64", width: known,
			api: Unsafe, replay: Unsafe, typeChanged: true},
		{name: "memory64 to 32-bit, no host", old: "ic0sig_ok64", new: "ic0sig_ok32", width: known,
			api: Unsafe, replay: Unsafe, typeChanged: true},
		{name: "32-bit to memory64, ic0 by name only", old: "ic0sig_ok32", new: "ic0sig_ok64", host: namesOnly, width: known,
			api: Unsafe, replay: Unsafe, typeChanged: true},
		// Unchanged, but the wasm32 form in a memory64 module.
		{name: "32-bit form kept in a memory64 module", old: "ic0sig_ok32", new: "ic0sig_64_32form", host: ic, width: known,
			api: Unsafe, replay: Unsafe, notProvided: []string{"ic0#msg_reply_data_append"}},
		// Changed, to the form of the other width.
		{name: "changed to the 32-bit form in a memory64 module", old: "ic0sig_ok64", new: "ic0sig_64_32form", host: ic, width: known,
			api: Unsafe, replay: Unsafe, notProvided: []string{"ic0#msg_reply_data_append"}, typeChanged: true},
		{name: "changed to i64 pointers in a 32-bit module", old: "ic0sig_old_append", new: "ic0sig_width", host: ic, width: known,
			api: Unsafe, replay: Unsafe, notProvided: []string{"ic0#msg_reply_data_append"}, typeChanged: true},
		// A manifest without the width: the imports fit memory64
		// together, so the forms are provided at that width, unproven.
		{name: "32-bit to memory64, ic, width not recorded", old: "ic0sig_ok32", new: "ic0sig_ok64", host: ic, width: WidthUnknown,
			api: Unproven, replay: Unproven, provided: reformed, replayNote: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, n := openCore(t, tc.old), openCore(t, tc.new)
			w := tc.width
			if w == known {
				w = CoreWidth(n.Core)
			}
			core := Artifact{Kind: "core"}
			r := Diff(o.World, n.World, Options{Old: core, New: core, OldExterns: o.CoreExterns, NewExterns: n.CoreExterns,
				Host: tc.host, NewWidth: w})
			var provided, notProvided []string
			typeChanged := false
			for _, f := range r.Findings {
				switch f.Rule {
				case RuleImportProvided:
					provided = append(provided, f.Subject)
				case RuleImportNotProvided:
					notProvided = append(notProvided, f.Subject)
				case RuleImportTypeChanged, RuleImportResultConverted:
					typeChanged = true
				}
			}
			slices.Sort(provided)
			if want := slices.Sorted(slices.Values(tc.provided)); !slices.Equal(provided, want) {
				t.Errorf("IMPORT_PROVIDED at %q, want %q", provided, want)
			}
			if !slices.Equal(notProvided, tc.notProvided) {
				t.Errorf("IMPORT_NOT_PROVIDED at %q, want %q", notProvided, tc.notProvided)
			}
			if typeChanged != tc.typeChanged {
				t.Errorf("IMPORT_TYPE_CHANGED or IMPORT_RESULT_CONVERTED reported: %v, want %v", typeChanged, tc.typeChanged)
			}
			if v := r.Modes[ModeAPI].Verdict; v != tc.api {
				t.Errorf("api %s, want %s: %+v", v, tc.api, r.Modes[ModeAPI].Reasons)
			}
			replay := r.Modes[ModeReplay]
			if replay.Verdict != tc.replay {
				t.Errorf("replay %s, want %s: %+v", replay.Verdict, tc.replay, replay.Reasons)
			}
			note := slices.ContainsFunc(replay.Reasons, func(x Reason) bool {
				return x.Verdict == Unproven && strings.Contains(x.Message, "changed signature to the form the host (ic) provides")
			})
			if note != tc.replayNote {
				t.Errorf("replay names the changed forms: %v, want %v: %+v", note, tc.replayNote, replay.Reasons)
			}
			if tc.replayNote {
				for _, s := range reformed {
					fn := strings.TrimPrefix(s, "ic0#")
					if !slices.ContainsFunc(replay.Reasons, func(x Reason) bool { return strings.Contains(x.Message, fn) }) {
						t.Errorf("replay does not name %s: %+v", fn, replay.Reasons)
					}
				}
			}
		})
	}
}
