package config

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: an error naming the file, or a
// valid configuration, never a panic.
//
//	go test ./compat/config -run=^$ -fuzz=FuzzParse -fuzztime=1m
func FuzzParse(f *testing.F) {
	f.Add([]byte("version: v1\nmodes: [api]\nexcept: [DOCS_CHANGED]\n"))
	f.Add([]byte("platform: golem\nhost_provides: ['wasi:io/*@0.2.3']\n"))
	f.Add([]byte("modes: [api\n"))
	f.Add([]byte("ignore:\n  - wasi:http/types\n  - rule: DOCS_CHANGED\n    subject: a:b/c\n    reason: r\n    until: 2027-01-31\n"))
	f.Add([]byte("ignore:\n  - {rule: X, resaon: y}\nmode: [api]\nplatform: golem-automatic\n"))
	f.Add([]byte("severity:\n  IMPORT_ADDED: info\nignore_only:\n  PARAM_RENAMED: [a:b/c#f]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse("f.yaml", b, nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if c.Version != Version {
			t.Fatalf("accepted version %q", c.Version)
		}
		if _, err := c.Host(""); err != nil {
			t.Fatalf("a parsed configuration declares a bad host: %v", err)
		}
		if err := c.Policy().Validate(nil); err != nil {
			t.Fatalf("a parsed configuration has an invalid policy: %v", err)
		}
	})
}
