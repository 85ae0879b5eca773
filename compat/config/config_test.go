package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/compat"
)

func TestParse(t *testing.T) {
	const src = `version: v1
modes: [api, restart]
require_proof: true
except:
  - DOCS_CHANGED
ignore:
  - wasi:http/types
ignore_only:
  PARAM_RENAMED:
    - golem:component/api#f1
severity:
  IMPORT_ADDED: error
callback_imports:
  - env.register_callback:0,2
`
	c, err := Parse("wfcompat.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Version:         "v1",
		Modes:           []compat.Mode{compat.ModeAPI, compat.ModeRestart},
		RequireProof:    true,
		Except:          []string{"DOCS_CHANGED"},
		Ignore:          []string{"wasi:http/types"},
		IgnoreOnly:      map[string][]string{"PARAM_RENAMED": {"golem:component/api#f1"}},
		Severity:        map[string]compat.Severity{"IMPORT_ADDED": compat.SeverityError},
		CallbackImports: []string{"env.register_callback:0,2"},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	p := c.Policy()
	if len(p.Except) != 1 || p.Severity["IMPORT_ADDED"] != compat.SeverityError || len(p.IgnoreOnly["PARAM_RENAMED"]) != 1 {
		t.Errorf("policy %+v", p)
	}
}

func TestParseEmpty(t *testing.T) {
	c, err := Parse("wfcompat.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != Version || len(c.Modes) != 0 {
		t.Errorf("%+v", c)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"mode: [api]\n", "field mode not found"},
		{"severity:\n  IMPORT_ADDED: error\n  colour: red\n", `unknown rule "colour"`},
		{"modes: [api, replay-all]\n", `unknown mode "replay-all"`},
		{"version: v2\n", `unsupported version "v2"`},
		{"except: [NOPE]\n", `except: unknown rule "NOPE"`},
		{"ignore_only:\n  NOPE: [x]\n", `ignore_only: unknown rule "NOPE"`},
		{"severity:\n  DOCS_CHANGED: fatal\n", `unknown severity "fatal"`},
		{"ignore_only:\n  PARAM_RENAMED:\n    nested: x\n", "cannot unmarshal"},
		{"breaking:\n  use: [FILE]\n", "field breaking not found"},
		{"callback_imports: [register]\n", "callback_imports: "},
	}
	for _, tt := range tests {
		_, err := Parse("wfcompat.yaml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "wfcompat.yaml: ") {
			t.Errorf("Parse(%q) = %v, want error containing %q", tt.src, err, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	c, err := Find(dir)
	if c != nil || err != nil {
		t.Fatalf("Find in empty dir: %v, %v", c, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("modes: [snapshot]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Find(dir)
	if err != nil || c == nil || len(c.Modes) != 1 || c.Modes[0] != compat.ModeSnapshot {
		t.Fatalf("Find: %+v, %v", c, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}
