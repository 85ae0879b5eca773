package abi

import (
	"fmt"
	"strings"
)

// TrapCode classifies a canonical ABI trap. Each trap_if of the Component
// Model's definitions.py maps to one code.
type TrapCode uint8

// Trap codes.
const (
	// TrapUnaligned: a pointer given by the guest (or a spilled-values
	// pointer returned by realloc) is not aligned for the type.
	TrapUnaligned TrapCode = iota + 1
	// TrapOutOfBounds: a pointer to spilled values is outside memory.
	TrapOutOfBounds
	// TrapStringOutOfBounds: a string's pointer and length leave memory.
	TrapStringOutOfBounds
	// TrapListOutOfBounds: a list's pointer and length leave memory.
	TrapListOutOfBounds
	// TrapReallocUnaligned: realloc returned a pointer not aligned as asked.
	TrapReallocUnaligned
	// TrapReallocOutOfBounds: realloc returned a region outside memory.
	TrapReallocOutOfBounds
	// TrapInvalidChar: a char is a surrogate or above 0x10FFFF.
	TrapInvalidChar
	// TrapInvalidDiscriminant: a variant, enum, option or result case index
	// is out of range.
	TrapInvalidDiscriminant
	// TrapInvalidUTF8: a utf8 string is not valid UTF-8.
	TrapInvalidUTF8
	// TrapInvalidUTF16: a utf16 string holds an unpaired surrogate.
	TrapInvalidUTF16
	// TrapStringTooLong: a string to lift takes more than
	// MaxStringByteLength bytes.
	TrapStringTooLong
	// TrapListTooLong: a list to lift takes more than MaxListByteLength bytes.
	TrapListTooLong
	// TrapUnknownHandle: a handle index is not in the instance's table.
	TrapUnknownHandle
	// TrapWrongHandleType: a handle index names a handle of another resource type.
	TrapWrongHandleType
	// TrapHandleLent: an owned handle is removed (lifted as own or dropped)
	// while it is lent to a call that has not returned.
	TrapHandleLent
	// TrapNotOwned: a borrowed handle is lifted as own.
	TrapNotOwned
	// TrapBorrowsRemain: an export call returns while borrowed handles it
	// received have not been dropped.
	TrapBorrowsRemain
	// TrapTableFull: the handle table holds its maximum number of entries.
	TrapTableFull
	// TrapCannotLeave: the instance called out while it may not (during
	// lowering, from realloc, or from post-return).
	TrapCannotLeave
	// TrapLiftLimit: a call lifts more list elements than the host allows
	// (CallContext.MaxLiftedElems): a guard of the host's memory, not a
	// rule of the canonical ABI, which reports it as a trap all the same
	// (the guest's call cannot complete).
	TrapLiftLimit
)

// reasons holds, per code, the reasons other runtimes give for the same
// trap (wasmtime's, which the Component Model's reference tests quote),
// so that Trap.Matches accepts the message of either call path.
var reasons = [...][]string{
	TrapUnaligned:           {"unaligned pointer"},
	TrapOutOfBounds:         {"pointer out of bounds of memory", "out-of-bounds", "out of bounds"},
	TrapStringOutOfBounds:   {"string pointer/length out of bounds of memory", "string content out-of-bounds"},
	TrapListOutOfBounds:     {"list pointer/length out of bounds of memory", "list content out-of-bounds"},
	TrapReallocUnaligned:    {"realloc return: result not aligned", "unaligned pointer"},
	TrapReallocOutOfBounds:  {"realloc return: beyond end of memory", "list content out-of-bounds", "string content out-of-bounds"},
	TrapInvalidChar:         {"invalid `char` bit pattern"},
	TrapInvalidDiscriminant: {"invalid variant discriminant"},
	TrapInvalidUTF8:         {"invalid utf-8", "incomplete utf-8 byte sequence"},
	TrapInvalidUTF16:        {"invalid utf-16"},
	TrapStringTooLong:       {"string too large"},
	TrapListTooLong:         {"list too large"},
	TrapUnknownHandle:       {"unknown handle index"},
	TrapWrongHandleType:     {"used with the wrong type"},
	TrapHandleLent:          {"cannot remove owned resource while borrowed"},
	TrapNotOwned:            {"cannot lift own resource from a borrow"},
	TrapBorrowsRemain:       {"borrow handles still remain at the end of the call"},
	TrapTableFull:           {"handle table full"},
	TrapCannotLeave:         {"cannot leave component instance"},
	TrapLiftLimit:           {"too many list elements to lift"},
}

// Trap is a trap of the canonical ABI: the guest broke a rule of the
// Canonical ABI (a bad pointer, a bad char, an unknown handle …). The
// component instance must not be used again after a trap.
type Trap struct {
	Code TrapCode
	// Reason is the one-line explanation, worded as wasmtime words it
	// where the reference tests quote it ("unaligned pointer",
	// "unknown handle index 5", "invalid `char` bit pattern").
	Reason string
}

// Error returns the reason.
func (t *Trap) Error() string { return t.Reason }

// Matches reports whether msg, an expected trap message of the Component
// Model's reference tests (with or without wasmtime's "wasm trap: "
// prefix), describes t. The tests quote wasmtime, whose wording differs
// between its host and its component-to-component paths for the same
// trap; Matches accepts either.
func (t *Trap) Matches(msg string) bool {
	msg = strings.TrimPrefix(msg, "wasm trap: ")
	if strings.Contains(t.Reason, msg) {
		return true
	}
	if int(t.Code) < len(reasons) {
		for _, r := range reasons[t.Code] {
			if strings.Contains(r, msg) {
				return true
			}
		}
	}
	return false
}

func trap(code TrapCode) *Trap {
	return &Trap{Code: code, Reason: reasons[code][0]}
}

func trapf(code TrapCode, format string, args ...any) *Trap {
	return &Trap{Code: code, Reason: fmt.Sprintf(format, args...)}
}
