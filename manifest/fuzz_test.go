package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// FuzzRead checks that any input either reads to a manifest that encodes
// and reads back to itself, or fails with one *Error on one line — never a
// panic.
//
//	go test ./manifest -run=^$ -fuzz=FuzzRead -parallel=1 -fuzztime=2m
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 16<<10 {
			continue // minimizing large inputs stalls the fuzzer
		}
		f.Add(b)
	}
	f.Add([]byte(`{"schema":"wfcompat.manifest/v1"}`))
	f.Add([]byte(`{"schema":"wfcompat.manifest/v1","version_id":"v","artifact":{"kind":"core","sha256":"0000000000000000000000000000000000000000000000000000000000000000","size":0},` +
		`"world":{"name":"w","imports":null,"exports":[{"name":"f","kind":"function","function":{"name":"f","params":[{"name":"a","type":{"kind":"result","ok":{"kind":"list","elem":{"kind":"u8"}}}}]}}]},` +
		`"wit":"","snapshot":{"save":[],"load":[]},"producers":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Read(in)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Read accepted what Validate refuses: %v", err)
		}
		enc, err := Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := Read(enc)
		if err != nil {
			t.Fatalf("re-reading the encoding: %v\n%s", err, enc)
		}
		enc2, _ := Encode(m2)
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable:\n%s\n---\n%s", enc, enc2)
		}
		_ = m.World.WIT() // rendering must not panic either
	})
}

// FuzzExtract feeds arbitrary bytes, and a real module with arbitrary
// bytes appended, to Extract and Strip: errors, never panics.
//
//	go test ./manifest -run=^$ -fuzz=FuzzExtract -parallel=1 -fuzztime=2m
func FuzzExtract(f *testing.F) {
	base := []byte("\x00asm\x01\x00\x00\x00")
	f.Add([]byte{})
	f.Add(wasmbin.AppendCustomSection(nil, SectionName, []byte(`{"schema":"wfcompat.manifest/v1"}`)))
	f.Add(wasmbin.AppendCustomSection(nil, "producers", []byte{1, 8, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 1, 4, 'R', 'u', 's', 't', 0}))
	f.Fuzz(func(t *testing.T, tail []byte) {
		in := append(append([]byte{}, base...), tail...)
		if m, ok, err := Extract(in); ok && err == nil && m == nil {
			t.Fatal("Extract reported a manifest but returned none")
		}
		if s, err := Strip(in); err == nil && len(s) > len(in) {
			t.Fatal("Strip grew the input")
		}
		_ = producers(in)
	})
}
