package value

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wfcompat/wfcompat/internal/shared"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// The WAVE conformance cases of wasm-tools (../shared/conformance/wasm-wave-ui, see its README):
// every accept-* input must parse and print exactly as its .out line says;
// every reject-* input must fail (the error wording is wasm-wave's own and
// is not compared).

var (
	uiOnce  sync.Once
	uiIface *wit.Interface
	uiErr   error
)

func uiInterface(t testing.TB) *wit.Interface {
	t.Helper()
	ui := shared.Path(t, "conformance/wasm-wave-ui/ui.wit")
	uiOnce.Do(func() {
		// LoadWIT reads worlds: put the suite's ui.wit beside a world of ours.
		dir, err := os.MkdirTemp("", "wave-ui")
		if err != nil {
			uiErr = err
			return
		}
		defer os.RemoveAll(dir)
		for src, dst := range map[string]string{ui: "ui.wit", "testdata/wave-world.wit": "world.wit"} {
			b, err := os.ReadFile(src)
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, dst), b, 0o644)
			}
			if err != nil {
				uiErr = err
				return
			}
		}
		w, err := wasmtools.LoadWIT(dir, "ui-test")
		if err != nil {
			uiErr = err
			return
		}
		if len(w.Exports) != 1 || w.Exports[0].Interface == nil {
			uiErr = fmt.Errorf("ui-test world: want one exported interface")
			return
		}
		uiIface = w.Exports[0].Interface
	})
	if uiErr != nil {
		t.Fatal(uiErr)
	}
	return uiIface
}

// uiLookup resolves call names as the wasm-tools harness does: "f",
// "ui.f", "ui:tests/ui.f" and "ui:tests/ui.f@0.1.0" name the function f of
// ui:tests/ui@0.1.0; another interface, package or version is unknown.
func uiLookup(iface *wit.Interface) func(string) (*wit.Function, error) {
	q := wit.ParseQName(iface.Name)
	return func(name string) (*wit.Function, error) {
		in, fn := SplitCallName(name)
		if in != "" {
			g := wit.ParseQName(in)
			ok := g.Interface == q.Interface
			if g.Qualified() {
				ok = ok && g.Namespace == q.Namespace && g.Package == q.Package
			}
			if g.Version != "" {
				ok = ok && g.Version == q.Version
			}
			if !ok {
				return nil, fmt.Errorf("unknown test func %q", name)
			}
		}
		f := iface.Function(fn)
		if f == nil {
			return nil, fmt.Errorf("unknown test func %q", name)
		}
		return f, nil
	}
}

// splitInputs splits a .waves file as the wasm-tools harness does, moving
// leading // comment lines of each input to comments.
func splitInputs(text string) (inputs []string, comments [][]string) {
	text = strings.TrimRight(strings.TrimRight(text, " \t\r\n"), ";")
	for _, in := range strings.Split(text, ";\n") {
		var cs []string
		for strings.HasPrefix(in, "//") {
			line, rest, ok := strings.Cut(in, "\n")
			if !ok {
				break
			}
			cs = append(cs, line)
			in = rest
		}
		inputs = append(inputs, in)
		comments = append(comments, cs)
	}
	return inputs, comments
}

func TestConformance(t *testing.T) {
	iface := uiInterface(t)
	lookup := uiLookup(iface)
	files, err := filepath.Glob(filepath.Join(shared.ConformanceDir(), "wasm-wave-ui", "*.waves"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .waves files: %v", err)
	}
	var accepted, rejected int
	for _, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), ".waves")
		t.Run(base, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(file, ".waves") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			inputs, comments := splitInputs(string(src))
			wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
			var got []string
			for i, in := range inputs {
				got = append(got, comments[i]...)
				call, err := ParseCall(in, lookup)
				switch {
				case strings.HasPrefix(base, "accept-"):
					if err != nil {
						t.Errorf("input %d %q rejected: %v", i, in, err)
						got = append(got, "ERROR "+err.Error())
						continue
					}
					line, err := call.Labeled()
					if err != nil {
						t.Fatalf("input %d: print: %v", i, err)
					}
					got = append(got, line)
					accepted++
					// Round trip: the canonical form parses to the same values.
					canon, err := call.WAVE()
					if err != nil {
						t.Fatal(err)
					}
					again, err := ParseCall(canon, lookup)
					if err != nil {
						t.Errorf("input %d: canonical %q rejected: %v", i, canon, err)
					} else if diff := cmp.Diff(call.Args, again.Args); diff != "" {
						t.Errorf("input %d: canonical %q round trip (-first +again):\n%s", i, canon, diff)
					}
				default:
					if err == nil {
						line, _ := call.Labeled()
						t.Errorf("input %d %q accepted as %s", i, in, line)
						got = append(got, "ACCEPTED")
						continue
					}
					if strings.ContainsRune(err.Error(), '\n') {
						t.Errorf("input %d: multi-line error %q", i, err)
					}
					// Keep wasm-wave's wording so the comparison below
					// checks the structure (comments, one line per input).
					got = append(got, wantLines[min(len(got), len(wantLines)-1)])
					rejected++
				}
			}
			if diff := cmp.Diff(wantLines, got); diff != "" {
				t.Errorf("%s.out mismatch (-want +got):\n%s", base, diff)
			}
		})
	}
	t.Logf("accepted %d, rejected %d inputs", accepted, rejected)
}
