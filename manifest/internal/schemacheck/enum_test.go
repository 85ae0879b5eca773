package schemacheck

import (
	"testing"

	"github.com/wfcompat/wfcompat/manifest/internal/jsonpos"
)

// TestCanonNumber: number enums compare by value, in linear time.
func TestCanonNumber(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"32", "32", true},
		{"32", "32.0", true},
		{"32", "3.2e1", true},
		{"32", "320e-1", true},
		{"32", "3.2E+1", true},
		{"0", "-0.0e5", true},
		{"32", "64", false},
		{"32", "-32", false},
		{"32", "32.000000000000000001", false},
		{"32", "32e1000000000000000000000", false},
		{"1e1000000000", "10e999999999", true},
	} {
		if got := canonNumber(tc.a) == canonNumber(tc.b); got != tc.same {
			t.Errorf("%s vs %s: same %v, want %v (%s, %s)", tc.a, tc.b, got, tc.same, canonNumber(tc.a), canonNumber(tc.b))
		}
	}
}

// TestNumberEnum: an integer enum accepts its values however written and
// refuses others.
func TestNumberEnum(t *testing.T) {
	s, err := Compile([]byte(`{"type":"object","properties":{"w":{"type":"integer","enum":[32,64]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for doc, ok := range map[string]bool{`{"w":32}`: true, `{"w":64.0}`: true, `{"w":16}`: false, `{"w":0}`: false, `{"w":1e1000000000}`: false} {
		v, _, err := jsonpos.Decode([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Validate(v) == nil; got != ok {
			t.Errorf("%s: valid %v, want %v", doc, got, ok)
		}
	}
}
