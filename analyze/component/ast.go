package component

import "strconv"

// Component is a decoded component: every section, in the order of the
// binary, with the items of each kind collected in slices. Offsets are
// absolute offsets in the input to Decode.
type Component struct {
	// Off is the offset of the component's preamble; End the offset just
	// past its last section.
	Off, End int64
	// Sections lists every section in order. Section.First and Count locate
	// its items in the slice for its kind (Types for a type section, ...).
	Sections []Section

	Modules       []Module       // core modules (section 1)
	CoreInstances []CoreInstance // section 2
	CoreTypes     []CoreType     // section 3
	Components    []*Component   // nested components (section 4)
	Instances     []Instance     // section 5
	Aliases       []Alias        // section 6
	Types         []*TypeDef     // section 7
	Canons        []Canon        // section 8
	Starts        []Start        // section 9
	Imports       []Import       // section 10
	Exports       []Export       // section 11
	Customs       []Custom       // section 0

	// Spaces are the index spaces of the component, one per sort: Spaces[s][i]
	// says which definition gave index i of sort s.
	Spaces [NumSorts][]Def
}

// Section ids.
const (
	SecCustom       = 0
	SecCoreModule   = 1
	SecCoreInstance = 2
	SecCoreType     = 3
	SecComponent    = 4
	SecInstance     = 5
	SecAlias        = 6
	SecType         = 7
	SecCanon        = 8
	SecStart        = 9
	SecImport       = 10
	SecExport       = 11
)

var sectionNames = [...]string{"custom section", "core module section", "core instance section",
	"core type section", "component section", "instance section", "alias section", "type section",
	"canon section", "start section", "import section", "export section"}

// SectionName returns the name of a section id ("type section").
func SectionName(id byte) string {
	if int(id) < len(sectionNames) {
		return sectionNames[id]
	}
	return "section " + strconv.Itoa(int(id))
}

// Section is one section of a component.
type Section struct {
	ID byte
	// Off is the offset of the section id byte, Data the offset of its
	// payload, End the offset just past it.
	Off, Data, End int64
	// First and Count locate the section's items in the Component slice for
	// its kind (one item for core module, component, start and custom sections).
	First, Count int
}

// Module is an embedded core module, kept as a byte range of the input.
type Module struct {
	Off, End int64 // [Off, End) are the module's bytes, preamble included
}

// Sort is the sort of an index space.
type Sort uint8

// Sorts. The core sorts come first.
const (
	SortCoreFunc Sort = iota
	SortCoreTable
	SortCoreMemory
	SortCoreGlobal
	SortCoreTag
	SortCoreType
	SortCoreModule
	SortCoreInstance
	SortFunc
	SortValue
	SortType
	SortComponent
	SortInstance
	NumSorts
)

var sortNames = [NumSorts]string{"core func", "core table", "core memory", "core global", "core tag",
	"core type", "core module", "core instance", "func", "value", "type", "component", "instance"}

func (s Sort) String() string {
	if s < NumSorts {
		return sortNames[s]
	}
	return "sort(" + strconv.Itoa(int(s)) + ")"
}

// IsCore reports whether s is a core sort.
func (s Sort) IsCore() bool { return s < SortFunc }

// DefKind says where an index-space entry was defined.
type DefKind uint8

// Definition kinds.
const (
	DefImport       DefKind = iota // Component.Imports[Index]
	DefExport                      // Component.Exports[Index]
	DefAlias                       // Component.Aliases[Index]
	DefType                        // Component.Types[Index]
	DefCoreType                    // Component.CoreTypes[Index] (Sub: type within a rec group)
	DefCanon                       // Component.Canons[Index]
	DefInstance                    // Component.Instances[Index]
	DefCoreInstance                // Component.CoreInstances[Index]
	DefModule                      // Component.Modules[Index]
	DefComponent                   // Component.Components[Index]
	DefStart                       // Component.Starts[Index] (Sub: result number)
)

// Def is one entry of an index space.
type Def struct {
	Kind  DefKind
	Index int
	Sub   int
}

// CoreInstance is a core instance: an instantiation of a core module or a
// bundle of core items.
type CoreInstance struct {
	Off          int64
	Instantiate  bool
	Module       uint32            // when Instantiate
	Args         []CoreInstanceArg // when Instantiate
	InlineExport []CoreInlineExport
}

// CoreInstanceArg is `(with "name" (instance i))`.
type CoreInstanceArg struct {
	Name     string
	Instance uint32
}

// CoreInlineExport is a named core item of a core instance built from items.
type CoreInlineExport struct {
	Name  string
	Sort  Sort
	Index uint32
}

// CoreTypeKind tells core type definitions apart.
type CoreTypeKind uint8

// Core type kinds.
const (
	CoreTypeRec    CoreTypeKind = iota // a rec group (function, struct, array types)
	CoreTypeModule                     // a module type
)

// CoreType is a core type definition. Only its shape is decoded.
type CoreType struct {
	Off, End int64
	Kind     CoreTypeKind
	// Types is the number of core types it defines (a rec group can define
	// several; a module type defines one).
	Types int
	// Func is set for a single function type: its parameter and result
	// value-type bytes (0x7f i32 ...; reference types are 0x63/0x64 or a
	// shorthand byte, without their heap type).
	Func *CoreFuncType
}

// CoreFuncType is a core function type.
type CoreFuncType struct {
	Params, Results []byte
}

// Instance is a component instance.
type Instance struct {
	Off         int64
	Instantiate bool
	Component   uint32         // when Instantiate
	Args        []InstanceArg  // when Instantiate
	Exports     []InlineExport // otherwise
}

// InstanceArg is `(with "name" (sort idx))`.
type InstanceArg struct {
	Name  string
	Sort  Sort
	Index uint32
}

// InlineExport is a named item of an instance built from items.
type InlineExport struct {
	Name  Name
	Sort  Sort
	Index uint32
}

// AliasTarget tells alias forms apart.
type AliasTarget uint8

// Alias targets.
const (
	AliasExport     AliasTarget = 0 // export Instance Name
	AliasCoreExport AliasTarget = 1 // core export Instance Name
	AliasOuter      AliasTarget = 2 // outer Count Index
)

// Alias is an alias definition (in an alias section or a type declarator).
type Alias struct {
	Off      int64
	Sort     Sort
	Target   AliasTarget
	Instance uint32 // export and core export
	Name     string // export and core export
	Count    uint32 // outer
	Index    uint32 // outer
}

// Name is an import or export name.
type Name struct {
	Name string
	// Prefix is the discriminant byte before the name (0x00, or the legacy
	// 0x01 interface marker, or 0x02 when VersionSuffix follows).
	Prefix byte
	// VersionSuffix is the version suffix of prefix 0x02 names.
	VersionSuffix string
}

// Import is an import of a component (or an import declarator).
type Import struct {
	Off  int64
	Name Name
	Desc ExternDesc
}

// Export is an export of a component.
type Export struct {
	Off   int64
	Name  Name
	Sort  Sort
	Index uint32
	// Desc is the ascribed type when HasDesc.
	HasDesc bool
	Desc    ExternDesc
}

// Bound is the bound of a type import or export.
type Bound uint8

// Type bounds.
const (
	BoundEq          Bound = 0 // (eq Index)
	BoundSubResource Bound = 1 // (sub resource)
)

// ExternDesc describes an imported or exported item.
type ExternDesc struct {
	// Sort is SortCoreModule, SortFunc, SortValue, SortType, SortComponent
	// or SortInstance.
	Sort Sort
	// Index is the type index (core type index for a module).
	Index uint32
	// Bound is the bound of a type (Index is the eq type).
	Bound Bound
	// Val is the value type of a value.
	Val ValType
}

// Start is a start definition.
type Start struct {
	Off     int64
	Func    uint32
	Args    []uint32
	Results uint32
}

// Custom is a custom section.
type Custom struct {
	Name     string
	Off, End int64 // the section's payload after the name
}

// Prim is a primitive value type, by its binary code.
type Prim byte

// Primitive value types.
const (
	PrimBool         Prim = 0x7f
	PrimS8           Prim = 0x7e
	PrimU8           Prim = 0x7d
	PrimS16          Prim = 0x7c
	PrimU16          Prim = 0x7b
	PrimS32          Prim = 0x7a
	PrimU32          Prim = 0x79
	PrimS64          Prim = 0x78
	PrimU64          Prim = 0x77
	PrimF32          Prim = 0x76
	PrimF64          Prim = 0x75
	PrimChar         Prim = 0x74
	PrimString       Prim = 0x73
	PrimErrorContext Prim = 0x64
)

func isPrim(b byte) bool { return (b >= 0x73 && b <= 0x7f) || b == 0x64 }

// primNames and kindNames are arrays indexed by the byte, "" for none:
// constant data, where a map would be built at every start-up.
var primNames = [256]string{
	PrimBool: "bool", PrimS8: "s8", PrimU8: "u8", PrimS16: "s16", PrimU16: "u16",
	PrimS32: "s32", PrimU32: "u32", PrimS64: "s64", PrimU64: "u64", PrimF32: "f32",
	PrimF64: "f64", PrimChar: "char", PrimString: "string", PrimErrorContext: "error-context",
}

func (p Prim) String() string {
	if s := primNames[p]; s != "" {
		return s
	}
	return "prim(0x" + strconv.FormatUint(uint64(p), 16) + ")"
}

// ValType is a value type: a primitive (Prim != 0) or a type index.
type ValType struct {
	Prim  Prim
	Index uint32
}

// IsPrim reports whether v is a primitive type.
func (v ValType) IsPrim() bool { return v.Prim != 0 }

// OptValType is an optional value type.
type OptValType struct {
	Set bool
	ValType
}

// TypeKind tells type definitions apart. The defined value type kinds use
// their binary opcode.
type TypeKind byte

// Type definition kinds.
const (
	KindPrim          TypeKind = 0x01 // Prim
	KindRecord        TypeKind = 0x72
	KindVariant       TypeKind = 0x71
	KindList          TypeKind = 0x70
	KindTuple         TypeKind = 0x6f
	KindFlags         TypeKind = 0x6e
	KindEnum          TypeKind = 0x6d
	KindOption        TypeKind = 0x6b
	KindResult        TypeKind = 0x6a
	KindOwn           TypeKind = 0x69
	KindBorrow        TypeKind = 0x68
	KindFixedList     TypeKind = 0x67
	KindStream        TypeKind = 0x66
	KindFuture        TypeKind = 0x65
	KindMap           TypeKind = 0x63
	KindFunc          TypeKind = 0x40 // also async functions (0x43), see Async
	KindComponent     TypeKind = 0x41
	KindInstance      TypeKind = 0x42
	KindResource      TypeKind = 0x3f
	KindResourceAsync TypeKind = 0x3e
)

var kindNames = [256]string{
	KindPrim: "primitive", KindRecord: "record", KindVariant: "variant", KindList: "list",
	KindTuple: "tuple", KindFlags: "flags", KindEnum: "enum", KindOption: "option",
	KindResult: "result", KindOwn: "own", KindBorrow: "borrow", KindFixedList: "fixed-size list",
	KindStream: "stream", KindFuture: "future", KindMap: "map", KindFunc: "func",
	KindComponent: "component type", KindInstance: "instance type", KindResource: "resource",
	KindResourceAsync: "resource (async dtor)",
}

func (k TypeKind) String() string {
	if s := kindNames[k]; s != "" {
		return s
	}
	return "kind(0x" + strconv.FormatUint(uint64(k), 16) + ")"
}

// TypeDef is a component type definition: a defined value type, a function
// type, a component or instance type, or a resource type.
type TypeDef struct {
	Off, End int64
	Kind     TypeKind

	Prim         Prim       // KindPrim
	Fields       []NamedVal // KindRecord; KindFunc parameters
	Cases        []Case     // KindVariant
	Labels       []string   // KindFlags, KindEnum
	Elems        []ValType  // KindTuple
	Elem         ValType    // KindList, KindFixedList, KindOption, KindMap (key)
	Value        ValType    // KindMap value
	Len          uint32     // KindFixedList
	Ok           OptValType // KindResult
	Err          OptValType // KindResult
	Opt          OptValType // KindFuture, KindStream payload; KindFunc unnamed result
	Res          uint32     // KindOwn, KindBorrow: resource type index
	Async        bool       // KindFunc: async function type (0x43)
	Named        []NamedVal // KindFunc: legacy named results (when NamedResults)
	NamedResults bool       // KindFunc: results are a (legacy) named list
	Decls        []Decl     // KindComponent, KindInstance

	Rep         byte   // KindResource*: core representation type (0x7f i32)
	Dtor        uint32 // KindResource*: destructor core func, when HasDtor
	HasDtor     bool
	Callback    uint32 // KindResourceAsync: callback core func, when HasCallback
	HasCallback bool
}

// NamedVal is a named value type (record field, function parameter).
type NamedVal struct {
	Name string
	Type ValType
}

// Case is a variant case.
type Case struct {
	Name       string
	Type       OptValType
	Refines    uint32 // legacy refines clause, when HasRefines
	HasRefines bool
}

// DeclKind tells component and instance type declarators apart.
type DeclKind uint8

// Declarator kinds, by their binary code.
const (
	DeclCoreType DeclKind = 0x00
	DeclType     DeclKind = 0x01
	DeclAlias    DeclKind = 0x02
	DeclImport   DeclKind = 0x03 // component types only
	DeclExport   DeclKind = 0x04
)

// Decl is a declarator of a component or instance type.
type Decl struct {
	Off      int64
	Kind     DeclKind
	CoreType *CoreType // DeclCoreType
	Type     *TypeDef  // DeclType
	Alias    *Alias    // DeclAlias
	Name     Name      // DeclImport, DeclExport
	Desc     ExternDesc
}

// CanonOp is a canonical definition's opcode.
type CanonOp byte

// Canonical definition opcodes.
const (
	CanonLift                CanonOp = 0x00
	CanonLower               CanonOp = 0x01
	CanonResourceNew         CanonOp = 0x02
	CanonResourceDrop        CanonOp = 0x03
	CanonResourceRep         CanonOp = 0x04
	CanonTaskCancel          CanonOp = 0x05
	CanonSubtaskCancel       CanonOp = 0x06
	CanonResourceDropAsync   CanonOp = 0x07
	CanonBackpressureSet     CanonOp = 0x08
	CanonTaskReturn          CanonOp = 0x09
	CanonContextGet          CanonOp = 0x0a
	CanonContextSet          CanonOp = 0x0b
	CanonYield               CanonOp = 0x0c
	CanonSubtaskDrop         CanonOp = 0x0d
	CanonStreamNew           CanonOp = 0x0e
	CanonStreamRead          CanonOp = 0x0f
	CanonStreamWrite         CanonOp = 0x10
	CanonStreamCancelRead    CanonOp = 0x11
	CanonStreamCancelWrite   CanonOp = 0x12
	CanonStreamDropReadable  CanonOp = 0x13
	CanonStreamDropWritable  CanonOp = 0x14
	CanonFutureNew           CanonOp = 0x15
	CanonFutureRead          CanonOp = 0x16
	CanonFutureWrite         CanonOp = 0x17
	CanonFutureCancelRead    CanonOp = 0x18
	CanonFutureCancelWrite   CanonOp = 0x19
	CanonFutureDropReadable  CanonOp = 0x1a
	CanonFutureDropWritable  CanonOp = 0x1b
	CanonErrorContextNew     CanonOp = 0x1c
	CanonErrorContextDebug   CanonOp = 0x1d
	CanonErrorContextDrop    CanonOp = 0x1e
	CanonWaitableSetNew      CanonOp = 0x1f
	CanonWaitableSetWait     CanonOp = 0x20
	CanonWaitableSetPoll     CanonOp = 0x21
	CanonWaitableSetDrop     CanonOp = 0x22
	CanonWaitableJoin        CanonOp = 0x23
	CanonBackpressureInc     CanonOp = 0x24
	CanonBackpressureDec     CanonOp = 0x25
	CanonThreadIndex         CanonOp = 0x26
	CanonThreadNewIndirect   CanonOp = 0x27
	CanonThreadSwitchTo      CanonOp = 0x28
	CanonThreadSuspend       CanonOp = 0x29
	CanonThreadResumeLater   CanonOp = 0x2a
	CanonThreadYieldTo       CanonOp = 0x2b
	CanonThreadSpawnRef      CanonOp = 0x40
	CanonThreadSpawnIndirect CanonOp = 0x41
	CanonThreadParallelism   CanonOp = 0x42
)

// Canon is a canonical definition: lift (a component function), lower and
// the built-ins (core functions). Fields are set as the opcode needs them.
type Canon struct {
	Off, End int64
	Op       CanonOp
	Func     uint32     // lift: core func; lower: component func
	Type     uint32     // lift: func type; resource.*: resource type; stream./future.*: the stream or future type; thread.*: core func type
	Table    uint32     // thread.new-indirect, thread.spawn-indirect
	Memory   uint32     // waitable-set.wait/poll
	Slot     uint32     // context.get/set: slot; the value type (0x7f i32) is in ValType
	ValType  byte       // context.get/set
	Flag     bool       // async / cancellable flags
	Result   OptValType // task.return
	Options  []CanonOption
}

// CanonOption is a canonical option: string encoding, memory, realloc,
// post-return, async, callback, core type, gc.
type CanonOption struct {
	Kind  byte
	Index uint32 // memory, realloc, post-return, callback, core type
}

// Canonical option kinds.
const (
	OptUTF8         = 0x00
	OptUTF16        = 0x01
	OptCompactUTF16 = 0x02
	OptMemory       = 0x03
	OptRealloc      = 0x04
	OptPostReturn   = 0x05
	OptAsync        = 0x06
	OptCallback     = 0x07
	OptCoreType     = 0x08
	OptGC           = 0x09
)
