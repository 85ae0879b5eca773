package witparse

import (
	"fmt"
	"strings"
)

// Error is a WIT input error: where it is (file, 1-based line and column,
// byte offset) and what is wrong. Its message's first line reads
// "FILE:LINE:COL: MSG"; the source line follows with a caret under the
// position, as wit-parser shows it.
type Error struct {
	File   string
	Line   int
	Column int
	Offset int
	Msg    string
	// Source is the text of the offending line ("" when the error is about
	// a whole file or directory).
	Source string

	// binaryDeps marks a reference to a package that only a binary WIT
	// package under deps/ (not read natively) could provide.
	binaryDeps bool
}

// Error returns "FILE:LINE:COL: MSG" and, when the source line is known,
// that line with a caret under the column.
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	if e.Source != "" || e.Column == 1 {
		num := fmt.Sprint(e.Line)
		pad := strings.Repeat(" ", len(num))
		col := e.Column - 1
		// Columns count characters; the caret goes under the character.
		prefix := []rune(e.Source)
		if col > len(prefix) {
			col = len(prefix)
		}
		indent := make([]byte, 0, col)
		for _, r := range prefix[:col] {
			if r == '\t' {
				indent = append(indent, '\t')
			} else {
				indent = append(indent, ' ')
			}
		}
		fmt.Fprintf(&b, "\n %s |\n %s | %s\n %s | %s^", pad, num, e.Source, pad, indent)
	}
	return b.String()
}

// srcFile is one source file: its name for messages and its text.
type srcFile struct {
	name string
	text string
}

// errorf returns an *Error at byte offset off of f.
func (f *srcFile) errorf(off int, format string, args ...any) *Error {
	if off < 0 {
		off = 0
	}
	if off > len(f.text) {
		off = len(f.text)
	}
	lineStart := strings.LastIndexByte(f.text[:off], '\n') + 1
	lineEnd := strings.IndexByte(f.text[off:], '\n')
	if lineEnd < 0 {
		lineEnd = len(f.text)
	} else {
		lineEnd += off
	}
	line := strings.Count(f.text[:lineStart], "\n") + 1
	col := len([]rune(f.text[lineStart:off])) + 1
	src := strings.TrimRight(f.text[lineStart:lineEnd], "\r")
	if len(src) > 240 {
		// Very long lines are shown around the position only.
		src = ""
	}
	return &Error{File: f.name, Line: line, Column: col, Offset: off, Msg: fmt.Sprintf(format, args...), Source: src}
}
