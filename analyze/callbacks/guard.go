package callbacks

import (
	"bytes"
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// MotokoPreUpgradeTrap is the message with which the Motoko runtime's
// canister_pre_upgrade traps when the canister still has outstanding
// message callbacks (its continuation table is not empty) and is not
// stopped: the upgrade is then refused, so a call the canister made
// before it can never be answered by the new build.
const MotokoPreUpgradeTrap = "canister_pre_upgrade attempted with outstanding message callbacks (try stopping the canister before upgrade)"

// preUpgradeGuard reports whether the module refuses an Internet Computer
// upgrade while it has outstanding callbacks, as the Motoko runtime does,
// and describes where. The signal is exact, not a string search: the
// function exported as canister_pre_upgrade must itself call the ic0.trap
// import with two constant arguments (i32.const, or i64.const for a 64-bit
// memory) naming exactly the bytes of MotokoPreUpgradeTrap in an active
// data segment of memory 0 at a constant offset. That is how moc compiles
// the guard (pre_upgrade: unless ic0.canister_status says stopped, trap
// with the message if callbacks are outstanding). It returns "" when the
// module has no such guard.
func preUpgradeGuard(m *core.Module) string {
	nimp := uint32(m.ImportedFuncs())
	trap, ok := uint32(0), false
	var fi uint32
	for i := range m.Imports {
		im := &m.Imports[i]
		if im.Kind != core.KindFunc {
			continue
		}
		if im.Module == "ic0" && im.Name == "trap" {
			trap, ok = fi, true
			break
		}
		fi++
	}
	if !ok {
		return ""
	}
	fn, found := uint32(0), false
	for i := range m.Exports {
		if e := &m.Exports[i]; e.Kind == core.KindFunc && e.Name == "canister_pre_upgrade" {
			fn, found = e.Index, true
			break
		}
	}
	if !found || fn < nimp || int(fn-nimp) >= len(m.Code) {
		return ""
	}
	var r core.InstrReader
	r.ResetCode(&m.Code[fn-nimp])
	var prev [2]core.Instr // the two instructions before the current one
	for r.Next() {
		in := r.Instr()
		if in.Op == core.OpCall && in.Index == trap && isConst(prev[0]) && isConst(prev[1]) &&
			prev[0].Op == prev[1].Op && dataHolds(m, constVal(prev[0]), constVal(prev[1]), MotokoPreUpgradeTrap) {
			return fmt.Sprintf("the exported canister_pre_upgrade (func[%d]) traps at offset 0x%x with %q, the Motoko runtime's guard against upgrading with outstanding callbacks",
				fn, in.Off, MotokoPreUpgradeTrap)
		}
		prev[0], prev[1] = prev[1], in
		prev[1].Targets = nil
	}
	return ""
}

func isConst(in core.Instr) bool { return in.Op == core.OpI32Const || in.Op == core.OpI64Const }

// constVal returns the value of a constant as an unsigned address.
func constVal(in core.Instr) uint64 {
	if in.Op == core.OpI32Const {
		return uint64(uint32(in.I64))
	}
	return uint64(in.I64)
}

// dataHolds reports whether the n bytes at address addr of memory 0 are
// initialized to msg by an active data segment at a constant offset.
func dataHolds(m *core.Module, addr, n uint64, msg string) bool {
	if n != uint64(len(msg)) {
		return false
	}
	for i := range m.Data {
		d := &m.Data[i]
		if d.Mode != core.DataActive || d.Memory != 0 {
			continue
		}
		v, err := d.Offset.Eval(nil)
		if err != nil || (v.Type != core.I32 && v.Type != core.I64) {
			continue
		}
		if addr < v.Bits || addr-v.Bits > uint64(len(d.Init)) || uint64(len(d.Init))-(addr-v.Bits) < n {
			continue
		}
		if s := addr - v.Bits; bytes.Equal(d.Init[s:s+n], []byte(msg)) {
			return true
		}
	}
	return false
}
