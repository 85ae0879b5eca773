package component

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/wfcompat/wfcompat/wit"
)

func corpusFiles(t testing.TB) []string {
	var files []string
	for _, dir := range []string{"golem-v1.1.0", "golem-v1.3.0"} {
		m, err := filepath.Glob(filepath.Join(shared.CorpusDir(), dir, "*.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 25 {
		t.Fatalf("found %d corpus components, want 25", len(files))
	}
	return files
}

func readFile(t testing.TB, path ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(path...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func corpus(t testing.TB, dir, name string) []byte {
	return readFile(t, shared.CorpusDir(), dir, name)
}

func decodeWorld(t *testing.T, b []byte) (*Component, *wit.World) {
	t.Helper()
	c, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	w, err := c.World()
	if err != nil {
		t.Fatalf("World: %v", err)
	}
	return c, w
}

// checkLayout checks that the sections of c tile its byte range and that
// every module range holds a core module preamble.
func checkLayout(t *testing.T, b []byte, c *Component) {
	t.Helper()
	pos := c.Off + 8
	for _, s := range c.Sections {
		if s.Off != pos || s.Data <= s.Off || s.End < s.Data {
			t.Fatalf("section %s at %#x..%#x (data %#x), want it at %#x", SectionName(s.ID), s.Off, s.End, s.Data, pos)
		}
		pos = s.End
	}
	if pos != c.End {
		t.Fatalf("sections end at %#x, component at %#x", pos, c.End)
	}
	for _, m := range c.Modules {
		if !bytes.HasPrefix(b[m.Off:m.End], []byte("\x00asm\x01\x00\x00\x00")) {
			t.Errorf("module %#x..%#x does not start with a core preamble", m.Off, m.End)
		}
	}
	for _, sub := range c.Components {
		checkLayout(t, b, sub)
	}
}

func TestDecodeCorpus(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, path := range corpusFiles(t) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			b := readFile(t, path)
			c, w := decodeWorld(t, b)
			checkLayout(t, b, c)
			if c.Off != 0 || c.End != int64(len(b)) {
				t.Errorf("component range %#x..%#x, file is %#x bytes", c.Off, c.End, len(b))
			}
			if len(c.Modules) == 0 {
				t.Error("no core module")
			}
			if len(w.Exports) == 0 {
				t.Error("no exports")
			}
			if w.Name != "root" || w.Package != "" {
				t.Errorf("world %q in %q", w.Name, w.Package)
			}
		})
	}
}

func fn(params []wit.Param, result *wit.Type) *wit.Function {
	if params == nil {
		params = []wit.Param{}
	}
	return &wit.Function{Params: params, Result: result}
}

func checkFunc(t *testing.T, in *wit.Interface, name, sig string) {
	t.Helper()
	f := in.Function(name)
	if f == nil {
		t.Errorf("%s: no function %s", in.Name, name)
		return
	}
	var b strings.Builder
	b.WriteString("func(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name + ": " + p.Type.WIT())
	}
	b.WriteString(")")
	if f.Result != nil {
		b.WriteString(" -> " + f.Result.WIT())
	}
	if b.String() != sig {
		t.Errorf("%s.%s: %s, want %s", in.Name, name, b.String(), sig)
	}
}

func TestUpdateTestFacts(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	_, w := decodeWorld(t, corpus(t, "golem-v1.1.0", "update-test-v1.wasm"))
	api := w.Lookup("golem:component/api", false)
	if api == nil || api.Kind != wit.ItemInterface {
		t.Fatalf("update-test-v1 does not export golem:component/api: %v", w.Exports)
	}
	if len(w.Exports) != 1 || len(api.Interface.Functions) != 3 {
		t.Errorf("update-test-v1: %d exports, api has %d functions", len(w.Exports), len(api.Interface.Functions))
	}
	checkFunc(t, api.Interface, "f1", "func(speed-ms: u64) -> u64")
	checkFunc(t, api.Interface, "f2", "func() -> u64")
	checkFunc(t, api.Interface, "f3", "func() -> u64")
	if w.Lookup("wasi:http/outgoing-handler@0.2.0", true) == nil || len(w.Imports) != 15 {
		t.Errorf("update-test-v1 imports: %d", len(w.Imports))
	}

	_, w = decodeWorld(t, corpus(t, "golem-v1.1.0", "update-test-v3.wasm"))
	save := w.Lookup("golem:api/save-snapshot@0.2.0", false)
	load := w.Lookup("golem:api/load-snapshot@0.2.0", false)
	if save == nil || load == nil {
		t.Fatalf("update-test-v3 exports: %v", w.Exports)
	}
	checkFunc(t, save.Interface, "save", "func() -> list<u8>")
	checkFunc(t, load.Interface, "load", "func(bytes: list<u8>) -> result<_, string>")

	_, w = decodeWorld(t, corpus(t, "golem-v1.3.0", "update-test-v4.wasm"))
	if len(w.Exports) != 1 || w.Lookup("golem:api/load-snapshot@1.1.7", false) == nil {
		t.Errorf("update-test-v4 (1.3.0) exports: %v", w.Exports)
	}
}

func TestWasiTypes(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	_, w := decodeWorld(t, corpus(t, "golem-v1.3.0", "golem_ictest.wasm"))
	http := w.Lookup("wasi:http/types@0.2.3", true).Interface
	// type field-name = field-key (= string): an alias of an alias.
	if fn := http.TypeDef("field-name").Type; fn.Kind != wit.String || fn.Name != "field-name" || fn.Owner != "wasi:http/types@0.2.3" {
		t.Errorf("field-name = %+v", fn)
	}
	// type headers = fields: an alias of a resource keeps its own name.
	checkFunc(t, http, "[constructor]outgoing-request", "func(headers: headers) -> outgoing-request")
	if h := http.Function("[constructor]outgoing-request").Params[0].Type; h.Kind != wit.Own || h.Elem.Kind != wit.Resource || h.Elem.Name != "headers" {
		t.Errorf("headers parameter: %+v", h.Elem)
	}
	// use wasi:io/streams.{error} of a type streams itself uses from
	// wasi:io/error: the owner is the defining interface.
	fs := w.Lookup("wasi:filesystem/types@0.2.3", true).Interface
	if e := fs.TypeDef("error").Type; e.Kind != wit.Resource || e.Owner != "wasi:io/error@0.2.3" {
		t.Errorf("filesystem error = %+v", e)
	}
	checkFunc(t, fs, "filesystem-error-code", "func(err: borrow<error>) -> option<error-code>")
	// use golem:rpc/types.{agent-id as golem-rpc-agent-id}: a renamed use.
	client := w.Lookup("golem:ictest-client/golem-ictest-client", true).Interface
	if a := client.TypeDef("golem-rpc-agent-id").Type; a.Kind != wit.Record || a.Owner != "golem:ictest-client/golem-ictest-client" || a.Fields[0].Type.Owner != "golem:rpc/types@0.2.2" {
		t.Errorf("golem-rpc-agent-id = %+v", a)
	}
}

func synthetic(t testing.TB, name string) []byte {
	return readFile(t, "testdata", "wit", name)
}

func TestRichWorld(t *testing.T) {
	_, w := decodeWorld(t, synthetic(t, "rich.wasm"))
	// World-level items: a used type, a function, inline interfaces.
	p := w.Lookup("point", true)
	if p == nil || p.Kind != wit.ItemType || p.Type.Type.Kind != wit.Record || p.Type.Type.Owner != "test:rich/types@1.2.3" {
		t.Errorf("point: %+v", p)
	}
	if f := w.Lookup("get-point", true); f == nil || f.Kind != wit.ItemFunction || f.Function.Result.Name != "point" {
		t.Errorf("get-point: %+v", f)
	}
	if f := w.Lookup("run", false); f == nil || f.Kind != wit.ItemFunction || f.Function.Params[0].Type.Owner != "test:rich/types@1.2.3" {
		t.Errorf("run: %+v", f)
	}
	if in := w.Lookup("inline-out", false); in == nil || in.Interface.Function("pong") == nil {
		t.Errorf("inline-out: %+v", in)
	}
	types := w.Lookup("test:rich/types@1.2.3", true).Interface
	checkFunc(t, types, "everything", "func(a: bool, b: s8, c: u8, d: s16, e: u16, f: s32, g: u32, h: s64, i: u64, j: f32, k: f64, l: char, m: string) -> option<result<point, color>>")
	checkFunc(t, types, "results", "func(a: result, b: result<u8>, c: result<_, string>, d: result<u8, string>) -> list<option<shape>>")
	checkFunc(t, types, "tuples", "func(p: pair, r: tuple<perms, id2>) -> blob-alias")
	checkFunc(t, types, "[static]blob.merge", "func(a: borrow<blob>, b: blob) -> blob")
	if id2 := types.TypeDef("id2").Type; id2.Kind != wit.U64 || id2.Name != "id2" {
		t.Errorf("id2 = %+v", id2)
	}
	if fl := types.TypeDef("perms").Type; fl.Kind != wit.Flags || strings.Join(fl.Labels, ",") != "read,write,exec" {
		t.Errorf("perms = %+v", fl)
	}
	// An exported resource and an exported interface using it.
	ex := w.Lookup("test:rich/exported@1.2.3", false).Interface
	checkFunc(t, ex, "[constructor]counter", "func(start: u32) -> counter")
	if c := ex.TypeDef("counter").Type; c.Kind != wit.Resource || c.Owner != "test:rich/exported@1.2.3" {
		t.Errorf("counter = %+v", c)
	}
	ex2 := w.Lookup("test:rich/exported2@1.2.3", false).Interface
	checkFunc(t, ex2, "pass", "func(c: borrow<counter>, w: wrapper) -> counter")
	if c := ex2.Function("pass").Result.Elem; c.Owner != "test:rich/exported@1.2.3" {
		t.Errorf("pass result owner %q", c.Owner)
	}
	if wr := ex2.TypeDef("wrapper").Type; wr.Owner != "test:rich/user@1.2.3" || wr.Fields[1].Type.Elem.Name != "ident" {
		t.Errorf("wrapper = %+v", wr)
	}
}

func TestAsyncWorld(t *testing.T) {
	for _, f := range []string{"async-callback.wasm", "async-stackful.wasm"} {
		t.Run(f, func(t *testing.T) {
			c, w := decodeWorld(t, synthetic(t, f))
			s := w.Lookup("test:asy/streams@0.1.0", true).Interface
			checkFunc(t, s, "[async]fetch", "func(url: string) -> result<future<string>, error-context>")
			checkFunc(t, s, "pipe", "func(s: stream<u8>) -> stream")
			checkFunc(t, s, "[method]conn.close", "func(self: borrow<conn>) -> future")
			if !s.Function("[async]fetch").Async || s.Function("pipe").Async {
				t.Error("Async flags wrong")
			}
			out := w.Lookup("test:asy/out@0.1.0", false).Interface
			if f := out.Function("[async method]job.wait"); f == nil || !f.Async {
				t.Errorf("job.wait: %+v", f)
			}
			ops := map[CanonOp]bool{}
			for _, cn := range c.Canons {
				ops[cn.Op] = true
			}
			if !ops[CanonTaskReturn] || !ops[CanonLift] || !ops[CanonLower] {
				t.Errorf("canon ops %v: want task.return, lift, lower", ops)
			}
		})
	}
}

func TestFixedSizeList(t *testing.T) {
	_, w := decodeWorld(t, synthetic(t, "fixed.wasm"))
	in := w.Lookup("test:fixed/arrays@0.1.0", true).Interface
	checkFunc(t, in, "get", "func(m: list<list<f32, 4>, 4>) -> rgb")
	if c := in.TypeDef("rgb").Type.Fields[0].Type; c.Kind != wit.List || c.Len != 3 || c.Elem.Kind != wit.U8 {
		t.Errorf("rgb.c = %+v", c)
	}
}

func TestCoreModuleRejected(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	b := readFile(t, shared.CorpusDir(), "ic", "rust-counter.wasm")
	_, err := Decode(b)
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Off != 4 || !strings.Contains(fe.Msg, "is a core module, not a component") {
		t.Fatalf("err = %v", err)
	}
}

// TestTruncated decodes every prefix of a small component: a prefix that
// ends between two top-level sections is a valid component with fewer
// sections; any other must fail with a FormatError inside the prefix.
// None may panic.
func TestTruncated(t *testing.T) {
	shared.Need(t, shared.CorpusDir())
	for _, f := range []string{"rust-echo.wasm", "promise.wasm"} {
		b := corpus(t, "golem-v1.1.0", f)
		full, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		boundary := map[int]int{8: 0} // prefix length -> sections
		for i, s := range full.Sections {
			boundary[int(s.End)] = i + 1
		}
		for n := 0; n < len(b); n++ {
			c, err := Decode(b[:n])
			if k, ok := boundary[n]; ok {
				if err != nil || len(c.Sections) != k {
					t.Fatalf("%s[:%d]: err = %v, want a component of %d sections", f, n, err, k)
				}
				if _, err := c.World(); err != nil && k == len(full.Sections) {
					t.Fatalf("%s[:%d]: World: %v", f, n, err)
				}
				continue
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("%s[:%d]: err = %v, want a FormatError", f, n, err)
			}
			if fe.Off < 0 || fe.Off > int64(n) {
				t.Fatalf("%s[:%d]: error offset %#x outside the input: %v", f, n, fe.Off, err)
			}
			if !strings.HasPrefix(err.Error(), "offset 0x") {
				t.Fatalf("%s[:%d]: %v", f, n, err)
			}
		}
	}
}
