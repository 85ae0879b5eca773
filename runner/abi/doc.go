// Package abi is the synchronous canonical ABI of the Component Model: it
// lifts and lowers every WIT value type between wit/value's values and a
// guest's flat core values and linear memory, and keeps the handle tables
// of component instances. Its structure follows the Component Model's
// executable reference, design/mvp/canonical-abi/definitions.py (load,
// store, lift_flat, lower_flat, flatten_functype, lift_flat_values,
// lower_flat_values, the Table, ResourceHandle and resource built-ins),
// written anew in Go.
//
// The package knows nothing of wazero, component binaries or WASI: the
// runner (runner/…) gives it a Memory, the canonical options and a
// resolver of resource types, and calls it from its trampolines.
//
// # The seam with the runner
//
//   - Memory is Read/Write/Size over linear memory; wazero's api.Memory
//     satisfies it as is.
//   - Options holds the canonical options of one canon lift or canon
//     lower: Memory, Realloc (the guest's cabi_realloc), Encoding (UTF8,
//     UTF16, Latin1UTF16) and PostReturn.
//   - Instance is one component instance's ABI state: its handle Table
//     (one per instance, shared by all resource types, index 0 unused,
//     freed slots reused last-freed first) and MayLeave. Instance.ResourceNew,
//     ResourceRep and ResourceDrop are the resource.new/rep/drop built-ins.
//   - ResourceType is a runtime resource type: compared by pointer, with
//     the defining Instance (nil: host-defined) and a destructor hook. A
//     Resolver maps a WIT resource type to it, since resource types are
//     nominal and each instance defines its own.
//   - CallContext is one call: NewExportCall for canon lift (the guest is
//     the callee: arguments are lowered into it, results lifted out),
//     NewImportCall for canon lower (the guest is the caller: arguments
//     are lifted out of it, results lowered in). Exit ends the call: an
//     export call traps if the guest kept borrowed handles, an import call
//     ends the loans of handles the guest lent.
//   - Flat values are []uint64 as wazero passes them: i32 in the low 32
//     bits, f32/f64 as IEEE bits. Flatten gives a function's core
//     signature (MaxFlatParams = 16, MaxFlatResults = 1, spilling to
//     memory). LiftFlatValues and LowerFlatValues move a function's
//     parameters or results, spilled or not; CallExport and CallImport
//     run a whole synchronous call in either direction, post-return
//     included. Load and Store move one value at a pointer.
//   - Type layouts (sizes, alignments, flat types) are compiled once per
//     *wit.Type and cached in the Instance (or a Layouts given to the
//     CallContext), so keep the world's type trees alive and reuse them.
//   - Fusing two guests (a canon lower in D bound to a canon lift in C):
//     CallImport(D's context, ft, flat, func(args) { return CallExport(C's
//     context, ft, args, C's core function) }).
//
// A lowered import on wazero is a host function whose stack holds the flat
// arguments and receives the flat results:
//
//	func(ctx context.Context, _ api.Module, stack []uint64) {
//		cx := abi.NewImportCall(ctx, opts, inst, resolve)
//		out, err := abi.CallImport(cx, ft, stack[:len(sig.Params)], callee)
//		if err != nil {
//			panic(err) // wazero turns the panic into a trap of the caller
//		}
//		copy(stack, out)
//	}
//
// and a lifted export is called with CallExport, whose CoreFunc calls the
// wazero api.Function (CoreType.ValType gives wazero's value types).
//
// # Values
//
// Values are wit/value's. An own or borrow value in flight between a lift
// and a lower holds the resource's rep, as in definitions.py (lift_own
// returns h.rep): lifting an own removes the handle from the guest's table,
// lowering it adds a new handle to the receiving instance's table. Strings
// hold UTF-8; lowering takes the encoding the string was lifted from as
// CallContext.Source (utf8 for the host's strings) and asks realloc for
// the sizes definitions.py computes from that encoding's code units (a
// latin1+utf16 source is taken to have used latin1 where the string
// allows). Scalars (bool, integers, floats, char, enum, flags) are lifted
// and lowered in one place, Slot (scalar.go), which a ScalarSig also
// serves for calls with flat values only. Floats are canonicalized on lift
// and, as in definitions.py's deterministic profile, on lower: every NaN
// becomes the canonical NaN.
//
// list<u8> is a list of value.U8 values: wit/value has no packed byte
// list, so lifting a list of n bytes allocates n Values (in one slice;
// the members of small lifted values share chunks too). Since a guest can
// describe a list of 2^28 bools in 256 MiB, a CallContext lifts at most
// MaxLiftedElems list elements (DefaultMaxLiftedElems unless set) and
// traps past that (TrapLiftLimit): a guard of the host's memory, not a
// rule of the ABI, but the guest's call cannot complete either way.
//
// Limits follow the current definitions.py: a lifted string or list takes
// at most 2^28-1 bytes in memory (MaxStringByteLength, MaxListByteLength;
// past that the lift traps), flags have 1 to 32 labels, records, tuples,
// variants and flags are not empty, and handle indices stay below 2^28.
// Memory is 32-bit (wazero has no memory64), so pointers are i32.
//
// # Traps
//
// A guest breaking the ABI (misaligned or out-of-bounds pointers, invalid
// discriminants, chars or string encodings, unknown or wrongly typed
// handles, a lent handle dropped, realloc results out of bounds) gets a
// *Trap with a TrapCode and a Reason worded as wasmtime words it, which is
// what the Component Model's reference tests quote; Trap.Matches compares
// a test's expected message. Errors that are not traps are the host's
// mistakes (a value that does not have its type, a missing memory or
// realloc option) or errors of the functions the package calls (realloc,
// post-return, destructors), returned wrapped or as they are.
//
// The package does not instantiate components, call core functions itself
// (CallExport and CallImport take them as functions), check re-entrance
// (definitions.py's call_might_be_recursive / trap_if_on_the_stack: the
// runner knows the call stack), or implement async, streams, futures or
// error-context, whose types it refuses with an error naming them.
package abi
