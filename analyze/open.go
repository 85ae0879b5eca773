package analyze

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/analyze/wasmbin"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/witparse"
)

// Options tune Open.
type Options struct {
	// World selects the world of a WIT input that declares several
	// (plain or qualified name).
	World string
	// Manifests reads wfcompat manifests: a manifest file given as the
	// input, and the wfcompat:manifest section embedded in a binary
	// (manifest.Reader{} is the reader; analyze does not import the
	// manifest package, which is built on analyze's results). Without it
	// a manifest file is refused and an embedded manifest is not read,
	// though the digest still leaves its section out.
	Manifests ManifestReader
	// Documents read other JSON documents that stand for a build, such as
	// compat/vercel's Vercel Workflow manifests; Open tries them in order
	// on a JSON input that Manifests does not claim.
	Documents []DocumentReader
	// MaxSize bounds the size of an input file (DefaultMaxInputSize when
	// 0); larger files are refused before they are read. For a WIT
	// directory it bounds each file read and all of them together (each
	// also within witparse.MaxFileSize).
	MaxSize int64
	// WITReader, when set, reads WIT inputs (.wit files and directories)
	// in place of the native reader, wit/witparse: wit/wasmtools.LoadWIT,
	// for one (the wfcompat command's WFCOMPAT_WIT_READER=wasm-tools).
	WITReader witparse.Reader
	// WITFallback, when set, reads the WIT inputs the native reader does
	// not: those that need a binary WIT package under deps/ (see
	// witparse.Options.Fallback). Unset, they fail, naming the package.
	WITFallback witparse.Reader
	// WITFeatures selects the @unstable features enabled when WIT is
	// read. The zero value enables every one (see WITFeatures).
	WITFeatures WITFeatures
}

// WITFeatures selects the @unstable features of WIT inputs that are read,
// as the build enables them (wasm-tools' --features; the zero value is
// --all-features). An item gated by @unstable(feature = x) is part of the
// world only when x is enabled: a build that does not enable x does not
// have it, and a change to it does not concern that build. Items without
// a gate, and @since(version = ...) items, are always read.
//
// The zero value enables every feature: the conservative default, since a
// breaking change behind a feature the build does enable must not be
// missed. Restricting is for diffing WIT as the build sees it.
type WITFeatures struct {
	// Only, when set, enables Names alone (none at all when Names is
	// empty). Unset, every feature is enabled and Names is ignored.
	Only bool
	// Names are the enabled features. As in wit-parser, a name no gate
	// mentions is not an error (Artifact.WITFeatureGates tells them
	// apart).
	Names []string
}

// All reports whether f enables every feature.
func (f WITFeatures) All() bool { return !f.Only }

// String gives f as reports and messages show it: "all", "none", or
// "only " and the names joined by commas (so that a feature named all or
// none reads apart from those).
func (f WITFeatures) String() string {
	switch {
	case !f.Only:
		return "all"
	case len(f.Names) == 0:
		return "none"
	}
	return "only " + strings.Join(f.Names, ",")
}

// Same reports whether f and g enable the same features: both every
// one, or both the same names (in any order, repeats aside).
func (f WITFeatures) Same(g WITFeatures) bool {
	if f.All() || g.All() {
		return f.All() == g.All()
	}
	return slices.Equal(f.Sorted(), g.Sorted())
}

// Sorted returns f's names sorted, without repeats (a new slice, never
// nil).
func (f WITFeatures) Sorted() []string {
	names := append([]string{}, f.Names...)
	slices.Sort(names)
	return slices.Compact(names)
}

// CheckWITFeature checks that name can be the feature of a WIT feature
// gate (@unstable(feature = name)): a WIT identifier, letters, digits and
// hyphens, starting with a letter. A name no gate mentions is not an
// error here (nor in wit-parser); it enables nothing.
func CheckWITFeature(name string) error {
	ok := name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z')
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	if !ok {
		return fmt.Errorf("feature %q is not a WIT identifier (letters, digits and hyphens, starting with a letter: @unstable(feature = my-feature))", name)
	}
	return nil
}

// ErrWITFeaturesUnsupported is returned (wrapped, naming the input) when
// WIT features are restricted but the WIT is read by a reader other than
// the native one (Options.WITReader, or Options.WITFallback for WIT that
// needs a binary WIT package): go.bytecodealliance.org's LoadWIT, the
// only such reader, always passes --all-features to wasm-tools. Reading
// every feature instead would silently compare items the build does not
// have.
var ErrWITFeaturesUnsupported = errors.New("restricting WIT features is not supported by the wasm-tools reader (go.bytecodealliance.org's LoadWIT reads every @unstable feature)")

// A DocumentReader reads one kind of JSON document, other than a wfcompat
// manifest, that stands for a build. Its artifact has no world: the
// document is the artifact (Artifact.Document).
type DocumentReader interface {
	// Kind is the artifact kind of its documents ("vercel-manifest").
	Kind() Kind
	// Claims reports whether b, a JSON file's contents, is such a document.
	Claims(b []byte) bool
	// ReadDocument reads the document in b, from the file at path. Its
	// errors name the file themselves: Open returns them as they are.
	ReadDocument(path string, b []byte) (any, error)
}

// ManifestSection is the name of the custom section holding an embedded
// wfcompat manifest.
const ManifestSection = "wfcompat:manifest"

// A Manifest is a manifest document standing for an artifact
// (*manifest.Manifest).
type Manifest interface {
	// Describes returns the described artifact's kind, size in bytes and
	// digest, and its world.
	Describes() (kind Kind, size int64, sha256 string, world *wit.World)
}

// A WITFeaturesRecord is a Manifest that can say which @unstable
// features the world of the WIT it describes was read with
// (*manifest.Manifest).
type WITFeaturesRecord interface {
	// RecordedWITFeatures returns them, and false when the manifest does
	// not record them (a layout from before the record).
	RecordedWITFeatures() (WITFeatures, bool)
}

// A CoreExternsRecord is a Manifest that can record the memories, tables
// and globals of the core module it describes (*manifest.Manifest).
type CoreExternsRecord interface {
	// RecordedCoreExterns returns them, or nil when the manifest does not
	// record them (a layout from before the record).
	RecordedCoreExterns() *externs.Set
}

// A ManifestReader reads manifest documents for Open and Decode
// (manifest.Reader).
type ManifestReader interface {
	// Claims reports whether b, a JSON file's contents, is meant as a
	// wfcompat manifest (malformed or not).
	Claims(b []byte) bool
	// Read reads a manifest document.
	Read(b []byte) (Manifest, error)
	// Extract reads the manifest embedded in wasm, reporting whether
	// there is one, and checks that it describes wasm.
	Extract(wasm []byte) (Manifest, bool, error)
}

// Artifact is one opened input: its identity, its decoded form and its world.
type Artifact struct {
	Path string
	Kind Kind
	// Size is the file's size in bytes (0 for a WIT directory); for a
	// manifest file, the size of the artifact it describes.
	Size int64
	// SHA256 is the hex digest of the file, for a binary without any
	// embedded wfcompat:manifest section (so that embedding a manifest
	// does not change a build's identity); for a manifest file, the
	// artifact's digest it records; empty for a WIT directory.
	SHA256 string
	// Bytes holds the file for binaries; decoded structures alias it.
	Bytes []byte
	// Core is set for core modules, Component for components (not for
	// manifest files).
	Core      *core.Module
	Component *component.Component
	// World is the input's world: the component's imports and exports, the
	// selected WIT world, or a core module's imports (grouped by module name
	// as interfaces) and function exports.
	World *wit.World
	// CoreExterns are a core module's imported and exported memories,
	// tables and globals, which World leaves out, and its address width;
	// for a manifest file of a core module, those it records (the width
	// only when the manifest records it: AddressWidth 0 otherwise). Nil for other kinds, and for a
	// manifest that does not record them (a layout from before the
	// record): then they are not known, never none.
	CoreExterns *externs.Set
	// Manifest is the wfcompat manifest the input is (a manifest file:
	// Kind, Size, SHA256 and World are the manifest's, and Bytes, Core and
	// Component are nil), or the one embedded in the binary (Embedded is
	// true; it was checked to describe the binary). It is read by
	// Options.Manifests; manifest.Of returns it as a *manifest.Manifest.
	Manifest Manifest
	Embedded bool
	// Document is the document a DocumentReader read, for an input that is
	// one (Kind is the reader's; World is nil).
	Document any
	// WITFeatureGates are the features the feature gates of a WIT input
	// name (@unstable(feature = x), sorted), enabled or not, as the native
	// reader met them; nil for other inputs and other readers. A name in
	// Options.WITFeatures that no side's gates mention is likely a typo.
	WITFeatureGates []string
	// WITFeatures are the features a WIT input was read with
	// (Options.WITFeatures), or for a manifest of WIT, those it records;
	// the zero value (every feature) for others.
	WITFeatures WITFeatures
	// WITFeaturesUnrecorded is set for a manifest of WIT that does not
	// record the features its world was read with (an older layout):
	// WITFeatures is then the zero value, but the world may have been
	// read with fewer, so the artifact is never the same reading as
	// another.
	WITFeaturesUnrecorded bool
}

// FromManifest reports whether the input is a manifest file: the artifact
// is known only by its manifest.
func (a *Artifact) FromManifest() bool { return a.Manifest != nil && !a.Embedded }

// Error is an input error: the file and what is wrong with it. Its message
// reads "FILE: offset 0x1a2: ...", one line.
type Error struct {
	Path string
	Err  error
}

// Error names the input once: a message that already starts with it (a
// WIT error at file:line:column, a file inside a WIT directory) is not
// prefixed again.
func (e *Error) Error() string {
	msg := e.Err.Error()
	if rest, ok := strings.CutPrefix(msg, e.Path); ok && e.Path != "" && rest != "" &&
		(rest[0] == ':' || rest[0] == '/' || rest[0] == filepath.Separator) {
		return msg
	}
	return e.Path + ": " + msg
}
func (e *Error) Unwrap() error { return e.Err }

// Open reads and decodes the input at path: a core module, a component, a
// .wit file, a directory of WIT, or a wfcompat manifest (a JSON file,
// docs/manifest.md) standing for the artifact it describes. A binary's
// embedded manifest is read and checked too: a malformed or stale one is
// an error. Errors are *Error.
func Open(path string, opts Options) (*Artifact, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Path: path, Err: unwrapPathError(err)}
	}
	if st.IsDir() {
		// witparse checks the directory's entries as it lists them (no
		// device, FIFO or socket; no symlink that dangles or leads out);
		// another reader (opts.WITReader: wasmtools.LoadWIT behind the
		// escape hatch) may not.
		if opts.WITReader != nil {
			if err := checkWITDir(path, opts.maxSize()); err != nil {
				return nil, &Error{Path: path, Err: err}
			}
		}
		w, gates, err := opts.loadWIT(path, nil)
		if err != nil {
			return nil, &Error{Path: path, Err: err}
		}
		return &Artifact{Path: path, Kind: KindWIT, World: w, WITFeatureGates: gates, WITFeatures: opts.WITFeatures}, nil
	}
	b, err := ReadInput(path, opts.MaxSize)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	var a *Artifact
	switch {
	case strings.HasSuffix(path, ".wit"):
		w, gates, err := opts.loadWIT(path, b)
		if err != nil {
			return nil, &Error{Path: path, Err: err}
		}
		a = &Artifact{Kind: KindWIT, World: w, Size: int64(len(b)), SHA256: digest(b), WITFeatureGates: gates, WITFeatures: opts.WITFeatures}
	case IsJSON(b):
		a, err = opts.openJSON(path, b)
	default:
		a, err = opts.Decode(b)
	}
	var de docError
	if errors.As(err, &de) {
		return nil, de.err // it names the file itself
	}
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	a.Path = path
	return a, nil
}

// maxSize is the input limit: MaxSize, or DefaultMaxInputSize.
func (opts Options) maxSize() int64 {
	if opts.MaxSize > 0 {
		return opts.MaxSize
	}
	return DefaultMaxInputSize
}

// loadWIT reads the world opts.World of the WIT at path: a directory, or
// (src != nil) a .wit file whose contents are src. It returns the
// features the input's gates name (native reader only).
func (opts Options) loadWIT(path string, src []byte) (*wit.World, []string, error) {
	restricted := opts.WITFeatures.Only
	if opts.WITReader != nil {
		if restricted {
			return nil, nil, fmt.Errorf("%s: WIT features %s: %w; read it with the native reader", path, opts.WITFeatures, ErrWITFeaturesUnsupported)
		}
		w, err := opts.WITReader(path, opts.World)
		return w, nil, err
	}
	gates := map[string]bool{}
	// Each file of a directory, and all of them, within the input limit
	// (and each within witparse's own).
	max := opts.maxSize()
	wo := witparse.Options{
		AllFeatures: !restricted,
		Features:    opts.WITFeatures.Names,
		Fallback:    opts.WITFallback,
		Gate:        func(f string) { gates[f] = true },
		FileLimit:   max,
		TotalLimit:  max,
	}
	if fb := opts.WITFallback; fb != nil {
		// The fallback reads the directory again, binary packages too:
		// within the same limits.
		wo.Fallback = func(path, world string) (*wit.World, error) {
			if err := checkWITDir(path, max); err != nil {
				return nil, err
			}
			return fb(path, world)
		}
	}
	if restricted && opts.WITFallback != nil {
		wo.Fallback = func(path, _ string) (*wit.World, error) {
			return nil, fmt.Errorf("%s: needs a binary WIT package under deps/, which only wasm-tools reads; WIT features %s: %w; convert the binary packages to WIT text (`wasm-tools component wit PKG.wasm -o PKG.wit`) to read them natively", path, opts.WITFeatures, ErrWITFeaturesUnsupported)
		}
	}
	var w *wit.World
	var err error
	if src != nil {
		w, err = witparse.LoadWorldSourceOptions(path, src, opts.World, wo)
	} else {
		w, err = witparse.LoadWorldOptions(path, opts.World, wo)
	}
	if err != nil {
		return nil, nil, sizeLimitError(err, max)
	}
	names := make([]string, 0, len(gates))
	for f := range gates {
		names = append(names, f)
	}
	slices.Sort(names)
	return w, names, nil
}

// docError carries a DocumentReader's error, which names the file itself.
type docError struct{ err error }

func (e docError) Error() string { return e.err.Error() }

// openJSON reads a JSON input: a wfcompat manifest, or a document one of
// opts.Documents claims.
func (opts Options) openJSON(path string, b []byte) (*Artifact, error) {
	if opts.Manifests == nil || !opts.Manifests.Claims(b) {
		for _, r := range opts.Documents {
			if r.Claims(b) {
				doc, err := r.ReadDocument(path, b)
				if err != nil {
					return nil, docError{err}
				}
				return &Artifact{Kind: r.Kind(), Size: int64(len(b)), SHA256: digest(b), Document: doc}, nil
			}
		}
	}
	return openManifest(b, opts)
}

// IsJSON reports whether b starts like a JSON object (after white space):
// not Wasm, which starts with a zero byte.
func IsJSON(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// openManifest reads a manifest file as the artifact it describes.
func openManifest(b []byte, opts Options) (*Artifact, error) {
	if opts.Manifests == nil {
		return nil, errors.New("a JSON document, not a WebAssembly binary or WIT (manifests are read only where a manifest reader is given)")
	}
	m, err := opts.Manifests.Read(b)
	if err != nil {
		return nil, err
	}
	kind, size, sum, w := m.Describes()
	if opts.World != "" && worldName(opts.World) != w.Name {
		return nil, fmt.Errorf("the manifest describes world %q, not %q", w.Name, opts.World)
	}
	a := &Artifact{Kind: kind, Size: size, SHA256: sum, World: w, Manifest: m}
	if r, ok := m.(CoreExternsRecord); ok && kind == KindCore {
		a.CoreExterns = r.RecordedCoreExterns()
	}
	if kind == KindWIT {
		a.WITFeaturesUnrecorded = true
		if r, ok := m.(WITFeaturesRecord); ok {
			f, recorded := r.RecordedWITFeatures()
			a.WITFeatures, a.WITFeaturesUnrecorded = f, !recorded
		}
	}
	return a, nil
}

// worldName is the plain name of a world selector: "ns:pkg/name@1.0.0"
// names "name".
func worldName(sel string) string {
	if i := strings.LastIndexByte(sel, '/'); i >= 0 {
		sel = sel[i+1:]
	}
	if i := strings.IndexByte(sel, '@'); i >= 0 {
		sel = sel[:i]
	}
	return sel
}

// Decode decodes an in-memory binary (core module or component) without
// reading an embedded manifest: Options{}.Decode(b).
func Decode(b []byte) (*Artifact, error) { return Options{}.Decode(b) }

// Decode decodes an in-memory binary (core module or component) and, with
// o.Manifests, its embedded manifest, if any: a malformed one, or one that
// does not describe the binary (changed after embedding), is an error.
func (o Options) Decode(b []byte) (*Artifact, error) {
	kind, err := Sniff(b)
	if err != nil {
		return nil, err
	}
	a := &Artifact{Kind: kind, Size: int64(len(b)), Bytes: b}
	switch kind {
	case KindCore:
		m, err := core.Decode(b)
		if err != nil {
			return nil, err
		}
		a.Core = m
		a.World = CoreWorld(m)
		a.CoreExterns = externs.Of(m)
	case KindComponent:
		c, err := component.Decode(b)
		if err != nil {
			return nil, err
		}
		w, err := c.World()
		if err != nil {
			return nil, err
		}
		a.Component, a.World = c, w
	}
	// The identity of a build is its digest without the manifest section.
	// Extract has verified that an embedded manifest names exactly that
	// digest; without one, the binary is its own base.
	if o.Manifests != nil {
		m, ok, err := o.Manifests.Extract(b)
		if err != nil {
			return nil, err
		}
		if ok {
			_, _, sum, _ := m.Describes()
			a.Manifest, a.Embedded, a.SHA256 = m, true, sum
			return a, nil
		}
	}
	base, _, err := wasmbin.StripCustom(b, ManifestSection)
	if err != nil {
		return nil, err
	}
	a.SHA256 = digest(base)
	return a, nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// unwrapPathError drops the path from an *os.PathError, since Error adds it.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// CoreWorld describes a core module as a world: each import module becomes
// an imported interface named after it ("ic0") holding its imported
// functions; each exported function is a world-level export. Core
// parameters have no names and are called p0, p1, ...; i32 and i64 are
// written s32 and s64. Tables, memories and globals are not part of the
// world: externs.Of records them (Artifact.CoreExterns).
func CoreWorld(m *core.Module) *wit.World {
	w := &wit.World{Name: "core"}
	byModule := map[string]*wit.Interface{}
	for _, im := range m.Imports {
		if im.Kind != core.KindFunc || int(im.TypeIndex) >= len(m.Types) {
			continue
		}
		iface := byModule[im.Module]
		if iface == nil {
			iface = &wit.Interface{Name: im.Module}
			byModule[im.Module] = iface
			w.Imports = append(w.Imports, &wit.Item{Name: im.Module, Kind: wit.ItemInterface, Interface: iface})
		}
		iface.Functions = append(iface.Functions, coreFunction(im.Name, &m.Types[im.TypeIndex]))
	}
	for _, ex := range m.Exports {
		if ex.Kind != core.KindFunc {
			continue
		}
		ft := m.FuncType(ex.Index)
		if ft == nil {
			continue
		}
		w.Exports = append(w.Exports, &wit.Item{Name: ex.Name, Kind: wit.ItemFunction, Function: coreFunction(ex.Name, ft)})
	}
	return w
}

func coreFunction(name string, ft *core.FuncType) *wit.Function {
	f := &wit.Function{Name: name}
	for i, p := range ft.Params {
		f.Params = append(f.Params, wit.Param{Name: "p" + strconv.Itoa(i), Type: coreType(p)})
	}
	switch len(ft.Results) {
	case 0:
	case 1:
		f.Result = coreType(ft.Results[0])
	default:
		t := &wit.Type{Kind: wit.Tuple}
		for _, r := range ft.Results {
			t.Elems = append(t.Elems, coreType(r))
		}
		f.Result = t
	}
	return f
}

func coreType(t core.ValType) *wit.Type {
	switch t {
	case core.I32:
		return wit.Prim(wit.S32)
	case core.I64:
		return wit.Prim(wit.S64)
	case core.F32:
		return wit.Prim(wit.F32)
	case core.F64:
		return wit.Prim(wit.F64)
	case core.V128:
		return wit.Prim(wit.CoreV128)
	case core.FuncRef:
		return wit.Prim(wit.CoreFuncref)
	}
	return wit.Prim(wit.CoreExternref)
}
