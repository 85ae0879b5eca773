package wasmtools_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/internal/testfiles"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

const depWIT = `package dep:clock@0.2.0;

/// Clock things.
interface clock {
  /// Nanoseconds.
  type duration = u64;
  resource timer {
    constructor(d: duration);
    /// Time left.
    left: func() -> duration;
  }
}
`

const mainWIT = `package app:main@1.0.0;

interface api {
  use dep:clock/clock@0.2.0.{duration, timer, duration as dur};
  /// A job.
  record job {
    /// Its id.
    id: u64,
    wait: dur,
  }
  variant outcome { done(job), failed(string), /** never */ lost }
  start: func(j: job, t: borrow<timer>) -> result<timer, outcome>;
  elapsed: func() -> duration;
}

world worker {
  import dep:clock/clock@0.2.0;
  export api;
}

world client {
  import api;
}
`

func TestLoadWITDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	dir := testfiles.Write(t, map[string]string{"main.wit": mainWIT, "deps/clock/clock.wit": depWIT})

	_, err := wasmtools.LoadWIT(dir, "")
	if err == nil || !strings.Contains(err.Error(), "app:main/worker@1.0.0") || !strings.Contains(err.Error(), "app:main/client@1.0.0") {
		t.Fatalf("LoadWIT with two worlds and no choice: err = %v, want a list of both worlds", err)
	}
	if _, err := wasmtools.LoadWIT(dir, "nope"); err == nil || !strings.Contains(err.Error(), `no world "nope"`) {
		t.Fatalf("LoadWIT(nope): err = %v", err)
	}
	for _, name := range []string{"worker", "app:main/worker", "app:main/worker@1.0.0"} {
		w, err := wasmtools.LoadWIT(dir, name)
		if err != nil {
			t.Fatalf("LoadWIT(%q): %v", name, err)
		}
		if w.Name != "worker" || w.Package != "app:main@1.0.0" {
			t.Errorf("LoadWIT(%q) = world %s in %s", name, w.Name, w.Package)
		}
	}

	w, err := wasmtools.LoadWIT(dir, "worker")
	if err != nil {
		t.Fatal(err)
	}
	clock := w.Lookup("dep:clock/clock@0.2.0", true)
	if clock == nil || clock.Kind != wit.ItemInterface {
		t.Fatalf("no import dep:clock/clock@0.2.0: %+v", w.Imports)
	}
	if clock.Interface.Docs != "Clock things." {
		t.Errorf("interface docs = %q", clock.Interface.Docs)
	}
	dur := clock.Interface.TypeDef("duration")
	if dur == nil || dur.Docs != "Nanoseconds." || dur.Type.Kind != wit.U64 || dur.Type.Name != "duration" || dur.Type.Owner != "dep:clock/clock@0.2.0" {
		t.Errorf("duration = %+v (%+v)", dur, dur.Type)
	}
	if f := clock.Interface.Function("[method]timer.left"); f == nil || f.Docs != "Time left." || f.Params[0].Type.Kind != wit.Borrow {
		t.Errorf("[method]timer.left = %+v", f)
	}

	api := w.Lookup("app:main/api@1.0.0", false)
	if api == nil {
		t.Fatalf("no export app:main/api@1.0.0: %+v", w.Exports)
	}
	in := api.Interface
	// use without renaming: the type is the original, owned by dep:clock.
	if d := in.TypeDef("duration"); d == nil || d.Type.Name != "duration" || d.Type.Owner != "dep:clock/clock@0.2.0" {
		t.Errorf("used duration = %+v", d.Type)
	}
	// use with renaming: an alias, under its own name and owner.
	if d := in.TypeDef("dur"); d == nil || d.Type.Name != "dur" || d.Type.Owner != "app:main/api@1.0.0" || d.Type.Kind != wit.U64 {
		t.Errorf("renamed dur = %+v", d.Type)
	}
	job := in.TypeDef("job")
	if job == nil || job.Docs != "A job." || job.Type.Fields[0].Docs != "Its id." || job.Type.Fields[1].Type.Name != "dur" {
		t.Errorf("job = %+v", job)
	}
	if o := in.TypeDef("outcome"); o == nil || o.Type.Cases[2].Docs != "never" || o.Type.Cases[2].Type != nil || o.Type.Cases[0].Type != job.Type {
		t.Errorf("outcome = %+v", o.Type)
	}
	start := in.Function("start")
	if start == nil {
		t.Fatal("no start")
	}
	if got := start.Params[1].Type; got.Kind != wit.Borrow || got.Elem.Name != "timer" || got.Elem.Owner != "dep:clock/clock@0.2.0" || got.Elem.Kind != wit.Resource {
		t.Errorf("start t = %+v", got)
	}
	if r := start.Result; r.Kind != wit.Result || r.Ok.Kind != wit.Own || r.Ok.Elem.Name != "timer" || r.Err.Name != "outcome" {
		t.Errorf("start result = %s", r.WIT())
	}

	client, err := wasmtools.LoadWIT(dir, "client")
	if err != nil {
		t.Fatal(err)
	}
	if len(client.Exports) != 0 || client.Lookup("app:main/api@1.0.0", true) == nil {
		t.Errorf("client world: %+v", client)
	}
}

func TestLoadWITMainPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	// The dependency has a world too; the main package has exactly one.
	dep := depWIT + "world clocks { import clock; }\n"
	main := strings.Replace(mainWIT, "world client {\n  import api;\n}\n", "", 1)
	dir := testfiles.Write(t, map[string]string{"main.wit": main, "deps/clock/clock.wit": dep})
	w, err := wasmtools.LoadWIT(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if w.Name != "worker" {
		t.Errorf("world %s, want the main package's worker", w.Name)
	}
}

func TestLoadWITFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	// A relative path to a single file, from the package directory.
	w, err := wasmtools.LoadWIT(filepath.Join("..", "..", "analyze", "component", "testdata", "wit", "rich.wit"), "")
	if err != nil {
		t.Fatal(err)
	}
	if w.Name != "rich" || w.Package != "test:rich@1.2.3" {
		t.Errorf("world %s in %s", w.Name, w.Package)
	}
	point := w.Lookup("point", true)
	if point == nil || point.Kind != wit.ItemType || point.Type.Type.Owner != "test:rich/types@1.2.3" {
		t.Errorf("world-level use of point: %+v", point)
	}
	if f := w.Lookup("get-point", true); f == nil || f.Kind != wit.ItemFunction || f.Function.Result.Name != "point" {
		t.Errorf("get-point: %+v", f)
	}
	if in := w.Lookup("inline", true); in == nil || in.Interface.Name != "inline" || in.Interface.Function("ping") == nil {
		t.Errorf("inline interface: %+v", in)
	}
	types := w.Lookup("test:rich/types@1.2.3", true).Interface
	if p := types.TypeDef("point"); p.Docs != "A point." {
		t.Errorf("point docs %q", p.Docs)
	}
	// type blob-alias = blob: the alias's name, the resource's structure.
	if a := types.TypeDef("blob-alias"); a.Type.Kind != wit.Resource || a.Type.Name != "blob-alias" {
		t.Errorf("blob-alias = %+v", a.Type)
	}
	// type id2 = id: an alias of a named type.
	if a := types.TypeDef("id2"); a.Type.Kind != wit.U64 || a.Type.Name != "id2" {
		t.Errorf("id2 = %+v", a.Type)
	}
}

func TestLoadWITAsync(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	w, err := wasmtools.LoadWIT(filepath.Join("..", "..", "analyze", "component", "testdata", "wit", "async.wit"), "svc")
	if err != nil {
		t.Fatal(err)
	}
	in := w.Lookup("test:asy/streams@0.1.0", true).Interface
	for name, async := range map[string]bool{"[async]fetch": true, "[async method]conn.read": true, "pipe": false, "[method]conn.close": false} {
		f := in.Function(name)
		if f == nil {
			t.Errorf("no function %s", name)
			continue
		}
		if f.Async != async {
			t.Errorf("%s: Async = %v", name, f.Async)
		}
	}
	if f := in.Function("[async]fetch"); f != nil && f.Result.WIT() != "result<future<string>, error-context>" {
		t.Errorf("fetch result %s", f.Result.WIT())
	}
}

func TestLoadWITFixedSizeList(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	// go.bytecodealliance.org v0.7.0 does not decode fixed-size lists: an
	// error, not a wrong world.
	_, err := wasmtools.LoadWIT(filepath.Join("..", "..", "analyze", "component", "testdata", "wit", "fixed.wasm"), "")
	if err == nil || !strings.Contains(err.Error(), "does not decode") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadWITErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded wasm-tools")
	}
	dir := testfiles.Write(t, map[string]string{"bad.wit": "package a:b;\ninterface x { f: func() -> nope; }\n"})
	if _, err := wasmtools.LoadWIT(filepath.Join(dir, "bad.wit"), ""); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v", err)
	}
	if _, err := wasmtools.FromResolve(nil, nil); err == nil {
		t.Error("FromResolve(nil, nil) succeeded")
	}
}

// BenchmarkLoadWIT gets the world of update-test-v1 through the embedded
// wasm-tools, for comparison with BenchmarkComponentWorld in
// analyze/component.
func BenchmarkLoadWIT(b *testing.B) {
	path := shared.Corpus(b, "golem-v1.1.0/update-test-v1.wasm")
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(fi.Size())
	for b.Loop() {
		if _, err := wasmtools.LoadWIT(path, ""); err != nil {
			b.Fatal(err)
		}
	}
}
