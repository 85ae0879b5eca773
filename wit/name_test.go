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
// ResourceIDs.
func TestSameResource(t *testing.T) {
	fields := &Type{Kind: Resource, Name: "fields", Owner: "wasi:http/types@0.2.0"}
	fields3 := &Type{Kind: Resource, Name: "fields", Owner: "wasi:http/types@0.2.3"}
	headers := &Type{Kind: Resource, Name: "headers", Owner: "wasi:http/types@0.2.0", Elem: fields}
	other := &Type{Kind: Resource, Name: "fields", Owner: "acme:http/types@0.2.0"}
	plain := &Type{Kind: Resource, Name: "fields", Owner: "types"}
	all := []*Type{fields, fields3, headers, other, plain}
	for _, a := range all {
		for _, b := range all {
			if got, want := SameResource(a, b), a.ResourceID() == b.ResourceID(); got != want {
				t.Errorf("SameResource(%s, %s) = %v, want %v", a.ResourceID(), b.ResourceID(), got, want)
			}
		}
	}
	if !SameResource(headers, fields3) {
		t.Error("an alias and its resource at another version must be the same resource")
	}
}
