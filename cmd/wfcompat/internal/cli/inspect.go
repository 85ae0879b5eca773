package cli

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/wit"
)

// InspectSchema identifies the layout of `inspect --json`; documented in
// docs/inspect.md.
const InspectSchema = "wfcompat.inspect/v1"

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
the artifact it describes: its kind, size, sha256, world and recorded
callback analysis are shown (tables and elements are not, they are not
recorded). A manifest embedded in a binary is named too; a stale or
malformed one is an error. For core modules inspect also lists tables, element segments
(with the functions they place), memories, the start function, custom
sections and the callbacks the module registers with ic0.call_new and
ic0.call_on_cleanup (role, table slot, function, call sites); for components, the nested core modules with their own imports
and exports.

A Vercel Workflow DevKit build manifest shows its workflows with their calls
in order, steps and classes; DevKit runs ('wf inspect events --json' output,
the local world's .workflow-data folder or its files) show each run's status,
calls and events with their values decoded (docs/vercel.md).

Malformed input is reported on one line with the byte offset and exit status 2.`,
		Example: `  wfcompat inspect testdata/corpus/golem-v1.1.0/update-test-v3.wasm
  wfcompat inspect --json testdata/corpus/ic/wallet-0.7.0.wasm | jq .core.tables
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
	cmd.Flags().StringArrayVar(&opts.CallbackImports, "callback-import", nil, "core modules: also treat parameters ARG of import MODULE.NAME as callback table indices; repeatable: `MODULE.NAME:ARG[,ARG]`")
	return cmd
}

func runInspect(opts *InspectOptions) error {
	if ok, err := inspectVercel(opts); ok {
		return err
	}
	if _, err := callbackProfiles(opts.CallbackImports); err != nil {
		return inputError(err)
	}
	a, err := analyze.Open(opts.Path, analyze.Options{Manifests: manifest.Reader{}, World: opts.World, MaxSize: opts.IO.MaxInputSize})
	if err != nil {
		return inputError(err)
	}
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

// Inspection is the `inspect --json` document (schema wfcompat.inspect/v1).
type Inspection struct {
	Schema  string        `json:"schema"`
	Path    string        `json:"path"`
	Kind    string        `json:"kind"`
	Size    int64         `json:"size"`
	SHA256  string        `json:"sha256,omitempty"`
	Imports []InspectItem `json:"imports"`
	Exports []InspectItem `json:"exports"`
	Core    *InspectCore  `json:"core,omitempty"`
	Modules []InspectCore `json:"modules,omitempty"`
	// Manifest names the wfcompat manifest the input is, or embeds.
	Manifest *InspectManifest `json:"manifest,omitempty"`
	// Callbacks is the callback analysis of a core module (analyze/callbacks).
	Callbacks *callbacks.Analysis `json:"callbacks,omitempty"`
	World     *wit.World          `json:"world"`
}

// InspectManifest describes the wfcompat manifest an input is or embeds.
type InspectManifest struct {
	// Schema is the manifest's schema as written ("wfcompat.manifest/v2").
	Schema    string `json:"schema"`
	VersionID string `json:"version_id"`
	// Embedded is true for a manifest embedded in the binary, false when
	// the input is a manifest file.
	Embedded bool `json:"embedded"`
	// Callbacks says whether the manifest records a callback analysis.
	Callbacks bool `json:"callbacks"`
}

// InspectItem is one import or export with its functions rendered in WIT.
type InspectItem struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Functions []string `json:"functions,omitempty"`
	Types     []string `json:"types,omitempty"`
	TypeNames []string `json:"-"`
}

// InspectCore describes a core module: the top-level module of a core input,
// or one nested in a component.
type InspectCore struct {
	Index     int              `json:"index"`
	Offset    int64            `json:"offset"`
	Size      int64            `json:"size"`
	Functions int              `json:"functions"`
	Imports   []InspectCoreRef `json:"imports"`
	Exports   []InspectCoreRef `json:"exports"`
	Tables    []InspectTable   `json:"tables"`
	Elements  []InspectElement `json:"elements"`
	Memories  []InspectMemory  `json:"memories"`
	Start     *InspectFunc     `json:"start,omitempty"`
	Customs   []InspectCustom  `json:"customs"`
}

// InspectCoreRef is a core import ("module.name") or export with its kind
// and, for functions, its core signature.
type InspectCoreRef struct {
	Module string `json:"module,omitempty"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Index  uint32 `json:"index"`
	Type   string `json:"type,omitempty"`
}

// InspectTable is a table with its limits and export name.
type InspectTable struct {
	Index    int     `json:"index"`
	Type     string  `json:"type"`
	Min      uint64  `json:"min"`
	Max      *uint64 `json:"max,omitempty"`
	Imported bool    `json:"imported,omitempty"`
	Export   string  `json:"export,omitempty"`
}

// InspectElement is an element segment: where it goes and what it holds.
type InspectElement struct {
	Index  int    `json:"index"`
	Offset uint32 `json:"byte_offset"`
	Mode   string `json:"mode"`
	Table  uint32 `json:"table"`
	// Start is the constant table offset of an active segment, or null when
	// it is not a constant (e.g. an imported global).
	Start     *int64        `json:"start,omitempty"`
	Functions []InspectFunc `json:"functions"`
}

// InspectFunc names a function by index.
type InspectFunc struct {
	Index uint32 `json:"index"`
	Name  string `json:"name,omitempty"`
}

// InspectMemory is a memory with its limits in pages.
type InspectMemory struct {
	Index    int     `json:"index"`
	Min      uint64  `json:"min"`
	Max      *uint64 `json:"max,omitempty"`
	Imported bool    `json:"imported,omitempty"`
	Export   string  `json:"export,omitempty"`
}

// InspectCustom is a custom section.
type InspectCustom struct {
	Name   string `json:"name"`
	Offset uint32 `json:"offset"`
	Size   uint32 `json:"size"`
}
