package wfcompat

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
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
		{name: "right signature, changed with the width", old: "ic0sig_old_append", new: "ic0sig_ok64",
			provided: []string{"ic0#msg_arg_data_size", "ic0#stable64_read", "ic0#msg_cycles_accept128", "ic0#call_perform"},
			also:     []string{compat.RuleImportTypeChanged}},
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
