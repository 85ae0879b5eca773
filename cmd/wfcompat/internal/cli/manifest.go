package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/rewrite"
)

// ManifestOptions are the inputs of `wfcompat manifest`.
type ManifestOptions struct {
	IO        *IO
	Path      string
	Out       string
	VersionID string
	World     string
	Embed     bool
	// CallbackImports add callback-registering imports to the callback
	// analysis of a core module (MODULE.NAME:ARG[,ARG]).
	CallbackImports []string
}

// NewCmdManifest builds `wfcompat manifest`. runF replaces the command's
// logic in tests; nil runs runManifest.
func NewCmdManifest(io *IO, runF func(*ManifestOptions) error) *cobra.Command {
	opts := &ManifestOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "manifest ARTIFACT [-o FILE] [--embed -o OUT.wasm]",
		Short: "Write the manifest a platform keeps instead of the binary",
		Long: `Manifest writes ARTIFACT's wfcompat manifest (schema ` + manifest.Schema + `,
docs/manifest.md): its sha256, kind and version id, its world (every import
and export with functions and fully structured types, and their WIT
rendering), the golem:api save-snapshot and load-snapshot versions it
exports, a core module's callback analysis (the callbacks it keeps in table
slots, its tables' contents, and the callback imports matched: ic0's and
--callback-import's), the memories, tables and globals a core module imports
and exports with its address width (core_externs), and its producers.

A platform that keeps manifests needs no old binary: diff, inspect and assert
accept a manifest wherever they accept an artifact, and diff of two manifests
gives the same verdicts and findings as diff of the binaries. diff and
inspect use the callback imports a manifest records when given no
--callback-import, and refuse other ones.

--embed stores the manifest in a custom section named wfcompat:manifest
appended to a copy of ARTIFACT, written to OUT.wasm (the build-pipeline step).
Every other byte stays as it was; an earlier wfcompat:manifest section is
replaced. The manifest's sha256 is that of the binary without the section.

Files are written atomically (a temporary file, then a rename; an interrupt,
SIGINT, SIGTERM or SIGHUP, removes the temporary file and ends wfcompat by
that signal); ARTIFACT is never modified. -o must not name
ARTIFACT (by path, symbolic or hard link), a directory, a symbolic link, a
read-only file or a device; a replaced file keeps its permissions. Exit status: 0 on success, 2 on a usage or input error.`,
		Example: `  wfcompat manifest build/worker.wasm -o worker.manifest.json
  wfcompat manifest --version-id v42 build/worker.wasm
  wfcompat manifest --embed -o dist/worker.wasm build/worker.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runManifest(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "output", "o", "", "write to FILE instead of stdout (required with --embed)")
	f.StringVar(&opts.VersionID, "version-id", "", "version id (default: sha256: and the first 12 hex digits of the digest)")
	f.StringVar(&opts.World, "world", "", "world to select in a WIT input that declares several")
	f.BoolVar(&opts.Embed, "embed", false, "write ARTIFACT with the manifest in a wfcompat:manifest custom section")
	stringArrayVar(f, &opts.CallbackImports, "callback-import", "core modules: also treat parameters ARG of import MODULE.NAME as callback table indices; repeatable: `MODULE.NAME:ARG[,ARG]`")
	return cmd
}

func runManifest(opts *ManifestOptions) error {
	if opts.Embed && opts.Out == "" {
		return inputError(errors.New("--embed writes a new binary: give it a name with -o OUT.wasm"))
	}
	if opts.Out != "" {
		if err := rewrite.CheckOutputs([]rewrite.NamedPath{{Role: "ARTIFACT", Path: opts.Path}}, []rewrite.NamedPath{{Role: "-o", Path: opts.Out}}); err != nil {
			return inputError(err)
		}
	}
	if _, err := callbackProfiles(opts.CallbackImports); err != nil {
		return inputError(err)
	}
	s, err := openSide(opts.IO, opts.Path, opts.World)
	if err != nil {
		return inputError(err)
	}
	opts.IO.warnUnknownWITFeatures(s.opened)
	if s.Vercel != nil {
		return inputError(fmt.Errorf("%s is a Vercel Workflow manifest; wfcompat manifests describe Wasm builds", opts.Path))
	}
	a := s.Artifact
	profiles, err := analysisProfiles(opts.CallbackImports, a)
	if err != nil {
		return inputError(err)
	}
	var m *manifest.Manifest
	var wasm []byte
	if a.FromManifest() {
		// Re-emit a manifest (possibly under another version id; an older
		// one as the current layout, a v1 manifest without callback
		// analysis).
		if opts.Embed {
			return inputError(fmt.Errorf("%s is a manifest, not a binary to embed it into", opts.Path))
		}
		m = manifest.Of(a)
		if a.WITFeaturesUnrecorded {
			// As v3 it would claim every feature (an absent
			// wit_features), which the v2 manifest does not say.
			return inputError(fmt.Errorf("%s is a %s manifest of WIT, which does not record the @unstable features its world was read with; make a %s manifest from the WIT itself (with the --wit-features it was made with, if any)", opts.Path, m.Legacy, manifest.Schema))
		}
		if opts.VersionID != "" {
			m.VersionID = opts.VersionID
			if err := m.Validate(); err != nil {
				return inputError(fmt.Errorf("--version-id: %w", err))
			}
		}
	} else {
		in := manifest.Input{Kind: string(a.Kind), Bytes: a.Bytes, SHA256: a.SHA256, Size: a.Size, World: a.World, VersionID: opts.VersionID, WITFeatures: a.WITFeatures}
		if a.Core != nil {
			if in.Callbacks, err = callbackAnalysis(a, profiles); err != nil {
				return inputError(err)
			}
			in.Profiles = profiles
		}
		if m, err = manifest.Build(in); err != nil {
			return inputError(&analyze.Error{Path: opts.Path, Err: err})
		}
		wasm = a.Bytes
	}
	if opts.Embed {
		if wasm == nil {
			return inputError(fmt.Errorf("%s is WIT, not a binary to embed a manifest into", opts.Path))
		}
		out, err := manifest.Embed(wasm, m)
		if err != nil {
			return inputError(&analyze.Error{Path: opts.Path, Err: err})
		}
		if err := opts.IO.writeOutputs(outputFile{label: "-o " + opts.Out, path: opts.Out, data: out}); err != nil {
			return inputError(err)
		}
		return nil
	}
	data, err := manifest.Encode(m)
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err := opts.IO.Out.Write(data)
		return err
	}
	if err := opts.IO.writeOutputs(outputFile{label: "-o " + opts.Out, path: opts.Out, data: data}); err != nil {
		return inputError(err)
	}
	return nil
}
