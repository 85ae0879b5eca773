package witparse

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/wit"
)

// uiDir is wit-parser's UI tests (../shared/conformance/wit-parser-ui).
func sharedConformance() string { return shared.ConformanceDir() }

func uiDir(t testing.TB) string {
	d := filepath.Join(shared.ConformanceDir(), "wit-parser-ui")
	shared.Need(t, d)
	return d
}

// uiOptions are the features wit-parser's UI test runner enables.
var uiOptions = Options{Features: []string{"active"}}

// TestConformanceValid loads every valid package of wit-parser's UI tests
// and compares each world and each interface with NAME.wit.json, converted
// to the world model as wasmtools.FromResolve converts a Resolve.
//
// Compared: world names, packages, docs, imports and exports (names, kinds,
// order), interfaces (names, docs, types in order, functions in order),
// functions (names, async, params, result, docs), types (kind, name,
// owner, fields, cases, labels, elements, lengths, docs of fields and
// cases). map<K, V>, which the world model has no kind for, is compared as
// list<tuple<K, V>>, the reader's representation. Deliberately not compared: feature-gate stability annotations
// (the model has none), package docs (the model has no packages), source
// spans, and the identity of anonymous types (the model has none).
func TestConformanceValid(t *testing.T) {
	dir := uiDir(t)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, matched := 0, 0
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".wit.json")
		if !ok {
			continue
		}
		total++
		input := filepath.Join(dir, name)
		if _, err := os.Stat(input); err != nil {
			input += ".wit"
		}
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(input); err != nil {
				t.Skipf("input is not WIT text (%s.wat: a binary WIT package, not read by this reader)", name)
			}
			if bin, _ := filepath.Glob(filepath.Join(input, "deps", "*.wa[st]*")); len(bin) > 0 {
				t.Skipf("depends on binary WIT packages (%d .wasm/.wat under deps/), which this reader does not read", len(bin))
			}
			want, err := loadUIJSON(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Load(input, uiOptions)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			ok := compareUI(t, want, res)
			if ok {
				matched++
			}
		})
	}
	t.Logf("valid packages matched: %d / %d", matched, total)
}

func compareUI(t *testing.T, want *uiModel, res *Resolve) bool {
	ok := true
	pkgs := map[string]*Package{}
	for _, p := range res.Packages {
		pkgs[p.Name] = p
	}
	for i, jw := range want.r.Worlds {
		ww, err := want.world(i)
		if err != nil {
			t.Errorf("expected world %s: %v", jw.Name, err)
			ok = false
			continue
		}
		p := pkgs[ww.Package]
		var got *wit.World
		if p != nil {
			for _, w := range p.Worlds {
				if w.Name == ww.Name {
					got = w
				}
			}
		}
		if got == nil {
			t.Errorf("world %s of %s missing", ww.Name, ww.Package)
			ok = false
			continue
		}
		if d := cmp.Diff(ww, got); d != "" {
			t.Errorf("world %s (-wit-parser +native):\n%s", ww.Name, d)
			ok = false
		}
	}
	for id, in := range want.r.Interfaces {
		if in.Name == nil || in.Package == nil {
			continue
		}
		qn := want.ifaceName(id)
		wi, err := want.iface(id, qn)
		if err != nil {
			t.Errorf("expected interface %s: %v", qn, err)
			ok = false
			continue
		}
		p := pkgs[want.r.Packages[*in.Package].Name]
		var got *wit.Interface
		if p != nil {
			for _, x := range p.Interfaces {
				if x.Name == qn {
					got = x
				}
			}
		}
		if got == nil {
			t.Errorf("interface %s missing", qn)
			ok = false
			continue
		}
		if d := cmp.Diff(wi, got); d != "" {
			t.Errorf("interface %s (-wit-parser +native):\n%s", qn, d)
			ok = false
		}
	}
	return ok
}

var uiPos = regexp.MustCompile(`([^\s:]+\.wit):(\d+):(\d+)`)

// TestConformanceParseFail checks that every parse-fail input is rejected
// and, where wit-parser's error gives a position, that ours is on the same
// line of the same file.
func TestConformanceParseFail(t *testing.T) {
	dir := filepath.Join(uiDir(t), "parse-fail")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, rejected, withPos, sameLine := 0, 0, 0, 0
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".result") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".wit")
		total++
		t.Run(name, func(t *testing.T) {
			input := filepath.Join(dir, e.Name())
			_, err := Load(input, uiOptions)
			if err == nil {
				t.Fatalf("accepted; wit-parser rejects it")
			}
			rejected++
			b, rerr := os.ReadFile(filepath.Join(dir, name+".wit.result"))
			if rerr != nil {
				return
			}
			m := uiPos.FindStringSubmatch(string(b))
			if m == nil {
				return
			}
			withPos++
			var pe *Error
			if !errors.As(err, &pe) {
				t.Errorf("error has no position: %v\nwit-parser: %s", err, b)
				return
			}
			wantLine, _ := strconv.Atoi(m[2])
			if filepath.Base(pe.File) != filepath.Base(m[1]) || pe.Line != wantLine {
				t.Errorf("error at %s:%d, wit-parser at %s:%d\nours: %v\nwit-parser: %s", filepath.Base(pe.File), pe.Line, filepath.Base(m[1]), wantLine, err, b)
				return
			}
			sameLine++
		})
	}
	t.Logf("parse-fail rejected: %d / %d; same line: %d / %d with a position", rejected, total, sameLine, withPos)
}
