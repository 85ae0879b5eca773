package component

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	ast "github.com/wfcompat/wfcompat/analyze/component"
	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
)

// Config says how to instantiate a component.
type Config struct {
	// Runtime is the wazero runtime the core modules are compiled and
	// instantiated in. The Instance does not close it.
	Runtime wazero.Runtime
	// Host provides the imports.
	Host Host
	// StubMissing makes imports the host lacks trap with their name when
	// called, instead of failing instantiation.
	StubMissing bool
	// Intercept, when set, sees every call of a host import.
	Intercept Interceptor
	// Prefix is prepended to the names of the wazero modules the instance
	// creates; instances sharing a runtime need different prefixes.
	Prefix string
	// Compiled, when set, keeps compiled core modules across instances of
	// one runtime, so that instantiating the same component again compiles
	// nothing.
	Compiled *CompileCache
	// MemoryLimitPages, when not 0, is the memory limit in pages: a core
	// module whose memory starts larger fails to instantiate (see
	// CheckMemoryLimit). Its memories' grows are the allocator's to refuse
	// (the runtime's, or experimental.WithMemoryAllocator's).
	MemoryLimitPages uint32
}

// CheckMemoryLimit returns an error, in wazero's words for a memory over
// RuntimeConfig.WithMemoryLimitPages, when the memory mod defines starts
// larger than limit pages (0: no limit); nil otherwise.
func CheckMemoryLimit(mod api.Module, limit uint32) error {
	mem := mod.Memory()
	// wazero returns a nil *MemoryInstance, not a nil interface, for a
	// module without memory.
	if limit == 0 || mem == nil || reflect.ValueOf(mem).IsNil() {
		return nil
	}
	return memoryOver(mem.Definition(), limit)
}

// CheckCompiledMemoryLimit is CheckMemoryLimit before instantiation, for
// the memories cm exports (a memory it neither exports nor imports shows
// only once instantiated): the memory is then never allocated.
func CheckCompiledMemoryLimit(cm wazero.CompiledModule, limit uint32) error {
	if limit == 0 {
		return nil
	}
	for _, d := range cm.ExportedMemories() {
		if err := memoryOver(d, limit); err != nil {
			return err
		}
	}
	return nil
}

func memoryOver(d api.MemoryDefinition, limit uint32) error {
	if _, _, imported := d.Import(); imported || d.Min() <= limit {
		return nil
	}
	return fmt.Errorf("section memory: min %d pages (%s) over limit of %d pages (%s)", d.Min(), pagesUnit(d.Min()), limit, pagesUnit(limit))
}

// pagesUnit writes a number of pages as wazero does: "128 Ki", "256 Mi".
func pagesUnit(pages uint32) string {
	k := uint64(pages) * 64
	switch {
	case k < 1024:
		return fmt.Sprintf("%d Ki", k)
	case k < 1024*1024:
		return fmt.Sprintf("%d Mi", k/1024)
	case k < 1024*1024*1024:
		return fmt.Sprintf("%d Gi", k/1024/1024)
	}
	return fmt.Sprintf("%d Ti", k/1024/1024/1024)
}

// CompileCache holds compiled core modules of one wazero runtime, by the
// digest of their linked bytes. It is safe for concurrent use.
type CompileCache struct {
	mu sync.Mutex
	m  map[[32]byte]wazero.CompiledModule
	// linked remembers the digest of a module's linked bytes by the
	// module's bytes (their address and length: the same artifact) and
	// its import targets, so that instantiating a component again neither
	// links nor hashes.
	linked map[linkKey][32]byte
}

type linkKey struct {
	start   *byte
	n       int
	targets string
}

func (c *CompileCache) compile(ctx context.Context, rt wazero.Runtime, m *coreModule, targets []coreRef) (wazero.CompiledModule, error) {
	lk := linkKey{n: len(m.bytes)}
	if len(m.bytes) > 0 {
		lk.start = &m.bytes[0]
	}
	var tb []byte
	for _, t := range targets {
		tb = appendName(appendName(tb, t.mod), t.name)
	}
	lk.targets = string(tb)
	c.mu.Lock()
	defer c.mu.Unlock()
	if key, ok := c.linked[lk]; ok {
		if cm, ok := c.m[key]; ok {
			return cm, nil
		}
	}
	b := m.link(targets)
	key := sha256.Sum256(b)
	if c.linked == nil {
		c.linked = map[linkKey][32]byte{}
	}
	c.linked[lk] = key
	if cm, ok := c.m[key]; ok {
		return cm, nil
	}
	cm, err := rt.CompileModule(ctx, b)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[[32]byte]wazero.CompiledModule{}
	}
	c.m[key] = cm
	return cm, nil
}

// Linker builds one component instance graph on a wazero runtime.
type Linker struct {
	cfg       Config
	bin       []byte
	rt        wazero.Runtime
	mods      map[string]api.Module
	compiled  *CompileCache
	hostMods  []api.Module            // Go host modules, behind re-export modules
	reexports []wazero.CompiledModule // the re-export modules' compilations
	scanned   map[int64]*coreModule
	pending   []*hostFn
	n         int
	resources map[*wit.Type]*Resource
	missing   []MissingImport
	insts     []*compInst
	closed    bool
	// layouts caches the canonical ABI layouts of the types of calls.
	layouts *abi.Layouts
}

// coreRef names a core item: the wazero module instance and export that
// hold it, or a host function not yet placed in a module.
type coreRef struct {
	mod, name string
	kind      byte // 0 func, 1 table, 2 memory, 3 global, 4 tag
	host      *hostFn
}

// hostFn is a core function implemented in Go (canon lower, resource.*).
type hostFn struct {
	params, results []api.ValueType
	fn              api.GoModuleFunc
	what            string
	mod, name       string // set when placed in a host module
}

type coreInst struct {
	exports map[string]coreRef
}

// item is an entry of a component-level index space.
type item struct {
	sort ast.Sort
	fn   *Func
	ty   *rtype
	inst *Inst
	comp *compDef
	mod  *coreModule
}

// Inst is a component instance as seen by its users: its exports.
type Inst struct {
	exports map[string]item
	order   []string
}

type compDef struct {
	body   *ast.Component
	parent *frame
}

// compInst is the runtime state of one component instance: its handle
// table and the flags the canonical ABI checks.
type compInst struct {
	abi     *abi.Instance
	busy    bool
	trapped bool
}

// frame holds the index spaces of a component being instantiated.
type frame struct {
	parent    *frame
	inst      *compInst
	core      [5][]coreRef // func, table, memory, global, tag
	coreTypes int
	modules   []*coreModule
	coreInsts []*coreInst
	funcs     []*Func
	types     []*rtype
	comps     []*compDef
	insts     []*Inst
	args      map[string]item
	top       bool
}

// Instance is an instantiated component.
type Instance struct {
	l *Linker
	// Exports are the component's exports by name.
	exports *Inst
}

// Instantiate instantiates the decoded component c (decoded from bin) on
// cfg.Runtime. Every import must be provided by cfg.Host (or stubbed); a
// *MissingImportsError lists every one that is not.
func Instantiate(ctx context.Context, c *ast.Component, bin []byte, cfg Config) (inst *Instance, err error) {
	l := &Linker{cfg: cfg, bin: bin, rt: cfg.Runtime, mods: map[string]api.Module{},
		scanned:   map[int64]*coreModule{},
		resources: map[*wit.Type]*Resource{}, layouts: abi.NewLayouts()}
	l.compiled = cfg.Compiled
	if l.compiled == nil {
		l.compiled = &CompileCache{}
	}
	defer func() {
		if r := recover(); r != nil {
			err = trapFromPanic(r, "instantiation")
		}
		if err != nil {
			// Leave nothing behind in a shared runtime.
			l.closeAll(context.Background())
		}
	}()
	// Imports are checked first, so that every missing one is listed at
	// once, before any core module runs.
	if err := l.checkImports(c); err != nil {
		return nil, err
	}
	exps, err := l.component(ctx, c, nil, nil, true)
	if err != nil {
		return nil, err
	}
	return &Instance{l: l, exports: exps}, nil
}

// Close releases the core module instances.
func (i *Instance) Close(ctx context.Context) error {
	if i.l.closed {
		return nil
	}
	return i.l.closeAll(ctx)
}

// closeAll closes every module the linker made (in a shared runtime, the
// instance leaves nothing behind).
func (l *Linker) closeAll(ctx context.Context) error {
	l.closed = true
	var errs []error
	for _, m := range l.mods {
		errs = append(errs, m.Close(ctx))
	}
	for _, m := range l.hostMods {
		errs = append(errs, m.Close(ctx))
	}
	for _, cm := range l.reexports {
		errs = append(errs, cm.Close(ctx))
	}
	return errors.Join(errs...)
}

// Func returns the exported function fn of the exported instance iface, or
// the world-level exported function fn when iface is "".
func (i *Instance) Func(iface, fn string) *Func {
	exps := i.exports
	if iface != "" {
		it, ok := exps.exports[iface]
		if !ok || it.inst == nil {
			return nil
		}
		exps = it.inst
	}
	it, ok := exps.exports[fn]
	if !ok {
		return nil
	}
	return it.fn
}

// Resource returns the resource type that own and borrow types of the
// instance's functions refer to by t, or nil.
func (i *Instance) Resource(t *wit.Type) *Resource { return i.l.resources[t] }

func (l *Linker) newName(prefix string) string {
	l.n++
	return prefix + strconv.Itoa(l.n)
}

func (l *Linker) errAt(off int64, format string, args ...any) error {
	return fmt.Errorf("offset 0x%x: "+format, append([]any{off}, args...)...)
}

// component instantiates the definitions of c. parent is the scope outer
// aliases see; args bind the imports of a nested component.
func (l *Linker) component(ctx context.Context, c *ast.Component, parent *frame, args map[string]item, top bool) (*Inst, error) {
	ci := &compInst{abi: abi.NewInstance(fmt.Sprintf("component instance %d", len(l.insts)))}
	l.insts = append(l.insts, ci)
	fr := &frame{parent: parent, inst: ci, args: args, top: top}
	out := &Inst{exports: map[string]item{}}
	for si := range c.Sections {
		s := &c.Sections[si]
		for i := s.First; i < s.First+s.Count; i++ {
			var err error
			switch s.ID {
			case ast.SecCoreModule:
				var m *coreModule
				m, err = l.module(&c.Modules[i])
				fr.modules = append(fr.modules, m)
			case ast.SecCoreInstance:
				var in *coreInst
				in, err = l.coreInstance(ctx, fr, &c.CoreInstances[i])
				fr.coreInsts = append(fr.coreInsts, in)
			case ast.SecCoreType:
				fr.coreTypes += c.CoreTypes[i].Types
			case ast.SecComponent:
				fr.comps = append(fr.comps, &compDef{body: c.Components[i], parent: fr})
			case ast.SecInstance:
				var in *Inst
				in, err = l.instance(ctx, fr, &c.Instances[i])
				fr.insts = append(fr.insts, in)
			case ast.SecAlias:
				err = l.alias(fr, &c.Aliases[i])
			case ast.SecType:
				var t *rtype
				t, err = l.defType(c.Types[i], fr)
				fr.types = append(fr.types, t)
			case ast.SecCanon:
				err = l.canon(ctx, fr, &c.Canons[i])
			case ast.SecStart:
				err = l.start(ctx, fr, &c.Starts[i])
			case ast.SecImport:
				err = l.importDef(fr, &c.Imports[i])
			case ast.SecExport:
				var it item
				ex := &c.Exports[i]
				it, err = l.export(fr, ex)
				name := fullName(ex.Name)
				out.exports[name] = it
				out.order = append(out.order, name)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func fullName(n ast.Name) string {
	if n.Prefix == 0x02 {
		return n.Name + n.VersionSuffix
	}
	return n.Name
}

func (l *Linker) module(m *ast.Module) (*coreModule, error) {
	if cm, ok := l.scanned[m.Off]; ok {
		return cm, nil
	}
	cm, err := scanCore(l.bin[m.Off:m.End], m.Off)
	if err != nil {
		return nil, err
	}
	if cm.memories > 1 {
		return nil, unsupported(m.Off, fmt.Sprintf("a core module with %d memories (multi-memory; wazero v1.12.0 allows one memory per module)", cm.memories))
	}
	l.scanned[m.Off] = cm
	return cm, nil
}

// push appends it to the index space of its sort.
func (fr *frame) push(it item) {
	switch it.sort {
	case ast.SortFunc:
		fr.funcs = append(fr.funcs, it.fn)
	case ast.SortType:
		fr.types = append(fr.types, it.ty)
	case ast.SortInstance:
		fr.insts = append(fr.insts, it.inst)
	case ast.SortComponent:
		fr.comps = append(fr.comps, it.comp)
	case ast.SortCoreModule:
		fr.modules = append(fr.modules, it.mod)
	}
}

// lookup returns the entry i of sort s.
func (fr *frame) lookup(off int64, s ast.Sort, i uint32) (item, error) {
	it := item{sort: s}
	n := 0
	switch s {
	case ast.SortFunc:
		if n = len(fr.funcs); int(i) < n {
			it.fn = fr.funcs[i]
		}
	case ast.SortType:
		if n = len(fr.types); int(i) < n {
			it.ty = fr.types[i]
		}
	case ast.SortInstance:
		if n = len(fr.insts); int(i) < n {
			it.inst = fr.insts[i]
		}
	case ast.SortComponent:
		if n = len(fr.comps); int(i) < n {
			it.comp = fr.comps[i]
		}
	case ast.SortCoreModule:
		if n = len(fr.modules); int(i) < n {
			it.mod = fr.modules[i]
		}
	case ast.SortValue:
		return it, unsupported(off, "component value")
	default:
		return it, fmt.Errorf("offset 0x%x: %s cannot be used here", off, s)
	}
	if int(i) >= n {
		return it, fmt.Errorf("offset 0x%x: %s index %d out of range (%d defined)", off, s, i, n)
	}
	return it, nil
}

func (fr *frame) coreItem(off int64, s ast.Sort, i uint32) (coreRef, error) {
	if s > ast.SortCoreTag {
		return coreRef{}, fmt.Errorf("offset 0x%x: %s is not a core item", off, s)
	}
	sp := fr.core[s]
	if uint64(i) >= uint64(len(sp)) {
		return coreRef{}, fmt.Errorf("offset 0x%x: %s index %d out of range (%d defined)", off, s, i, len(sp))
	}
	return sp[i], nil
}

func (l *Linker) coreInstance(ctx context.Context, fr *frame, ci *ast.CoreInstance) (*coreInst, error) {
	if !ci.Instantiate {
		in := &coreInst{exports: make(map[string]coreRef, len(ci.InlineExport))}
		for _, e := range ci.InlineExport {
			ref, err := fr.coreItem(ci.Off, e.Sort, e.Index)
			if err != nil {
				return nil, err
			}
			in.exports[e.Name] = ref
		}
		return in, nil
	}
	if uint64(ci.Module) >= uint64(len(fr.modules)) {
		return nil, l.errAt(ci.Off, "core module index %d out of range (%d defined)", ci.Module, len(fr.modules))
	}
	m := fr.modules[ci.Module]
	args := make(map[string]*coreInst, len(ci.Args))
	for _, a := range ci.Args {
		if uint64(a.Instance) >= uint64(len(fr.coreInsts)) {
			return nil, l.errAt(ci.Off, "core instance index %d out of range (%d defined)", a.Instance, len(fr.coreInsts))
		}
		args[a.Name] = fr.coreInsts[a.Instance]
	}
	targets := make([]coreRef, len(m.imports))
	for i, im := range m.imports {
		a, ok := args[im.Module]
		if !ok {
			return nil, l.errAt(ci.Off, "instantiating core module at offset 0x%x: no argument %q for its import %q %q", m.off, im.Module, im.Module, im.Name)
		}
		ref, ok := a.exports[im.Name]
		if !ok {
			return nil, l.errAt(ci.Off, "instantiating core module at offset 0x%x: argument %q has no export %q", m.off, im.Module, im.Name)
		}
		if ref.kind != im.Kind {
			return nil, l.errAt(ci.Off, "instantiating core module at offset 0x%x: import %q %q is a %s, the argument gives a %s", m.off, im.Module, im.Name, coreKindName(im.Kind), coreKindName(ref.kind))
		}
		ref, err := l.place(ref)
		if err != nil {
			return nil, err
		}
		targets[i] = ref
	}
	name := l.newName("m")
	mod, err := l.instantiateCore(ctx, m, targets, name)
	if err != nil {
		return nil, l.errAt(ci.Off, "instantiating core module at offset 0x%x: %w", m.off, err)
	}
	l.mods[name] = mod
	in := &coreInst{exports: make(map[string]coreRef, len(m.exports))}
	for _, e := range m.exports {
		in.exports[e.Name] = coreRef{mod: name, name: e.Name, kind: e.Kind}
	}
	return in, nil
}

func coreKindName(k byte) string {
	switch k {
	case 0:
		return "function"
	case 1:
		return "table"
	case 2:
		return "memory"
	case 3:
		return "global"
	case 4:
		return "tag"
	}
	return "kind " + strconv.Itoa(int(k))
}

func (l *Linker) instantiateCore(ctx context.Context, m *coreModule, targets []coreRef, name string) (api.Module, error) {
	cm, err := l.compiled.compile(ctx, l.rt, m, targets)
	if err != nil {
		return nil, err
	}
	if err := CheckCompiledMemoryLimit(cm, l.cfg.MemoryLimitPages); err != nil {
		return nil, err
	}
	// Imports name the providing instances symbolically ("m3", "h2"), so
	// that the linked bytes, and their compilation, are the same for every
	// instance of the component; the resolver maps the names to this
	// instance's modules.
	ctx = experimental.WithImportResolver(ctx, func(n string) api.Module { return l.mods[n] })
	mod, err := l.rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(l.cfg.Prefix+name).WithStartFunctions())
	if err != nil {
		return nil, err
	}
	if err := CheckMemoryLimit(mod, l.cfg.MemoryLimitPages); err != nil {
		mod.Close(ctx)
		return nil, err
	}
	return mod, nil
}

// place makes sure a host function has been placed in a host module, so
// that core modules can import it; pending host functions are placed
// together in one module.
func (l *Linker) place(ref coreRef) (coreRef, error) {
	if ref.host == nil {
		return ref, nil
	}
	if ref.host.mod == "" {
		if err := l.flush(context.Background()); err != nil {
			return ref, err
		}
	}
	ref.mod, ref.name = ref.host.mod, ref.host.name
	return ref, nil
}

func (l *Linker) flush(ctx context.Context) error {
	if len(l.pending) == 0 {
		return nil
	}
	name := l.newName("h")
	// The Go functions live in a host module; a generated Wasm module
	// re-exports them, since wazero's import resolver takes only Wasm
	// module instances.
	goName := l.cfg.Prefix + name + ".go"
	b := l.rt.NewHostModuleBuilder(goName)
	for i, h := range l.pending {
		h.mod, h.name = name, "f"+strconv.Itoa(i)
		b.NewFunctionBuilder().WithGoModuleFunction(h.fn, h.params, h.results).WithName(h.what).Export(h.name)
	}
	hm, err := b.Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("host functions: %w", err)
	}
	l.hostMods = append(l.hostMods, hm)
	re := reexportModule(goName, l.pending)
	l.pending = l.pending[:0]
	cm, err := l.rt.CompileModule(ctx, re)
	if err != nil {
		return fmt.Errorf("host functions: %w", err)
	}
	mod, err := l.rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(l.cfg.Prefix+name).WithStartFunctions())
	if err != nil {
		return fmt.Errorf("host functions: %w", err)
	}
	l.mods[name] = mod
	l.reexports = append(l.reexports, cm)
	return nil
}

// reexportModule encodes a core module that imports the functions fs from
// module mod and exports each under the same name.
func reexportModule(mod string, fs []*hostFn) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	section := func(id byte, body []byte) {
		b = append(b, id)
		b = appendU32(b, uint32(len(body)))
		b = append(b, body...)
	}
	var types, imports, exports []byte
	types = appendU32(types, uint32(len(fs)))
	imports = appendU32(imports, uint32(len(fs)))
	exports = appendU32(exports, uint32(len(fs)))
	for i, f := range fs {
		types = append(types, 0x60)
		types = appendU32(types, uint32(len(f.params)))
		types = append(types, f.params...)
		types = appendU32(types, uint32(len(f.results)))
		types = append(types, f.results...)
		imports = appendName(imports, mod)
		imports = appendName(imports, f.name)
		imports = append(imports, 0)
		imports = appendU32(imports, uint32(i))
		exports = appendName(exports, f.name)
		exports = append(exports, 0)
		exports = appendU32(exports, uint32(i))
	}
	section(1, types)
	section(2, imports)
	section(7, exports)
	return b
}

func (l *Linker) addHost(h *hostFn) coreRef {
	l.pending = append(l.pending, h)
	return coreRef{kind: 0, host: h}
}

// function returns the wazero function of a core function reference.
func (l *Linker) function(ref coreRef) (api.Function, error) {
	ref, err := l.place(ref)
	if err != nil {
		return nil, err
	}
	m := l.mods[ref.mod]
	if m == nil {
		return nil, fmt.Errorf("core module instance %s is gone", ref.mod)
	}
	f := m.ExportedFunction(ref.name)
	if f == nil {
		return nil, fmt.Errorf("core instance %s has no function %q", ref.mod, ref.name)
	}
	return f, nil
}

func (l *Linker) memory(ref coreRef) (api.Memory, error) {
	m := l.mods[ref.mod]
	if m == nil || ref.kind != 2 {
		return nil, fmt.Errorf("not a core memory")
	}
	mem := m.ExportedMemory(ref.name)
	if mem == nil {
		return nil, fmt.Errorf("core instance %s has no memory %q", ref.mod, ref.name)
	}
	return mem, nil
}

func (l *Linker) instance(ctx context.Context, fr *frame, in *ast.Instance) (*Inst, error) {
	if !in.Instantiate {
		out := &Inst{exports: make(map[string]item, len(in.Exports))}
		for _, e := range in.Exports {
			it, err := fr.lookup(in.Off, e.Sort, e.Index)
			if err != nil {
				return nil, err
			}
			n := fullName(e.Name)
			out.exports[n] = it
			out.order = append(out.order, n)
		}
		return out, nil
	}
	if uint64(in.Component) >= uint64(len(fr.comps)) {
		return nil, l.errAt(in.Off, "component index %d out of range (%d defined)", in.Component, len(fr.comps))
	}
	cd := fr.comps[in.Component]
	if cd.body == nil {
		return nil, unsupported(in.Off, "instantiating an imported component")
	}
	args := make(map[string]item, len(in.Args))
	for _, a := range in.Args {
		it, err := fr.lookup(in.Off, a.Sort, a.Index)
		if err != nil {
			return nil, err
		}
		args[a.Name] = it
	}
	return l.component(ctx, cd.body, cd.parent, args, false)
}

func (fr *frame) outer(off int64, count uint32) (*frame, error) {
	s := fr
	for i := uint32(0); i < count; i++ {
		s = s.parent
		if s == nil {
			return nil, fmt.Errorf("offset 0x%x: outer alias count %d exceeds the enclosing scopes", off, count)
		}
	}
	return s, nil
}

func (l *Linker) alias(fr *frame, a *ast.Alias) error {
	switch a.Target {
	case ast.AliasCoreExport:
		if uint64(a.Instance) >= uint64(len(fr.coreInsts)) {
			return l.errAt(a.Off, "core instance index %d out of range (%d defined)", a.Instance, len(fr.coreInsts))
		}
		ref, ok := fr.coreInsts[a.Instance].exports[a.Name]
		if !ok {
			return l.errAt(a.Off, "core instance %d has no export %q", a.Instance, a.Name)
		}
		if a.Sort > ast.SortCoreTag || ref.kind != byte(a.Sort) {
			return l.errAt(a.Off, "alias of core export %q as a %s, but it is a %s", a.Name, a.Sort, coreKindName(ref.kind))
		}
		fr.core[a.Sort] = append(fr.core[a.Sort], ref)
	case ast.AliasExport:
		if uint64(a.Instance) >= uint64(len(fr.insts)) {
			return l.errAt(a.Off, "instance index %d out of range (%d defined)", a.Instance, len(fr.insts))
		}
		it, ok := fr.insts[a.Instance].exports[a.Name]
		if !ok {
			return l.errAt(a.Off, "instance %d has no export %q", a.Instance, a.Name)
		}
		if it.sort != a.Sort {
			return l.errAt(a.Off, "alias of export %q as a %s, but it is a %s", a.Name, a.Sort, it.sort)
		}
		fr.push(it)
	case ast.AliasOuter:
		s, err := fr.outer(a.Off, a.Count)
		if err != nil {
			return err
		}
		switch a.Sort {
		case ast.SortCoreType:
			fr.coreTypes++
		case ast.SortCoreModule, ast.SortType, ast.SortComponent:
			it, err := s.lookup(a.Off, a.Sort, a.Index)
			if err != nil {
				return err
			}
			fr.push(it)
		default:
			return l.errAt(a.Off, "outer alias of a %s", a.Sort)
		}
	default:
		return l.errAt(a.Off, "unknown alias target %d", a.Target)
	}
	return nil
}

func (l *Linker) export(fr *frame, ex *ast.Export) (item, error) {
	it, err := fr.lookup(ex.Off, ex.Sort, ex.Index)
	if err != nil {
		return it, err
	}
	if it.sort == ast.SortType && it.ty.res != nil {
		it.ty.res.setName(ex.Name.Name)
	}
	fr.push(it)
	return it, nil
}

func (l *Linker) start(ctx context.Context, fr *frame, s *ast.Start) error {
	if len(s.Args) > 0 || s.Results > 0 {
		return unsupported(s.Off, "start function with component values")
	}
	if uint64(s.Func) >= uint64(len(fr.funcs)) {
		return l.errAt(s.Off, "func index %d out of range (%d defined)", s.Func, len(fr.funcs))
	}
	_, err := fr.funcs[s.Func].Call(ctx, nil)
	return err
}
