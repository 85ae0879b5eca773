//go:build !lean

package cli

import (
	"github.com/spf13/cobra"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// The complete build (without -tags lean) runs every command itself,
// those that run Wasm included; lean.go is the lean build's side.

func runCommand(io *IO) *cobra.Command     { return newCmdRunResume(io) }
func replayCommand(io *IO) *cobra.Command  { return NewCmdReplay(io, nil) }
func upgradeCommand(io *IO) *cobra.Command { return NewCmdUpgrade(io, nil) }

// leanBuild is false: this is the complete build.
const leanBuild = false

// handOverFor returns nil: the complete build hands nothing over.
func handOverFor(*IO, *cobra.Command, []string) func() error { return nil }

// checkHandedOver refuses a run a lean front of another build handed over
// (mismatchedHandOver).
func checkHandedOver(io *IO) error { return mismatchedHandOver(io, buildinfo.Read) }
