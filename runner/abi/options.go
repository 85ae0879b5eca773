package abi

import (
	"context"
	"errors"
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Memory is a guest's linear memory. wazero's api.Memory satisfies it.
//
// Read may return a view of the memory (wazero's does) or a copy; the
// package never writes through it and never keeps it past a call that may
// run guest code (realloc). All writes go through Write.
type Memory interface {
	Read(offset, byteCount uint32) ([]byte, bool)
	Write(offset uint32, v []byte) bool
	Size() uint32
}

// StringEncoding is the string-encoding canonical option.
type StringEncoding uint8

// String encodings.
const (
	UTF8 StringEncoding = iota
	UTF16
	Latin1UTF16
)

// String returns the canonical option's spelling.
func (e StringEncoding) String() string {
	switch e {
	case UTF8:
		return "utf8"
	case UTF16:
		return "utf16"
	case Latin1UTF16:
		return "latin1+utf16"
	}
	return fmt.Sprintf("StringEncoding(%d)", uint8(e))
}

// Realloc is the realloc canonical option: the guest's allocator, called
// as cabi_realloc(old_ptr, old_size, align, new_size) -> ptr. An error is
// the guest trapping (or the host failing to call it) and is returned as is.
type Realloc func(ctx context.Context, oldPtr, oldSize, align, newSize uint32) (uint32, error)

// PostReturn is the post-return canonical option, called with the flat
// results of a lifted function once the caller has its results.
type PostReturn func(ctx context.Context, flatResults []uint64) error

// Options are the canonical options of one canon lift or canon lower.
// Memory is needed by any type that uses memory (strings, lists, spilled
// parameters or results); Realloc by any lowering that allocates in the
// guest (strings and lists given to the guest, spilled parameters of a
// lifted function).
type Options struct {
	Memory     Memory
	Realloc    Realloc
	Encoding   StringEncoding
	PostReturn PostReturn
}

// Resolver maps a WIT resource type (the Elem of an own or borrow, Kind
// wit.Resource) to its runtime identity. Resource types are nominal and
// generative: two instances of one component define two different
// runtime types with the same WIT name, so only the caller, which knows
// the instantiation graph, can tell them apart.
type Resolver func(resource *wit.Type) (*ResourceType, error)

// scopeKind tells which side of a call a CallContext is.
type scopeKind uint8

const (
	scopeNone scopeKind = iota
	scopeExport
	scopeImport
)

// CallContext is definitions.py's LiftLowerContext for one synchronous
// call: the options of the guest's side of the call, the guest's component
// instance (its handle table), the resolver of resource types, and the
// borrow scope of the call.
//
// A CallContext, like the Instance it works on, is not safe for
// concurrent use (nor is a wazero module instance).
//
// Make one with NewExportCall (canon lift: the guest is the callee) or
// NewImportCall (canon lower: the guest is the caller), use it for that one
// call, and end it with Exit. A zero-value scope (a CallContext built
// by hand) can lift and lower everything except borrow handles.
type CallContext struct {
	// Context is passed to Realloc, PostReturn and resource destructors.
	Context context.Context
	Opts    *Options
	Inst    *Instance
	Resolve Resolver
	// Layouts, when set, caches type layouts across calls; otherwise the
	// instance's cache is used, or, without an instance, one of this call.
	Layouts *Layouts
	// MaxLiftedElems bounds the list elements lifted in this call (a
	// guard of the host's memory, not part of the canonical ABI): 0 means
	// DefaultMaxLiftedElems, a negative number no limit.
	MaxLiftedElems int
	// Source is the string encoding of the component the values this
	// context lowers were lifted from (definitions.py's src_encoding):
	// UTF8, the zero value, for the host's values. It decides the sizes
	// realloc is asked for when strings are transcoded.
	Source StringEncoding

	scope     scopeKind
	borrows   int               // export call: borrowed handles given to the callee and not yet dropped
	lenders   []*ResourceHandle // import call: handles lent for the call's duration
	exited    bool
	local     map[*wit.Type]*layout
	resources map[*wit.Type]*ResourceType
	lifted    uint64        // list elements lifted so far, see countElems
	arena     []value.Value // see vals
	arenaSize int
}

// NewExportCall returns the context of a call into a guest export (canon
// lift): values are lowered into the guest as arguments and its results
// lifted out. Borrowed handles lowered into the guest belong to this call
// and must be dropped by the guest before it returns.
func NewExportCall(ctx context.Context, opts *Options, inst *Instance, resolve Resolver) *CallContext {
	return &CallContext{Context: ctx, Opts: opts, Inst: inst, Resolve: resolve, scope: scopeExport}
}

// NewImportCall returns the context of a guest's call to an import (canon
// lower): arguments are lifted out of the guest and results lowered back
// in. Owned handles the guest lends as borrow arguments stay lent until
// Exit.
func NewImportCall(ctx context.Context, opts *Options, inst *Instance, resolve Resolver) *CallContext {
	return &CallContext{Context: ctx, Opts: opts, Inst: inst, Resolve: resolve, scope: scopeImport}
}

func (cx *CallContext) ctx() context.Context {
	if cx.Context == nil {
		return context.Background()
	}
	return cx.Context
}

func (cx *CallContext) memory() (Memory, error) {
	if cx.Opts == nil || cx.Opts.Memory == nil {
		return nil, errNoMemory
	}
	return cx.Opts.Memory, nil
}

var (
	errNoMemory  = errors.New("abi: the type needs linear memory but the canonical options have no memory")
	errNoRealloc = errors.New("abi: the type needs realloc but the canonical options have none")
)

func (cx *CallContext) encoding() StringEncoding {
	if cx.Opts == nil {
		return UTF8
	}
	return cx.Opts.Encoding
}
