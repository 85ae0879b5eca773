package compat

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/rewrite"
)

func callbacksOf(t *testing.T, path string) *callbacks.Analysis {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return callbacksOfBytes(t, b)
}

func callbacksOfBytes(t *testing.T, b []byte) *callbacks.Analysis {
	t.Helper()
	m, err := core.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	a, err := callbacks.Analyze(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var ic = shared.CorpusDir() + "/ic/"

func rulesOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Subject)
	}
	return out
}

func TestInFlightWallets(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, tc := range []struct {
		old, new string
		want     Verdict
		findings []string // rule and subject of every error finding
	}{
		// The slots are kept, but the env is a heap pointer (unproven).
		{"wallet-0.7.0", "wallet-0.8.2", Unproven, nil},
		{"wallet-0.7.0", "wallet-0.7.0", Unproven, nil},
		{"wallet-0.8.2", "wallet-0.10.0", Unsafe, []string{
			"CALLBACK_SLOT_MOVED core:table[0][56]", "CALLBACK_SLOT_MOVED core:table[0][56]"}},
		{"wallet-0.10.0", "wallet-0.12.0", Unsafe, []string{
			"CALLBACK_SLOT_MOVED core:table[0][68]", "CALLBACK_SLOT_MOVED core:table[0][68]", "CALLBACK_SLOT_MOVED core:table[0][69]"}},
		{"motoko-counter", "motoko-counter-region", Safe, nil},
		{"motoko-call", "motoko-call", Safe, nil},
		{"rust-counter", "rust-counter", NotApplicable, nil},
	} {
		t.Run(tc.old+"_"+tc.new, func(t *testing.T) {
			res, fs := InFlight(callbacksOf(t, ic+tc.old+".wasm"), callbacksOf(t, ic+tc.new+".wasm"))
			if res.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s; reasons %+v", res.Verdict, tc.want, res.Reasons)
			}
			var errs []string
			for _, f := range fs {
				if f.Severity == SeverityError {
					errs = append(errs, f.Rule+" "+f.Subject)
				}
				if !slices.Equal(f.Modes, []Mode{ModeInFlight}) || f.Why == "" || f.Message == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
			if !slices.Equal(errs, tc.findings) {
				t.Fatalf("findings %q, want %q", errs, tc.findings)
			}
			if len(res.Reasons) == 0 {
				t.Fatal("no reasons")
			}
		})
	}
}

func TestInFlightMovedMessage(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	_, fs := InFlight(callbacksOf(t, ic+"wallet-0.8.2.wasm"), callbacksOf(t, ic+"wallet-0.10.0.wasm"))
	var msgs []string
	for _, f := range fs {
		msgs = append(msgs, f.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"the reply callback of ic0.call_new moved from slot 56 to slot 68; slot 56 now holds func[718]",
		"the reject callback of ic0.call_new moved from slot 56 to slot 68",
		"local 0 + 8", // the env pointer warning names the computation
	} {
		if !strings.Contains(all, want) {
			t.Errorf("messages lack %q:\n%s", want, all)
		}
	}
}

// TestInFlightHeapPointerWarning: kept slots do not make in-flight safe
// when the env outstanding calls carry is a heap pointer, which an upgrade
// leaves dangling unless the canister keeps its heap (not visible in the
// binary): unproven, and only for that reason.
func TestInFlightHeapPointerWarning(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	res, fs := InFlight(callbacksOf(t, ic+"wallet-0.7.0.wasm"), callbacksOf(t, ic+"wallet-0.8.2.wasm"))
	if res.Verdict != Unproven || !onlyEnvPointers(res) {
		t.Fatalf("verdict %s, reasons %+v", res.Verdict, res.Reasons)
	}
	found := false
	for _, f := range fs {
		if f.Rule == RuleCallbackEnvHeapPointer && f.Subject == "core:table[0][56]" && f.Severity == SeverityWarning {
			found = strings.Contains(f.Message, "enhanced orthogonal persistence")
		}
	}
	if !found {
		t.Fatalf("no heap pointer warning in %q", rulesOf(fs))
	}
	if !slices.ContainsFunc(res.Reasons, func(r Reason) bool { return r.Rule == RuleCallbackEnvHeapPointer }) {
		t.Fatal("the warning is not among the mode's reasons")
	}
}

// onlyEnvPointers reports whether every reason that keeps res from safe is
// a heap-pointer env: the slots themselves are kept.
func onlyEnvPointers(res ModeResult) bool {
	n := 0
	for _, r := range res.Reasons {
		if r.Verdict != Safe {
			if r.Rule != RuleCallbackEnvHeapPointer {
				return false
			}
			n++
		}
	}
	return n > 0
}

// TestInFlightPinned: after pin, the upgrades the wallet made unsafe keep
// every callback slot, release after release; only the wallet's heap
// pointer envs keep them unproven.
func TestInFlightPinned(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	read := func(name string) []byte {
		b, err := os.ReadFile(ic + name + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	lock, err := rewrite.LockFromAnalysis(callbacksOf(t, ic+"wallet-0.8.2.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	p10, err := rewrite.Pin(read("wallet-0.10.0"), rewrite.Options{Lock: lock})
	if err != nil {
		t.Fatal(err)
	}
	res, fs := InFlight(callbacksOf(t, ic+"wallet-0.8.2.wasm"), callbacksOfBytes(t, p10.Wasm))
	if res.Verdict != Unproven || !onlyEnvPointers(res) {
		t.Fatalf("0.8.2 -> pinned 0.10.0: %s %q", res.Verdict, rulesOf(fs))
	}
	p12, err := rewrite.Pin(read("wallet-0.12.0"), rewrite.Options{Lock: p10.Lock})
	if err != nil {
		t.Fatal(err)
	}
	res, fs = InFlight(callbacksOfBytes(t, p10.Wasm), callbacksOfBytes(t, p12.Wasm))
	if res.Verdict != Unproven || !onlyEnvPointers(res) {
		t.Fatalf("pinned 0.10.0 -> pinned 0.12.0: %s %q", res.Verdict, rulesOf(fs))
	}
	// Unpinned 0.12.0 after pinned 0.10.0 is still unsafe.
	res, _ = InFlight(callbacksOfBytes(t, p10.Wasm), callbacksOf(t, ic+"wallet-0.12.0.wasm"))
	if res.Verdict != Unsafe {
		t.Fatalf("pinned 0.10.0 -> 0.12.0: %s", res.Verdict)
	}
}

func TestInFlightFixtures(t *testing.T) {
	const wat = "../testdata/wat/"
	for _, tc := range []struct {
		old, new string
		want     Verdict
		rule     string
	}{
		{"cb_table_old", "cb_table_unexported", Unsafe, RuleCallbackTableExportChanged},
		{"cb_table_old", "cb_table_shrunk", Unsafe, RuleCallbackSlotOutOfRange},
		{"cb_table_old", "cb_table_reused", Unsafe, RuleCallbackSlotReused},
		{"cb_table_old", "cb_table_written", Unproven, RuleCallbackTableWritten},
		{"cb_table_old", "cb_unresolved", Unproven, RuleCallbackUnresolved},
		{"cb_table_old", "cb_table_old", Safe, ""},
		// A kept slot whose callback changed signature traps when called.
		{"cb_table_old", "cb_type_changed", Unsafe, RuleCallbackTypeChanged},
		{"cb_table_old", "cb_type_result", Unsafe, RuleCallbackTypeChanged},
		{"cb_table_old", "cb_type_body", Safe, ""}, // same signature, new body
		// A wasm64 rebuild widens the env: not a mismatch, not proven.
		{"cb_table_old", "cb_type_env64", Unproven, RuleCallbackUnresolved},
		// The old build's calls named slots it wrote at run time.
		{"cb_old_written", "cb_table_old", Unproven, RuleCallbackTableWritten},
		{"cb_old_written_other", "cb_table_old", Safe, ""}, // wrote no callback slot
		// An imported table's slots may change outside the module.
		{"cb_table_old", "cb_table_imported", Unproven, RuleCallbackUnresolved},
		{"cb_table_imported", "cb_table_old", Unproven, RuleCallbackUnresolved},
		// Callbacks with one fingerprint that swapped slots look kept.
		{"cb_twins_old", "cb_twins_swapped", Unproven, RuleCallbackUnresolved},
		{"cb_twins_one", "cb_twins_one_b", Safe, ""}, // one function at both slots
		// Registered at another slot, but still held at the old one.
		{"cb_table_old", "cb_table_twoslots", Safe, ""},
		{"cb_table_twoslots", "cb_table_old", Unsafe, RuleCallbackSlotMoved}, // slot 3 is empty now
	} {
		t.Run(tc.new, func(t *testing.T) {
			res, fs := InFlight(callbacksOf(t, wat+tc.old+".wasm"), callbacksOf(t, wat+tc.new+".wasm"))
			if res.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s: %q %+v", res.Verdict, tc.want, rulesOf(fs), res.Reasons)
			}
			if tc.rule != "" && !slices.ContainsFunc(fs, func(f Finding) bool { return f.Rule == tc.rule }) {
				t.Fatalf("no %s in %q", tc.rule, rulesOf(fs))
			}
		})
	}
}

// TestInFlightRoleDropped covers a new build that no longer registers a
// callback role: an old callback slot still holding the very function is
// kept; another function, or one of two functions that cannot be told
// apart, is still a reused slot.
func TestInFlightRoleDropped(t *testing.T) {
	const wat = "../testdata/wat/"
	for _, tc := range []struct {
		name, old, new string
		noFuncs        string // "old" or "new": that analysis without its module's functions, as from a manifest
		want           Verdict
		rules          []string
	}{
		{"same function kept", "cb_table_old", "cb_role_dropped", "", Safe, nil},
		// The role is still registered, at slot 1; old reply slot 2 holds
		// the new reject callback, whose body is the old $b's: the same
		// function by fingerprint. Old reject slot 3 is empty now.
		{"kept under another role", "cb_names_old", "cb_table_old", "", Unsafe,
			[]string{RuleCallbackSlotMoved + " core:table[0][3]"}},
		{"another function", "cb_table_old", "cb_table_reused", "", Unsafe,
			[]string{RuleCallbackSlotReused + " core:table[0][1]"}},
		{"changed signature", "cb_table_old", "cb_role_dropped_sig", "", Unsafe,
			[]string{RuleCallbackSlotReused + " core:table[0][1]"}},
		{"new twins", "cb_table_old", "cb_role_dropped_twin", "", Unsafe,
			[]string{RuleCallbackSlotReused + " core:table[0][1]"}},
		{"old twins", "cb_twins_old", "cb_twins_dropped", "", Unsafe,
			[]string{RuleCallbackSlotReused + " core:table[0][1]", RuleCallbackSlotReused + " core:table[0][2]"}},
		{"new from a manifest", "cb_table_old", "cb_role_dropped", "new", Unsafe,
			[]string{RuleCallbackSlotReused + " core:table[0][1]"}},
		{"old from a manifest", "cb_table_old", "cb_role_dropped", "old", Unsafe,
			[]string{RuleCallbackSlotReused + " core:table[0][1]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, nw := callbacksOf(t, wat+tc.old+".wasm"), callbacksOf(t, wat+tc.new+".wasm")
			switch tc.noFuncs {
			case "old":
				old.Funcs = nil
			case "new":
				nw.Funcs = nil
			}
			res, fs := InFlight(old, nw)
			if res.Verdict != tc.want {
				t.Errorf("verdict %s, want %s: %+v", res.Verdict, tc.want, res.Reasons)
			}
			if got := rulesOf(fs); !slices.Equal(got, tc.rules) {
				t.Errorf("findings %q, want %q", got, tc.rules)
			}
			// An accepted slot says why in the reasons.
			said := slices.ContainsFunc(res.Reasons, func(r Reason) bool { return strings.Contains(r.Message, "still holds the very function") })
			if wantSaid := tc.want == Safe || tc.name == "kept under another role"; said != wantSaid {
				t.Errorf("a reason accepting a slot by its function: %v, want %v: %+v", said, wantSaid, res.Reasons)
			}
		})
	}
}

func TestInFlightNotApplicable(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	res, _ := InFlight(nil, callbacksOf(t, ic+"wallet-0.7.0.wasm"))
	if res.Verdict != NotApplicable {
		t.Fatal(res.Verdict)
	}
}

func TestInFlightRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range InFlightRules() {
		if seen[r.ID] || r.Purpose == "" || r.Why == "" || r.Example.Before == "" || len(r.Effects) != 1 || r.Effects[0].Mode != ModeInFlight {
			t.Errorf("bad rule %+v", r)
		}
		seen[r.ID] = true
		if c, ok := LookupRule(r.ID); ok && c.Why != r.Why {
			t.Errorf("%s differs from the catalog entry", r.ID)
		}
	}
	if len(seen) != 9 {
		t.Fatalf("%d rules", len(seen))
	}
}

// withFuncNames returns b with a name section appended that names the
// functions of names (index → name). wat2wasm writes a name section only
// with --debug-names, and never one with duplicate names, which the
// format allows.
func withFuncNames(b []byte, names []funcName) []byte {
	uleb := func(out []byte, v uint32) []byte {
		for {
			c := byte(v & 0x7f)
			v >>= 7
			if v != 0 {
				c |= 0x80
			}
			out = append(out, c)
			if v == 0 {
				return out
			}
		}
	}
	var sub []byte
	sub = uleb(sub, uint32(len(names)))
	for _, n := range names {
		sub = uleb(sub, n.idx)
		sub = uleb(sub, uint32(len(n.name)))
		sub = append(sub, n.name...)
	}
	payload := uleb([]byte{4, 'n', 'a', 'm', 'e', 1}, uint32(len(sub)))
	payload = append(payload, sub...)
	out := append(slices.Clone(b), 0)
	out = uleb(out, uint32(len(payload)))
	return append(out, payload...)
}

type funcName struct {
	idx  uint32
	name string
}

// TestInFlightDuplicateNames: a name two old callbacks share identifies
// neither, so it does not pair them with the new build's callback of that
// name (which pairing made a replaced callback look kept).
func TestInFlightDuplicateNames(t *testing.T) {
	const wat = "../testdata/wat/"
	read := func(name string) []byte {
		b, err := os.ReadFile(wat + name + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Functions 2 and 3 are the reply callbacks at slots 1 and 2.
	old := withFuncNames(read("cb_names_old"), []funcName{{2, "cb"}, {3, "cb"}})
	for _, tc := range []struct {
		name  string
		new   []byte
		want  Verdict
		rules []string
	}{
		{"dropped", withFuncNames(read("cb_names_new"), []funcName{{2, "cb"}, {3, "y"}}), Unsafe, []string{"CALLBACK_SLOT_REUSED core:table[0][1]"}},
		{"unchanged", old, Safe, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, fs := InFlight(callbacksOfBytes(t, old), callbacksOfBytes(t, tc.new))
			var errs []string
			for _, f := range fs {
				if f.Severity == SeverityError {
					errs = append(errs, f.Rule+" "+f.Subject)
				}
			}
			if res.Verdict != tc.want || !slices.Equal(errs, tc.rules) {
				t.Fatalf("verdict %s, errors %q; want %s, %q", res.Verdict, errs, tc.want, tc.rules)
			}
		})
	}
	// The names are read: each old callback is labeled "cb".
	for _, cb := range callbacksOfBytes(t, old).Callbacks {
		if cb.Role == "reply" && cb.Name != "cb" {
			t.Fatalf("callback %+v: the name section was not read", cb)
		}
	}
}

// TestInFlightEnvUnknown: an env the analysis cannot classify (an
// allocator's result passed on unchanged) leaves in-flight unproven
// (CALLBACK_ENV_UNKNOWN), unless the old build's canister_pre_upgrade
// refuses the upgrade while callbacks are outstanding (the Motoko
// runtime's guard): the upgrade runs the old build's pre_upgrade, so a
// guard in the new build alone proves nothing.
func TestInFlightEnvUnknown(t *testing.T) {
	const wat = "../testdata/wat/"
	for _, tc := range []struct {
		old, new string
		want     Verdict
		unknown  []string // subjects of the CALLBACK_ENV_UNKNOWN findings
		guarded  bool     // a safe reason names the old build's guard
	}{
		{"cb_env_call", "cb_env_call", Unproven, []string{"core:table[0][1]", "core:table[0][2]"}, false},
		{"cb_env_call_guard", "cb_env_call_guard", Safe, nil, true},
		{"cb_env_call_guard", "cb_env_call", Safe, nil, true},
		{"cb_env_call", "cb_env_call_guard", Unproven, []string{"core:table[0][1]", "core:table[0][2]"}, false},
		{"cb_env_call_guard_unexported", "cb_env_call_guard_unexported", Unproven, []string{"core:table[0][1]", "core:table[0][2]"}, false},
		{"cb_env_call_guard_wrong_len", "cb_env_call_guard_wrong_len", Unproven, []string{"core:table[0][1]", "core:table[0][2]"}, false},
		{"cb_env_call_guard_wrong_addr", "cb_env_call_guard_wrong_addr", Unproven, []string{"core:table[0][1]", "core:table[0][2]"}, false},
		// A constant env: nothing to report, as before.
		{"cb_table_old", "cb_table_old", Safe, nil, false},
	} {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			res, fs := InFlight(callbacksOf(t, wat+tc.old+".wasm"), callbacksOf(t, wat+tc.new+".wasm"))
			checkEnvUnknown(t, res, fs, tc.want, tc.unknown, tc.guarded)
		})
	}
}

// checkEnvUnknown checks the verdict, that the CALLBACK_ENV_UNKNOWN
// findings are exactly at subjects (warnings, each among the mode's
// reasons, and the only reasons against safe when there are any), and
// whether a safe reason names the old build's pre_upgrade guard.
func checkEnvUnknown(t *testing.T, res ModeResult, fs []Finding, want Verdict, subjects []string, guarded bool) {
	t.Helper()
	if res.Verdict != want {
		t.Fatalf("verdict %s, want %s: %q %+v", res.Verdict, want, rulesOf(fs), res.Reasons)
	}
	var got []string
	for _, f := range fs {
		if f.Rule == RuleCallbackEnvUnknown {
			got = append(got, f.Subject)
			if f.Severity != SeverityWarning || !strings.Contains(f.Message, "cannot classify") || !strings.Contains(f.Message, "enhanced orthogonal persistence") {
				t.Errorf("finding %+v", f)
			}
		}
	}
	if !slices.Equal(got, subjects) {
		t.Fatalf("CALLBACK_ENV_UNKNOWN at %q, want %q", got, subjects)
	}
	if len(subjects) > 0 {
		for _, r := range res.Reasons {
			if r.Verdict != Safe && r.Rule != RuleCallbackEnvUnknown {
				t.Fatalf("reason %+v besides the unknown envs", r)
			}
		}
	}
	named := slices.ContainsFunc(res.Reasons, func(r Reason) bool {
		return r.Verdict == Safe && strings.Contains(r.Message, "the old build's pre_upgrade refuses the upgrade while callbacks are outstanding (Motoko runtime): in-flight calls cannot meet a new build")
	})
	if named != guarded {
		t.Fatalf("guard named: %v, want %v: %+v", named, guarded, res.Reasons)
	}
}

// TestInFlightEnvUnknownCorpus: the Motoko canisters pass envs the
// analysis cannot classify (the runtime's continuation-table index, the
// result of a call) and keep their verdicts because their runtime's
// pre_upgrade guard is found; without the guard the same pairs would be
// unproven. The wallets' envs are heap pointers, reported as before.
func TestInFlightEnvUnknownCorpus(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, tc := range []struct {
		old, new string
		want     Verdict
	}{
		{"motoko-call", "motoko-call", Safe},
		{"motoko-counter", "motoko-counter", Safe},
		{"motoko-counter", "motoko-counter-region", Safe},
		{"motoko-counter-region", "motoko-counter", Safe},
	} {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			old, new := callbacksOf(t, ic+tc.old+".wasm"), callbacksOf(t, ic+tc.new+".wasm")
			if old.PreUpgradeGuard == "" {
				t.Fatal("the Motoko runtime's guard is not found")
			}
			res, fs := InFlight(old, new)
			checkEnvUnknown(t, res, fs, tc.want, nil, true)
			var slots []string
			for _, cb := range old.Callbacks {
				slots = append(slots, slotSubject(cb.Table, cb.Slot))
			}
			slices.Sort(slots)
			slots = slices.Compact(slots)
			old.PreUpgradeGuard = ""
			res, fs = InFlight(old, new)
			checkEnvUnknown(t, res, fs, Unproven, slots, false)
		})
	}
	for _, name := range []string{"wallet-0.7.0", "wallet-current"} {
		a := callbacksOf(t, ic+name+".wasm")
		res, fs := InFlight(a, a)
		if res.Verdict != Unproven || !onlyEnvPointers(res) || slices.ContainsFunc(fs, func(f Finding) bool { return f.Rule == RuleCallbackEnvUnknown }) {
			t.Fatalf("%s: %s %q", name, res.Verdict, rulesOf(fs))
		}
	}
}
