package core

import "github.com/wfcompat/wfcompat/analyze/wasmbin"

// lebError describes a failed LEB128 read that started at off. what names
// the integer ("u32", "s33", ...) and where the enclosing structure
// ("type section", "function body") for end-of-input errors.
func lebError(st wasmbin.LEBStatus, off, end int, what, where string) *FormatError {
	switch st {
	case wasmbin.LEBEOF:
		return errorf(end, nil, "unexpected end of %s reading %s", where, what)
	case wasmbin.LEBTooLong:
		return errorf(off, nil, "%s LEB128 integer representation too long", what)
	default:
		return errorf(off, nil, "%s LEB128 integer too large", what)
	}
}
