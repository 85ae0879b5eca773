package component

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/wit"
)

// Hand-built binaries.

func lebU32(v uint32) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func str(s string) []byte { return append(lebU32(uint32(len(s))), s...) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func sec(id byte, payload ...[]byte) []byte {
	p := cat(payload...)
	return cat([]byte{id}, lebU32(uint32(len(p))), p)
}

var preamble = []byte("\x00asm\x0d\x00\x01\x00")

func comp(sections ...[]byte) []byte { return cat(preamble, cat(sections...)) }

func b(x ...byte) []byte { return x }

func nested(depth int) []byte {
	c := comp()
	for i := 0; i < depth; i++ {
		c = comp(sec(SecComponent, c))
	}
	return c
}

// nestedOff returns the offset of the preamble of the component nested
// depth levels deep in c, a chain of singly nested components.
func nestedOff(c []byte, depth int) int64 {
	off := 0
	for i := 0; i < depth; i++ {
		r := &reader{b: c, pos: off + 9, end: len(c)}
		r.u32()
		off = r.pos
	}
	return int64(off)
}

func checkErr(t *testing.T, what string, err error, off int64, msg string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Errorf("%s: err = %v, want a FormatError", what, err)
		return
	}
	if fe.Off != off || !strings.Contains(fe.Msg, msg) {
		t.Errorf("%s: got %q at %#x, want %q at %#x", what, fe.Msg, fe.Off, msg, off)
	}
	if want := "offset 0x"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%s: Error() = %q", what, err)
	}
}

func TestMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		off  int64
		msg  string
	}{
		{"empty", nil, 0, "truncated preamble: need 8 bytes, have 0"},
		{"short magic", []byte("\x00as"), 3, "truncated preamble"},
		{"bad magic", []byte("\x00asX\x0d\x00\x01\x00"), 0, "bad magic number 00 61 73 58"},
		{"text", []byte("(component)"), 0, "bad magic number"},
		{"core module", []byte("\x00asm\x01\x00\x00\x00"), 4, "is a core module, not a component"},
		{"version", []byte("\x00asm\x0c\x00\x01\x00"), 4, "unsupported component version 0c 00"},
		{"layer", []byte("\x00asm\x0d\x00\x02\x00"), 6, "unsupported layer 02 00"},
		{"short preamble", []byte("\x00asm\x0d"), 5, "truncated preamble: need 8 bytes, have 5"},
		{"section size", comp(b(SecType, 0x10, 0x00)), 9, "type section size 16 exceeds the 1 remaining bytes"},
		{"oversized LEB", comp(b(SecType, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)), 9, "invalid LEB128: u32 encoding longer than 5 bytes"},
		{"LEB out of range", comp(b(SecType, 0xff, 0xff, 0xff, 0xff, 0x7f)), 9, "invalid LEB128: u32 value out of range"},
		{"huge count", comp(sec(SecType, b(0xff, 0xff, 0xff, 0xff, 0x0f))), 10, "type count 4294967295 cannot fit in the 0 remaining bytes of the type section"},
		{"huge record", comp(sec(SecType, b(1, 0x72, 0xf0, 0xff, 0xff, 0xff, 0x0f))), 12, "record field count 4294967280 cannot fit"},
		{"huge name", comp(sec(SecImport, b(1, 0x00, 0xff, 0xff, 0x03))), 12, "import name length 65535 exceeds the 0 remaining bytes"},
		{"unknown section", comp(sec(13)), 8, "unknown section id 13"},
		{"unused bytes", comp(sec(SecType, b(0, 0))), 11, "type section has 1 unused bytes at its end"},
		{"type opcode", comp(sec(SecType, b(1, 0x50))), 11, "invalid type definition opcode 0x50"},
		{"value type", comp(sec(SecType, b(1, 0x70, 0x60))), 12, "invalid value type 0x60"},
		{"s33 too long", comp(sec(SecType, b(1, 0x70, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00))), 12, "invalid LEB128: s33 encoding longer than 5 bytes"},
		{"utf-8", comp(sec(SecImport, b(1, 0x00, 1, 0xff, 0x01, 0x00))), 13, "import name is not valid UTF-8"},
		{"export name prefix", comp(sec(SecExport, b(1, 0x07), str("f"), b(0x01, 0, 0))), 11, "invalid export name prefix 0x07"},
		{"export ascription", comp(sec(SecExport, b(1, 0x00), str("f"), b(0x01, 0, 1, 0x05, 0))), 17, `export "f" of a func ascribes a instance type`},
		{"extern desc", comp(sec(SecImport, b(1, 0x00), str("f"), b(0x09, 0))), 14, "invalid extern descriptor 0x09"},
		{"type bound", comp(sec(SecImport, b(1, 0x00), str("t"), b(0x03, 0x02))), 15, "invalid type bound 0x02"},
		{"core module preamble", comp(sec(SecCoreModule, []byte("junkjunk"))), 10, "does not start with a core module preamble"},
		{"nested core module", comp(sec(SecComponent, []byte("\x00asm\x01\x00\x00\x00"))), 14, "is a core module, not a component"},
		{"nesting", nested(70), nestedOff(nested(70), 65), "components nested more than 64 deep"},
		{"canon opcode", comp(sec(SecCanon, b(1, 0x7e))), 11, "unknown canonical function opcode 0x7e"},
		{"canon option", comp(sec(SecCanon, b(1, 0x00, 0x00, 0x00, 1, 0x0f, 0x00))), 15, "invalid canonical option 0x0f"},
		{"canon lift sort", comp(sec(SecCanon, b(1, 0x00, 0x01, 0x00, 0, 0x00))), 12, "invalid canon lift sort 0x01"},
		{"alias target", comp(sec(SecAlias, b(1, 0x03, 0x07, 0, 0))), 12, "invalid alias target 0x07"},
		{"outer alias sort", comp(sec(SecAlias, b(1, 0x05, 0x02, 0, 0))), 12, "outer alias of a instance"},
		{"sort", comp(sec(SecAlias, b(1, 0x09, 0x00, 0, 0))), 11, "invalid sort 0x09"},
		{"core sort", comp(sec(SecAlias, b(1, 0x00, 0x20, 0x01, 0, 0))), 12, "invalid core sort 0x20"},
		{"instance kind", comp(sec(SecInstance, b(1, 0x02, 0))), 11, "invalid instance kind 0x02"},
		{"core instance arg", comp(sec(SecCoreInstance, b(1, 0x00, 0, 1), str("m"), b(0x11, 0))), 16, "invalid core instantiation argument kind 0x11"},
		{"declarator", comp(sec(SecType, b(1, 0x42, 1, 0x03), str("x"), b(0x01, 0))), 13, "import declarator in an instance type"},
		{"result list", comp(sec(SecType, b(1, 0x40, 0, 0x02))), 13, "invalid function result list 0x02"},
		{"resource rep", comp(sec(SecType, b(1, 0x3f, 0x7e, 0))), 12, "invalid resource representation 0x7e"},
		{"flag", comp(sec(SecType, b(2, 0x6b, 0x79, 0x6a, 0x03))), 14, "invalid result ok type flag 0x03"},
		{"core type", comp(sec(SecCoreType, b(1, 0x61))), 11, "invalid core type opcode 0x61"},
		{"core value type", comp(sec(SecCoreType, b(1, 0x60, 1, 0x40, 0))), 13, "invalid core value type 0x40"},
		{"start count", comp(sec(SecStart, b(0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f))), 12, "start result count 4294967295 is larger than the input"},
	} {
		_, err := Decode(tc.in)
		checkErr(t, tc.name, err, tc.off, tc.msg)
	}
}

// TestMalformedWorld covers binaries that decode but whose world cannot be
// extracted: bad indices and types the model cannot express.
func TestMalformedWorld(t *testing.T) {
	funcImport := func(name string, ty byte) []byte {
		return sec(SecImport, b(1, 0x00), str(name), b(0x01, ty))
	}
	for _, tc := range []struct {
		name string
		in   []byte
		off  int64
		msg  string
	}{
		{"type index", comp(sec(SecType, b(1, 0x70, 0x05))), 11, "type index 5 out of range (0 defined)"},
		{"instance type index", comp(sec(SecImport, b(1, 0x00), str("a:b/c"), b(0x05, 0x07))), 11, "type index 7 out of range (0 defined)"},
		{"not an instance type", comp(sec(SecType, b(1, 0x79)), sec(SecImport, b(1, 0x00), str("a:b/c"), b(0x05, 0x00))), 15, `import "a:b/c": type index 0 is not an instance type`},
		{"func index", comp(sec(SecExport, b(1, 0x00), str("f"), b(0x01, 3, 0))), 11, `export "f": func index 3 out of range (0 defined)`},
		{"own of non-resource", comp(sec(SecType, b(2, 0x79, 0x69, 0))), 12, "own of type index 0, which is not a resource"},
		{"not a value type", comp(sec(SecType, b(2, 0x40, 0, 0x01, 0x00, 0x70, 0))), 15, "type index 0 is not a value type"},
		{"outer alias", comp(sec(SecAlias, b(1, 0x03, 0x02, 3, 0))), 11, "outer alias count 3 exceeds the 0 enclosing scopes"},
		{"alias export", comp(
			sec(SecType, b(1, 0x42, 0)),
			sec(SecImport, b(1, 0x00), str("a:b/c"), b(0x05, 0)),
			sec(SecAlias, b(1, 0x01, 0x00, 0), str("f"))), 28, `alias of export "f", which instance 0 does not have`},
		{"instantiate", comp(sec(SecInstance, b(1, 0x00, 2, 0))), 11, "component index 2 out of range (0 defined)"},
		{"lift type", comp(sec(SecType, b(1, 0x79)), sec(SecCanon, b(1, 0x00, 0x00, 0, 0, 0))), 15, "canon lift with type index 0, which is not a function type"},
	} {
		c, err := Decode(tc.in)
		if err != nil {
			t.Errorf("%s: Decode: %v", tc.name, err)
			continue
		}
		_, err = c.World()
		checkErr(t, tc.name, err, tc.off, tc.msg)
	}

	// Types the world model cannot express: errors that say so.
	for _, tc := range []struct {
		name string
		in   []byte
		msg  string
	}{
		{"named results", comp(sec(SecType, b(1, 0x40, 0, 0x01, 1), str("a"), b(0x79)), funcImport("f", 0)), `function "f" has 1 named results, which the world model cannot express`},
		{"component import", comp(sec(SecType, b(1, 0x41, 0)), sec(SecImport, b(1, 0x00), str("c"), b(0x04, 0))), `import "c" is a component`},
	} {
		c, err := Decode(tc.in)
		if err != nil {
			t.Errorf("%s: Decode: %v", tc.name, err)
			continue
		}
		if _, err = c.World(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: World err = %v, want %q", tc.name, err, tc.msg)
		}
	}
}

// TestEncodings covers encodings the corpus lacks.
func TestEncodings(t *testing.T) {
	in := comp(
		// type 0: async func() -> u32 (0x43); type 1: resource with an
		// async destructor and a callback (0x3e); type 2: func() with an
		// empty named result list (the current encoding of no result).
		sec(SecType, b(3, 0x43, 0, 0x00, 0x79, 0x3e, 0x7f, 5, 0x01, 6, 0x40, 0, 0x01, 0)),
		// import name with a version suffix (0x02).
		sec(SecImport, b(1, 0x02), str("a:b/c@0.2"), str(".1"), b(0x01, 0)),
		sec(SecImport, b(1, 0x01), str("g"), b(0x01, 2)),
		// canon built-ins, decoded as opaque records.
		sec(SecCanon, b(5, 0x09, 0x01, 0x00, 0, 0x0c, 0x01, 0x20, 0x00, 0, 0x1e, 0x0a, 0x7f, 3)),
	)
	c, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	if f := c.Types[0]; f.Kind != KindFunc || !f.Async || !f.Opt.Set || f.Opt.Prim != PrimU32 {
		t.Errorf("async func type = %+v", f)
	}
	if r := c.Types[1]; r.Kind != KindResourceAsync || r.Dtor != 5 || !r.HasCallback || r.Callback != 6 {
		t.Errorf("async resource = %+v", r)
	}
	if f := c.Types[2]; !f.NamedResults || len(f.Named) != 0 || f.Opt.Set {
		t.Errorf("no-result func = %+v", f)
	}
	if n := c.Imports[0].Name; n.Name != "a:b/c@0.2" || n.VersionSuffix != ".1" || n.Prefix != 2 {
		t.Errorf("name = %+v", n)
	}
	wantOps := []CanonOp{CanonTaskReturn, CanonYield, CanonWaitableSetWait, CanonErrorContextDrop, CanonContextGet}
	if len(c.Canons) != len(wantOps) {
		t.Fatalf("%d canons", len(c.Canons))
	}
	for i, op := range wantOps {
		if c.Canons[i].Op != op {
			t.Errorf("canon %d: op %#x, want %#x", i, c.Canons[i].Op, op)
		}
	}
	if cn := c.Canons[1]; !cn.Flag {
		t.Errorf("yield not cancellable: %+v", cn)
	}
	if cn := c.Canons[4]; cn.Slot != 3 {
		t.Errorf("context.get slot %d", cn.Slot)
	}
	if got := len(c.Spaces[SortCoreFunc]); got != 5 {
		t.Errorf("%d core funcs", got)
	}
	w, err := c.World()
	if err != nil {
		t.Fatal(err)
	}
	f := w.Lookup("a:b/c@0.2.1", true)
	if f == nil || !f.Function.Async || f.Function.Result.Kind != "u32" {
		t.Errorf("import: %+v", w.Imports[0])
	}
	if g := w.Lookup("g", true); g == nil || g.Function.Result != nil {
		t.Errorf("g: %+v", g)
	}
}

// chain builds a component with k sibling components, each instantiating
// the previous one n times, and instantiates the last: n^k instantiations.
func chain(k, n int) []byte {
	var secs [][]byte
	secs = append(secs, sec(SecComponent, comp()))
	for i := 1; i < k; i++ {
		inst := []byte{byte(n)}
		for j := 0; j < n; j++ {
			inst = append(inst, 0x00, 0, 0)
		}
		body := comp(sec(SecAlias, b(1, 0x04, 0x02, 1), lebU32(uint32(i-1))), sec(SecInstance, inst))
		secs = append(secs, sec(SecComponent, body))
	}
	secs = append(secs, sec(SecInstance, b(1, 0x00), lebU32(uint32(k-1)), b(0)))
	return comp(secs...)
}

// TestBlowUp checks that World stays bounded on binaries built to make
// elaboration explode or recurse deeply, and on definitions that would
// reach themselves.
func TestBlowUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		msg  string
	}{
		{"self instantiation", comp(sec(SecComponent, comp(sec(SecAlias, b(1, 0x04, 0x02, 1, 0)), sec(SecInstance, b(1, 0x00, 0, 0)))),
			sec(SecInstance, b(1, 0x00, 0, 0))), "outer alias of component index 0 out of range (0 defined)"},
		{"self-referencing instance type", comp(sec(SecType, b(1, 0x42, 2, 0x02, 0x03, 0x02, 1, 0, 0x04, 0x00), str("x"), b(0x05, 0)),
			sec(SecImport, b(1, 0x00), str("a:b/c"), b(0x05, 0))), "type index 0 out of range (0 defined)"},
		{"exponential", chain(40, 2), "component too complex"},
		{"deep", chain(300, 1), "instantiations nested more than 128 deep"},
	} {
		c, err := Decode(tc.in)
		if err != nil {
			t.Errorf("%s: Decode: %v", tc.name, err)
			continue
		}
		start := time.Now()
		_, err = c.World()
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: World err = %v, want %q", tc.name, err, tc.msg)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: World took %v", tc.name, d)
		}
	}
}

// TestCoreTypes covers core type definitions the corpus lacks: module
// types with every import kind, GC rec groups and sub types.
func TestCoreTypes(t *testing.T) {
	moduleType := cat(b(0x50, 8),
		b(0x01, 0x60, 1, 0x7f, 1, 0x7e),
		b(0x00), str("env"), str("f"), b(0x00, 0),
		b(0x00), str("env"), str("t"), b(0x01, 0x70, 0x01, 1, 16),
		b(0x00), str("env"), str("m"), b(0x02, 0x07, 1, 2),
		b(0x00), str("env"), str("g"), b(0x03, 0x7f, 0x01),
		b(0x00), str("env"), str("e"), b(0x04, 0x00, 0),
		b(0x02, 0x10, 0x01, 1, 0),
		b(0x03), str("run"), b(0x00, 0))
	recGroup := b(0x4e, 2, 0x50, 0, 0x5f, 2, 0x78, 0x01, 0x63, 0x00, 0x00, 0x4f, 1, 0, 0x5e, 0x7c, 0x00)
	nonFinal := b(0x00, 0x50, 0, 0x60, 0, 0)
	funcType := b(0x60, 2, 0x64, 0x70, 0x6e, 1, 0x7b)
	c, err := Decode(comp(sec(SecCoreType, b(4), moduleType, recGroup, nonFinal, funcType)))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.CoreTypes) != 4 || len(c.Spaces[SortCoreType]) != 5 {
		t.Fatalf("%d core types, %d in the index space", len(c.CoreTypes), len(c.Spaces[SortCoreType]))
	}
	if c.CoreTypes[0].Kind != CoreTypeModule || c.CoreTypes[1].Types != 2 {
		t.Errorf("core types %+v", c.CoreTypes)
	}
	if f := c.CoreTypes[3].Func; f == nil || string(f.Params) != "\x64\x6e" || string(f.Results) != "\x7b" {
		t.Errorf("func type %+v", f)
	}
	if ct := c.CoreTypes[2]; ct.Off != 10+int64(len(moduleType)+len(recGroup))+1 || ct.End-ct.Off != int64(len(nonFinal)) {
		t.Errorf("non-final sub type at %#x..%#x", ct.Off, ct.End)
	}
	for _, tc := range []struct {
		name string
		typ  []byte
		msg  string
	}{
		{"limits", cat(b(0x50, 1, 0x00), str("a"), str("b"), b(0x02, 0x10, 1)), "invalid limits flags 0x10"},
		{"heap type", b(0x60, 1, 0x63, 0x40, 0), "invalid heap type 0x40"},
		{"module decl", b(0x50, 1, 0x05, 0x00), "invalid module type declarator 0x05"},
		{"import kind", cat(b(0x50, 1, 0x00), str("a"), str("b"), b(0x07)), "invalid core import kind 0x07"},
		{"non-final", b(0x00, 0x60), "invalid core type 0x00 0x60"},
	} {
		_, err := Decode(comp(sec(SecCoreType, b(1), tc.typ)))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.msg)
		}
	}
}

// TestMapType: map<K, V> decodes to the world model's map kind (not to
// list<tuple<K, V>>, a different Component Model type).
func TestMapType(t *testing.T) {
	imp := sec(SecImport, b(1, 0x00), str("f"), b(0x01, 1))
	c, err := Decode(comp(sec(SecType, b(2, 0x63, 0x73, 0x79, 0x40, 1), str("m"), b(0), b(0x01, 0x00)), imp))
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.World()
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Imports) != 1 || w.Imports[0].Function == nil || len(w.Imports[0].Function.Params) != 1 {
		t.Fatalf("imports %+v", w.Imports)
	}
	p := w.Imports[0].Function.Params[0].Type
	if p.Kind != wit.Map || p.WIT() != "map<string, u32>" {
		t.Errorf("param type %s (%s), want map<string, u32>", p.WIT(), p.Kind)
	}
}
