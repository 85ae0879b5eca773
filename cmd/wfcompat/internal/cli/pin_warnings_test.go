package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/rewrite"
)

// TestPinWarnsCLI: pin exits 0 and writes the output, but says on stderr,
// and in --json's warnings, what pinning leaves unsafe or unproven: a kept
// callback whose signature changed (diff: CALLBACK_TYPE_CHANGED, unsafe)
// and an env the analysis cannot classify (CALLBACK_ENV_UNKNOWN) or that is
// a heap pointer, of the running build (--against) and of the pinned one.
func TestPinWarnsCLI(t *testing.T) {
	// rewrite names diff's rules without importing compat.
	for got, want := range map[string]string{
		rewrite.RuleCallbackTypeChanged:    compat.RuleCallbackTypeChanged,
		rewrite.RuleCallbackUnresolved:     compat.RuleCallbackUnresolved,
		rewrite.RuleCallbackEnvHeapPointer: compat.RuleCallbackEnvHeapPointer,
		rewrite.RuleCallbackEnvUnknown:     compat.RuleCallbackEnvUnknown,
	} {
		if got != want {
			t.Errorf("rewrite's rule %q, compat's %q", got, want)
		}
	}
	for _, tc := range []struct {
		old, new string
		rules    []string
		stderr   string
	}{
		{"cb_table_old", "cb_type_changed", []string{compat.RuleCallbackTypeChanged},
			"wfcompat: warning: pinning keeps callback slots, not signatures: the reply callback of ic0.call_new kept at slot 1 of table 0 (func[3]) changed its signature from (func (param i32)) to (func (param i32 i32));"},
		{"cb_env_call", "cb_env_call", []string{compat.RuleCallbackEnvUnknown, compat.RuleCallbackEnvUnknown, compat.RuleCallbackEnvUnknown, compat.RuleCallbackEnvUnknown},
			"wfcompat: warning: pinning keeps callback slots valid, not the env values passed with them: the running build's reject callback of ic0.call_new at slot 2 of table 0 (func[5] (func (param i32)))"},
		// The running build's heap pointers, which calls in flight carry,
		// though the new build passes a constant.
		{"cb_env_pointer", "cb_table_old", []string{compat.RuleCallbackEnvHeapPointer, compat.RuleCallbackEnvHeapPointer},
			"wfcompat: warning: pinning keeps callback slots valid, not the env pointers passed with them: the running build's reply callback of ic0.call_new at slot 1 of table 0 (func[3] (func (param i32))) is registered in canister_update go (offset 0xd1) with env local 0 + 8"},
	} {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				out := filepath.Join(t.TempDir(), "out.wasm")
				args := []string{"pin", wat + tc.new + ".wasm", "--against", wat + tc.old + ".wasm", "-o", out}
				if asJSON {
					args = append(args, "--json")
				}
				code, stdout, stderr := run(t, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if _, err := os.Stat(out); err != nil {
					t.Fatalf("no output: %v", err)
				}
				if !strings.Contains(stderr, tc.stderr) || strings.Count(stderr, "wfcompat: warning: ") != len(tc.rules) {
					t.Errorf("stderr %q, want %d warnings with %q", stderr, len(tc.rules), tc.stderr)
				}
				if !asJSON {
					continue
				}
				var doc PinReport
				if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
					t.Fatal(err)
				}
				var rules []string
				for _, w := range doc.Warnings {
					rules = append(rules, w.Rule)
					if !strings.Contains(stderr, w.Message) {
						t.Errorf("warning %q not on stderr", w.Message)
					}
				}
				if strings.Join(rules, " ") != strings.Join(tc.rules, " ") {
					t.Errorf("warnings %+v, want rules %q", doc.Warnings, tc.rules)
				}
			}
		})
	}
}
