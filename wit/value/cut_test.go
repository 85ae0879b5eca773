package value

import (
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/wit"
)

// TestLongInputCut: errors quote at most a short excerpt of the input (a
// 500 KB number came back as a 500 KB line).
func TestLongInputCut(t *testing.T) {
	big := strings.Repeat("9", 500_000)
	u32 := wit.Prim(wit.U32)
	rec := &wit.Type{Kind: wit.Record, Fields: []wit.Field{{Name: "a", Type: u32}}}
	enum := &wit.Type{Kind: wit.Enum, Labels: []string{"a"}}
	for _, tc := range []struct {
		name string
		err  func() error
	}{
		{"wave number", func() error { _, err := ParseWAVE(big, u32); return err }},
		{"wave label", func() error { _, err := ParseWAVE(strings.Repeat("x", 500_000), enum); return err }},
		{"wave field", func() error { _, err := ParseWAVE("{"+strings.Repeat("x", 500_000)+": 1}", rec); return err }},
		{"json number", func() error { _, err := ParseJSON([]byte(big), u32); return err }},
		{"json field", func() error { _, err := ParseJSON([]byte(`{"`+strings.Repeat("x", 500_000)+`": 1}`), rec); return err }},
		{"json case", func() error { _, err := ParseJSON([]byte(`"`+strings.Repeat("x", 500_000)+`"`), enum); return err }},
		{"args", func() error {
			_, err := ParseArgs("("+big+")", []wit.Param{{Name: "a", Type: u32}})
			return err
		}},
	} {
		err := tc.err()
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if msg := err.Error(); len(msg) > 400 || !strings.Contains(msg, "bytes)") && len(msg) > 200 {
			t.Errorf("%s: %d-byte error %.200q", tc.name, len(msg), msg)
		}
	}
}
