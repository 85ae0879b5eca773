package rewrite

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// The tests' second opinion on validity: wazero. It lives in a test file
// so that package rewrite (and so the root package and the wfcompat
// front) links no Wasm runtime.

// Features are the WebAssembly features wazero implements of those the
// decoder accepts: what ValidateWazero enables.
const Features = api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall | experimental.CoreFeaturesExtendedConst

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
