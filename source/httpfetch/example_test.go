package httpfetch_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/httpfetch"
)

// A Go program that links net/http anyway downloads https:// sources in
// process instead of running the wfcompat-oci helper, with its own client
// if it likes (what source.Options.HTTPClient was).
func ExampleFetcher() {
	local, err := source.Resolve(context.Background(), "https://example.com/releases/worker-v1.wasm", source.Options{
		HTTP: &httpfetch.Fetcher{Client: &http.Client{}}, // nil: http.DefaultClient
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(local.Path, local.Digest) // the download, in the cache
}
