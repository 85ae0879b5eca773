package rewrite

import (
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// hugeLocals is the review's module: a callback-registering canister
// whose function declares 2^32-16 locals, which made wazero's compilation
// exhaust memory.
func hugeLocals(t testing.TB) []byte {
	m := &core.Module{Version: 1, Types: []core.FuncType{{}}}
	m.Funcs = []uint32{0}
	body := appendU32([]byte{1}, 1<<32-16)
	body = append(body, byte(core.I32), byte(core.OpEnd))
	m.Code = []core.Code{{Body: body}}
	m.Exports = []core.Export{{Name: "canister_update f", Kind: core.KindFunc, Index: 0}}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPinHugeLocals: the module fails to decode, with the offset of the
// declaration, before anything reaches wazero.
func TestPinHugeLocals(t *testing.T) {
	b := hugeLocals(t)
	_, err := Pin(b, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "offset 0x") || !strings.Contains(err.Error(), "4294967280 locals") {
		t.Fatalf("Pin: %v", err)
	}
}
