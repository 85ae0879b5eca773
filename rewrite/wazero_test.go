package rewrite

// The second opinion on validity, in tests only: linked into the package,
// wazero would be linked into every program that pins (the wfcompat
// command's lean build must not link it).

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

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
