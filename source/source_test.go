package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

func digestOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

func TestParse(t *testing.T) {
	hex64 := strings.Repeat("ab", 32)
	for _, c := range []struct {
		in   string
		want Ref
		err  string
	}{
		{in: "build/app.wasm", want: Ref{Kind: KindFile, Path: "build/app.wasm"}},
		{in: "-", want: Ref{Kind: KindStdin}},
		{in: "git:origin/main:build/app.wasm", want: Ref{Kind: KindGit, Rev: "origin/main", Path: "build/app.wasm"}},
		{in: "git:HEAD~1:wit", want: Ref{Kind: KindGit, Rev: "HEAD~1", Path: "wit"}},
		{in: "git:v1.0.0:.", want: Ref{Kind: KindGit, Rev: "v1.0.0", Path: "."}},
		{in: "oci://ghcr.io/acme/app:v1", want: Ref{Kind: KindOCI, Image: "ghcr.io/acme/app:v1"}},
		{in: "https://example.com/app.wasm", want: Ref{Kind: KindHTTP, URL: "https://example.com/app.wasm"}},
		{in: "https://example.com/app.wasm#sha256=" + strings.ToUpper(hex64), want: Ref{Kind: KindHTTP, URL: "https://example.com/app.wasm", Digest: "sha256:" + hex64}},
		{in: "", err: "empty source"},
		{in: "git:main", err: "want git:REV:PATH"},
		{in: "git::app.wasm", err: "want git:REV:PATH"},
		{in: "git:main:", err: "want git:REV:PATH"},
		{in: "oci://", err: "want oci://"},
		{in: "https://example.com/a#md5=00", err: "#sha256="},
		{in: "http://example.com/a.wasm", err: "plain http"},
	} {
		got, err := Parse(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q): err = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		c.want.Raw = c.in
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestResolveFileAndStdin(t *testing.T) {
	cache := t.TempDir()
	l, err := Resolve(context.Background(), "some/file.wasm", Options{CacheDir: cache})
	if err != nil || l.Path != "some/file.wasm" || l.Kind != KindFile {
		t.Errorf("file: %+v, %v", l, err)
	}
	data := []byte("\x00asm\x01\x00\x00\x00")
	l, err = Resolve(context.Background(), "-", Options{CacheDir: cache, Stdin: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(l.Path)
	if !bytes.Equal(got, data) || l.Digest != digestOf(data) || l.Name != "-" || !strings.HasPrefix(l.Path, cache) {
		t.Errorf("stdin: %+v", l)
	}
	_, err = Resolve(context.Background(), "-", Options{CacheDir: cache, Stdin: bytes.NewReader(make([]byte, 100)), MaxSize: 99})
	if err == nil || !strings.Contains(err.Error(), "-: read standard input: larger than 99 bytes") {
		t.Errorf("stdin over the limit: %v", err)
	}
}

func TestCacheRejectsDamagedEntry(t *testing.T) {
	c, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("content")
	p, d, err := c.store(bytes.NewReader(data), 100, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.lookup(d) != p {
		t.Fatal("stored blob not found")
	}
	if err := os.WriteFile(p, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c.lookup(d) != "" {
		t.Error("a damaged cache entry was returned")
	}
}
