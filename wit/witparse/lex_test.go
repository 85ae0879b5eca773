package witparse

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// lexChecked is tokenize as it was before it checked the input in the
// same pass: checkInput first, then lexing.
func lexChecked(f *srcFile) ([]token, error) {
	if err := checkInput(f); err != nil {
		return nil, err
	}
	return lex(f, nil, false)
}

// sameTokenize fails t unless tokenize agrees with lexChecked on text:
// the same error, or the same tokens; and unless each identifier's id
// flag is validASCIIID of its name.
func sameTokenize(t *testing.T, text string) {
	t.Helper()
	f := &srcFile{name: "x.wit", text: text}
	got, gerr := tokenize(f, nil)
	want, werr := lexChecked(f)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%q: tokenize error %v, checked first %v", text, gerr, werr)
	}
	if gerr != nil {
		return
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%q: tokenize %v, checked first %v", text, got, want)
	}
	for _, tk := range got {
		name := text[tk.start:tk.end]
		switch tk.kind {
		case tokExplicitID:
			name = name[1:]
		case tokID:
		default:
			if tk.id {
				t.Fatalf("%q: %s %q has the id flag", text, tokNames[tk.kind], name)
			}
			continue
		}
		if tk.id != validASCIIID(name) {
			t.Fatalf("%q: identifier %q: id flag %v, validASCIIID %v", text, name, tk.id, !tk.id)
		}
	}
}

// TestTokenizeOnePass: checking the input while lexing gives what
// checking it first did (wit-parser's order: its errors come first).
func TestTokenizeOnePass(t *testing.T) {
	cases := []string{
		"",
		"\ufeffpackage a:b;",
		"package a:b; // comment é ✓\ninterface i {}",
		"/* block é\n ✓ /* nested */ \t\r\n */ package a:b;",
		"// control \x01 in a comment\npackage a:b;",
		"/* del \x7f */",
		"// bidi \u202e in a comment\n",
		"/* discouraged \u0149 */",
		"// not UTF-8 \xff\n",
		"/* not UTF-8 \xc3 */",
		"/* unterminated é",
		"/* unterminated, then bad UTF-8 \xff",
		"package a:b; interface i { type x\u0149 = u8; }",
		"package a:b; interface i { type \u0149x = u8; }",
		"package a:b; interface i { type %\u0149 = u8; }",
		"package a:b; interface i { type é = u8; }",
		"package a:b; interface i { type aé = u8; }",
		"package a:b; interface i { type %é-x = u8; }",
		"package a:b; interface i { type x\u17b4 = u8; }",
		"package a:b; \"string\" \xff",
		"package a:b; \"string\" \x01",
		"package a:b; \x01",
		"package a:b; \r x",
		"a\u202eb",
		"%",
		"%1",
		"%-x",
		"a-B a-b A-B a1 1a a--b a- -a _a a_b Ab aB A_ %a %A-b %a--b %_",
		"x\x00",
		"ok // trailing line comment without newline é",
	}
	cases = append(cases, fuzzSeeds(t)...)
	for _, c := range cases {
		sameTokenize(t, c)
		// Every prefix, too: errors at the end of the input.
		if len(c) < 200 {
			for i := range len(c) {
				sameTokenize(t, c[:i])
			}
		}
	}
}

// FuzzTokenize: the one-pass check agrees with checking first, on any
// input.
func FuzzTokenize(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add("/* é \u0149 \x01 */ %a-B \u202e x\xff")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		sameTokenize(t, strings.Clone(text))
	})
}
