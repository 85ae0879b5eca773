// Package component instantiates Component Model components on wazero: the
// instantiation graph of the runner.
//
// Instantiate walks a decoded component (analyze/component) section by
// section, as a Component Model runtime elaborates it: core modules and
// core instances (instantiated with arguments, or bundles of inline
// exports), aliases (core export, instance export, outer), types (to
// wit.Type trees; every resource type definition makes a new resource type
// per component instance), nested components instantiated with arguments,
// canon lift (component functions over core functions, with their memory,
// realloc, post-return and string-encoding options) and canon lower and the
// resource built-ins (core functions implemented in Go), start functions,
// and imports and exports of every sort. Values cross with runner/abi, the
// canonical ABI; each component instance has its own abi.Instance (handle
// table).
//
// Core modules are linked by renaming their imports: an import becomes
// (providing instance, export name), the instance named symbolically ("m3")
// and mapped to this instance's wazero module by wazero's import resolver,
// so that the linked bytes — and their compilation — are the same for
// every instance, and no module is ever named "" (wazero refuses it). Go
// host functions sit in host modules behind generated re-export modules,
// since the import resolver takes only Wasm module instances.
//
// The top-level imports come from a Host (the runner's WASI host); every
// missing one is listed at once (*MissingImportsError), or stubbed to trap
// with its name. Every call of a host import goes through an optional
// Interceptor: the runner records calls there, a replayer answers them.
// Async functions, streams, futures, error-context, component values and
// multi-memory core modules are refused with the construct and its offset
// (*UnsupportedError). Traps are *Trap: the export, the core function and
// the reason.
//
// A lifted function whose signature is scalar (abi.ScalarSig) is called
// without the general canonical ABI machinery: Func.Call converts its
// values with abi's scalar conversions, and Func.Flat prepares a
// FlatCaller that takes and returns flat core values and allocates nothing.
//
// The package knows nothing of WASI, event logs or upgrades.
package component
