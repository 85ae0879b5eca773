package core

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeCore checks that Decode never panics, that failures are
// *FormatErrors pointing into the input, and that a successful decode
// records offsets within bounds, down to every instruction.
func FuzzDecodeCore(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(watDir, "core_*.wasm"))
	// Corpus seeds where ../shared is present (third-party data).
	for _, s := range []string{"motoko-counter.wasm", "rust-counter.wasm"} {
		if p := filepath.Join(corpusDir, s); fileExists(p) {
			seeds = append(seeds, p)
		}
	}
	for _, s := range seeds {
		f.Add(readFile(f, s))
	}
	f.Add(mod(typeVoid, funcOne, codeOne(0x0e, 2, 0, 1, 0, 0x0b)))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			checkFormatError(t, err, 0, len(b))
			return
		}
		checkOffsets(t, m, b)
		var r InstrReader
		for i := range m.Code {
			c := &m.Code[i]
			r.ResetCode(c)
			for r.Next() {
				in := r.Instr()
				if in.Off < c.InstrOff || in.Off >= c.End || r.Offset() > c.End {
					t.Fatalf("body %d: instruction %s at %#x outside [%#x, %#x)", i, in.Op, in.Off, c.InstrOff, c.End)
				}
				_ = in.Op.String()
			}
			if err := r.Err(); err != nil {
				checkFormatError(t, err, int(c.InstrOff), int(c.End))
			}
			checkSkipPlain(t, c)
		}
		// Helpers must not panic on whatever decoded.
		// (Bounded: the helpers are linear in the imports and exports.)
		for f := uint32(0); f < uint32(min(m.NumFuncs(), 64))+1; f++ {
			_ = m.FuncName(f)
			_ = m.FuncType(f)
			_ = m.FuncCode(f)
		}
		for t := uint32(0); t < uint32(min(m.NumTables(), 64))+1; t++ {
			_ = m.TableExportName(t)
		}
		for i := range m.Globals {
			_, _ = m.Globals[i].Init.Eval(nil)
		}
		for i := range m.Elements {
			_, _ = m.Elements[i].Offset.Eval(nil)
			for j := range m.Elements[i].Exprs {
				_, _ = m.Elements[i].Exprs[j].Eval(nil)
			}
		}
		for i := range m.Data {
			_, _ = m.Data[i].Offset.Eval(nil)
		}
		if len(m.Code) > 0 {
			_, _ = m.Code[0].Instructions()
		}
	})
}

func checkFormatError(t *testing.T, err error, lo, hi int) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FormatError", err, err)
	}
	if fe.Off < int64(lo) || fe.Off > int64(hi) {
		t.Fatalf("error offset %#x outside [%#x, %#x]: %v", fe.Off, lo, hi, err)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
