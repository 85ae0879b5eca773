package abi

import (
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// ResourceType is the runtime identity of a resource type
// (definitions.py's ResourceType). Compare resource types by pointer.
type ResourceType struct {
	// Name is the WIT name, for messages.
	Name string
	// Impl is the component instance that defines the type (whose
	// resource.new creates its handles), or nil for a host-defined type.
	Impl *Instance
	// Dtor, when set, is called with the rep when an owned handle is
	// dropped (resource.drop). For a guest-defined type, the caller wires it to the
	// defining instance's destructor (through canon lift when the drop
	// happens in another instance).
	Dtor func(ctx context.Context, rep uint32) error
}

func (rt *ResourceType) describe() string {
	if rt.Impl == nil {
		return "host-defined resource"
	}
	return "guest-defined resource"
}

// ResourceHandle is one entry of a handle table (definitions.py's
// ResourceHandle).
type ResourceHandle struct {
	Type *ResourceType
	Rep  uint32
	Own  bool
	// scope is the export call a borrowed handle was lent to.
	scope *CallContext
	// Lends counts the import calls this handle is lent to (as a borrow
	// argument) that have not returned. An owned handle with lends cannot
	// be dropped or moved.
	Lends int
}

// MaxTableLength is the largest handle index (definitions.py's
// Table.MAX_LENGTH).
const MaxTableLength = 1<<28 - 1

// Table is a component instance's handle table (definitions.py's Table):
// index 0 is never used, freed indices are reused last-freed first.
type Table struct {
	entries []*ResourceHandle // entries[0] is always nil
	free    []uint32
}

// Len returns the number of slots (including slot 0 and free slots).
func (t *Table) Len() int { return max(len(t.entries), 1) }

// Add stores h and returns its index.
func (t *Table) Add(h *ResourceHandle) (uint32, error) {
	if len(t.entries) == 0 {
		t.entries = append(t.entries, nil)
	}
	if n := len(t.free); n > 0 {
		i := t.free[n-1]
		t.free = t.free[:n-1]
		t.entries[i] = h
		return i, nil
	}
	i := len(t.entries)
	if i > MaxTableLength {
		return 0, trap(TrapTableFull)
	}
	t.entries = append(t.entries, h)
	return uint32(i), nil
}

// Get returns the handle at index i.
func (t *Table) Get(i uint32) (*ResourceHandle, error) {
	if int64(i) >= int64(len(t.entries)) || t.entries[i] == nil {
		return nil, trapf(TrapUnknownHandle, "unknown handle index %d", i)
	}
	return t.entries[i], nil
}

// Remove removes and returns the handle at index i.
func (t *Table) Remove(i uint32) (*ResourceHandle, error) {
	h, err := t.Get(i)
	if err != nil {
		return nil, err
	}
	t.entries[i] = nil
	t.free = append(t.free, i)
	return h, nil
}

// Instance is the canonical-ABI state of one component instance
// (definitions.py's ComponentInstance, synchronous part).
type Instance struct {
	// Name identifies the instance in messages.
	Name string
	// Handles is the instance's handle table, shared by all its resource types.
	Handles Table
	// MayLeave is false while the instance must not call out: while
	// values are lowered into it (its realloc runs) and during its
	// post-return. CallImport, ResourceNew and ResourceDrop trap then; the
	// runner's trampolines for other built-ins check it too. NewInstance
	// sets it; CallExport, CallImport and LowerFlatValues set and restore it.
	MayLeave bool

	layouts *Layouts // layouts of the types of the instance's calls
}

// NewInstance returns the state of a new component instance.
func NewInstance(name string) *Instance {
	return &Instance{Name: name, MayLeave: true, layouts: NewLayouts()}
}

// getTyped returns the handle at i after checking its type.
func (inst *Instance) getTyped(rt *ResourceType, i uint32) (*ResourceHandle, error) {
	h, err := inst.Handles.Get(i)
	if err != nil {
		return nil, err
	}
	if h.Type != rt {
		return nil, wrongType(i, rt, h.Type)
	}
	return h, nil
}

func wrongType(i uint32, want, have *ResourceType) *Trap {
	found := have.describe()
	if found == want.describe() {
		found = "a different " + found
	}
	return trapf(TrapWrongHandleType, "handle index %d used with the wrong type, expected %s but found %s", i, want.describe(), found)
}

// ResourceNew is canon resource.new: it adds an owned handle of rt for rep
// to the instance's table and returns its index.
func (inst *Instance) ResourceNew(rt *ResourceType, rep uint32) (uint32, error) {
	if !inst.MayLeave {
		return 0, trap(TrapCannotLeave)
	}
	return inst.Handles.Add(&ResourceHandle{Type: rt, Rep: rep, Own: true})
}

// ResourceRep is canon resource.rep: the rep of handle i of type rt.
func (inst *Instance) ResourceRep(rt *ResourceType, i uint32) (uint32, error) {
	h, err := inst.getTyped(rt, i)
	if err != nil {
		return 0, err
	}
	return h.Rep, nil
}

// ResourceDrop is canon resource.drop: it removes handle i of type rt. An
// owned handle that is lent traps; dropping an owned handle calls rt.Dtor
// with its rep; dropping a borrowed handle ends that borrow of the export
// call it was lent to.
//
// definitions.py also traps (in its synchronous case) when the type has no
// destructor and its defining instance is on the call stack; the caller,
// which knows the stack, checks that.
func (inst *Instance) ResourceDrop(ctx context.Context, rt *ResourceType, i uint32) error {
	if !inst.MayLeave {
		return trap(TrapCannotLeave)
	}
	h, err := inst.getTyped(rt, i)
	if err != nil {
		return err
	}
	if h.Lends != 0 {
		return trap(TrapHandleLent)
	}
	if _, err := inst.Handles.Remove(i); err != nil {
		return err
	}
	if !h.Own {
		if h.scope != nil {
			h.scope.borrows--
		}
		return nil
	}
	if rt.Dtor != nil {
		if err := rt.Dtor(ctx, h.Rep); err != nil {
			return fmt.Errorf("resource %s destructor: %w", rt.Name, err)
		}
	}
	return nil
}

// resourceType resolves the resource type of an own or borrow layout.
func (cx *CallContext) resourceType(l *layout) (*ResourceType, error) {
	if rt, ok := cx.resources[l.t]; ok {
		return rt, nil
	}
	if cx.Resolve == nil {
		return nil, fmt.Errorf("abi: %s: no resource resolver", typeName(l.t))
	}
	res := l.t.Elem
	if res == nil {
		return nil, fmt.Errorf("abi: %s without a resource type", l.t.Kind)
	}
	rt, err := cx.Resolve(res)
	if err != nil {
		return nil, fmt.Errorf("abi: resolve resource %s: %w", res.Name, err)
	}
	if rt == nil {
		return nil, fmt.Errorf("abi: resolve resource %s: no runtime type", res.Name)
	}
	if cx.resources == nil {
		cx.resources = map[*wit.Type]*ResourceType{}
	}
	cx.resources[l.t] = rt
	return rt, nil
}

func (cx *CallContext) instance() (*Instance, error) {
	if cx.Inst == nil {
		return nil, fmt.Errorf("abi: handles need a component instance in the call context")
	}
	return cx.Inst, nil
}

// liftOwn moves handle i out of the guest's table: the value carries the
// rep (definitions.py's lift_own).
func (cx *CallContext) liftOwn(l *layout, i uint32) (value.Value, error) {
	rt, err := cx.resourceType(l)
	if err != nil {
		return value.Value{}, err
	}
	inst, err := cx.instance()
	if err != nil {
		return value.Value{}, err
	}
	h, err := inst.getTyped(rt, i)
	if err != nil {
		return value.Value{}, err
	}
	if h.Lends != 0 {
		return value.Value{}, trap(TrapHandleLent)
	}
	if !h.Own {
		return value.Value{}, trap(TrapNotOwned)
	}
	if _, err := inst.Handles.Remove(i); err != nil {
		return value.Value{}, err
	}
	return value.Own(h.Rep), nil
}

// liftBorrow lends handle i of the guest (the caller of an import) for the
// call: the value carries the rep (definitions.py's lift_borrow).
func (cx *CallContext) liftBorrow(l *layout, i uint32) (value.Value, error) {
	if cx.scope != scopeImport {
		return value.Value{}, fmt.Errorf("abi: a borrow is lifted only from the arguments of an import call (NewImportCall)")
	}
	rt, err := cx.resourceType(l)
	if err != nil {
		return value.Value{}, err
	}
	inst, err := cx.instance()
	if err != nil {
		return value.Value{}, err
	}
	h, err := inst.getTyped(rt, i)
	if err != nil {
		return value.Value{}, err
	}
	h.Lends++
	cx.lenders = append(cx.lenders, h)
	return value.Borrow(h.Rep), nil
}

// lowerOwn gives the guest an owned handle for rep (definitions.py's lower_own).
func (cx *CallContext) lowerOwn(l *layout, rep uint32) (uint32, error) {
	rt, err := cx.resourceType(l)
	if err != nil {
		return 0, err
	}
	inst, err := cx.instance()
	if err != nil {
		return 0, err
	}
	return inst.Handles.Add(&ResourceHandle{Type: rt, Rep: rep, Own: true})
}

// lowerBorrow gives the guest (the callee of an export call) a borrowed
// handle for rep for the duration of the call; the instance defining the
// type gets the rep itself (definitions.py's lower_borrow).
func (cx *CallContext) lowerBorrow(l *layout, rep uint32) (uint32, error) {
	if cx.scope != scopeExport {
		return 0, fmt.Errorf("abi: a borrow is lowered only into the arguments of an export call (NewExportCall)")
	}
	rt, err := cx.resourceType(l)
	if err != nil {
		return 0, err
	}
	inst, err := cx.instance()
	if err != nil {
		return 0, err
	}
	if rt.Impl == inst {
		return rep, nil
	}
	cx.borrows++
	return inst.Handles.Add(&ResourceHandle{Type: rt, Rep: rep, scope: cx})
}

// Exit ends the call. For an export call it traps when the guest has not
// dropped every borrowed handle it received (definitions.py's
// Task.return_); for an import call it ends the loans of the handles the
// guest lent (Subtask.deliver_resolve). Exit is idempotent.
func (cx *CallContext) Exit() error {
	if cx.exited {
		return nil
	}
	switch cx.scope {
	case scopeExport:
		if cx.borrows != 0 {
			return trap(TrapBorrowsRemain)
		}
	case scopeImport:
		for _, h := range cx.lenders {
			h.Lends--
		}
		cx.lenders = nil
	}
	cx.exited = true
	return nil
}
