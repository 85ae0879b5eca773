package wasmtools

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// checkWITNesting scans the .wit files at path (a file, or a directory
// with its deps/) for type expressions nested more than wit.MaxTypeDepth deep
// (list<list<…>>), and reports the first with its file and offset.
// Comments are skipped; symbolic links and other irregular entries are
// left to the loader.
func checkWITNesting(path string) error {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		if err == nil && fi.Mode().IsRegular() {
			return nestingOf(path, "")
		}
		return nil // the loader reports it
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() || !strings.HasSuffix(p, ".wit") {
			return nil
		}
		rel, _ := filepath.Rel(path, p)
		return nestingOf(p, rel+": ")
	})
}

// nestingOf checks one file; prefix names it in the message.
func nestingOf(path, prefix string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil // the loader reports it
	}
	if off := nestingOffset(b); off >= 0 {
		line := bytes.Count(b[:off], []byte{'\n'}) + 1
		return fmt.Errorf("%soffset 0x%x (line %d): %s", prefix, off, line, wit.DepthMessage)
	}
	return nil
}

// nestingOffset returns the offset of the first '<' nested deeper than
// wit.MaxTypeDepth in WIT text src, or -1.
func nestingOffset(src []byte) int {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			// Block comments nest in WIT.
			n := 1
			for i += 2; i < len(src) && n > 0; i++ {
				switch {
				case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
					n++
					i++
				case src[i] == '*' && i+1 < len(src) && src[i+1] == '/':
					n--
					i++
				}
			}
		case c == '<':
			if depth++; depth > wit.MaxTypeDepth {
				return i
			}
		case c == '>':
			if depth > 0 {
				depth--
			}
		case c == ';' || c == '{' || c == '}':
			depth = 0 // a type expression never spans these
		}
	}
	return -1
}
