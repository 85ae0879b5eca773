package component

import (
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Host provides a component's top-level imports. The runner's WASI host
// implements it; tests implement it with a few functions.
type Host interface {
	// Instance returns the implementation of the imported interface name
	// ("wasi:io/streams@0.2.0"), or nil when the host has none. The host
	// decides which versions it serves (a host version satisfies a guest
	// import by semver).
	Instance(name string) *HostInstance
	// Func returns the implementation of a world-level imported function,
	// or nil.
	Func(name string) HostFunc
}

// HostInstance is the host's implementation of one interface.
type HostInstance struct {
	// Name is the interface's name as the host knows it.
	Name string
	// Funcs are the functions by their Component Model name
	// ("now", "[method]output-stream.write", "[resource-drop]pollable" is
	// never needed: drops go to the resource's Drop).
	Funcs map[string]HostFunc
	// Resources are the resource types the interface exports, by name.
	Resources map[string]*Resource
}

// HostFunc implements an imported function. It receives the lifted
// arguments and returns the results (none, or one value), typed by the
// guest's import declaration (call.Type). Handles of host resources are
// passed as their representation (the u32 the host chose when it returned
// the own handle); an own handle returned by the host is created in the
// caller's handle table. An error traps the caller; return a *Exit to end
// the run as wasi:cli/exit does.
type HostFunc func(ctx context.Context, call *HostCall, args []value.Value) ([]value.Value, error)

// HostCall describes the import being called.
type HostCall struct {
	// Interface is the import name ("wasi:io/streams@0.2.0"), "" for a
	// world-level function; Name the function's name.
	Interface, Name string
	// Type is the function's signature as the guest imported it.
	Type *wit.Function
}

// Resource is a resource type: defined by a component instance (with its
// destructor) or by the host (with Drop).
type Resource struct {
	// Name is the resource's name where it was first named ("" until then).
	Name string
	// Type is the wit.Type standing for the resource in own and borrow
	// types; its pointer identifies the resource.
	Type *wit.Type
	// Drop is called when the last own handle of a host resource is
	// dropped by a guest, with the representation. It may be nil.
	Drop func(ctx context.Context, rep uint32) error

	rt *abi.ResourceType
}

// NewResource returns a new host resource type named name.
func NewResource(name string, drop func(ctx context.Context, rep uint32) error) *Resource {
	return &Resource{Name: name, Type: &wit.Type{Kind: wit.Resource, Name: name}, Drop: drop,
		rt: &abi.ResourceType{Name: name, Dtor: drop}}
}

// Destroy runs the resource's destructor (a guest resource's dtor, a host
// resource's Drop) for the representation rep, as dropping its last own
// handle does. A resource without destructor does nothing.
func (r *Resource) Destroy(ctx context.Context, rep uint32) error {
	if r.rt.Dtor == nil {
		return nil
	}
	return r.rt.Dtor(ctx, rep)
}

func (r *Resource) setName(n string) {
	if r.Name == "" {
		r.Name, r.rt.Name = n, n
	}
}

// Exit is returned by a host function to end the run as wasi:cli/exit does.
type Exit struct {
	Code uint32
	// Kind is TrapMemoryLimit when the runner's memory limit refused a
	// grow before the guest exited (the exit may be its answer to it),
	// TrapProgram otherwise. Error's text does not depend on it.
	Kind TrapKind
}

// Error says that the guest exited, with its status.
func (e *Exit) Error() string {
	return fmt.Sprintf("exit: the guest exited with status %d", e.Code)
}

// ImportCall is one call of an imported function, seen by an Interceptor.
type ImportCall struct {
	HostCall
	Args []value.Value
}

// Interceptor sees every call of a host import. It may call next (the
// host's implementation) and return its results, or answer itself (a
// replayer serving results from a log). Every import call goes through it.
type Interceptor func(ctx context.Context, c *ImportCall, next func() ([]value.Value, error)) ([]value.Value, error)
