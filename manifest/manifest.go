package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/analyze/wasmbin"
	"github.com/wfcompat/wfcompat/wit"
)

// Schema identifies version 3 of the manifest layout (docs/manifest.md,
// docs/manifest.schema.json), the one Build and Encode write. Readers
// refuse other versions and unknown fields, so any change of the layout,
// additions included, bumps it.
const Schema = "wfcompat.manifest/v3"

// SchemaV2 is the second layout, which Read still accepts: v3 without
// artifact.wit_features (a v2 manifest of WIT does not say which
// @unstable features its world was read with).
const SchemaV2 = "wfcompat.manifest/v2"

// SchemaV1 is the first layout, which Read still accepts: v2 without the
// callback analysis (v1 kept only a summary of the callbacks, too little
// for the in-flight check).
const SchemaV1 = "wfcompat.manifest/v1"

// Artifact kinds a manifest can describe: wasmbin's kinds, as the strings
// the manifest records.
const (
	KindCore      = string(wasmbin.KindCore)
	KindComponent = string(wasmbin.KindComponent)
	KindWIT       = string(wasmbin.KindWIT)
)

// Manifest is what a durable platform keeps about a version instead of its
// binary: identity, world, snapshot capability, callbacks, a core module's
// memories, tables and globals, and producers.
type Manifest struct {
	Schema string `json:"schema"`
	// VersionID names the version; by default derived from the digest
	// (DefaultVersionID).
	VersionID string   `json:"version_id"`
	Artifact  Artifact `json:"artifact"`
	// World is every import and export with functions and fully
	// structured types.
	World *wit.World `json:"world"`
	// WIT is the world rendered as WIT text.
	WIT string `json:"wit"`
	// Snapshot says which golem:api snapshot functions are exported.
	Snapshot Snapshot `json:"snapshot"`
	// Callbacks is a core module's callback analysis and the profiles it
	// was made with (nil for components and WIT, and for a core module
	// whose manifest records none).
	Callbacks *Callbacks `json:"callbacks,omitempty"`
	// CoreExterns are a core module's imported and exported memories,
	// tables and globals (nil for components and WIT; for a core module,
	// nil only in a manifest written before the record, which then leaves
	// the checks they decide unproven).
	CoreExterns *externs.Set `json:"core_externs,omitempty"`
	// Producers are the entries of the producers custom sections (the
	// component's and its nested modules'), in file order.
	Producers []Producer `json:"producers"`

	// Legacy is the older schema the manifest was read in (SchemaV1,
	// SchemaV2), or "". Read upgrades such a manifest to Schema; it is not
	// encoded.
	Legacy string `json:"-"`
}

// Artifact identifies the artifact a manifest describes.
type Artifact struct {
	// Kind is core, component or wit.
	Kind string `json:"kind"`
	// SHA256 is the hex digest of the artifact without any embedded
	// manifest section (for a WIT directory, of the world's JSON
	// encoding), so that embedding a manifest does not change it.
	SHA256 string `json:"sha256"`
	// Size is the artifact's size in bytes, without embedded manifest
	// (0 for a WIT directory).
	Size int64 `json:"size"`
	// WITFeatures, for WIT read with only some @unstable features enabled
	// (analyze.WITFeatures), lists them, sorted without repeats (empty:
	// none). Nil (absent) means every feature, the default: the world
	// has every gated item. Only a WIT artifact has it.
	WITFeatures *[]string `json:"wit_features,omitempty"`
}

// Snapshot lists the golem:api versions at which the artifact exports
// save-snapshot (with its save function) and load-snapshot (with load), in
// export order; empty lists when it exports neither.
type Snapshot struct {
	Save []string `json:"save"`
	Load []string `json:"load"`
}

// Producer is one entry of a producers section.
type Producer struct {
	// Field is language, processed-by or sdk.
	Field   string `json:"field"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Input is what Build needs, as analyze.Open provides it.
type Input struct {
	// Kind is core, component or wit.
	Kind string
	// Bytes is the binary (nil for WIT). An embedded manifest section in
	// it is ignored.
	Bytes []byte
	// SHA256 and Size describe a WIT file; for binaries they are computed.
	SHA256 string
	Size   int64
	World  *wit.World
	// Callbacks is the callback analysis of a core module, or nil.
	Callbacks *callbacks.Analysis
	// CoreExterns are a core module's memories, tables and globals
	// (analyze.Artifact.CoreExterns); nil makes Build read them from
	// Bytes. Ignored for other kinds.
	CoreExterns *externs.Set
	// Profiles are the profiles Callbacks was made with; nil means
	// callbacks.IC0(), as for callbacks.Analyze.
	Profiles []callbacks.Profile
	// VersionID overrides DefaultVersionID.
	VersionID string
	// WITFeatures are the @unstable features a WIT input was read with
	// (the zero value: every one); ignored for other kinds, whose world
	// the build fixed.
	WITFeatures analyze.WITFeatures
}

// DefaultVersionID derives a version id from a digest: "sha256:" and its
// first 12 hex digits.
func DefaultVersionID(sha string) string {
	if len(sha) > 12 {
		sha = sha[:12]
	}
	return "sha256:" + sha
}

// Build makes the manifest of an artifact.
func Build(in Input) (*Manifest, error) {
	if in.World == nil {
		return nil, fmt.Errorf("manifest: no world")
	}
	switch in.Kind {
	case KindCore, KindComponent, KindWIT:
	default:
		return nil, fmt.Errorf("manifest: unknown artifact kind %q", in.Kind)
	}
	m := &Manifest{
		Schema:    Schema,
		World:     in.World,
		WIT:       in.World.WIT(),
		Snapshot:  snapshotOf(in.World),
		Producers: []Producer{},
		Artifact:  Artifact{Kind: in.Kind, SHA256: in.SHA256, Size: in.Size},
	}
	if in.Kind == KindWIT && !in.WITFeatures.All() {
		names := in.WITFeatures.Sorted()
		m.Artifact.WITFeatures = &names
	}
	if in.Bytes != nil {
		b, _, err := wasmbin.StripCustom(in.Bytes, SectionName)
		if err != nil {
			return nil, err
		}
		m.Artifact.SHA256, m.Artifact.Size = digest(b), int64(len(b))
		m.Producers = append(m.Producers, producers(b)...)
	}
	if m.Artifact.SHA256 == "" {
		// A WIT directory has no bytes of its own: name it by its world.
		wj, err := json.Marshal(in.World)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		m.Artifact.SHA256 = digest(wj)
	}
	if in.Callbacks != nil {
		m.Callbacks = callbacksOf(in.Callbacks, in.Profiles)
	}
	if in.Kind == KindCore {
		x, err := coreExternsOf(in)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		m.CoreExterns = x
	}
	m.VersionID = in.VersionID
	if m.VersionID == "" {
		m.VersionID = DefaultVersionID(m.Artifact.SHA256)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return m, nil
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// snapshotOf finds the golem:api save-snapshot and load-snapshot exports.
func snapshotOf(w *wit.World) Snapshot {
	s := Snapshot{Save: []string{}, Load: []string{}}
	for _, it := range w.Exports {
		if it.Kind != wit.ItemInterface || it.Interface == nil {
			continue
		}
		q := wit.ParseQName(it.Name)
		if q.Namespace != "golem" || q.Package != "api" {
			continue
		}
		switch {
		case q.Interface == "save-snapshot" && it.Interface.Function("save") != nil:
			s.Save = append(s.Save, q.Version)
		case q.Interface == "load-snapshot" && it.Interface.Function("load") != nil:
			s.Load = append(s.Load, q.Version)
		}
	}
	return s
}

// Encode renders m as indented JSON ending in a newline; the same manifest
// always encodes to the same bytes.
func Encode(m *Manifest) ([]byte, error) { return encode(m, "  ") }

func encode(m *Manifest, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return b.Bytes(), nil
}
