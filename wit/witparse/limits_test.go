package witparse

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

// TestWorldLimits: each type stays under the per-type expansion cap, but the
// world's types together expand to far more than wit.MaxWorldNodes; the world
// is refused (as the component decoder refuses it), not handed to the diff and
// manifest code that walk types as trees (2 KB of WIT cost 24 GB there). The
// error is a *wit.LimitError and a *Error at the type definition, parameter or
// result where the limit was crossed: the marked place («») of each case.
func TestWorldLimits(t *testing.T) {
	// chain defines t0 … tN, tK expanding to 2^(K+1)-1 nodes.
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString("  type t0 = u8;\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "  type t%d = tuple<t%d, t%d>;\n", i, i-1, i-1)
		}
		return b.String()
	}
	tests := []struct {
		name  string
		src   string
		where string // the limit error's Where
	}{
		{
			// t0…t15 expand to 2^17-18 nodes in all; t16 passes 2^17.
			name:  "interface type",
			src:   "package a:b;\ninterface i {\n" + strings.Replace(chain(19), "type t16", "type «t16", 1) + "}\nworld w { export i; }\n",
			where: "a:b/i, type t16",
		},
		{
			// t10 expands to 2047 nodes: t0…t10 total 4083; each
			// function adds 3×2047; the 21st (fn20) passes 2^17 at z.
			name: "interface function parameter",
			src: "package a:b;\ninterface i {\n" + chain(10) + func() string {
				var b strings.Builder
				for k := 0; k < 30; k++ {
					z := "z"
					if k == 20 {
						z = "«z"
					}
					fmt.Fprintf(&b, "  fn%d: func(x: t10, y: t10, %s: t10);\n", k, z)
				}
				return b.String()
			}() + "}\nworld w { export i; }\n",
			where: "a:b/i, function fn20, parameter z",
		},
		{
			// The imported interface's t0…t14 (65519 nodes) and the
			// world's t14 (32767) leave room for less than g0's result.
			name: "world function result",
			src: "package a:b;\ninterface i {\n" + chain(14) + "}\nworld w {\n  use i.{t14};\n" + func() string {
				var b strings.Builder
				for k := 0; k < 10; k++ {
					r := ""
					if k == 0 {
						r = "«"
					}
					fmt.Fprintf(&b, "  import g%d: func() -> %stuple<t14, t14>;\n", k, r)
				}
				return b.String()
			}() + "}\n",
			where: "function g0, result",
		},
		{
			// As above, with a world type in place of g0.
			name:  "world type",
			src:   "package a:b;\ninterface i {\n" + chain(14) + "}\nworld w {\n  use i.{t14 as u};\n  type «v = tuple<u, u>;\n}\n",
			where: "type v",
		},
		{
			name:  "resource constructor parameter",
			src:   "package a:b;\ninterface i {\n" + chain(14) + "  resource r {\n    constructor(a: t14, b: t14, «c: t14);\n  }\n}\nworld w { export i; }\n",
			where: "a:b/i, function [constructor]r, parameter c",
		},
		{
			name: "resource method parameter",
			src: "package a:b;\ninterface i {\n" + chain(14) + "  resource r {\n" + func() string {
				var b strings.Builder
				for k := 0; k < 10; k++ {
					p := "p"
					if k == 2 {
						p = "«p"
					}
					fmt.Fprintf(&b, "    m%d: func(%s: t14);\n", k, p)
				}
				return b.String()
			}() + "  }\n}\nworld w { export i; }\n",
			where: "a:b/i, function [method]r.m2, parameter p",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mark := strings.Index(tt.src, "«")
			if mark < 0 {
				t.Fatal("no mark in the case")
			}
			src := strings.Replace(tt.src, "«", "", 1)
			line := strings.Count(src[:mark], "\n") + 1
			col := mark - strings.LastIndexByte(src[:mark], '\n')
			_, err := LoadWorldSource("bomb.wit", []byte(src), "")
			var le *wit.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("LoadWorldSource: got %v, want a *wit.LimitError", err)
			}
			if le.Where != tt.where {
				t.Errorf("limit crossed at %q, want %q", le.Where, tt.where)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("LoadWorldSource: got %v, want a *Error", err)
			}
			if pe.File != "bomb.wit" || pe.Line != line || pe.Column != col {
				t.Errorf("at %s:%d:%d, want bomb.wit:%d:%d\n%v", pe.File, pe.Line, pe.Column, line, col, err)
			}
			if first, _, _ := strings.Cut(err.Error(), "\n"); !strings.HasPrefix(first, fmt.Sprintf("bomb.wit:%d:%d: %s: ", line, col, tt.where)) || !strings.Contains(first, "nodes") {
				t.Errorf("message %q", first)
			}
		})
	}
}

// FuzzLimits: worlds near and past wit.MaxWorldNodes, mutated — a limit
// error always points into the text, never panics.
//
//	go test ./wit/witparse -run=^$ -fuzz=FuzzLimits -fuzztime=1m
func FuzzLimits(f *testing.F) {
	f.Add(doublingChain(18) + "world w { export i; }\n")
	f.Add("package a:b;\ninterface i {\n  type t0 = u8;\n  type t1 = tuple<t0, t0, t0, t0>;\n  type t2 = tuple<t1, t1, t1, t1>;\n" +
		"  type t3 = tuple<t2, t2, t2, t2>;\n  type t4 = tuple<t3, t3, t3, t3>;\n  type t5 = tuple<t4, t4, t4, t4>;\n  type t6 = tuple<t5, t5, t5, t5>;\n" +
		"  type t7 = tuple<t6, t6, t6, t6>;\n  resource r { m: func(p: t7) -> t7; constructor(a: t7); s: static func(b: t7); }\n  f: func(x: t7, y: t7) -> t7;\n}\n" +
		"world w {\n  use i.{t7 as u};\n  type v = tuple<u, u>;\n  import g: func(x: v) -> v;\n  export i;\n  export e: interface { use i.{t7}; h: func(z: t7); }\n}\n")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<14 {
			return
		}
		res, err := LoadString("fuzz.wit", text, Options{AllFeatures: true})
		if err != nil {
			return
		}
		_, err = res.World("")
		var le *LimitError
		if errors.As(err, &le) {
			if le.Pos.File != "fuzz.wit" || le.Pos.Offset < 0 || le.Pos.Offset > len(text) || le.Pos.Line < 1 {
				t.Fatalf("limit error outside the text: %+v", le.Pos)
			}
			_ = err.Error()
		}
	})
}
