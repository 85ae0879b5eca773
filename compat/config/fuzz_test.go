package config

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wfcompat/wfcompat/compat"
	"go.yaml.in/yaml/v3"
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
	// Errors at nodes: kinds, keys given twice, aliases, merge keys.
	f.Add([]byte("modes: {a: 1}\nrequire_proof: [x]\nseverity:\n  A: x\n  A: y\n"))
	f.Add([]byte("except: &e [DOCS_CHANGED, X]\nignore_only: {PARAM_RENAMED: *e, <<: {Y: ['']}}\nlogs: ['[']\n"))
	f.Add([]byte("callback_imports: ['env.cb:1001']\nhost_provides: ['a b']\nwit_features: [9x]\n---\nmodes: [x]\n"))
	// Many keys, repeated keys and aliases: the shape checks run before the
	// decoder and refuse what it would take quadratic time on.
	f.Add([]byte("modes: []\nmodes: []\nmodes: []\nseverity: {A: info, A: info, B: info}\n"))
	f.Add([]byte("severity: {<<: [&m {DOCS_CHANGED: info}, *m, *m]}\nignore: [&e {rule: DOCS_CHANGED}, *e, *e]\n"))
	rules := len(compat.BaseRegistry().Rules())
	f.Fuzz(func(t *testing.T, b []byte) {
		// The shape checks stand for the decoder, which now runs only on
		// what they accept: what they refuse (but for their bounds) the
		// decoder refuses too, so no file it accepted is refused now. (Not
		// on large inputs: the decoder is quadratic in a mapping's keys.)
		var root yaml.Node
		if len(b) <= 4<<10 && yaml.Unmarshal(b, &root) == nil && len(checkKeys(&root).errs) == 0 {
			if s := shapeErrors(&root, rules); len(s.errs) > 0 && !s.limited {
				dec := yaml.NewDecoder(bytes.NewReader(b))
				dec.KnownFields(true)
				var c Config
				if err := dec.Decode(&c); err == nil {
					t.Fatalf("the shape checks refuse what the decoder accepts: %v", s.result("f.yaml"))
				}
			}
		}
		c, err := Parse("f.yaml", b, nil)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "f.yaml: ") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error without the file name, or not one line: %q", msg)
			}
			// Every error but the YAML reader's (syntax, bytes that are
			// not text, excessive aliasing: "yaml: ...") is at a node.
			var es Errors
			var e *Error
			switch {
			case errors.As(err, &es):
				for _, e := range es {
					if e.File != "f.yaml" || e.Line < 1 || e.Column < 1 {
						t.Fatalf("an error at no position: %q in %q", e, msg)
					}
				}
			case errors.As(err, &e):
				t.Fatalf("a lone *Error, want Errors: %q", msg)
			case !strings.HasPrefix(msg, "f.yaml: yaml: "):
				t.Fatalf("an error at no node: %q", msg)
			}
			return
		}
		if c.Version != Version {
			t.Fatalf("accepted version %q", c.Version)
		}
		// Parse decodes the tree it checked, not the text again: the
		// text's decoder (with KnownFields, as Parse did before) gives the
		// same configuration.
		if len(b) <= 4<<10 {
			var want Config
			dec := yaml.NewDecoder(bytes.NewReader(b))
			dec.KnownFields(true)
			if err := dec.Decode(&want); err != nil && !errors.Is(err, io.EOF) {
				t.Fatalf("Parse accepts what the text's decoder refuses: %v", err)
			}
			if want.Version == "" {
				want.Version = Version // validate's default
			}
			if d := cmp.Diff(&want, c, cmpopts.IgnoreUnexported(Config{}), cmpopts.IgnoreFields(Config{}, "Path", "Dir"), cmpopts.IgnoreFields(IgnoreEntry{}, "Line")); d != "" {
				t.Fatalf("the tree's decoding differs from the text's (-text +tree):\n%s", d)
			}
		}
		if _, err := c.Host(""); err != nil {
			t.Fatalf("a parsed configuration declares a bad host: %v", err)
		}
		if err := c.Policy().Validate(nil); err != nil {
			t.Fatalf("a parsed configuration has an invalid policy: %v", err)
		}
	})
}
