package rewrite

import (
	"cmp"
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/validate"
)

// Validate proves wasm valid: it decodes it and type-checks the module
// and every function body with analyze/validate, which covers everything
// the decoder reads (memory64 and multi-memory included, which wazero
// cannot compile) in a fraction of a compilation's time. ctx cancels
// nothing yet; it is there for callers that validate large outputs.
func Validate(ctx context.Context, wasm []byte) error {
	m, err := core.Decode(wasm)
	if err != nil {
		return fmt.Errorf("the output does not decode: %w", err)
	}
	if err := validate.Module(m); err != nil {
		return fmt.Errorf("the output is not valid: %w", err)
	}
	return ctx.Err()
}

// Check runs the two proofs a pinned module must pass before it is
// written, at once: Verify (every callback at its pinned slot) and
// Validate (a valid module). When the input was validated
// (PrepareValidated, or Prepared.Validate), the output's bodies copied verbatim from it are
// not type-checked again (validate.Valid.Derived says why that is sound),
// and the re-analysis takes the facts of those bodies from the input's
// analysis (callbacks.Options.Reuse) instead of decoding them again.
func Check(ctx context.Context, res *Result, profiles []callbacks.Profile) error {
	m, err := core.Decode(res.Wasm)
	if err != nil {
		return fmt.Errorf("the output does not decode: %w", err)
	}
	var verr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if in := res.input; in != nil && in.valid != nil {
			_, verr = in.valid.Derived(m)
		} else {
			verr = validate.Module(m)
		}
		if verr != nil {
			verr = fmt.Errorf("the output is not valid: %w", verr)
		}
	}()
	err = verifyModule(res, m, profiles)
	<-done
	return cmp.Or(err, verr, ctx.Err())
}
