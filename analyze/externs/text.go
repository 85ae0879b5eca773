package externs

import (
	"fmt"
	"strconv"
	"strings"
)

// TypeWAT renders e's type in the text format, as diff's findings and
// inspect write it: (memory i64 1 2), (table 10 funcref), (global (mut
// i32)). A missing minimum is written 0.
func (e Extern) TypeWAT() string {
	var b strings.Builder
	b.WriteString("(" + e.Kind)
	if e.Kind == Memory && e.Memory64 {
		b.WriteString(" i64")
	}
	if e.Kind != Global {
		var min uint64
		if e.Min != nil {
			min = *e.Min
		}
		b.WriteString(" " + strconv.FormatUint(min, 10))
		if e.Max != nil {
			b.WriteString(" " + strconv.FormatUint(*e.Max, 10))
		}
	}
	switch e.Kind {
	case Memory:
		if e.Shared {
			b.WriteString(" shared")
		}
	case Table:
		b.WriteString(" " + e.Type)
	case Global:
		if e.Mutable {
			b.WriteString(" (mut " + e.Type + ")")
		} else {
			b.WriteString(" " + e.Type)
		}
	}
	return b.String() + ")"
}

// WAT renders e in the text format as the import (imported true) or
// export it is: (import "env" "memory" (memory 1)), (export "g" (global
// i32)).
func (e Extern) WAT(imported bool) string {
	if imported {
		return fmt.Sprintf("(import %s %s %s)", strconv.Quote(e.Module), strconv.Quote(e.Name), e.TypeWAT())
	}
	return fmt.Sprintf("(export %s %s)", strconv.Quote(e.Name), e.TypeWAT())
}
