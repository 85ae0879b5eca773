package witparse

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary text to the lexer, parser and resolver: it must
// never panic or hang, and every error must be an *Error with a position
// inside the input. Seeds are the project's WIT fixtures (testdata) and
// generated deep nestings; wit-parser's UI tests join them when ../shared
// is present.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		res, err := LoadString("fuzz.wit", text, Options{AllFeatures: true})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if e.Offset < 0 || e.Offset > len(text) {
				t.Fatalf("error offset %d outside the input (%d bytes): %v", e.Offset, len(text), err)
			}
			_ = err.Error()
			return
		}
		for _, p := range res.Packages {
			for _, w := range p.Worlds {
				for _, it := range append(w.Imports, w.Exports...) {
					if it.Kind == "" || it.Name == "" {
						t.Fatalf("world %s: item without kind or name: %+v", w.Name, it)
					}
				}
			}
		}
		_, _ = res.World("")
	})
}

func fuzzSeeds(tb testing.TB) []string {
	seeds := []string{
		"package a:b;\ninterface i { type t = list<u32, 4>; f: async func(x: t) -> result<t, string>; }\nworld w { import i; export f: func(); }\n",
		"package a:b;\nworld w { include c with { x as y } }\nworld c { import x: func(); }\n",
		"package a:b { interface i {} }\npackage c:d@1.0.0-rc.1+b { world w { import a:b/i; } }\n",
		"package a:b;\n@unstable(feature = f)\ninterface i { @since(version = 0.1.0) resource r { constructor(); m: func() -> own<r>; s: static func(b: borrow<r>); } }\n",
		"package a:b;\ninterface %interface { type %type = tuple<future<u8>, stream, option<%type2>>; type %type2 = map<string, u32>; }\n",
		"/* a /* nested */ comment */ /// docs\npackage a:b;\n",
		"package a:b;\ninterface i { " + strings.Repeat("type x = list<", 300) + "u8" + strings.Repeat(">", 300) + "; }\n",
		"package a:b;\n" + strings.Repeat("package a:c {\n", 120) + strings.Repeat("}\n", 120),
		"package a:b;\ninterface i { " + strings.Repeat("/*", 200) + strings.Repeat("*/", 200) + " }\n",
		doublingChain(64),
	}
	for _, dir := range []string{filepath.Join("testdata"), filepath.Join(uiDirIfPresent(), ""), filepath.Join(uiDirIfPresent(), "parse-fail")} {
		if dir == "" {
			continue
		}
		m, _ := filepath.Glob(filepath.Join(dir, "*.wit"))
		more, _ := filepath.Glob(filepath.Join(dir, "*", "*.wit"))
		for _, p := range append(m, more...) {
			if b, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, string(b))
			}
		}
	}
	return seeds
}

func uiDirIfPresent() string {
	d := filepath.Join(sharedConformance(), "wit-parser-ui")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// doublingChain is `type t1 = tuple<t0, t0>` … up to tn: tiny text whose
// types expand to 2^n nodes.
func doublingChain(n int) string {
	var b strings.Builder
	b.WriteString("package a:b;\ninterface i {\ntype t0 = u8;\n")
	for i := 1; i <= n; i++ {
		b.WriteString("type t")
		b.WriteString(itoa(i))
		b.WriteString(" = tuple<t")
		b.WriteString(itoa(i - 1))
		b.WriteString(", t")
		b.WriteString(itoa(i - 1))
		b.WriteString(">;\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
