package witparse

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestReadTextSizes: files smaller and larger than the room left in the
// arena of texts, and more files than one arena chunk holds, read whole.
func TestReadTextSizes(t *testing.T) {
	dir := t.TempDir()
	deps := filepath.Join(dir, "deps")
	if err := os.Mkdir(deps, 0o755); err != nil {
		t.Fatal(err)
	}
	main := "package a:main;\nworld w {\n"
	want := map[string]string{}
	for i, size := range []int{0, 10, arenaChunk / 4, arenaChunk - 100, arenaChunk, 3 * arenaChunk, 100, 5000} {
		doc := strings.Repeat("x", size)
		name := fmt.Sprintf("p%d", i)
		src := fmt.Sprintf("package a:%s;\n/// %s\ninterface i {}\n", name, doc)
		if err := os.WriteFile(filepath.Join(deps, name+".wit"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		main += fmt.Sprintf("  import a:%s/i;\n", name)
		want["a:"+name+"/i"] = doc
	}
	if err := os.WriteFile(filepath.Join(dir, "main.wit"), []byte(main+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := LoadWorld(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, it := range w.Imports {
		if it.Interface == nil {
			continue
		}
		if doc, ok := want[it.Name]; !ok || it.Interface.Docs != doc {
			t.Errorf("%s: docs of %d bytes, want %d", it.Name, len(it.Interface.Docs), len(doc))
		}
		got++
	}
	if got != len(want) {
		t.Errorf("%d interfaces, want %d", got, len(want))
	}
}

// TestValidASCIIID: the fast path agrees with validateID.
func TestValidASCIIID(t *testing.T) {
	for _, s := range []string{"", "a", "A", "a-b", "a--b", "-a", "a-", "aB", "Ab", "AB-cd", "a1", "1a", "a-1", "é", "a_b", "abc-DEF-g9", "x-", "a1b", "A1B", "a1B", "ab-CD-e", "a-B1-c2"} {
		if got, want := validASCIIID(s), validateID(s) == nil; got != want {
			t.Errorf("%q: fast path %v, validateID %v", s, got, want)
		}
	}
}

// TestCheckInput: the word-at-a-time scan finds what a rune-by-rune one
// finds, where it is, invalid UTF-8 first.
func TestCheckInput(t *testing.T) {
	slow := func(f *srcFile) error {
		if !utf8.ValidString(f.text) {
			for i := 0; i < len(f.text); {
				r, n := utf8.DecodeRuneInString(f.text[i:])
				if r == utf8.RuneError && n == 1 {
					return f.errorf(i, "input is not valid UTF-8")
				}
				i += n
			}
		}
		for i, r := range f.text {
			switch r {
			case '\n', '\r', '\t':
			case '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069':
				return f.errorf(i, "input contains bidirectional override codepoint %U", r)
			case '\u0149', '\u0673', '\u0f77', '\u0f79', '\u17a3', '\u17a4', '\u17b4', '\u17b5':
				return f.errorf(i, "codepoint %U is discouraged by Unicode", r)
			default:
				if unicode.IsControl(r) {
					return f.errorf(i, "control code %U", r)
				}
			}
		}
		return nil
	}
	base := "package a:b;\ninterface i {\n  f: func(x: u32) -> string;\n}\n"
	for _, ins := range []string{"", "\x00", "\x1f", "\x7f", "\u0085", "\u202e", "\u0149", "é", "\xff", "\xc3", "\t\r\n", "~ ", "\u00a0"} {
		for at := 0; at <= len(base); at++ {
			for _, extra := range []string{"", "\x01", "\xfe"} {
				text := base[:at] + ins + base[at:] + extra
				f := &srcFile{name: "x.wit", text: text}
				got, want := fmt.Sprint(checkInput(f)), fmt.Sprint(slow(f))
				if got != want {
					t.Fatalf("%q: got %s, want %s", text, got, want)
				}
			}
		}
	}
}

// TestReaderDir: the directories whose listings (and descriptors) the
// walk keeps are those the reader reads.
func TestReaderDir(t *testing.T) {
	sep := string(filepath.Separator)
	for rel, want := range map[string]bool{
		"": true, "deps": true, "deps" + sep + "a": true,
		"deps" + sep + "a" + sep + "deps": false, "docs": false, ".git": false, "depsx": false,
	} {
		if got := readerDir(rel); got != want {
			t.Errorf("%q: %v, want %v", rel, got, want)
		}
	}
}
