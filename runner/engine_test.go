package runner_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/wfcompat/wfcompat/internal/runnertest"
	"github.com/wfcompat/wfcompat/runner"
)

// TestEngineInstancesIsolated: instances of one engine share a runtime and
// compiled modules but not state, also when they run concurrently.
func TestEngineInstancesIsolated(t *testing.T) {
	a := runnertest.Open(t, "golem-v1.1.0/update-test-v3.wasm")
	ctx := context.Background()
	e, err := runner.NewEngine(runnertest.Cache())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for k := 1; k <= 8; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			i, err := e.Instantiate(ctx, a, runner.Options{})
			if err != nil {
				errs <- err
				return
			}
			defer i.Close(ctx)
			for n := 0; n < 3; n++ {
				if _, err := i.InvokeWAVE(ctx, fmt.Sprintf("golem:component/api#set(%d)", k*10+n)); err != nil {
					errs <- err
					return
				}
			}
			o, err := i.InvokeWAVE(ctx, "golem:component/api#get()")
			if err != nil || o.Trap != nil {
				errs <- fmt.Errorf("get: %v %v", err, o.Trap)
				return
			}
			if got := o.Results[0].Uint(); got != uint64(k*10+2) {
				errs <- fmt.Errorf("instance %d sees %d", k, got)
			}
		}(k)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
