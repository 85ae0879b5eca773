package rewrite

import (
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// Verify re-analyzes the pinned module and checks that every callback of
// res.Pins is registered at, and found in, its pinned slot. It is the
// rewrite's own proof obligation, run by the CLI before writing.
func Verify(res *Result, profiles []callbacks.Profile) error {
	m, err := core.Decode(res.Wasm)
	if err != nil {
		return fmt.Errorf("the pinned module does not decode: %w", err)
	}
	return verifyModule(res, m, profiles)
}

// verifyModule is Verify on the decoded output m.
func verifyModule(res *Result, m *core.Module, profiles []callbacks.Profile) error {
	opts := &callbacks.Options{Profiles: profiles}
	if res.input != nil {
		opts.Reuse = res.input.scan
	}
	a, err := callbacks.Analyze(m, opts)
	if err != nil {
		return fmt.Errorf("the pinned module does not analyze: %w", err)
	}
	if len(a.Unresolved) > 0 {
		u := a.Unresolved[0]
		return fmt.Errorf("the pinned module has an unresolved %s callback of %s at offset 0x%x: %s", u.Role, u.Import, u.Off, u.Why)
	}
	for _, p := range res.Pins {
		ok := false
		for _, c := range a.CallbacksAt(p.Table, p.To) {
			if c.Import == p.Import && c.Role == p.Role && c.Func == p.Func {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("the pinned module does not register %s (the %s callback of %s) at slot %d of table %d",
				callbacks.FuncLabel(p.Func, p.Name), p.Role, p.Import, p.To, p.Table)
		}
	}
	return nil
}
