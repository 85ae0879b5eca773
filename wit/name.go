package wit

import (
	"strconv"
	"strings"
)

// QName is a parsed qualified interface name: namespace:package/interface@version.
// A plain name ("run") has only Interface set.
type QName struct {
	Namespace string
	Package   string
	Interface string
	Version   string // "" when unversioned
}

// ParseQName splits a qualified name such as "wasi:io/streams@0.2.0".
// Names without ':' are plain names; ParseQName never fails.
func ParseQName(s string) QName {
	var q QName
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		q.Version = s[at+1:]
		s = s[:at]
	}
	colon := strings.IndexByte(s, ':')
	slash := strings.LastIndexByte(s, '/')
	if colon < 0 || slash < colon {
		q.Interface = s
		return q
	}
	q.Namespace = s[:colon]
	q.Package = s[colon+1 : slash]
	q.Interface = s[slash+1:]
	return q
}

// Qualified reports whether q names an interface of a package.
func (q QName) Qualified() bool { return q.Namespace != "" }

// Unversioned returns the name without the version: "wasi:io/streams".
func (q QName) Unversioned() string {
	if !q.Qualified() {
		return q.Interface
	}
	return q.Namespace + ":" + q.Package + "/" + q.Interface
}

// UnversionedName is ParseQName(s).Unversioned() without allocating: s up
// to its last '@' (or, for a name with an empty namespace, ":pkg/iface",
// its interface).
func UnversionedName(s string) string {
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[:at]
	}
	if strings.IndexByte(s, ':') == 0 {
		if slash := strings.LastIndexByte(s, '/'); slash > 0 {
			return s[slash+1:]
		}
	}
	return s
}

// String returns the name with its version, as it appears in a component.
func (q QName) String() string {
	if q.Version == "" {
		return q.Unversioned()
	}
	return q.Unversioned() + "@" + q.Version
}

// SemverCompatible reports whether an import of version want is satisfied by
// version have under Component Model host matching: equal versions match; for
// versions >= 1.0.0 the major versions must agree and have must not be older;
// for 0.x versions the minor must agree as well (0.2.1 satisfies 0.2.0, 0.3.0
// does not). Pre-release versions match only exactly.
func SemverCompatible(have, want string) bool {
	if have == want {
		return true
	}
	h, ok1 := parseSemver(have)
	w, ok2 := parseSemver(want)
	if !ok1 || !ok2 || h.pre != "" || w.pre != "" {
		return false
	}
	if h.major != w.major {
		return false
	}
	if h.major == 0 {
		if h.minor != w.minor {
			return false
		}
		if h.minor == 0 {
			return h.patch == w.patch
		}
		return h.patch >= w.patch
	}
	if h.minor != w.minor {
		return h.minor > w.minor
	}
	return h.patch >= w.patch
}

type semver struct {
	major, minor, patch uint64
	pre                 string
}

func parseSemver(s string) (semver, bool) {
	var v semver
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		v.pre = s[i+1:]
		s = s[:i]
	}
	// Three numbers separated by dots (cut, not split: no allocation).
	major, rest, ok1 := strings.Cut(s, ".")
	minor, patch, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.IndexByte(patch, '.') >= 0 {
		return v, false
	}
	var err error
	if v.major, err = strconv.ParseUint(major, 10, 64); err != nil {
		return v, false
	}
	if v.minor, err = strconv.ParseUint(minor, 10, 64); err != nil {
		return v, false
	}
	if v.patch, err = strconv.ParseUint(patch, 10, 64); err != nil {
		return v, false
	}
	return v, true
}

// FuncKind tells freestanding functions from resource functions.
type FuncKind string

// Function kinds, derived from the Component Model name prefix.
const (
	Freestanding FuncKind = "freestanding"
	Method       FuncKind = "method"
	Static       FuncKind = "static"
	Constructor  FuncKind = "constructor"
)

// Kind returns the function's kind, from its name prefix.
func (f *Function) Kind() FuncKind {
	k, _, _ := splitFuncName(f.Name)
	return k
}

// Resource returns the resource a method, static function or constructor
// belongs to, or "".
func (f *Function) Resource() string {
	_, r, _ := splitFuncName(f.Name)
	return r
}

// BaseName returns the name without prefix and resource: "add-item" for
// "[method]cart.add-item", the resource name for a constructor.
func (f *Function) BaseName() string {
	_, _, b := splitFuncName(f.Name)
	return b
}

func splitFuncName(name string) (kind FuncKind, resource, base string) {
	for _, p := range []struct {
		prefix string
		kind   FuncKind
	}{
		{"[method]", Method}, {"[static]", Static}, {"[constructor]", Constructor},
		// Async functions carry their own prefixes in current component names.
		{"[async method]", Method}, {"[async static]", Static}, {"[async]", Freestanding},
	} {
		if rest, ok := strings.CutPrefix(name, p.prefix); ok {
			switch p.kind {
			case Constructor:
				return p.kind, rest, rest
			case Freestanding:
				return p.kind, "", rest
			}
			if r, b, ok := strings.Cut(rest, "."); ok {
				return p.kind, r, b
			}
			return p.kind, "", rest
		}
	}
	return Freestanding, "", name
}
