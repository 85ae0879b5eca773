package rewrite

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// TestPinMemory64AndMultiMemory pins a wasm64 canister (memory64, the i64
// System API) and a module with two memories. wazero cannot compile
// either, so the proof is the validator (and wasm-validate, where
// installed), plus the re-analysis.
func TestPinMemory64AndMultiMemory(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     []string
	}{
		{"pin_mem64_old", "pin_mem64", []string{"reject@1=func[5]", "reply@1=func[5]", "cleanup@2=func[6]"}},
		{"pin_multimem_old", "pin_multimem", []string{"reject@1=func[4]", "reply@1=func[4]"}},
	} {
		t.Run(tc.new, func(t *testing.T) {
			src := read(t, wat+tc.new+".wasm")
			if !beyondWazero(src) {
				t.Fatal("the fixture is within wazero's features")
			}
			res := pinChecked(t, src, Options{Lock: lockOf(t, read(t, wat+tc.old+".wasm"))})
			if !res.Changed() {
				t.Fatal("nothing moved")
			}
			got := slotsOf(t, res.Wasm)
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("pinned slots %v, want %v", got, want)
			}
			m, err := core.Decode(res.Wasm)
			if err != nil {
				t.Fatal(err)
			}
			in, _ := core.Decode(src)
			if !slices.Equal(memLimits(m), memLimits(in)) {
				t.Errorf("memories %v, want %v", memLimits(m), memLimits(in))
			}
			if tool, err := exec.LookPath("wasm-validate"); err == nil {
				p := filepath.Join(t.TempDir(), "out.wasm")
				os.WriteFile(p, res.Wasm, 0o644)
				if out, err := exec.Command(tool, "--enable-all", p).CombinedOutput(); err != nil {
					t.Errorf("wasm-validate: %v %s", err, out)
				}
			}
			// An invalid change is caught: the validator, not wazero, is the check.
			bad := slices.Clone(res.Wasm)
			m2, _ := core.Decode(bad)
			for i := range m2.Code {
				if r := m2.Code[i].Instrs(); r.Next() && r.Instr().Op == core.OpLocalGet {
					bad[r.Instr().Off] = byte(core.OpF32Const) // breaks the body's types or encoding
					break
				}
			}
			if Validate(context.Background(), bad) == nil {
				t.Error("a corrupted output validated")
			}
		})
	}
}

func memLimits(m *core.Module) []core.Limits {
	var out []core.Limits
	for _, im := range m.Imports {
		if im.Kind == core.KindMemory {
			out = append(out, im.Memory)
		}
	}
	for _, mm := range m.Memories {
		out = append(out, mm.Limits)
	}
	return out
}
