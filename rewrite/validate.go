package rewrite

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/validate"
)

// Features are the WebAssembly features wazero implements of those the
// decoder accepts: what ValidateWazero enables.
const Features = api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall | experimental.CoreFeaturesExtendedConst

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

// ValidateWazero compiles wasm with wazero's interpreter, which validates
// it: the second opinion the tests hold Validate against.
func ValidateWazero(ctx context.Context, wasm []byte) error {
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(Features))
	defer r.Close(ctx)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		return fmt.Errorf("wazero rejects the output: %w", err)
	}
	return cm.Close(ctx)
}
