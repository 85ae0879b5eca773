package rewrite

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Features are the WebAssembly features the output may use: those the
// decoder accepts that wazero implements.
const Features = api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall | experimental.CoreFeaturesExtendedConst

// Validate compiles wasm with wazero, which validates it. It uses the
// interpreter: validation is the same as with the compiler, and lowering
// to the interpreter's IR is several times faster than compiling to
// machine code.
func Validate(ctx context.Context, wasm []byte) error {
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(Features))
	defer r.Close(ctx)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		return fmt.Errorf("wazero rejects the output: %w", err)
	}
	return cm.Close(ctx)
}
