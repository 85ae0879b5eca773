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
// manifest code that walk types as trees (2 KB of WIT cost 24 GB there).
func TestWorldLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("package a:b;\ninterface i {\n  type t0 = u8;\n")
	for i := 1; i < 20; i++ {
		fmt.Fprintf(&b, "  type t%d = tuple<t%d, t%d>;\n", i, i-1, i-1)
	}
	for k := 0; k < 40; k++ {
		fmt.Fprintf(&b, "  fn%d: func(x: t19, y: t19, z: t19);\n", k)
	}
	b.WriteString("}\nworld w { export i; }\n")
	_, err := LoadWorldSource("bomb.wit", []byte(b.String()), "")
	var le *wit.LimitError
	if !errors.As(err, &le) {
		t.Fatalf("LoadWorldSource: got %v, want a *wit.LimitError", err)
	}
}
