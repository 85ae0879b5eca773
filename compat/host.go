package compat

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wfcompat/wfcompat/wit"
)

// Host is what the platform that will run the new build provides to its
// imports. A component whose imports the host does not provide fails to
// instantiate, which breaks every upgrade mode, so Diff judges every import
// the new build asks for and the old one did not (an added interface or
// function, a raised version) against the host: provided is
// IMPORT_PROVIDED (info), missing is IMPORT_NOT_PROVIDED (unsafe in every
// mode). Without a Host, such an import makes api unsafe (as wasm-tools
// semver-check says) and the other modes unproven (IMPORT_ADDED,
// IMPORT_FUNCTION_ADDED, IMPORT_VERSION_CHANGED).
type Host struct {
	// Name names the host in findings: a platform ("golem"), or
	// "host_provides" for a configured list, or both joined by " + ".
	Name string
	// Provides lists what the host provides, as patterns (see Provides).
	// Patterns name functions: what memory, table or global a host
	// supplies to a core module, with which limits, they do not say.
	Provides []string
	// ic0 is set when the host includes the ic platform (NewHost): a
	// function of a core module's import module "ic0" that the System API
	// signature table lists is provided only with its signature
	// (ProvidesCoreFunction), whatever pattern names it.
	ic0 bool
	// RefusedImports are the kinds of core-module imports other than
	// functions ("memory", "table", "global") the host refuses a module
	// for: a new such import is CORE_IMPORT_NOT_PROVIDED.
	RefusedImports []string
	// ExternExportsUnlinked says the host links nothing against a core
	// module's exported memories, tables and globals (the platform's
	// Platform.ExternExportsUnlinked): changing them is CORE_EXPORT_UNLINKED.
	ExternExportsUnlinked bool
}

// Provides reports whether the host provides the import named name (an
// interface "wasi:io/streams@0.2.0", a world-level function "log", or a
// function of an interface "ic0#call_new").
//
// A pattern is an interface name, optionally with "#function"; "*" as the
// interface part of a qualified name ("wasi:io/*@0.2.3") stands for every
// interface of the package. A pattern with a version provides the versions
// that version satisfies under Component Model host matching
// (wit.SemverCompatible: "@0.2.3" provides 0.2.0 to 0.2.3, "@1.1.7"
// provides 1.0.0 to 1.1.7); one without a version provides every version.
// A pattern without "#" provides every function of the interface.
func (h *Host) ProvidesImport(name string) bool {
	if h == nil {
		return false
	}
	for _, p := range h.Provides {
		if patternProvides(p, name) {
			return true
		}
	}
	return false
}

// ProvidesCoreFunction reports whether the host provides function f of
// import module module to a core module whose memory has address width w
// (analyze.CoreWorld: parameters and results are s32 for i32 and s64 for
// i64). The host must provide module#f.Name by name (ProvidesImport);
// when it includes the ic platform, a function of "ic0" that the System
// API table lists must also have the signature the Internet Computer
// links: the wasm32 form in a 32-bit module, the wasm64 one in a memory64
// module, either when w is WidthUnknown. The replica refuses to install a
// module importing any other. Patterns stay name-only: host_provides
// cannot vouch for another signature.
func (h *Host) ProvidesCoreFunction(module string, f *wit.Function, w AddressWidth) bool {
	if !h.ProvidesImport(module + "#" + f.Name) {
		return false
	}
	return h.coreSignatureProblem(module, f, w) == ""
}

// coreSignatureProblem says why the host does not provide function f of
// a core module's import module by signature: "" when it does, or has no
// signature to check it against.
func (h *Host) coreSignatureProblem(module string, f *wit.Function, w AddressWidth) string {
	if h == nil || !h.ic0 || module != "ic0" {
		return ""
	}
	known, ok, want := ic0Signature(f, w)
	if !known || ok {
		return ""
	}
	if want == "" {
		return "the System API has no " + f.Name + " for a memory64 module, only for 32-bit ones"
	}
	return fmt.Sprintf("the System API has %s%s, not %s", want, w.forModule(), coreFuncWAT(f))
}

func patternProvides(pattern, name string) bool {
	pIface, pFunc, pHasFunc := strings.Cut(pattern, "#")
	nIface, nFunc, nHasFunc := strings.Cut(name, "#")
	if pHasFunc && (!nHasFunc || pFunc != nFunc) {
		return false
	}
	pq, nq := wit.ParseQName(pIface), wit.ParseQName(nIface)
	if pq.Qualified() != nq.Qualified() {
		return false
	}
	if pq.Qualified() {
		if pq.Namespace != nq.Namespace || pq.Package != nq.Package {
			return false
		}
		if pq.Interface != "*" && pq.Interface != nq.Interface {
			return false
		}
	} else if pq.Interface != nq.Interface {
		return false
	}
	if pq.Version == "" {
		return true
	}
	return nq.Version != "" && wit.SemverCompatible(pq.Version, nq.Version)
}

// ValidateHostPattern reports a pattern Provides cannot use.
func ValidateHostPattern(p string) error {
	iface, fn, hasFunc := strings.Cut(p, "#")
	if strings.TrimSpace(iface) == "" || (hasFunc && fn == "") || strings.ContainsAny(p, " \t\r\n") {
		return fmt.Errorf("host pattern %q: want INTERFACE[@VERSION][#FUNCTION], such as wasi:io/*@0.2.3 or ic0#call_new", p)
	}
	return nil
}

// Platform is a named host: the imports a platform provides to the builds
// it runs.
type Platform struct {
	// Name is the platform's name for --platform and platform:.
	Name string `json:"name"`
	// Doc says which versions of the platform the set describes.
	Doc string `json:"doc"`
	// Provides are the host patterns (Host.Provides).
	Provides []string `json:"provides"`
	// RefusedImports are the kinds of non-function core imports the
	// platform refuses (Host.RefusedImports).
	RefusedImports []string `json:"refused_imports,omitempty"`
	// ExternExportsUnlinked says the platform links nothing against a
	// core module's exported memories, tables and globals
	// (Host.ExternExportsUnlinked).
	ExternExportsUnlinked bool `json:"extern_exports_unlinked,omitempty"`
}

// platforms are the host sets wfcompat knows. They list what the platform
// is known to link (checked against the corpus of real builds), not more: a
// pattern too many would turn a missing import into a false "provided".
var platforms = []Platform{
	{
		Name: "golem",
		Doc: "Golem 1.1 to 1.3 worker executors: WASI 0.2.0 to 0.2.3 (io, clocks, cli, filesystem, random, " +
			"http), wasi:keyvalue 0.1.0, golem:api 0.2.0 and 1.1.x (host, context, oplog), golem:rpc 0.2.x",
		Provides: []string{
			"wasi:io/*@0.2.3", "wasi:clocks/*@0.2.3", "wasi:cli/*@0.2.3", "wasi:filesystem/*@0.2.3",
			"wasi:random/*@0.2.3", "wasi:http/*@0.2.3", "wasi:keyvalue/*@0.1.0",
			"golem:api/*@0.2.0", "golem:api/*@1.1.7", "golem:rpc/*@0.2.2",
		},
	},
	{
		Name: "ic",
		Doc: "the Internet Computer System API: the functions of module ic0 a canister may import, " +
			"with their signatures (the wasm32 form, or the wasm64 one in a memory64 module)",
		Provides: []string{
			"ic0#accept_message", "ic0#call_cycles_add", "ic0#call_cycles_add128", "ic0#call_data_append",
			"ic0#call_new", "ic0#call_on_cleanup", "ic0#call_perform", "ic0#call_with_best_effort_response",
			"ic0#canister_cycle_balance", "ic0#canister_cycle_balance128",
			"ic0#canister_liquid_cycle_balance128", "ic0#canister_self_copy", "ic0#canister_self_size",
			"ic0#canister_status", "ic0#canister_version", "ic0#certified_data_set", "ic0#cost_call",
			"ic0#cost_create_canister", "ic0#cost_http_request", "ic0#cost_http_request_v2",
			"ic0#cost_sign_with_ecdsa", "ic0#cost_sign_with_schnorr", "ic0#cost_vetkd_derive_key",
			"ic0#cycles_burn128", "ic0#data_certificate_copy", "ic0#data_certificate_present",
			"ic0#data_certificate_size", "ic0#debug_print", "ic0#env_var_count", "ic0#env_var_name_copy",
			"ic0#env_var_name_exists", "ic0#env_var_name_size", "ic0#env_var_value_copy",
			"ic0#env_var_value_size", "ic0#global_timer_set", "ic0#in_replicated_execution",
			"ic0#is_controller", "ic0#mint_cycles", "ic0#mint_cycles128", "ic0#msg_arg_data_copy",
			"ic0#msg_arg_data_size", "ic0#msg_caller_copy", "ic0#msg_caller_info_data_copy",
			"ic0#msg_caller_info_data_size", "ic0#msg_caller_info_signer_copy",
			"ic0#msg_caller_info_signer_size", "ic0#msg_caller_size", "ic0#msg_cycles_accept",
			"ic0#msg_cycles_accept128", "ic0#msg_cycles_available", "ic0#msg_cycles_available128",
			"ic0#msg_cycles_refunded", "ic0#msg_cycles_refunded128", "ic0#msg_deadline",
			"ic0#msg_method_name_copy", "ic0#msg_method_name_size", "ic0#msg_reject", "ic0#msg_reject_code",
			"ic0#msg_reject_msg_copy", "ic0#msg_reject_msg_size", "ic0#msg_reply",
			"ic0#msg_reply_data_append", "ic0#performance_counter", "ic0#root_key_copy",
			"ic0#root_key_size", "ic0#stable64_grow", "ic0#stable64_read", "ic0#stable64_size",
			"ic0#stable64_write", "ic0#stable_grow", "ic0#stable_read", "ic0#stable_size",
			"ic0#stable_write", "ic0#subnet_self_copy", "ic0#subnet_self_size", "ic0#time", "ic0#trap",
		},
		// The replica's Wasm validation refuses a canister that imports
		// a global ("Importing globals is not allowed.", dfinity/ic
		// rs/embedders/src/wasm_utils/validation.rs). It lets env.memory
		// and env.table through; whether and with which limits it
		// supplies them is not known here, so those stay unproven.
		RefusedImports: []string{"global"},
		// The replica calls a canister's exported functions (canister_*
		// methods and callbacks through the table) and nothing else: it
		// instruments the module and exports the memory and counters it
		// needs itself, under reserved names, and an upgrade installs
		// the new module on its own. A Rust canister's exported memory,
		// __data_end and __heap_base link to nothing.
		ExternExportsUnlinked: true,
	},
}

// Platforms returns the platforms wfcompat knows, by name.
func Platforms() []Platform {
	out := slices.Clone(platforms)
	for i := range out {
		out[i].Provides = slices.Clone(out[i].Provides)
		out[i].RefusedImports = slices.Clone(out[i].RefusedImports)
	}
	return out
}

// PlatformNames returns the names --platform accepts.
func PlatformNames() []string {
	var names []string
	for _, p := range platforms {
		names = append(names, p.Name)
	}
	return names
}

// NewHost returns the host of platform (a name of Profiles, or "" for
// none) extended with the patterns of provides (wfcompat.yaml's
// host_provides). It returns nil when both declare nothing: no host is
// declared (the profiles vercel and any name no host set).
func NewHost(platform string, provides []string) (*Host, error) {
	h := &Host{}
	var names []string
	if platform != "" {
		prof, err := ProfileByName(platform)
		if err != nil {
			return nil, err
		}
		if prof.Host != "" {
			i := slices.IndexFunc(platforms, func(p Platform) bool { return p.Name == prof.Host })
			h.Provides = append(h.Provides, platforms[i].Provides...)
			h.ic0 = h.ic0 || prof.Host == "ic"
			h.RefusedImports = append(h.RefusedImports, platforms[i].RefusedImports...)
			h.ExternExportsUnlinked = h.ExternExportsUnlinked || platforms[i].ExternExportsUnlinked
			names = append(names, prof.Host)
		}
	}
	for _, p := range provides {
		if err := ValidateHostPattern(p); err != nil {
			return nil, err
		}
	}
	if len(provides) > 0 {
		h.Provides = append(h.Provides, provides...)
		names = append(names, "host_provides")
	}
	if len(names) == 0 {
		return nil, nil
	}
	h.Name = strings.Join(names, " + ")
	return h, nil
}

// Profile is a platform profile, what --platform and platform: name: the
// host set the platform provides to new imports and the way its workers
// are upgraded, which decides the modes that gate the deploy.
type Profile struct {
	// Name is the name --platform and platform: accept.
	Name string `json:"name"`
	// Doc says how the platform upgrades workers.
	Doc string `json:"doc"`
	// Host is the Platform whose host set new imports are judged against
	// ("" for none).
	Host string `json:"host,omitempty"`
	// Modes are the gating modes; empty is the default gate (DefaultGate).
	Modes []Mode `json:"modes,omitempty"`
	// Path are the modes that carry a worker over (the upgrade path)
	// when they are fewer than Modes: the others gate without being a
	// path (golem-manual's api). Empty means Modes. When no path mode
	// applies to the builds, the gate fails closed.
	Path []Mode `json:"path,omitempty"`
	// Any gates on the best applicable mode: the deploy passes when at
	// least one mode does.
	Any bool `json:"any,omitempty"`
}

// profiles are the platform profiles, in the order help lists them.
var profiles = []Profile{
	{Name: "golem", Host: "golem",
		Doc: "Golem, upgrade path not said: the default gate, with Golem's host set"},
	{Name: "golem-automatic", Host: "golem", Modes: []Mode{ModeReplay},
		Doc: "Golem automatic update: the worker's oplog is replayed on the new build (gates on replay)"},
	{Name: "golem-manual", Host: "golem", Modes: []Mode{ModeSnapshot, ModeAPI}, Path: []Mode{ModeSnapshot},
		Doc: "Golem manual update: save-snapshot on the old build, load-snapshot on the new, and the updated worker keeps serving its callers (gates on snapshot and api)"},
	{Name: "vercel", Modes: []Mode{ModeRestart},
		Doc: "Vercel Workflow: gates on restart; two DevKit manifests are gated by the Vercel rules on every mode they judge"},
	{Name: "ic", Host: "ic", Modes: []Mode{ModeInFlight, ModeAPI},
		Doc: "Internet Computer canister upgrade: outstanding calls must survive and the interface must stay (gates on in-flight and api), with the ic0 System API as host"},
	{Name: "any", Any: true,
		Doc: "any upgrade path: passes when at least one applicable mode passes (the modes with the best verdict gate)"},
}

// PathModes returns the modes of p's upgrade path: Path, else Modes.
func (p Profile) PathModes() []Mode {
	if len(p.Path) > 0 {
		return p.Path
	}
	return p.Modes
}

// Profiles returns the platform profiles wfcompat knows.
func Profiles() []Profile {
	out := slices.Clone(profiles)
	for i := range out {
		out[i].Modes = slices.Clone(out[i].Modes)
	}
	return out
}

// ProfileNames returns the names --platform and platform: accept.
func ProfileNames() []string {
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	return names
}

// ProfileByName returns the profile called name, or an error listing the
// known ones.
func ProfileByName(name string) (Profile, error) {
	i := slices.IndexFunc(profiles, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		if s := DidYouMean(name, ProfileNames()); s != "" {
			return Profile{}, fmt.Errorf("unknown platform %q (did you mean %q? known: %s)", name, s, strings.Join(ProfileNames(), ", "))
		}
		return Profile{}, fmt.Errorf("unknown platform %q (known: %s)", name, strings.Join(ProfileNames(), ", "))
	}
	p := profiles[i]
	p.Modes = slices.Clone(p.Modes)
	return p, nil
}
