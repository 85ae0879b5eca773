package ocifetch_test

import (
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/source"
	"github.com/wfcompat/wfcompat/source/ocifetch"
)

// A Go program that links go-containerregistry anyway fetches oci://
// sources in process instead of running the wfcompat-oci helper.
func ExampleFetcher() {
	local, err := source.Resolve(context.Background(), "oci://ghcr.io/acme/worker:prod", source.Options{
		OCI: &ocifetch.Fetcher{}, // credentials: the Docker configuration
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(local.Path, local.Digest) // the wasm layer, in the cache
}
