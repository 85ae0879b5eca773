package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// VersionOptions are the inputs of `wfcompat version`.
type VersionOptions struct {
	IO   *IO
	JSON bool
	// Info is the build to describe; nil reads the running binary's.
	Info *buildinfo.Info
}

// NewCmdVersion builds `wfcompat version`. runF replaces the command's
// logic in tests; nil runs runVersion.
func NewCmdVersion(io *IO, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version and VCS revision of this build",
		Long: `Version prints the module version of this wfcompat build and, when the Go
toolchain recorded them, the VCS revision and commit time it was built from
(go build in a checkout records them; go install of a version records the
version), and the build tags: "tags lean" is the lean front the releases
ship as wfcompat, which hands run, replay, upgrade and diff with event logs
to wfcompat-full beside it. wfcompat --version prints the same line.`,
		Example: `  wfcompat version
  wfcompat version --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print {version, revision, time, modified, goVersion, tags} as JSON")
	return cmd
}

func runVersion(opts *VersionOptions) error {
	info := buildinfo.Read()
	if opts.Info != nil {
		info = *opts.Info
	}
	if opts.JSON {
		b, err := json.MarshalIndent(info, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(opts.IO.Out, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintf(opts.IO.Out, "wfcompat %s\n", info)
	return err
}

// versionLine is what --version prints (cobra adds the newline).
func versionLine() string { return buildinfo.Read().String() }
