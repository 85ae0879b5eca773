package compat

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
	"github.com/wfcompat/wfcompat/wit/witparse"
	bawit "go.bytecodealliance.org/wit"
)

// uiFeatures are the @unstable features wit-parser's UI test runner
// enables: the suite's expected resolutions (NAME.wit.json) assume them.
var uiFeatures = []string{"active"}

var witParserWorlds = flag.Bool("wit-parser-worlds", false, "run TestWITAndComponentWorlds on every wit-parser world (a few minutes), not only on the quick subset")

// quickWorlds are the wit-parser worlds TestWITAndComponentWorlds checks
// in a plain `go test` (a few seconds): the reader and the build once
// disagreed on the first three (features gating includes and `use`s,
// a world-level `use` of an interface whose type no function uses),
// the others are the usual shapes (world-level resources, foreign
// packages, types in worlds).
var quickWorlds = map[string]bool{
	"feature-gates.wit/a:b/mixed-world":                  true,
	"multi-package-gated-include.wit/wasmtime:test/test": true,
	"world-iface-no-collide.wit/foo:foo/bar":             true,
	"with-resource-as.wit/foo:foo/a":                     true,
	"foreign-deps/foo:root/my-world":                     true,
	"worlds-with-types.wit/foo:foo/foo":                  true,
}

// TestWITAndComponentWorlds asks that the world read from WIT and the world
// read from a component built from it (a dummy component, by the embedded
// wasm-tools) give identical verdicts: diffing one against the other finds
// nothing but documentation (components carry docs only optionally), so
// every verdict either side gets against a third world is the same.
//
// The worlds are those of wasm-tools' wit-parser UI suite in ../shared,
// read as wfcompat reads WIT (package witparse) with the features the
// suite's runner enables ("active"), and built with the same features;
// the few inputs with binary WIT packages under deps/ are read as
// wfcompat built with -tags wasmtools reads them (through the embedded
// wasm-tools, every feature enabled) and built with every feature.
// (witparse's differential test compares its reading with the embedded
// wasm-tools' reading.)
//
// Where the embedded wasm-tools (1.230, older than the suite) cannot
// build a component of a world, or builds a wrong one, the world is
// skipped, naming the tool's error and why (toolLimits, toolWrong). A
// plain run checks quickWorlds; -wit-parser-worlds checks every world
// (about two minutes on the shared machines).
func TestWITAndComponentWorlds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds components with wasm-tools")
	}
	dir := shared.Path(t, "conformance/wit-parser-ui")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	wasmTools(t)
	type world struct {
		input, name string
		read        func() (*wit.World, error)
		features    []string // of the build: those read enables
	}
	var worlds []world
	for _, e := range entries {
		name := e.Name()
		if name == "parse-fail" || strings.HasPrefix(name, "LICENSE") || (!e.IsDir() && !strings.HasSuffix(name, ".wit")) {
			continue
		}
		path := filepath.Join(dir, name)
		res, err := witparse.Load(path, witparse.Options{Features: uiFeatures})
		if err == nil {
			for _, p := range res.Packages {
				for _, w := range p.Worlds {
					worlds = append(worlds, world{name, qualifiedWorld(w), func() (*wit.World, error) { return res.World(qualifiedWorld(w)) }, []string{"--features", strings.Join(uiFeatures, ",")}})
				}
			}
			continue
		}
		// Binary WIT packages under deps/: wfcompat built with -tags
		// wasmtools reads the input through the embedded wasm-tools
		// (wit/wasmtools, the fallback), every feature enabled.
		ref, err2 := bawit.LoadWIT(path)
		if err2 != nil {
			t.Errorf("%s: %v (wasm-tools: %v)", name, err, err2)
			continue
		}
		for _, w := range ref.Worlds {
			id := w.Package.Name
			id.Extension = w.Name
			qn := strings.ReplaceAll(id.String(), "%", "") // keyword escapes
			worlds = append(worlds, world{name, qn, func() (*wit.World, error) {
				return witparse.LoadWorldOptions(path, qn, witparse.Options{AllFeatures: true, Fallback: wasmtools.LoadWIT})
			}, []string{"--all-features"}})
		}
	}
	if len(worlds) < 100 {
		t.Fatalf("only %d worlds in %s", len(worlds), dir)
	}
	var quick int
	for _, w := range worlds {
		if quickWorlds[w.input+"/"+w.name] {
			quick++
		}
	}
	if quick != len(quickWorlds) {
		t.Fatalf("%d of the %d quick worlds found in %s", quick, len(quickWorlds), dir)
	}
	t.Logf("%d worlds", len(worlds))
	for _, w := range worlds {
		if !*witParserWorlds && !quickWorlds[w.input+"/"+w.name] {
			continue
		}
		t.Run(w.input+"/"+w.name, func(t *testing.T) {
			t.Parallel()
			// wasm-tools sees only its working directory: a copy of the input.
			tmp := t.TempDir()
			in := filepath.Join("in", w.input)
			if err := copyInput(filepath.Join(dir, w.input), filepath.Join(tmp, in)); err != nil {
				t.Fatal(err)
			}
			key := w.input + "/" + w.name
			fromComp, err := buildDummy(t, tmp, in, w.name, w.features...)
			var tool *toolError
			if errors.As(err, &tool) {
				why, ok := toolLimits[key]
				if !ok {
					why = "a construct wasm-tools 1.230 predates"
				}
				t.Skipf("the embedded wasm-tools (1.230) cannot build a component of this world (%s): %v", why, err)
			}
			if err != nil {
				t.Fatal(err)
			}
			fromWIT, err := w.read()
			if err != nil {
				t.Fatal(err)
			}
			diffs := worldDifferences(fromWIT, fromComp)
			if known, ok := toolWrong[key]; ok {
				if slices.Equal(diffs, known.diffs) {
					t.Skipf("the component the embedded wasm-tools (1.230) builds is wrong: %s; it differs as expected: %v", known.why, diffs)
				}
				t.Errorf("the component the embedded wasm-tools builds no longer differs as recorded in toolWrong (%v): %v", known.diffs, diffs)
				return
			}
			for _, d := range diffs {
				t.Error(d)
			}
		})
	}
}

// toolLimits says why the embedded wasm-tools (1.230, older than the
// wit-parser suite) cannot build a component of these worlds. Each was
// checked by hand against a current wit-component (0.259.0, in jco 1.35:
// componentEmbed with dummy and feature "active", then componentNew): where
// that builds one, the component's world agrees with wfcompat's reading.
var toolLimits = map[string]string{
	"async.wit/test:async/y": "component-model-async functions (`async func`): 1.230 does not " +
		"resolve the `[async]` imports of its own dummy module; wit-component 0.259 builds it and agrees",
	"maps.wit/foo:maps/maps-world": "map<K, V> is newer than 1.230's WIT parser; wit-component 0.259 builds it, " +
		"but wfcompat's component decoder refuses map types (the world model has no map kind)",
	"resources.wit/foo:bar/w": "a constructor with a result type is newer than 1.230's WIT parser; " +
		"wit-component 0.259 builds it and agrees",
	"kebab-name-include-with.wit/foo:foo/baz": "1.230 keeps the included function's old core import name " +
		"under `include foo with { a as b }` (duplicate import `a`); wit-component 0.259 builds it and agrees (imports b and a)",
	"foreign-interface-dep-gated.wit/a:b1/the-world": "1.230 looks up the interface of a gated-out import " +
		"(feature \"disabled\") before dropping it; wit-component 0.259 builds it and agrees (an empty world)",
	"foreign-interface-dep-gated.wit/a:b2/the-world": "1.230 looks up the interface of a gated-out import " +
		"(feature \"disabled\") before dropping it; wit-component 0.259 builds it and agrees (an empty world)",
	"foreign-world-dep-gated.wit/a:b1/the-world": "1.230 looks up the item of a gated-out import " +
		"(feature \"disabled\") before dropping it; wit-component 0.259 builds it and agrees (an empty world)",
	"foreign-world-dep-gated.wit/a:b2/the-world": "1.230 looks up the item of a gated-out import " +
		"(feature \"disabled\") before dropping it; wit-component 0.259 builds it and agrees (an empty world)",
	"union-fuzz-2.wit/foo:bar/bar": "the world imports an empty record (`record foo {}`), which the " +
		"Component Model does not have: wit-component 0.259 refuses it as well",
	"stress-export-elaborate.wit/foo:bar/foo": "1.230 takes time exponential in the length of a chain " +
		"of `use`s (0.3 s of CPU for 6 interfaces, 1.9 s for 7, 17.5 s for 8; this world has 10); " +
		"wit-component 0.259 did not finish in 2 minutes either",
}

// toolWrong are the worlds the embedded wasm-tools builds a wrong
// component of, with why and the differences that result (wit → component
// then component → wit, as worldDifferences lists them). Each was checked
// by hand against wit-component 0.259.0 (jco 1.35), whose component agrees
// with wfcompat's reading.
var toolWrong = map[string]struct {
	why   string
	diffs []string
}{
	"with-resource-as.wit/foo:foo/b": {
		why: "1.230 keeps the name r of a resource renamed by `include a with { r as s }` (wit-component 0.259 names it s, as wit-parser and wfcompat do)",
		diffs: []string{
			"wit → component: PARAM_TYPE_CHANGED world#g.param(x)", "wit → component: RESULT_TYPE_CHANGED world#g.result.elem",
			"wit → component: IMPORT_REMOVED world#s", "wit → component: IMPORT_TYPE_CHANGED world#f.param(x)",
			"wit → component: IMPORT_TYPE_CHANGED world#f.result.elem", "wit → component: IMPORT_REMOVED world#[constructor]s",
			"wit → component: IMPORT_REMOVED world#[method]s.m", "wit → component: IMPORT_REMOVED world#[static]s.sm",
			"wit → component: IMPORT_ADDED world#r", "wit → component: IMPORT_ADDED world#[constructor]r",
			"wit → component: IMPORT_ADDED world#[method]r.m", "wit → component: IMPORT_ADDED world#[static]r.sm",
			"component → wit: PARAM_TYPE_CHANGED world#g.param(x)", "component → wit: RESULT_TYPE_CHANGED world#g.result.elem",
			"component → wit: IMPORT_REMOVED world#r", "component → wit: IMPORT_TYPE_CHANGED world#f.param(x)",
			"component → wit: IMPORT_TYPE_CHANGED world#f.result.elem", "component → wit: IMPORT_REMOVED world#[constructor]r",
			"component → wit: IMPORT_REMOVED world#[method]r.m", "component → wit: IMPORT_REMOVED world#[static]r.sm",
			"component → wit: IMPORT_ADDED world#s", "component → wit: IMPORT_ADDED world#[constructor]s",
			"component → wit: IMPORT_ADDED world#[method]s.m", "component → wit: IMPORT_ADDED world#[static]s.sm",
		},
	},
}

// copyInput copies the file or directory src to dst.
func copyInput(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return os.CopyFS(dst, os.DirFS(src))
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// qualifiedWorld names w as "ns:pkg/world@version".
func qualifiedWorld(w *wit.World) string {
	pkg, version, _ := strings.Cut(w.Package, "@")
	s := pkg + "/" + w.Name
	if version != "" {
		s += "@" + version
	}
	return s
}

// worldDifferences diffs the world read from WIT against the component's,
// both ways, and lists every finding but documentation (and any unsafe
// mode): none, when the two give identical verdicts.
func worldDifferences(fromWIT, fromComp *wit.World) []string {
	var out []string
	witA, compA := Artifact{Kind: "wit"}, Artifact{Kind: "component"}
	for _, pair := range []struct {
		old, new   *wit.World
		oldA, newA Artifact
	}{{fromWIT, fromComp, witA, compA}, {fromComp, fromWIT, compA, witA}} {
		r := Diff(pair.old, pair.new, Options{Old: pair.oldA, New: pair.newA})
		dir := pair.oldA.Kind + " → " + pair.newA.Kind + ": "
		var n int
		for _, f := range r.Findings {
			if f.Rule != RuleDocsChanged {
				out = append(out, dir+f.Rule+" "+f.Subject)
				n++
			}
		}
		for _, m := range AllModes() {
			if n == 0 && r.Modes[m].Verdict == Unsafe {
				out = append(out, dir+string(m)+" is unsafe")
			}
		}
	}
	return out
}

// toolError is wasm-tools refusing (or not finishing) to build a component
// of a world: a limit of the embedded tool, not a disagreement.
type toolError struct {
	args []string
	msg  string
}

func (e *toolError) Error() string {
	return fmt.Sprintf("wasm-tools %s: %s", strings.Join(e.args, " "), e.msg)
}

// dummyBuildTimeout bounds one wasm-tools run of buildDummy: the embedded
// wasm-tools takes time exponential in the length of a chain of `use`s
// (stress-export-elaborate: 0.3 s of CPU for 6 interfaces, 1.9 s for 7,
// 17.5 s for 8; that test has 10).
const dummyBuildTimeout = 30 * time.Second

// buildDummy builds a component of world from the WIT in dir/file with
// the embedded wasm-tools, every @unstable feature enabled as wfcompat's
// WIT readers enable them, and returns its world as analyze reads it. A
// *toolError reports what wasm-tools refused or did not finish.
func buildDummy(t *testing.T, dir, file, world string, features ...string) (*wit.World, error) {
	t.Helper()
	run := func(stdin []byte, args ...string) ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), dummyBuildTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, wasmTools(t), args...)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(stdin)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case ctx.Err() != nil:
			return nil, &toolError{args, fmt.Sprintf("did not finish in %v", dummyBuildTimeout)}
		case errors.As(err, &ee):
			return nil, &toolError{args, toolMessage(stderr.String())}
		case err != nil:
			return nil, fmt.Errorf("run wasm-tools: %w", err)
		}
		return out.Bytes(), nil
	}
	// wasm-tools wants WIT keywords in the specifier escaped (test:%async/y).
	spec := world
	if id, err := bawit.ParseIdent(world); err == nil {
		spec = id.String()
	}
	core, err := run(nil, append(append([]string{"component", "embed"}, features...), "--dummy", file, "-w", spec)...)
	if err != nil {
		return nil, err
	}
	comp, err := run(core, "component", "new", "-")
	if err != nil {
		return nil, err
	}
	a, err := analyze.Decode(comp)
	if err != nil {
		return nil, fmt.Errorf("decode the dummy component of %s: %w", world, err)
	}
	if a.Kind != analyze.KindComponent {
		return nil, fmt.Errorf("the dummy component of %s is a %s", world, a.Kind)
	}
	return a.World, nil
}

// toolMessage shortens wasm-tools' error output to one line: its error
// and causes, without the source excerpt and the exit notice.
func toolMessage(stderr string) string {
	var parts []string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "", l == "Caused by:", strings.HasPrefix(l, "wasm-tools: module closed"),
			strings.HasPrefix(l, "|"), strings.HasPrefix(l, "-->"), l[0] >= '0' && l[0] <= '9' && strings.Contains(l, " | "):
			continue
		}
		parts = append(parts, strings.TrimPrefix(l, "error: "))
	}
	return strings.Join(parts, "; ")
}
