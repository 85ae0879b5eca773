package rewrite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
)

// shiftedLock pins every callback of a to a slot shift places further on
// (wrapping a little past the table), so that the rewrite has to move
// things.
func shiftedLock(a *callbacks.Analysis, shift uint8) *Lock {
	l := &Lock{Schema: LockSchema, Tables: []LockTable{}}
	for _, c := range a.Callbacks {
		n := uint64(4)
		if t := a.Table(c.Table); t != nil {
			n += t.Min
		}
		s := uint32((uint64(c.Slot) + uint64(shift)) % n)
		l.add(c.Table, s, LockCallback{Import: c.Import, Role: c.Role, Name: c.Name, Fingerprint: c.Fingerprint})
	}
	return l
}

// FuzzPin: on any input, Pin refuses with an error or, when the input is a
// valid module, produces one that wazero accepts and that registers every
// callback at its pinned slot. (Pin does not validate its input, which
// would cost a wazero compilation; for invalid input the CLI's validation
// of the output refuses, so the fuzzer only requires Pin not to panic.)
func FuzzPin(f *testing.F) {
	for _, pat := range []string{"../testdata/wat/pin_*.wasm", "../testdata/wat/cb_*.wasm", shared.CorpusDir() + "/ic/motoko-*.wasm"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b, uint8(1))
			f.Add(b, uint8(3))
		}
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, b []byte, shift uint8) {
		if len(b) > 1<<20 {
			return
		}
		m, err := core.Decode(b)
		if err != nil {
			if _, err := Pin(b, Options{}); err == nil {
				t.Fatal("Pin accepted a module that does not decode")
			}
			return
		}
		a, err := callbacks.Analyze(m, nil)
		if err != nil {
			return
		}
		res, err := Pin(b, Options{Lock: shiftedLock(a, shift)})
		if err != nil {
			return
		}
		if Validate(ctx, b) != nil {
			return // invalid input: see above
		}
		if err := Validate(ctx, res.Wasm); err != nil {
			t.Fatalf("valid input, invalid output: %v", err)
		}
		if ValidateWazero(ctx, b) == nil {
			if err := ValidateWazero(ctx, res.Wasm); err != nil {
				t.Fatalf("wazero accepts the input, not the output: %v", err)
			}
		}
		if err := Verify(res, nil); err != nil {
			t.Fatalf("valid input, unverified output: %v", err)
		}
		checkIncremental(t, b, Options{Lock: shiftedLock(a, shift)})
	})
}
