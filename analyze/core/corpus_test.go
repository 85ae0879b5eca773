package core

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// TestDecodeCorpus decodes every real-world core module, including every
// instruction of every body, and checks that the offsets it records tile
// the file.
func TestDecodeCorpus(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, path := range corpusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m, b := decodeFile(t, path)
			checkOffsets(t, m, b)
			if len(m.Code) != len(m.Funcs) {
				t.Errorf("%d bodies for %d functions", len(m.Code), len(m.Funcs))
			}
			var r InstrReader
			for i := range m.Code {
				r.ResetCode(&m.Code[i])
				n := 0
				for r.Next() {
					n++
				}
				if err := r.Err(); err != nil {
					t.Fatalf("body %d: %v", i, err)
				}
				if n == 0 {
					t.Fatalf("body %d: no instructions", i)
				}
			}
		})
	}
}

// checkOffsets verifies the invariants every successful decode must satisfy;
// the fuzz target relies on it too.
func checkOffsets(t testing.TB, m *Module, b []byte) {
	t.Helper()
	n := uint32(len(b))
	prev := uint32(8)
	for i, s := range m.Sections {
		if s.Off != prev || s.Off >= s.Start || s.Start > s.End || s.End > n {
			t.Fatalf("section %d (%s): bad range off=%#x start=%#x end=%#x prev=%#x len=%#x", i, s.ID, s.Off, s.Start, s.End, prev, n)
		}
		prev = s.End
	}
	if prev != n {
		t.Fatalf("sections end at %#x, file at %#x", prev, n)
	}
	within := func(what string, i int, off, end uint32) {
		t.Helper()
		if off > end || end > n {
			t.Fatalf("%s %d: bad range [%#x, %#x) in %d bytes", what, i, off, end, n)
		}
	}
	expr := func(what string, i int, e *ConstExpr) {
		t.Helper()
		within(what, i, e.Off, e.End)
		for _, in := range e.Instrs {
			if in.Off < e.Off || in.Off >= e.End {
				t.Fatalf("%s %d: instruction at %#x outside [%#x, %#x)", what, i, in.Off, e.Off, e.End)
			}
		}
	}
	for i := range m.Types {
		within("type", i, m.Types[i].Off, m.Types[i].End)
	}
	for i := range m.Imports {
		within("import", i, m.Imports[i].Off, m.Imports[i].End)
	}
	for i := range m.Tables {
		within("table", i, m.Tables[i].Off, m.Tables[i].End)
		if m.Tables[i].Init != nil {
			expr("table init", i, m.Tables[i].Init)
		}
	}
	for i := range m.Globals {
		within("global", i, m.Globals[i].Off, m.Globals[i].End)
		expr("global init", i, &m.Globals[i].Init)
	}
	for i := range m.Exports {
		within("export", i, m.Exports[i].Off, m.Exports[i].End)
	}
	for i := range m.Elements {
		e := &m.Elements[i]
		within("element", i, e.Off, e.End)
		within("element items", i, e.ItemsOff, e.End)
		if e.Mode == ElemActive {
			expr("element offset", i, &e.Offset)
		}
		for j := range e.Exprs {
			expr("element expr", i, &e.Exprs[j])
		}
	}
	for i := range m.Data {
		s := &m.Data[i]
		within("data", i, s.Off, s.End)
		if s.InitOff+uint32(len(s.Init)) != s.End {
			t.Fatalf("data %d: init [%#x+%d) does not end at %#x", i, s.InitOff, len(s.Init), s.End)
		}
		if s.Mode == DataActive {
			expr("data offset", i, &s.Offset)
		}
	}
	for i := range m.Code {
		c := &m.Code[i]
		if c.Off >= c.Start || c.Start > c.InstrOff || c.InstrOff >= c.End || c.End > n || len(c.Body) != int(c.End-c.Start) {
			t.Fatalf("code %d: bad range off=%#x start=%#x instr=%#x end=%#x body=%d", i, c.Off, c.Start, c.InstrOff, c.End, len(c.Body))
		}
	}
	for i := range m.Customs {
		c := &m.Customs[i]
		if c.Start > c.DataOff || c.DataOff > c.End || c.End > n || len(c.Data) != int(c.End-c.DataOff) {
			t.Fatalf("custom %d: bad range", i)
		}
	}
}

// TestCorpusFacts checks facts read from the binaries with wabt's
// wasm-objdump (1.0.32): the numbers below were copied from
// `wasm-objdump -h`, `-x` and `-d` output by hand.
func TestCorpusFacts(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	type counts struct {
		Types, Imports, Funcs, Tables, Memories, Globals, Exports, Elements, Code, Data, Customs int
		HasStart                                                                                 bool
		Start                                                                                    uint32
	}
	countsOf := func(m *Module) counts {
		return counts{len(m.Types), len(m.Imports), len(m.Funcs), len(m.Tables), len(m.Memories), len(m.Globals),
			len(m.Exports), len(m.Elements), len(m.Code), len(m.Data), len(m.Customs), m.HasStart, m.Start}
	}
	for _, tc := range []struct {
		file string
		want counts
	}{
		// wasm-objdump -h: Type 57, Import 33, Function 3332, Table 1,
		// Memory 1, Global 3, Export 39, Elem 1, Code 3332, Data 2.
		{"wallet-current.wasm", counts{57, 33, 3332, 1, 1, 3, 39, 1, 3332, 2, 0, false, 0}},
		// Type 36, Import 27, Function 1037, Export 27, Data 1403.
		{"wallet-0.7.0.wasm", counts{36, 27, 1037, 1, 1, 3, 27, 1, 1037, 1403, 0, false, 0}},
		// Type 28, Import 29, Function 351, Global 26, Export 12,
		// Start 363, Elem 34, Data 99, four custom sections.
		{"motoko-call.wasm", counts{28, 29, 351, 1, 1, 26, 12, 34, 351, 99, 4, true, 363}},
		// Type 34, Import 6, Function 1047, Export 6, Data 1, three customs.
		{"rust-counter.wasm", counts{34, 6, 1047, 1, 1, 3, 6, 1, 1047, 1, 3, false, 0}},
	} {
		m, _ := decodeFile(t, filepath.Join(corpusDir, tc.file))
		if diff := cmp.Diff(tc.want, countsOf(m)); diff != "" {
			t.Errorf("%s counts (-want +got):\n%s", tc.file, diff)
		}
	}

	t.Run("wallet-current", func(t *testing.T) {
		m, _ := decodeFile(t, filepath.Join(corpusDir, "wallet-current.wasm"))
		// wasm-objdump -h: section payload ranges.
		wantSections := []Section{
			{ID: SectionType, Off: 0x8, Start: 0xb, End: 0x1d5},
			{ID: SectionImport, Off: 0x1d5, Start: 0x1d8, End: 0x4ca},
			{ID: SectionFunction, Off: 0x4ca, Start: 0x4cd, End: 0x11d3},
			{ID: SectionTable, Off: 0x11d3, Start: 0x11d5, End: 0x11dc},
			{ID: SectionMemory, Off: 0x11dc, Start: 0x11de, End: 0x11e1},
			{ID: SectionGlobal, Off: 0x11e1, Start: 0x11e3, End: 0x11fc},
			{ID: SectionExport, Off: 0x11fc, Start: 0x11ff, End: 0x16f6},
			{ID: SectionElement, Off: 0x16f6, Start: 0x16f9, End: 0x1e30},
			{ID: SectionCode, Off: 0x1e30, Start: 0x1e34, End: 0x145c7e},
			{ID: SectionData, Off: 0x145c7e, Start: 0x145c82, End: 0x26ada5},
		}
		if diff := cmp.Diff(wantSections, m.Sections); diff != "" {
			t.Errorf("sections (-want +got):\n%s", diff)
		}
		if got, want := m.ImportedFuncs(), 33; got != want {
			t.Errorf("ImportedFuncs = %d, want %d", got, want)
		}
		// wasm-objdump -d: "001e39 func[33]:", first local decl at 0x1e3a,
		// first instruction "001e3f: 23 00 | global.get 0".
		c := m.FuncCode(33)
		if c == nil || c.Off != 0x1e36 || c.Start != 0x1e39 || c.InstrOff != 0x1e3f {
			t.Fatalf("func 33 body = %+v", c)
		}
		if diff := cmp.Diff([]LocalDecl{{632, I32}, {5, I64}}, c.Locals); diff != "" {
			t.Errorf("func 33 locals (-want +got):\n%s", diff)
		}
		ins, err := m.Instructions(33)
		if err != nil {
			t.Fatal(err)
		}
		want := []Instr{
			{Off: 0x1e3f, Op: OpGlobalGet, Index: 0},
			{Off: 0x1e41, Op: OpI32Const, I64: 4224},
			{Off: 0x1e44, Op: OpI32Sub},
			{Off: 0x1e45, Op: OpLocalTee, Index: 4},
			{Off: 0x1e47, Op: OpGlobalSet, Index: 0},
			{Off: 0x1e49, Op: OpBlock, Block: BlockEmpty},
		}
		if diff := cmp.Diff(want, ins[:len(want)]); diff != "" {
			t.Errorf("func 33 instructions (-want +got):\n%s", diff)
		}
		// wasm-objdump -d | grep -c: 611042 instruction lines (local
		// declarations and continuation lines excluded), final ends included.
		total := 0
		var r InstrReader
		for i := range m.Code {
			r.ResetCode(&m.Code[i])
			for r.Next() {
				total++
			}
		}
		if total != 611042 {
			t.Errorf("%d instructions, wasm-objdump -d counts 611042", total)
		}
		// Export[39] starts with memory[0] -> "memory", func[898] -> "canister_init".
		if got := m.FuncName(898); got != "canister_init" {
			t.Errorf("FuncName(898) = %q", got)
		}
		// Table: funcref initial=931 max=931; Elem: flags=0 count=930 init i32=1,
		// elem[1] = func[2963].
		if diff := cmp.Diff(TableType{FuncRef, Limits{Min: 931, Max: 931, HasMax: true}}, m.Tables[0].Type); diff != "" {
			t.Errorf("table type (-want +got):\n%s", diff)
		}
		e := m.Elements[0]
		v, err := e.Offset.Eval(nil)
		if err != nil || v.I32() != 1 || e.Len() != 930 || e.Funcs[0] != 2963 {
			t.Errorf("element: offset %v %v, %d items, first %d", v, err, e.Len(), e.Funcs[0])
		}
		// Global[3]: global[1] i32 immutable <__data_end> init i32=2250001.
		if v, err := m.Globals[1].Init.Eval(nil); err != nil || v.I32() != 2250001 || m.Globals[1].Type.Mutable {
			t.Errorf("global 1 = %+v, %v", m.Globals[1], err)
		}
		// Data: segment[0] memory=0 size=1200396 init i32=1048576.
		if d := m.Data[0]; len(d.Init) != 1200396 || d.Memory != 0 {
			t.Errorf("data 0: %d bytes in memory %d", len(d.Init), d.Memory)
		}
	})

	t.Run("wallet-0.7.0", func(t *testing.T) {
		m, _ := decodeFile(t, filepath.Join(corpusDir, "wallet-0.7.0.wasm"))
		// wasm-objdump -x: "func[0] sig=20 <ic0.call_new> <- ic0.call_new",
		// type[20] (i32 x 8) -> nil.
		im := m.FuncImport(0)
		if im == nil || im.Module != "ic0" || im.Name != "call_new" || im.TypeIndex != 20 {
			t.Fatalf("FuncImport(0) = %+v", im)
		}
		ft := m.FuncType(0)
		if ft == nil || ft.String() != "(func (param i32 i32 i32 i32 i32 i32 i32 i32))" {
			t.Errorf("FuncType(0) = %v", ft)
		}
		if got := m.FuncName(0); got != "" {
			t.Errorf("FuncName(0) = %q, want no name", got)
		}
	})

	t.Run("motoko-call", func(t *testing.T) {
		m, _ := decodeFile(t, filepath.Join(corpusDir, "motoko-call.wasm"))
		// Export[12]: table[0] -> "table", memory[0] -> "mem",
		// func[154] -> "canister_query make_struct".
		if got := m.TableExportName(0); got != "table" {
			t.Errorf("TableExportName(0) = %q", got)
		}
		if got := m.ExportName(KindMemory, 0); got != "mem" {
			t.Errorf("memory 0 export = %q", got)
		}
		if got := m.FuncName(154); got != "canister_query make_struct" {
			t.Errorf("FuncName(154) = %q", got)
		}
		// Table: funcref initial=64 max=64.
		if diff := cmp.Diff(TableType{FuncRef, Limits{Min: 64, Max: 64, HasMax: true}}, m.Tables[0].Type); diff != "" {
			t.Errorf("table type (-want +got):\n%s", diff)
		}
		// Custom sections, in file order.
		var names []string
		for _, c := range m.Customs {
			names = append(names, c.Name)
		}
		want := []string{"icp:private motoko:stable-types", "icp:private motoko:compiler",
			"icp:public candid:args", "icp:public candid:service"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("custom sections (-want +got):\n%s", diff)
		}
		// Custom start=0x1d772 end=0x1d7b2 "icp:private motoko:stable-types".
		if c := m.Customs[0]; c.Start != 0x1d772 || c.End != 0x1d7b2 || c.DataOff != 0x1d772+1+uint32(len(c.Name)) {
			t.Errorf("custom 0 range: %+v", c)
		}
		if m.Names != nil || m.Producers != nil {
			t.Errorf("unexpected name or producers section")
		}
	})

	t.Run("names", func(t *testing.T) {
		// wasm-objdump -x: motoko-counter "func[29] <s_mp_toom_mul>",
		// rust-counter "func[0] <_ZN3ic03ic09msg_reply17h278c7ab751ef1a07E>".
		m, _ := decodeFile(t, filepath.Join(corpusDir, "motoko-counter.wasm"))
		if m.NamesErr != "" || m.FuncName(29) != "s_mp_toom_mul" {
			t.Errorf("motoko-counter: FuncName(29) = %q, err %q", m.FuncName(29), m.NamesErr)
		}
		m, _ = decodeFile(t, filepath.Join(corpusDir, "rust-counter.wasm"))
		if m.NamesErr != "" || m.FuncName(0) != "_ZN3ic03ic09msg_reply17h278c7ab751ef1a07E" {
			t.Errorf("rust-counter: FuncName(0) = %q, err %q", m.FuncName(0), m.NamesErr)
		}
	})
}
