package component

import (
	"errors"
	"os"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"
)

// FuzzDecodeComponent checks that Decode never panics and fails only with
// a FormatError inside the input, and that World never panics on what
// Decode accepts. Run it with
//
//	go test ./analyze/component -run XXX -fuzz FuzzDecodeComponent -parallel 1
//
// Crashers are kept under testdata/fuzz/FuzzDecodeComponent.
func FuzzDecodeComponent(f *testing.F) {
	// Corpus seeds where ../shared is present (third-party data).
	if _, err := os.Stat(shared.CorpusDir()); err == nil {
		for _, name := range []string{"rust-echo.wasm", "variant-service.wasm", "promise.wasm"} {
			f.Add(corpus(f, "golem-v1.1.0", name))
		}
	}
	for _, name := range []string{"rich.wasm", "async-callback.wasm", "fixed.wasm"} {
		f.Add(synthetic(f, name))
	}
	f.Add(comp(sec(SecType, b(3, 0x43, 0, 0x00, 0x79, 0x3e, 0x7f, 5, 0x01, 6, 0x40, 0, 0x01, 0)),
		sec(SecImport, b(1, 0x02), str("a:b/c@0.2"), str(".1"), b(0x01, 0))))
	f.Add(nested(3))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := Decode(in)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FormatError", err)
			}
			if fe.Off < 0 || fe.Off > int64(len(in)) {
				t.Fatalf("error offset %#x outside the %d-byte input: %v", fe.Off, len(in), err)
			}
			return
		}
		if c.Off != 0 || c.End != int64(len(in)) {
			t.Fatalf("component range %#x..%#x for %d bytes", c.Off, c.End, len(in))
		}
		for _, m := range c.Modules {
			if m.Off < 0 || m.End > int64(len(in)) || m.Off > m.End {
				t.Fatalf("module range %#x..%#x", m.Off, m.End)
			}
		}
		w, err := c.World()
		if err == nil && w == nil {
			t.Fatal("World returned neither a world nor an error")
		}
	})
}
