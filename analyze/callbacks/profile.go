package callbacks

import (
	"fmt"
	"strconv"
	"strings"
)

// Role names what a callback argument is for.
type Role string

// Roles of the ic0 profiles. User-defined profiles use "argN" ([ArgRole]).
const (
	RoleReply   Role = "reply"
	RoleReject  Role = "reject"
	RoleCleanup Role = "cleanup"
)

// ArgRole returns the role "argN" used for argument n of a user-defined
// callback import.
func ArgRole(n int) Role { return Role("arg" + strconv.Itoa(n)) }

// Profile describes one callback-registering import: which of its
// parameters are function-table indices of callbacks.
type Profile struct {
	Module string       `json:"module"`
	Name   string       `json:"name"`
	Args   []ProfileArg `json:"args"`
	// Table is the table the host reads the callbacks from.
	Table uint32 `json:"table"`
}

// ProfileArg is one callback parameter of a registering import.
type ProfileArg struct {
	// Index is the parameter holding the table index.
	Index int  `json:"index"`
	Role  Role `json:"role"`
	// Env is the parameter holding the callback's environment (passed back
	// to the callback), or -1 if the import has none.
	Env int `json:"env"`
}

// Import returns "module.name".
func (p *Profile) Import() string { return p.Module + "." + p.Name }

// IC0 returns the Internet Computer profiles: ic0.call_new(callee_src,
// callee_size, name_src, name_size, reply_fun, reply_env, reject_fun,
// reject_env) and ic0.call_on_cleanup(fun, env). Callbacks live in table 0.
// Both the 32-bit and the 64-bit (wasm64) System API are matched: the
// analysis accepts i32 or i64 parameters.
func IC0() []Profile {
	return []Profile{
		{Module: "ic0", Name: "call_new", Args: []ProfileArg{
			{Index: 4, Role: RoleReply, Env: 5},
			{Index: 6, Role: RoleReject, Env: 7},
		}},
		{Module: "ic0", Name: "call_on_cleanup", Args: []ProfileArg{
			{Index: 0, Role: RoleCleanup, Env: 1},
		}},
	}
}

// ParseCallbackImport parses the --callback-import syntax
// MODULE.NAME:ARG[,ARG], for example "env.register_handler:0,2". The module
// name ends at the first dot; ARG are zero-based parameter indices, and each
// gets the role "argN". Callbacks are read from table 0.
func ParseCallbackImport(s string) (Profile, error) {
	bad := func(why string) (Profile, error) {
		return Profile{}, fmt.Errorf("callback import %q: %s; want MODULE.NAME:ARG[,ARG], e.g. env.register:0,2", s, why)
	}
	colon := strings.LastIndexByte(s, ':')
	if colon < 0 {
		return bad("missing \":ARG\"")
	}
	qual, args := s[:colon], s[colon+1:]
	dot := strings.IndexByte(qual, '.')
	if dot <= 0 || dot == len(qual)-1 {
		return bad("missing module or function name")
	}
	p := Profile{Module: qual[:dot], Name: qual[dot+1:]}
	seen := map[int]bool{}
	for _, a := range strings.Split(args, ",") {
		a = strings.TrimSpace(a)
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 || n > 1000 {
			return bad(fmt.Sprintf("argument %q is not a parameter index", a))
		}
		if seen[n] {
			return bad(fmt.Sprintf("argument %d listed twice", n))
		}
		seen[n] = true
		p.Args = append(p.Args, ProfileArg{Index: n, Role: ArgRole(n), Env: -1})
	}
	return p, nil
}
