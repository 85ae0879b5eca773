package core

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Offsets in these tests were read from `xxd` and `wasm-objdump -x -d` of
// the committed fixtures.

func TestElementEncodings(t *testing.T) {
	m, b := decodeFile(t, filepath.Join(watDir, "core_elem.wasm"))
	checkOffsets(t, m, b)
	i32 := func(off uint32, v int64) ConstExpr {
		return ConstExpr{Off: off, End: off + 3, Instrs: []Instr{{Off: off, Op: OpI32Const, I64: v}}}
	}
	refFunc := func(off uint32, f uint32) ConstExpr {
		return ConstExpr{Off: off, End: off + 3, Instrs: []Instr{{Off: off, Op: OpRefFunc, Index: f}}}
	}
	refNull := func(off uint32, t ValType) ConstExpr {
		return ConstExpr{Off: off, End: off + 3, Instrs: []Instr{{Off: off, Op: OpRefNull, Type: t}}}
	}
	want := []Element{
		{Off: 0x2e, End: 0x35, Flags: 0, Mode: ElemActive, Offset: i32(0x2f, 0), Type: FuncRef, ItemsOff: 0x32, Funcs: []uint32{0, 1}},
		{Off: 0x35, End: 0x3a, Flags: 1, Mode: ElemPassive, Type: FuncRef, ItemsOff: 0x37, Funcs: []uint32{1, 0}},
		{Off: 0x3a, End: 0x42, Flags: 2, Mode: ElemActive, Table: 2, Offset: i32(0x3c, 1), Type: FuncRef, ItemsOff: 0x40, Funcs: []uint32{0}},
		{Off: 0x42, End: 0x46, Flags: 3, Mode: ElemDeclarative, Type: FuncRef, ItemsOff: 0x44, Funcs: []uint32{1}},
		{Off: 0x46, End: 0x51, Flags: 4, Mode: ElemActive, Offset: i32(0x47, 2), Type: FuncRef, ItemsOff: 0x4a,
			Exprs: []ConstExpr{refFunc(0x4b, 0), refNull(0x4e, FuncRef)}},
		{Off: 0x51, End: 0x57, Flags: 5, Mode: ElemPassive, Type: ExternRef, ItemsOff: 0x53,
			Exprs: []ConstExpr{refNull(0x54, ExternRef)}},
		{Off: 0x57, End: 0x61, Flags: 6, Mode: ElemActive, Table: 1, Type: ExternRef, ItemsOff: 0x5d,
			Offset: ConstExpr{Off: 0x59, End: 0x5c, Instrs: []Instr{{Off: 0x59, Op: OpGlobalGet, Index: 0}}},
			Exprs:  []ConstExpr{refNull(0x5e, ExternRef)}},
		{Off: 0x61, End: 0x6a, Flags: 7, Mode: ElemDeclarative, Type: FuncRef, ItemsOff: 0x63,
			Exprs: []ConstExpr{refFunc(0x64, 1), refNull(0x67, FuncRef)}},
	}
	if diff := cmp.Diff(want, m.Elements); diff != "" {
		t.Errorf("elements (-want +got):\n%s", diff)
	}
	// Evaluate the offsets, resolving the imported global.
	global := func(i uint32) (Value, bool) { return Value{Type: I32, Bits: 40}, i == 0 }
	var offs []int32
	for _, e := range m.Elements {
		if e.Mode == ElemActive {
			v, err := e.Offset.Eval(global)
			if err != nil {
				t.Fatal(err)
			}
			offs = append(offs, v.I32())
		}
	}
	if diff := cmp.Diff([]int32{0, 1, 2, 40}, offs); diff != "" {
		t.Errorf("element offsets (-want +got):\n%s", diff)
	}
	if v, err := m.Elements[4].Exprs[0].Eval(nil); err != nil || v != (Value{Type: FuncRef, Bits: 0}) {
		t.Errorf("ref.func eval = %+v, %v", v, err)
	}
	if v, err := m.Elements[4].Exprs[1].Eval(nil); err != nil || v != (Value{Type: FuncRef, Null: true}) {
		t.Errorf("ref.null eval = %+v, %v", v, err)
	}
	if got, want := m.NumTables(), 3; got != want {
		t.Errorf("NumTables = %d, want %d", got, want)
	}
}

func TestDataGlobalsExports(t *testing.T) {
	m, b := decodeFile(t, filepath.Join(watDir, "core_data.wasm"))
	checkOffsets(t, m, b)
	opts := cmpopts.EquateEmpty()

	wantImports := []Import{
		{Off: 0x15, End: 0x20, Module: "env", Name: "mem", Kind: KindMemory, Memory: Limits{Min: 1}},
		{Off: 0x20, End: 0x2c, Module: "env", Name: "base", Kind: KindGlobal, Global: GlobalType{Type: I32}},
		{Off: 0x2c, End: 0x34, Module: "env", Name: "f", Kind: KindFunc, TypeIndex: 1},
		{Off: 0x34, End: 0x40, Module: "env", Name: "tab", Kind: KindTable, Table: TableType{FuncRef, Limits{Min: 1}}},
	}
	if diff := cmp.Diff(wantImports, m.Imports, opts); diff != "" {
		t.Errorf("imports (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Memory{{Off: 0x47, End: 0x4a, Limits: Limits{Min: 2, Max: 3, HasMax: true}}}, m.Memories); diff != "" {
		t.Errorf("memories (-want +got):\n%s", diff)
	}
	wantGlobals := []Global{
		{Off: 0x4d, End: 0x52, Type: GlobalType{I64, true},
			Init: ConstExpr{Off: 0x4f, End: 0x52, Instrs: []Instr{{Off: 0x4f, Op: OpI64Const, I64: -7}}}},
		{Off: 0x52, End: 0x5a, Type: GlobalType{I32, false},
			Init: ConstExpr{Off: 0x54, End: 0x5a, Instrs: []Instr{
				{Off: 0x54, Op: OpGlobalGet, Index: 0},
				{Off: 0x56, Op: OpI32Const, I64: 16},
				{Off: 0x58, Op: OpI32Add},
			}}},
		{Off: 0x5a, End: 0x5f, Type: GlobalType{FuncRef, false},
			Init: ConstExpr{Off: 0x5c, End: 0x5f, Instrs: []Instr{{Off: 0x5c, Op: OpRefNull, Type: FuncRef}}}},
	}
	if diff := cmp.Diff(wantGlobals, m.Globals); diff != "" {
		t.Errorf("globals (-want +got):\n%s", diff)
	}
	base := func(i uint32) (Value, bool) { return Value{Type: I32, Bits: 100}, i == 0 }
	if v, err := m.Globals[1].Init.Eval(base); err != nil || v.I32() != 116 {
		t.Errorf("extended-const global = %v, %v", v.I32(), err)
	}
	if v, err := m.Globals[0].Init.Eval(nil); err != nil || v.I64() != -7 {
		t.Errorf("i64 global = %v, %v", v.I64(), err)
	}
	if _, err := m.Globals[1].Init.Eval(nil); err == nil || err.Error() != "offset 0x54: global.get 0: value not known" {
		t.Errorf("eval without globals: %v", err)
	}

	wantData := []Data{
		{Off: 0x96, End: 0xa0, Flags: 0, Mode: DataActive, InitOff: 0x9b, Init: []byte("hello"),
			Offset: ConstExpr{Off: 0x97, End: 0x9a, Instrs: []Instr{{Off: 0x97, Op: OpI32Const, I64: 8}}}},
		{Off: 0xa0, End: 0xa5, Flags: 1, Mode: DataPassive, InitOff: 0xa2, Init: []byte{0, 1, 2}},
		{Off: 0xa5, End: 0xb0, Flags: 2, Mode: DataActive, Memory: 1, InitOff: 0xab, Init: []byte("world"),
			Offset: ConstExpr{Off: 0xa7, End: 0xaa, Instrs: []Instr{{Off: 0xa7, Op: OpGlobalGet}}}},
		{Off: 0xb0, End: 0xb8, Flags: 0, Mode: DataActive, InitOff: 0xb8,
			Offset: ConstExpr{Off: 0xb1, End: 0xb7, Instrs: []Instr{
				{Off: 0xb1, Op: OpGlobalGet},
				{Off: 0xb3, Op: OpI32Const, I64: 4},
				{Off: 0xb5, Op: OpI32Sub},
			}}},
	}
	if diff := cmp.Diff(wantData, m.Data, opts); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
	if !m.HasDataCount || m.DataCount != 4 {
		t.Errorf("data count = %v %d", m.HasDataCount, m.DataCount)
	}
	if !m.HasStart || m.Start != 1 {
		t.Errorf("start = %v %d", m.HasStart, m.Start)
	}
	wantExports := []Export{
		{Name: "init", Kind: KindFunc, Index: 1},
		{Name: "f", Kind: KindFunc, Index: 0},
		{Name: "mem1", Kind: KindMemory, Index: 1},
		{Name: "counter", Kind: KindGlobal, Index: 1},
		{Name: "tab", Kind: KindTable, Index: 0},
	}
	if diff := cmp.Diff(wantExports, m.Exports, cmpopts.IgnoreFields(Export{}, "Off", "End")); diff != "" {
		t.Errorf("exports (-want +got):\n%s", diff)
	}
	type space struct{ ImpF, ImpT, ImpM, ImpG, F, T, M, G int }
	got := space{m.ImportedFuncs(), m.ImportedTables(), m.ImportedMemories(), m.ImportedGlobals(),
		m.NumFuncs(), m.NumTables(), m.NumMemories(), m.NumGlobals()}
	if diff := cmp.Diff(space{1, 1, 1, 1, 2, 1, 2, 4}, got); diff != "" {
		t.Errorf("index spaces (-want +got):\n%s", diff)
	}
	for f, want := range []string{"(func (param i64))", "(func)"} {
		if got := m.FuncType(uint32(f)).String(); got != want {
			t.Errorf("FuncType(%d) = %s, want %s", f, got, want)
		}
	}
	if m.FuncType(2) != nil || m.FuncCode(0) != nil || m.FuncCode(1) != &m.Code[0] {
		t.Errorf("FuncType/FuncCode index mapping wrong")
	}
	if got := m.FuncName(1); got != "init" {
		t.Errorf("FuncName(1) = %q", got)
	}
	if got := m.TableExportName(0); got != "tab" {
		t.Errorf("TableExportName(0) = %q", got)
	}
	if _, err := m.Instructions(0); err == nil {
		t.Errorf("Instructions of an imported function succeeded")
	}
}

// watMnemonics returns the first token of each instruction line of the
// function bodies in a .wat file written one instruction per line.
func watMnemonics(t *testing.T, path string) []string {
	aliases := map[string]string{ // wabt 1.0.32 spells these differently
		"i16x8.dot_i8x16_i7x16_s":     "i16x8.relaxed_dot_i8x16_i7x16_s",
		"i32x4.dot_i8x16_i7x16_add_s": "i32x4.relaxed_dot_i8x16_i7x16_add_s",
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, path)))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), ";;")
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "(") || strings.HasPrefix(f[0], ")") {
			continue
		}
		if a, ok := aliases[f[0]]; ok {
			f[0] = a
		}
		out = append(out, f[0])
	}
	return out
}

// TestMnemonics decodes fixtures listing every supported instruction and
// compares each opcode's String with the mnemonic in the source.
func TestMnemonics(t *testing.T) {
	for _, name := range []string{"core_ops", "core_simd"} {
		t.Run(name, func(t *testing.T) {
			want := watMnemonics(t, filepath.Join(watDir, name+".wat"))
			m, _ := decodeFile(t, filepath.Join(watDir, name+".wasm"))
			var got []string
			seen := map[Opcode]bool{}
			for i := range m.Code {
				ins, err := m.Code[i].Instructions()
				if err != nil {
					t.Fatal(err)
				}
				for _, in := range ins[:len(ins)-1] { // the final end is implicit in the text
					got = append(got, in.Op.String())
					seen[in.Op] = true
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mnemonics (-wat +decoded):\n%s", diff)
			}
			// Every opcode of the family appears.
			lo, hi := Opcode(0), Opcode(0xFCFFFF)
			if name == "core_simd" {
				lo, hi = 0xFD0000, 0xFDFFFF
			}
			for _, op := range allOpcodes() {
				if op >= lo && op <= hi && !seen[op] {
					t.Errorf("%s (%#x) not covered by %s.wat", op, uint32(op), name)
				}
			}
		})
	}
}

// allOpcodes lists every opcode the decoder supports.
func allOpcodes() []Opcode {
	var ops []Opcode
	for i, k := range opImm {
		if k != immInvalid && k != immPrefixFC && k != immPrefixFD {
			ops = append(ops, Opcode(i))
		}
	}
	for i, k := range opFCImm {
		if k != immInvalid {
			ops = append(ops, Opcode(0xFC<<16|i))
		}
	}
	for i, k := range opFDImm {
		if k != immInvalid {
			ops = append(ops, Opcode(0xFD<<16|i))
		}
	}
	return ops
}

// TestImmediates checks the immediates of selected instructions of
// core_ops.wasm against wasm-objdump -d.
func TestImmediates(t *testing.T) {
	m, _ := decodeFile(t, filepath.Join(watDir, "core_ops.wasm"))
	var all []Instr
	for i := range m.Code {
		ins, err := m.Code[i].Instructions()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ins...)
	}
	at := map[uint32]Instr{}
	for _, in := range all {
		at[in.Off] = in
	}
	for _, want := range []Instr{
		{Off: 0x8f, Op: OpBlock, Block: BlockEmpty},                             // block
		{Off: 0x92, Op: OpBlock, Block: BlockTypeOf(I32)},                       // block i32
		{Off: 0x9c, Op: OpBlock, Block: 1},                                      // block type[1]
		{Off: 0xa1, Op: OpLoop, Block: BlockEmpty},                              // loop
		{Off: 0xa5, Op: OpBrIf, Index: 0},                                       // br_if 0
		{Off: 0xac, Op: OpIf, Block: BlockTypeOf(I32)},                          // if i32
		{Off: 0xbb, Op: OpBrTable, Targets: []uint32{1, 0}, Index: 1},           // br_table 1 0 1
		{Off: 0xc4, Op: OpCall, Index: 0},                                       // call 0
		{Off: 0xca, Op: OpCallIndirect, Index: 0, Index2: 0},                    // call_indirect 0 (type 0)
		{Off: 0xd4, Op: OpSelect},                                               // select
		{Off: 0xdc, Op: OpSelectTyped, Type: I64},                               // select i64
		{Off: 0xef, Op: OpTableGet, Index: 1},                                   // table.get 1
		{Off: 0xf5, Op: OpRefNull, Type: ExternRef},                             // ref.null extern
		{Off: 0xf7, Op: OpTableSet, Index: 1},                                   // table.set 1
		{Off: 0xfd, Op: OpRefFunc, Index: 1},                                    // ref.func 1
		{Off: 0x102, Op: OpI32Load, Mem: MemArg{Align: 1, Offset: 8}},           // i32.load 1 8
		{Off: 0x158, Op: OpI32Store, Mem: MemArg{Align: 2, Offset: 4294967295}}, // i32.store 2 4294967295
		{Off: 0x161, Op: OpI64Const, I64: -9223372036854775808},                 // i64.const
		{Off: 0x171, Op: OpF32Const, Bits: 0xbfc00000},                          // f32.const -0x1.8p+0
		{Off: 0x1aa, Op: OpMemorySize},                                          // memory.size 0
		{Off: 0x623, Op: OpMemoryInit, Index: 0, Index2: 0},                     // memory.init 0 0
		{Off: 0x627, Op: OpDataDrop},                                            // data.drop 0
		{Off: 0x643, Op: OpTableInit, Index: 1, Index2: 0},                      // table.init 1 0 (elem 1, table 0)
		{Off: 0x647, Op: OpElemDrop, Index: 1},                                  // elem.drop 1
		{Off: 0x650, Op: OpTableCopy},                                           // table.copy 0 0
		{Off: 0x658, Op: OpTableGrow, Index: 1},                                 // table.grow 1
		{Off: 0x65c, Op: OpTableSize, Index: 1},                                 // table.size 1
		{Off: 0x666, Op: OpTableFill, Index: 1},                                 // table.fill 1
		{Off: 0x671, Op: OpReturnCall, Index: 1},                                // return_call 1
		{Off: 0x67a, Op: OpReturnCallIndirect, Index: 0, Index2: 0},             // return_call_indirect 0 0
	} {
		if diff := cmp.Diff(want, at[want.Off], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("instruction at %#x (-want +got):\n%s", want.Off, diff)
		}
	}
	// f64.const 0x1.1p-1000 right before f64.store at 0x184.
	if in := at[0x184-9]; in.Op != OpF64Const || in.Bits != 0x0171000000000000 {
		t.Errorf("f64.const = %+v", in)
	}
	// Three locals after the parameter: i64, f32, externref.
	if diff := cmp.Diff([]LocalDecl{{1, I64}, {1, F32}, {1, ExternRef}}, m.Code[0].Locals); diff != "" {
		t.Errorf("locals (-want +got):\n%s", diff)
	}
	if m.Code[0].NumLocals() != 3 {
		t.Errorf("NumLocals = %d", m.Code[0].NumLocals())
	}
}

func TestSIMDImmediates(t *testing.T) {
	m, _ := decodeFile(t, filepath.Join(watDir, "core_simd.wasm"))
	ins, err := m.Instructions(0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[Opcode][]Instr{}
	for _, in := range ins {
		in.Off = 0
		got[in.Op] = append(got[in.Op], in)
	}
	shuffle := [16]byte{31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16}
	for _, want := range []Instr{
		{Op: OpV128Load, Mem: MemArg{Align: 4, Offset: 16}},
		{Op: OpV128Load8Splat, Mem: MemArg{Align: 0, Offset: 16}},
		{Op: OpV128Store, Mem: MemArg{Align: 0}},
		// v128.const i64x2 -1 0x0102030405060708, little-endian.
		{Op: OpV128Const, V128: [16]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 8, 7, 6, 5, 4, 3, 2, 1}},
		{Op: OpI8x16Shuffle, V128: shuffle},
		{Op: OpI8x16ExtractLaneS, Lane: 15},
		{Op: OpI16x8ReplaceLane, Lane: 7},
		{Op: OpF64x2ExtractLane, Lane: 1},
		{Op: OpV128Load32Lane, Mem: MemArg{Align: 2}, Lane: 1},
		{Op: OpV128Store64Lane, Mem: MemArg{Align: 3}, Lane: 1},
		{Op: OpV128Load64Zero, Mem: MemArg{Align: 3, Offset: 16}},
		{Op: OpI32x4RelaxedDotI8x16I7x16AddS},
	} {
		found := false
		for _, in := range got[want.Op] {
			found = found || cmp.Equal(want, in, cmpopts.EquateEmpty())
		}
		if !found {
			t.Errorf("no %s like %+v; got %+v", want.Op, want, got[want.Op])
		}
	}
}

// nameSection encodes the name section describing core_names.wat, laid out
// as wat2wasm --debug-names writes it (checked by hand once with
// wasm-objdump -x): module name, function names, local names.
func nameSection() []byte {
	sub := func(id byte, payload []byte) []byte { return cat([]byte{id}, uleb(uint64(len(payload))), payload) }
	module := sub(0, str("names"))
	funcs := sub(1, cat([]byte{2}, []byte{0}, str("log"), []byte{1}, str("add")))
	locals := sub(2, cat([]byte{3},
		[]byte{0, 0}, // log: no names
		[]byte{1, 3, 0}, str("a"), []byte{1}, str("b"), []byte{2}, str("sum"),
		[]byte{2, 0})) // unnamed: no locals
	labels := sub(3, []byte{0})
	return sec(0, cat(str("name"), module, funcs, locals, labels)...)
}

func producersSection() []byte {
	return sec(0, cat(str("producers"), []byte{2},
		str("language"), []byte{1}, str("Rust"), str("1.70.0"),
		str("processed-by"), []byte{2}, str("rustc"), str("1.70.0"), str("wasm-opt"), str(""))...)
}

func TestNameAndProducers(t *testing.T) {
	base := readFile(t, filepath.Join(watDir, "core_names.wasm"))
	b := cat(base, nameSection(), producersSection())
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	checkOffsets(t, m, b)
	n := uint32(len(base))
	want := &Names{
		Module: "names", HasModule: true,
		Funcs: []NameAssoc{{0, "log"}, {1, "add"}},
		Locals: []IndirectNameAssoc{
			{Index: 0},
			{Index: 1, Names: []NameAssoc{{0, "a"}, {1, "b"}, {2, "sum"}}},
			{Index: 2},
		},
		// The section header is 2 bytes and "name" 5, so the first
		// subsection starts at n+7.
		Subsections: []NameSubsection{
			{ID: 0, Off: n + 7, Start: n + 9, End: n + 15},
			{ID: 1, Off: n + 15, Start: n + 17, End: n + 28},
			{ID: 2, Off: n + 28, Start: n + 30, End: n + 48},
			{ID: 3, Off: n + 48, Start: n + 50, End: n + 51},
		},
	}
	if diff := cmp.Diff(want, m.Names, cmpopts.EquateEmpty()); diff != "" || m.NamesErr != "" {
		t.Errorf("names (-want +got):\n%s\nerr: %s", diff, m.NamesErr)
	}
	wantP := &Producers{Fields: []ProducerField{
		{"language", []ProducerValue{{"Rust", "1.70.0"}}},
		{"processed-by", []ProducerValue{{"rustc", "1.70.0"}, {"wasm-opt", ""}}},
	}}
	if diff := cmp.Diff(wantP, m.Producers); diff != "" || m.ProducersErr != "" {
		t.Errorf("producers (-want +got):\n%s\nerr: %s", diff, m.ProducersErr)
	}
	// Name section first, then the export name, then nothing.
	for f, want := range []string{"log", "add", "answer", ""} {
		if got := m.FuncName(uint32(f)); got != want {
			t.Errorf("FuncName(%d) = %q, want %q", f, got, want)
		}
	}
	if got := m.LocalName(1, 2); got != "sum" {
		t.Errorf("LocalName(1, 2) = %q", got)
	}
	if got := m.LocalName(2, 0); got != "" {
		t.Errorf("LocalName(2, 0) = %q", got)
	}
	if len(m.Customs) != 2 || m.Customs[0].Name != "name" || m.Sections[len(m.Sections)-1].Name != "producers" {
		t.Errorf("customs: %+v", m.Customs)
	}
}

// TestAdvisoryErrors checks that malformed name and producers sections are
// recorded without failing the decode.
func TestAdvisoryErrors(t *testing.T) {
	for _, tc := range []struct {
		name, section   string
		payload         []byte
		wantErr         string
		wantFuncs       []NameAssoc
		wantSubsections int
	}{
		{"truncated function names", "name", []byte{1, 5, 2, 0, 1, 'f', 1}, // second entry cut short
			"offset 0x%x: unexpected end of name section reading u32", []NameAssoc{{0, "f"}}, 1},
		{"subsection size too large", "name", []byte{1, 9, 0},
			"offset 0x%x: expected name subsection size within 1 remaining bytes, got 9", nil, 0},
		{"out of order", "name", []byte{1, 7, 2, 3, 1, 'c', 1, 1, 'b'},
			"offset 0x%x: function name map not in strictly increasing index order", []NameAssoc{{1, "b"}, {3, "c"}}, 1},
		{"duplicate subsection", "name", []byte{1, 1, 0, 1, 1, 0},
			"offset 0x%x: name subsection 1 out of order or duplicated", nil, 2},
		{"bad producers", "producers", []byte{1, 1, 'x', 5},
			"offset 0x%x: producers value count 5 cannot fit in the 0 remaining bytes of the producers section", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mod(sec(0, cat(str(tc.section), tc.payload)...))
			m, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			got := m.NamesErr
			if tc.section == "producers" {
				got = m.ProducersErr
			}
			// Offsets: compute where the error points.
			var off int
			switch tc.name {
			case "truncated function names":
				off = len(b)
			case "subsection size too large":
				off = 8 + 2 + 5 + 1
			case "out of order":
				off = 8 + 2 + 5 + 3 + 3
			case "duplicate subsection":
				off = 8 + 2 + 5 + 3
			case "bad producers":
				off = 8 + 2 + 10 + 3
			}
			want := strings.Replace(tc.wantErr, "%x", strings.TrimPrefix(strings.ToLower(hex(off)), "0x"), 1)
			if got != want {
				t.Errorf("error = %q, want %q", got, want)
			}
			if tc.section == "name" {
				if diff := cmp.Diff(tc.wantFuncs, m.Names.Funcs, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("funcs (-want +got):\n%s", diff)
				}
				if len(m.Names.Subsections) != tc.wantSubsections {
					t.Errorf("%d subsections recorded, want %d", len(m.Names.Subsections), tc.wantSubsections)
				}
			}
		})
	}
}

func hex(v int) string {
	const digits = "0123456789abcdef"
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v >>= 4 {
		b = append([]byte{digits[v&15]}, b...)
	}
	return string(b)
}
