package rewrite

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestPinWarnings: pin keeps slots, not signatures or what an env points
// to, and says so: a kept callback whose signature changed from the lock's
// (CALLBACK_TYPE_CHANGED, unsafe in diff; a change of the env's width alone
// CALLBACK_UNRESOLVED), an env that is evidently a heap pointer
// (CALLBACK_ENV_HEAP_POINTER) and one the analysis cannot classify
// (CALLBACK_ENV_UNKNOWN, excused by the Motoko runtime's pre_upgrade
// guard), the pinned build's and, when its analysis is at hand, the
// running build's, whose calls are in flight now. The output is written
// all the same.
func TestPinWarnings(t *testing.T) {
	type w struct {
		Rule      string
		Running   bool
		Slot      uint32
		Role      string
		Func      uint32
		Type      string
		OldType   string
		Env       string
		Substring string
	}
	for _, tc := range []struct {
		name, old, new string
		running        bool // the old build's analysis is at hand (pin --against)
		want           []w
	}{
		{"signature changed", "cb_table_old", "cb_type_changed", false, []w{
			{Rule: RuleCallbackTypeChanged, Slot: 1, Role: "reply", Func: 3, Type: "(func (param i32 i32))", OldType: "(func (param i32))",
				Substring: "the reply callback of ic0.call_new kept at slot 1 of table 0 (func[3]) changed its signature from (func (param i32)) to (func (param i32 i32))"},
		}},
		{"env width changed", "cb_table_old", "cb_type_env64", false, []w{
			{Rule: RuleCallbackUnresolved, Slot: 1, Role: "reply", Func: 3, Type: "(func (param i64))", OldType: "(func (param i32))",
				Substring: "changed the width of its env parameter, (func (param i32)) to (func (param i64))"},
			{Rule: RuleCallbackUnresolved, Slot: 2, Role: "reject", Func: 4, Type: "(func (param i64))", OldType: "(func (param i32))"},
		}},
		{"same signature, new body", "cb_table_old", "cb_type_body", false, nil},
		{"heap pointer env", "cb_table_old", "cb_env_pointer", false, []w{
			{Rule: RuleCallbackEnvHeapPointer, Slot: 1, Role: "reply", Func: 3, Type: "(func (param i32))", Env: "local 0 + 8",
				Substring: "pinning keeps callback slots valid, not the env pointers passed with them: the pinned build's reply callback of ic0.call_new at slot 1 of table 0 (func[3] (func (param i32))) is registered in canister_update go (offset 0x"},
			{Rule: RuleCallbackEnvHeapPointer, Slot: 2, Role: "reject", Func: 4, Type: "(func (param i32))", Env: "local 0 + 8"},
		}},
		{"unclassified env", "cb_env_call", "cb_env_call", false, []w{
			{Rule: RuleCallbackEnvUnknown, Slot: 1, Role: "reply", Func: 4, Type: "(func (param i32))", Env: "read from local 0, which holds the result of the call at 0xd5",
				Substring: "with an env the analysis cannot classify (read from local 0, which holds the result of the call at 0xd5), which may be a heap address"},
			{Rule: RuleCallbackEnvUnknown, Slot: 2, Role: "reject", Func: 5, Type: "(func (param i32))", Env: "read from local 0, which holds the result of the call at 0xd5"},
		}},
		{"unclassified env, pre_upgrade guard", "cb_env_call_guard", "cb_env_call_guard", false, nil},
		// The running build's envs are what calls in flight carry now.
		{"running build's heap pointer", "cb_env_pointer", "cb_table_old", true, []w{
			{Rule: RuleCallbackEnvHeapPointer, Running: true, Slot: 1, Role: "reply", Func: 3, Type: "(func (param i32))", Env: "local 0 + 8",
				Substring: "the running build's reply callback of ic0.call_new at slot 1 of table 0 (func[3] (func (param i32))) is registered in canister_update go (offset 0xd1) with env local 0 + 8, evidently a heap address; an Internet Computer upgrade discards main memory unless the canister uses enhanced orthogonal persistence (Motoko), so a response to a call it made before the upgrade hands the callback a stale pointer (CALLBACK_ENV_HEAP_POINTER)"},
			{Rule: RuleCallbackEnvHeapPointer, Running: true, Slot: 2, Role: "reject", Func: 4, Type: "(func (param i32))", Env: "local 0 + 8"},
		}},
		{"running build's unclassified env, and the pinned build's", "cb_env_call", "cb_env_call", true, []w{
			{Rule: RuleCallbackEnvUnknown, Running: true, Slot: 1, Role: "reply", Func: 4, Type: "(func (param i32))", Env: "read from local 0, which holds the result of the call at 0xd5"},
			{Rule: RuleCallbackEnvUnknown, Slot: 1, Role: "reply", Func: 4, Type: "(func (param i32))", Env: "read from local 0, which holds the result of the call at 0xd5"},
			{Rule: RuleCallbackEnvUnknown, Running: true, Slot: 2, Role: "reject", Func: 5, Type: "(func (param i32))", Env: "read from local 0, which holds the result of the call at 0xd5"},
			{Rule: RuleCallbackEnvUnknown, Slot: 2, Role: "reject", Func: 5, Type: "(func (param i32))", Env: "read from local 0, which holds the result of the call at 0xd5"},
		}},
		{"running build guarded", "cb_env_call_guard", "cb_table_old", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := read(t, wat+tc.old+".wasm")
			opts := Options{Lock: lockOf(t, old)}
			if tc.running {
				opts.Running = analysis(t, old)
			}
			res := pinChecked(t, read(t, wat+tc.new+".wasm"), opts)
			var got []w
			for i, x := range res.Warnings {
				got = append(got, w{Rule: x.Rule, Running: x.Running, Slot: x.Slot, Role: string(x.Role), Func: x.Func, Type: x.Type, OldType: x.OldType, Env: x.Env})
				if (x.Env != "") != (x.Site != nil) || x.Site != nil && (x.Site.Off == 0 || x.Site.Name != "canister_update go") {
					t.Errorf("warning %d: env %q at %+v, want the registering call of an env", i, x.Env, x.Site)
				}
				if i < len(tc.want) && !strings.Contains(x.Message, tc.want[i].Substring) {
					t.Errorf("warning %d: %q lacks %q", i, x.Message, tc.want[i].Substring)
				}
				if x.Message == "" || !strings.HasSuffix(x.Message, ")") || strings.Contains(x.Message, "\n") {
					t.Errorf("warning %d: message %q", i, x.Message)
				}
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(w{}, "Substring"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			// Every warning is a note too, which the CLI prints.
			for _, x := range res.Warnings {
				if !contains(res.Notes, x.Message) {
					t.Errorf("warning %q is not among the notes %q", x.Message, res.Notes)
				}
			}
			// The lock records the build's signatures, for the next pin.
			for _, lt := range res.Lock.Tables {
				for _, s := range lt.Slots {
					for _, c := range s.Callbacks {
						if c.Type == "" {
							t.Errorf("lock slot %d: %s callback without a type", s.Slot, c.Role)
						}
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPinUntypedLock: a lock written before locks recorded signatures
// (no "type") still reads; pin says it cannot check the signatures, and
// the lock it writes records them.
func TestPinUntypedLock(t *testing.T) {
	lock := lockOf(t, read(t, wat+"cb_table_old.wasm"))
	b := lock.Marshal()
	if !strings.Contains(string(b), `"type": "(func (param i32))"`) {
		t.Fatalf("lock without types:\n%s", b)
	}
	var old Lock
	if err := json.Unmarshal(b, &old); err != nil {
		t.Fatal(err)
	}
	for i := range old.Tables {
		for j := range old.Tables[i].Slots {
			for k := range old.Tables[i].Slots[j].Callbacks {
				old.Tables[i].Slots[j].Callbacks[k].Type = ""
			}
		}
	}
	if _, err := ParseLock(b); err != nil {
		t.Fatalf("a lock with types does not read: %v", err)
	}
	untyped, err := ParseLock(old.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	res := pinChecked(t, read(t, wat+"cb_type_changed.wasm"), Options{Lock: untyped})
	if len(res.Warnings) != 0 || len(res.Notes) != 1 || !strings.HasPrefix(res.Notes[0], "the lock records no signatures for 2 of the callbacks it keeps") {
		t.Errorf("warnings %+v, notes %q", res.Warnings, res.Notes)
	}
	if !strings.Contains(string(res.Lock.Marshal()), `"type": "(func (param i32 i32))"`) {
		t.Errorf("the lock written lacks the signatures:\n%s", res.Lock.Marshal())
	}
}
