package source_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/wfcompat/wfcompat/internal/ocitest"
	"github.com/wfcompat/wfcompat/source"
)

// BenchmarkResolveOCICachedPinned resolves a pinned oci:// reference
// whose manifest and wasm layer are in the cache (fetched once through
// the helper, the registry then closed): what a CI gate with a pinned
// baseline and a warm cache pays per run.
func BenchmarkResolveOCICachedPinned(b *testing.B) {
	helper := helperPath(b)
	for _, size := range []int{64 << 10, 4 << 20} {
		b.Run(fmt.Sprintf("layer=%dKiB", size>>10), func(b *testing.B) {
			reg := ocitest.NewRegistry(b)
			wasm := append([]byte("\x00asm\x0d\x00\x01\x00"), bytes.Repeat([]byte{0x5a}, size-8)...)
			ref := "oci://" + reg.Host + "/acme/app@" + reg.Push("acme/app:v1", ocitest.WasmArtifact(b, wasm, source.MediaTypeWasm))
			opts := source.Options{CacheDir: b.TempDir(), OCIHelper: helper}
			ctx := context.Background()
			if _, err := source.Resolve(ctx, ref, opts); err != nil {
				b.Fatal(err)
			}
			reg.Server.Close()
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				l, err := source.Resolve(ctx, ref, opts)
				if err != nil || l.Digest != sha(wasm) {
					b.Fatalf("%+v, %v", l, err)
				}
			}
		})
	}
}
