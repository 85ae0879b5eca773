package runner_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/runner"
	"github.com/wfcompat/wfcompat/runner/abi"
	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit/value"
)

// directive is one line of the Component Model reference tests, compiled
// (../shared/conformance/component-model/compiled/*/*/directives.json).
type directive struct {
	Line      int      `json:"line"`
	Op        string   `json:"op"`
	Component string   `json:"component"`
	Call      string   `json:"call"`
	Expect    []string `json:"expect"`
	Message   string   `json:"message"`
	Skip      string   `json:"skip"`
}

// TestConformance runs every directive of the Component Model reference
// tests. Directives marked skip (async, harness imports, ...) are counted
// and named in the log; every other one must pass.
func TestConformance(t *testing.T) {
	root := shared.Path(t, "conformance/component-model/compiled")
	files, _ := filepath.Glob(filepath.Join(root, "*", "*", "directives.json"))
	if len(files) == 0 {
		t.Skipf("no directives under %s", root)
	}
	sort.Strings(files)
	ran, skipped := 0, map[string][]string{}
	for _, f := range files {
		dir := filepath.Dir(f)
		name, _ := filepath.Rel(root, dir)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var ds []directive
			if err := json.Unmarshal(b, &ds); err != nil {
				t.Fatal(err)
			}
			var inst *runner.Instance
			skipInst := false
			defer func() {
				if inst != nil {
					inst.Close(context.Background())
				}
			}()
			for _, d := range ds {
				where := name + ".wast:" + itoa(d.Line)
				if d.Skip != "" {
					skipped[d.Skip] = append(skipped[d.Skip], where+" "+d.Op+" "+d.Call)
					if d.Op == "instantiate" {
						skipInst = true
					}
					continue
				}
				ran++
				switch d.Op {
				case "instantiate":
					if inst != nil {
						inst.Close(context.Background())
						inst = nil
					}
					skipInst = false
					a, err := analyze.Open(filepath.Join(dir, d.Component), analyze.Options{})
					if err != nil {
						t.Errorf("%s: %v", where, err)
						continue
					}
					inst, err = runner.Instantiate(context.Background(), a, runner.Options{CacheDir: "off"})
					var ue *component.UnsupportedError
					if errors.As(err, &ue) && strings.Contains(ue.Construct, "multi-memory") {
						// wazero v1.12.0 has no multi-memory: the
						// directives of this component are skipped, and
						// counted as such.
						ran--
						skipped["wazero:multi-memory"] = append(skipped["wazero:multi-memory"], where+" "+d.Op+" "+d.Component)
						skipInst = true
						continue
					}
					if err != nil {
						t.Errorf("%s: instantiate %s: %v", where, d.Component, err)
					}
				case "assert_return", "invoke", "assert_trap":
					if skipInst {
						ran--
						skipped["wazero:multi-memory"] = append(skipped["wazero:multi-memory"], where+" "+d.Op+" "+d.Call)
						continue
					}
					if inst == nil {
						if d.Op == "assert_trap" && strings.HasPrefix(d.Message, "trap_instantiate") {
							continue
						}
						t.Errorf("%s: no instance", where)
						continue
					}
					o, err := inst.InvokeWAVE(context.Background(), d.Call)
					if err != nil {
						t.Errorf("%s: %s: %v", where, d.Call, err)
						continue
					}
					switch d.Op {
					case "assert_trap":
						if o.Trap == nil {
							t.Errorf("%s: %s returned %v, want trap %q", where, d.Call, o.Results, d.Message)
						} else if !trapMatches(o.Trap, d.Message) {
							t.Errorf("%s: %s trapped with %q, want %q", where, d.Call, o.Trap, d.Message)
						}
					case "assert_return":
						if o.Trap != nil {
							t.Errorf("%s: %s: %v", where, d.Call, o.Trap)
							continue
						}
						checkReturn(t, where, d, o)
					case "invoke":
						if o.Trap != nil {
							t.Errorf("%s: %s: %v", where, d.Call, o.Trap)
						}
					}
				default:
					t.Errorf("%s: unknown op %q", where, d.Op)
				}
			}
		})
	}
	total := 0
	var reasons []string
	for r, ds := range skipped {
		total += len(ds)
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	t.Logf("conformance: %d directives run, %d skipped", ran, total)
	for _, r := range reasons {
		t.Logf("skipped (%s): %d: %s", r, len(skipped[r]), strings.Join(skipped[r], "; "))
	}
}

func checkReturn(t *testing.T, where string, d directive, o *runner.Outcome) {
	t.Helper()
	if len(d.Expect) != len(o.Results) {
		t.Errorf("%s: %s returned %d values, want %d (%v)", where, d.Call, len(o.Results), len(d.Expect), d.Expect)
		return
	}
	for k, e := range d.Expect {
		want, err := value.ParseWAVE(e, o.Func.Result)
		if err != nil {
			t.Errorf("%s: expected value %q: %v", where, e, err)
			continue
		}
		if !want.Equal(o.Results[k]) {
			got, _ := value.FormatWAVE(o.Results[k], o.Func.Result)
			t.Errorf("%s: %s = %s, want %s", where, d.Call, got, e)
		}
	}
}

func trapMatches(err error, msg string) bool {
	var at *abi.Trap
	if errors.As(err, &at) && at.Matches(msg) {
		return true
	}
	return strings.Contains(err.Error(), strings.TrimPrefix(msg, "wasm trap: "))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
