package wit

import "testing"

// TestUnversionedName holds UnversionedName to its definition,
// ParseQName(s).Unversioned(), on well-formed and odd names.
func TestUnversionedName(t *testing.T) {
	for _, s := range []string{
		"wasi:io/streams@0.2.0", "golem:api/save-snapshot", "run", "run@1.0.0",
		"wasi:http/types@0.2.0-rc-2023-11-10", "a:b/c/d@1", "a@b/c", "a:b@1/c",
		"@", "", ":/", "a:b/c@", "@@", "x:y/z@1@2",
	} {
		if got, want := UnversionedName(s), ParseQName(s).Unversioned(); got != want {
			t.Errorf("UnversionedName(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzUnversionedName(f *testing.F) {
	f.Add("wasi:io/streams@0.2.0")
	f.Add("a@b/c")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := UnversionedName(s), ParseQName(s).Unversioned(); got != want {
			t.Fatalf("UnversionedName(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestSameResource holds SameResource to its definition: equal
// ResourceIDs, and owner versions a host links as one import.
func TestSameResource(t *testing.T) {
	fields := &Type{Kind: Resource, Name: "fields", Owner: "wasi:http/types@0.2.0"}
	fields3 := &Type{Kind: Resource, Name: "fields", Owner: "wasi:http/types@0.2.3"}
	headers := &Type{Kind: Resource, Name: "headers", Owner: "wasi:http/types@0.2.0", Elem: fields}
	other := &Type{Kind: Resource, Name: "fields", Owner: "acme:http/types@0.2.0"}
	plain := &Type{Kind: Resource, Name: "fields", Owner: "types"}
	next := &Type{Kind: Resource, Name: "fields", Owner: "wasi:http/types@0.3.0"}
	unversioned := &Type{Kind: Resource, Name: "fields", Owner: "wasi:http/types"}
	all := []*Type{fields, fields3, headers, other, plain, next, unversioned}
	// Owner versions host matching does not link as one import (an
	// unversioned owner matches any version).
	apart := map[[2]*Type]bool{}
	for _, p := range [][2]*Type{{fields, next}, {fields3, next}, {headers, next}} {
		apart[p], apart[[2]*Type{p[1], p[0]}] = true, true
	}
	for _, a := range all {
		for _, b := range all {
			want := a.ResourceID() == b.ResourceID() && !apart[[2]*Type{a, b}]
			if got := SameResource(a, b); got != want {
				t.Errorf("SameResource(%s (%s), %s (%s)) = %v, want %v", a.ResourceID(), a.Owner, b.ResourceID(), b.Owner, got, want)
			}
		}
	}
	if !SameResource(headers, fields3) {
		t.Error("an alias and its resource at another, semver-compatible version must be the same resource")
	}
	if SameResource(headers, next) {
		t.Error("resources of interface versions a host does not match (0.2.0, 0.3.0) must be different resources")
	}
}
