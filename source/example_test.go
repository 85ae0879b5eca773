package source_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/wfcompat/wfcompat/source"
)

// A CI gate names its baseline where it lives and opens the local copy
// like any input. Here the baseline comes from standard input.
func ExampleResolve() {
	cache, _ := os.MkdirTemp("", "wfcompat-cache-")
	defer os.RemoveAll(cache)
	local, err := source.Resolve(context.Background(), "-", source.Options{
		CacheDir: cache,
		Stdin:    strings.NewReader("\x00asm\x01\x00\x00\x00"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(local.Kind, local.Name, local.Digest)
	// The same call with git:origin/main:dist/app.wasm,
	// oci://ghcr.io/acme/app:prod or https://… returns a local path too.

	// Output:
	// stdin - sha256:93a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476
}
