package compat

import (
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/analyze/externs"
	"github.com/wfcompat/wfcompat/wit"
)

// AddressWidth is the address width of a core module's memory: 32, 64
// (memory64), or WidthUnknown. It decides the form of the ic0 System API
// functions the ic platform provides to the module.
type AddressWidth int

// Address widths.
const (
	// WidthUnknown: the module is not at hand and nothing records its
	// width (a manifest written before core_externs.address_width, a
	// world read from WIT); the ic0 imports are judged at the width
	// they fit together (inferIC0Width).
	WidthUnknown AddressWidth = 0
	Width32      AddressWidth = 32
	Width64      AddressWidth = 64
)

// forModule says which modules w is the width of, for messages: " for a
// 32-bit module", " for a memory64 module", "" when unknown.
func (w AddressWidth) forModule() string {
	switch w {
	case Width32:
		return " for a 32-bit module"
	case Width64:
		return " for a memory64 module"
	}
	return ""
}

// CoreWidth returns the address width of m as the Internet Computer
// derives it (externs.WidthOf): 64 when the first memory m defines is a
// 64-bit one, else 32 (a module that defines no memory is a 32-bit one).
// Imported memories do not count, as in the replica's validation
// (main_memory_type); the IC provides none. A nil m is WidthUnknown.
func CoreWidth(m *core.Module) AddressWidth {
	if m == nil {
		return WidthUnknown
	}
	return AddressWidth(externs.WidthOf(m))
}

// RecordedWidth returns the address width a record of a core module's
// memories, tables and globals holds (externs.Set.AddressWidth, which a
// manifest keeps as core_externs.address_width): WidthUnknown for no
// record, or one without the width (a manifest written before it).
func RecordedWidth(x *externs.Set) AddressWidth {
	if x == nil {
		return WidthUnknown
	}
	switch x.AddressWidth {
	case externs.Width32:
		return Width32
	case externs.Width64:
		return Width64
	}
	return WidthUnknown
}

// ic0Func is the signature of a function of the Internet Computer System
// API (import module "ic0"). Params and Results spell the core value types
// one letter each: 'i' i32, 'l' i64, 'I' the address type (i32 in a
// 32-bit module, i64 in a memory64 one: pointers and sizes). Only32 marks
// the deprecated functions a memory64 module may not import at all.
type ic0Func struct {
	name, params, results string
	only32                bool
}

// ic0Funcs is the System API signature table, sorted by name. It covers
// every function the ic platform lists (platforms); none is name-only.
//
// Sources, read on 2026-12-01: the IC interface specification's "Overview
// of imports" (dfinity/interface-spec, spec/index.md and its ic0.txt, the
// current text writing I for the address type and listing the functions
// "only available if I = i32"; older texts for call_cycles_add,
// msg_cycles_available/refunded/accept, canister_cycle_balance and
// stable_*), dfinity/cdk-rs ic0.txt, and for the functions the
// specification does not list (mint_cycles, mint_cycles128, which only
// the cycles minting canister may call) the replica itself: dfinity/ic
// rs/embedders/src/wasm_utils/validation.rs (get_valid_system_apis_common,
// get_valid_system_apis_32_only: mint_cycles is (i64) -> i64 at either
// width) and wasmtime_embedder/linker.rs (mint_cycles128 takes
// amount_high: u64, amount_low: u64, dst: I). The replica refuses a
// module importing an ic0 function with any other signature, and picks
// the form by the module's memory: a memory64 module gets the I = i64
// forms only.
//
// The newer functions, read on 2026-12-01:
//   - env_var_count, env_var_name_size, env_var_name_copy,
//     env_var_name_exists, env_var_value_size, env_var_value_copy and
//     msg_caller_info_data_size/_copy, msg_caller_info_signer_size/_copy:
//     the current specification's "Overview of imports" (the "Canister
//     Interface (System API)" page of the specification as now split
//     into pages), with the signatures below. The replica links the
//     env_var_* functions with exactly those parameters and results
//     (dfinity/ic rs/embedders/src/wasmtime_embedder/linker.rs, commit
//     0048d8c4f88100022f8d9c65bafae7755f45cd6e, under the
//     environment_variables feature flag, enabled by default in
//     ic_config's execution_environment Config) and msg_caller_info_* the
//     same way (linker.rs as quoted at L367-393 in published reviews of
//     the sender_info feature; system_api_complexity.rs charges for all
//     four).
//   - cost_http_request_v2 (params_src: I, params_size: I, dst: I) -> ():
//     the same linker.rs commit, and canisters' ic0 bindings (wasm32:
//     three u32 parameters); the specification text read does not list
//     it yet.
//
// The newest linker.rs read no longer links mint_cycles (only
// mint_cycles128); it stays in the table for the older replicas and the
// canisters built against them.
//
// Fixed-width functions keep their types in both forms: the stable64_*
// functions take i64 in a 32-bit module too, 128-bit cycle amounts are
// two i64 halves (high, low), time, deadlines and counters are i64.
var ic0Funcs = []ic0Func{
	{name: "accept_message"},
	{name: "call_cycles_add", params: "l", only32: true},
	{name: "call_cycles_add128", params: "ll"},
	{name: "call_data_append", params: "II"},
	{name: "call_new", params: "IIIIIIII"},
	{name: "call_on_cleanup", params: "II"},
	{name: "call_perform", results: "i"},
	{name: "call_with_best_effort_response", params: "i"},
	{name: "canister_cycle_balance", results: "l", only32: true},
	{name: "canister_cycle_balance128", params: "I"},
	{name: "canister_liquid_cycle_balance128", params: "I"},
	{name: "canister_self_copy", params: "III"},
	{name: "canister_self_size", results: "I"},
	{name: "canister_status", results: "i"},
	{name: "canister_version", results: "l"},
	{name: "certified_data_set", params: "II"},
	{name: "cost_call", params: "llI"},
	{name: "cost_create_canister", params: "I"},
	{name: "cost_http_request", params: "llI"},
	{name: "cost_http_request_v2", params: "III"},
	{name: "cost_sign_with_ecdsa", params: "IIiI", results: "i"},
	{name: "cost_sign_with_schnorr", params: "IIiI", results: "i"},
	{name: "cost_vetkd_derive_key", params: "IIiI", results: "i"},
	{name: "cycles_burn128", params: "llI"},
	{name: "data_certificate_copy", params: "III"},
	{name: "data_certificate_present", results: "i"},
	{name: "data_certificate_size", results: "I"},
	{name: "debug_print", params: "II"},
	{name: "env_var_count", results: "I"},
	{name: "env_var_name_copy", params: "IIII"},
	{name: "env_var_name_exists", params: "II", results: "i"},
	{name: "env_var_name_size", params: "I", results: "I"},
	{name: "env_var_value_copy", params: "IIIII"},
	{name: "env_var_value_size", params: "II", results: "I"},
	{name: "global_timer_set", params: "l", results: "l"},
	{name: "in_replicated_execution", results: "i"},
	{name: "is_controller", params: "II", results: "i"},
	{name: "mint_cycles", params: "l", results: "l"},
	{name: "mint_cycles128", params: "llI"},
	{name: "msg_arg_data_copy", params: "III"},
	{name: "msg_arg_data_size", results: "I"},
	{name: "msg_caller_copy", params: "III"},
	{name: "msg_caller_info_data_copy", params: "III"},
	{name: "msg_caller_info_data_size", results: "I"},
	{name: "msg_caller_info_signer_copy", params: "III"},
	{name: "msg_caller_info_signer_size", results: "I"},
	{name: "msg_caller_size", results: "I"},
	{name: "msg_cycles_accept", params: "l", results: "l", only32: true},
	{name: "msg_cycles_accept128", params: "llI"},
	{name: "msg_cycles_available", results: "l", only32: true},
	{name: "msg_cycles_available128", params: "I"},
	{name: "msg_cycles_refunded", results: "l", only32: true},
	{name: "msg_cycles_refunded128", params: "I"},
	{name: "msg_deadline", results: "l"},
	{name: "msg_method_name_copy", params: "III"},
	{name: "msg_method_name_size", results: "I"},
	{name: "msg_reject", params: "II"},
	{name: "msg_reject_code", results: "i"},
	{name: "msg_reject_msg_copy", params: "III"},
	{name: "msg_reject_msg_size", results: "I"},
	{name: "msg_reply"},
	{name: "msg_reply_data_append", params: "II"},
	{name: "performance_counter", params: "i", results: "l"},
	{name: "root_key_copy", params: "III"},
	{name: "root_key_size", results: "I"},
	{name: "stable64_grow", params: "l", results: "l"},
	{name: "stable64_read", params: "lll"},
	{name: "stable64_size", results: "l"},
	{name: "stable64_write", params: "lll"},
	{name: "stable_grow", params: "i", results: "i", only32: true},
	{name: "stable_read", params: "iii", only32: true},
	{name: "stable_size", results: "i", only32: true},
	{name: "stable_write", params: "iii", only32: true},
	{name: "subnet_self_copy", params: "III"},
	{name: "subnet_self_size", results: "I"},
	{name: "time", results: "l"},
	{name: "trap", params: "II"},
}

// lookupIC0 returns the table entry of the System API function name.
func lookupIC0(name string) (ic0Func, bool) {
	i, ok := slices.BinarySearchFunc(ic0Funcs, name, func(f ic0Func, n string) int { return strings.Compare(f.name, n) })
	if !ok {
		return ic0Func{}, false
	}
	return ic0Funcs[i], true
}

// form spells the signature at width w (Width32 or Width64), or "" when
// the function does not exist at w.
func (f ic0Func) form(w AddressWidth) string {
	if w == Width64 && f.only32 {
		return ""
	}
	addr := "i"
	if w == Width64 {
		addr = "l"
	}
	return strings.ReplaceAll(f.params, "I", addr) + "->" + strings.ReplaceAll(f.results, "I", addr)
}

// wat renders the form at w as a core function type, for messages.
func (f ic0Func) wat(w AddressWidth) string {
	s := f.form(w)
	if s == "" {
		return ""
	}
	params, results, _ := strings.Cut(s, "->")
	name := func(c byte) string {
		if c == 'l' {
			return "i64"
		}
		return "i32"
	}
	var ps, rs []string
	for i := range len(params) {
		ps = append(ps, name(params[i]))
	}
	for i := range len(results) {
		rs = append(rs, name(results[i]))
	}
	return funcWAT(ps, rs)
}

// coreFuncWAT renders f, a function of a core module's world, as the core
// function type it was decoded from.
func coreFuncWAT(f *wit.Function) string {
	name := func(t *wit.Type) string {
		switch {
		case t == nil:
			return "?"
		case t.Kind == wit.S32:
			return "i32"
		case t.Kind == wit.S64:
			return "i64"
		}
		return string(t.Kind)
	}
	var ps, rs []string
	for _, p := range f.Params {
		ps = append(ps, name(p.Type))
	}
	switch {
	case f.Result == nil:
	case f.Result.Kind == wit.Tuple && f.Result.Name == "":
		for _, e := range f.Result.Elems {
			rs = append(rs, name(e))
		}
	default:
		rs = append(rs, name(f.Result))
	}
	return funcWAT(ps, rs)
}

func funcWAT(params, results []string) string {
	s := "(func"
	if len(params) > 0 {
		s += " (param " + strings.Join(params, " ") + ")"
	}
	if len(results) > 0 {
		s += " (result " + strings.Join(results, " ") + ")"
	}
	return s + ")"
}

// coreSignature spells f, a function of a core module's world
// (analyze.CoreWorld: s32 is i32, s64 is i64; several results are a
// tuple) the way ic0Func.form does; ok is false for a type no ic0
// signature has (f32, f64, v128, references).
func coreSignature(f *wit.Function) (string, bool) {
	var b strings.Builder
	letter := func(t *wit.Type) bool {
		switch {
		case t == nil:
			return false
		case t.Kind == wit.S32:
			b.WriteByte('i')
		case t.Kind == wit.S64:
			b.WriteByte('l')
		default:
			return false
		}
		return true
	}
	for _, p := range f.Params {
		if !letter(p.Type) {
			return "", false
		}
	}
	b.WriteString("->")
	switch {
	case f.Result == nil:
	case f.Result.Kind == wit.Tuple && f.Result.Name == "":
		for _, e := range f.Result.Elems {
			if !letter(e) {
				return "", false
			}
		}
	default:
		if !letter(f.Result) {
			return "", false
		}
	}
	return b.String(), true
}

// ic0Signature checks function f of a core module's import module "ic0"
// against the System API table at width w. known is false for a name the
// table lacks (then only the name is judged); ok reports whether f has
// the signature the IC provides at w, or, with w WidthUnknown, at either
// width. want renders the expected form(s) for messages: "" when there
// is none (a deprecated 32-bit-only function in a memory64 module).
func ic0Signature(f *wit.Function, w AddressWidth) (known, ok bool, want string) {
	fn, known := lookupIC0(f.Name)
	if !known {
		return false, false, ""
	}
	widths := []AddressWidth{w}
	if w == WidthUnknown {
		widths = []AddressWidth{Width32, Width64}
	}
	got, valid := coreSignature(f)
	var wants []string
	for _, x := range widths {
		form := fn.form(x)
		if form == "" {
			continue
		}
		if valid && got == form {
			return true, true, ""
		}
		if s := fn.wat(x); !slices.Contains(wants, s) {
			wants = append(wants, s)
		}
	}
	return true, false, strings.Join(wants, " or ")
}

// inferIC0Width is the address width the ic0 imports of w, the world of a
// core module whose memory is not at hand (a manifest), are judged at:
// WidthUnknown (either form) when every function of the table it imports
// has its form at both widths (they are all fixed-width), else the width
// at which fewer of them are wrong (32 on a tie). A module
// has one width: imports that each fit some width but not one width
// together (i32 pointers here, i64 there) do not all link, and judging
// each at either width would call them provided.
func inferIC0Width(w *wit.World) AddressWidth {
	var wrong32, wrong64 int
	for _, it := range w.Imports {
		if it.Name != "ic0" || it.Interface == nil {
			continue
		}
		for _, f := range it.Interface.Functions {
			fn, ok := lookupIC0(f.Name)
			if !ok {
				continue
			}
			got, valid := coreSignature(f)
			if !valid || got != fn.form(Width32) {
				wrong32++
			}
			if !valid || got != fn.form(Width64) {
				wrong64++
			}
		}
	}
	switch {
	case wrong32 == 0 && wrong64 == 0:
		return WidthUnknown
	case wrong64 < wrong32:
		return Width64
	}
	return Width32
}

func widthName(w AddressWidth) string {
	if w == Width64 {
		return "memory64"
	}
	return "32-bit"
}
