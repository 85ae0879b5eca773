// Package callbacks finds the functions a core module registers with its host
// as callbacks by function-table index, and where in the table they sit.
//
// On the Internet Computer a canister names the response handlers of an
// outgoing call by table index (ic0.call_new's reply_fun and reject_fun,
// ic0.call_on_cleanup's fun); when the response arrives, the system calls
// whatever the current module holds at that index. [Analyze] finds every call
// site of such a callback-registering import (the [IC0] profiles, or
// user-defined ones from [ParseCallbackImport]), evaluates the callback
// arguments by simulating the operand stack, resolves each slot through the
// table's element segments and fingerprints the function it names, so that
// two releases can be compared slot by slot.
//
// The analysis is sound rather than complete: an argument it cannot prove
// constant is reported in [Analysis.Unresolved] with the function and byte
// offset, never guessed. It also follows "forwarders", functions that pass
// one of their parameters (possibly through a fixed translation, such as
// the wrappers the pin rewrite inserts) to a registering import, and
// resolves the callback at the forwarder's call sites.
//
// The package knows bytes, offsets and table slots; it knows nothing of
// upgrades (compat judges two analyses) and never modifies a module
// (rewrite does). It depends only on analyze/core and the standard library.
package callbacks
