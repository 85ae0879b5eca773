package cli

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/manifest"
)

// InspectSchema identifies the layout of `inspect --json`; documented in
// docs/inspect.md.
const InspectSchema = wfcompat.InspectSchema

// InspectOptions are the inputs of `wfcompat inspect`.
type InspectOptions struct {
	IO    *IO
	Path  string
	JSON  bool
	World string
	// CallbackImports add callback-registering imports (MODULE.NAME:ARG[,ARG]).
	CallbackImports []string
}

// NewCmdInspect builds `wfcompat inspect`. runF replaces the command's logic
// in tests; nil runs runInspect.
func NewCmdInspect(io *IO, runF func(*InspectOptions) error) *cobra.Command {
	opts := &InspectOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show what a module, component or WIT world imports and exports",
		Long: `Inspect decodes FILE and prints its kind, size and sha256, then its imports
and exports with function signatures in WIT syntax.

FILE is a core Wasm module, a component, a .wit file, a directory of WIT
(with deps/), or a wfcompat manifest (wfcompat manifest), which stands for
the artifact it describes: its kind, size, sha256, world, recorded
callback analysis and recorded core externs are shown (tables and elements
are not, they are not recorded). A manifest embedded in a binary is named too; a stale or
malformed one is an error. For core modules inspect also lists tables, element segments
(with the functions they place), memories, globals, the start function, custom
sections, the memories, tables and globals imported and exported as diff
compares them (with the address width), and the callbacks the module registers with ic0.call_new and
ic0.call_on_cleanup (role, table slot, function, call sites); for components, the nested core modules with their own imports
and exports.

A Vercel Workflow DevKit build manifest shows its workflows with their calls
in order, steps and classes; DevKit runs ('wf inspect events --json' output,
the local world's .workflow-data folder or its files) show each run's status,
calls and events with their values decoded (docs/vercel.md).

Malformed input is reported on one line with the byte offset and exit status 2.`,
		Example: `  wfcompat inspect testdata/examples/golem/v1.wasm
  wfcompat inspect --json testdata/examples/ic/v1.wasm | jq .core.tables
  wfcompat inspect --world my-world wit/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runInspect(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the "+InspectSchema+" JSON document (see docs/inspect.md)")
	cmd.Flags().StringVar(&opts.World, "world", "", "world to select in a WIT input that declares several")
	stringArrayVar(cmd.Flags(), &opts.CallbackImports, "callback-import", "core modules: also treat parameters ARG of import MODULE.NAME as callback table indices; repeatable: `MODULE.NAME:ARG[,ARG]`")
	return cmd
}

func runInspect(opts *InspectOptions) error {
	if ok, err := inspectVercel(opts); ok {
		return err
	}
	if _, err := callbackProfiles(opts.CallbackImports); err != nil {
		return inputError(err)
	}
	a, err := analyze.Open(opts.Path, opts.IO.openOptions(analyze.Options{Manifests: manifest.Reader{}, World: opts.World}))
	if err != nil {
		return inputError(err)
	}
	opts.IO.warnUnknownWITFeatures(a)
	profiles, err := analysisProfiles(opts.CallbackImports, a)
	if err != nil {
		return inputError(err)
	}
	doc, err := NewInspection(a, &callbacks.Options{Profiles: profiles})
	if err != nil {
		return inputError(&analyze.Error{Path: opts.Path, Err: err})
	}
	// Render fully before writing anything, so a failure leaves no partial output.
	var b strings.Builder
	if opts.JSON {
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else {
		writeInspectText(&b, doc)
	}
	_, err = io.WriteString(opts.IO.Out, b.String())
	return err
}

// The inspect document lives in the library (wfcompat.Inspection); these
// names keep the command's code short.
type (
	Inspection      = wfcompat.Inspection
	InspectManifest = wfcompat.InspectManifest
	InspectItem     = wfcompat.InspectItem
	InspectCore     = wfcompat.InspectCore
	InspectCoreRef  = wfcompat.InspectCoreRef
	InspectTable    = wfcompat.InspectTable
	InspectElement  = wfcompat.InspectElement
	InspectFunc     = wfcompat.InspectFunc
	InspectMemory   = wfcompat.InspectMemory
	InspectGlobal   = wfcompat.InspectGlobal
	InspectCustom   = wfcompat.InspectCustom
)

// NewInspection builds the inspect document: wfcompat.Inspect.
func NewInspection(a *analyze.Artifact, cb *callbacks.Options) (*Inspection, error) {
	return wfcompat.Inspect(a, cb)
}
