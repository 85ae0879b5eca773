package compat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/internal/shared"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// semverCase is one test of wasm-tools' semver-check suite
// (../shared/conformance/semver-check): a file holding two worlds, and the
// command it runs, "component semver-check % --prev P --new N", with the
// outcome it expects.
type semverCase struct {
	file       string // base name
	prev, new  string // world selectors
	wantAccept bool   // RUN (true) or FAIL (false)
}

// readSemverCase parses the first line of a case file:
// "// RUN: component semver-check % --prev prev --new new" (";;" in .wat).
func readSemverCase(path string) (semverCase, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return semverCase{}, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimLeft(line, "/; ")
	verb, cmd, ok := strings.Cut(line, ":")
	f := strings.Fields(cmd)
	if !ok || (verb != "RUN" && verb != "FAIL") || len(f) != 7 || f[0] != "component" || f[1] != "semver-check" || f[3] != "--prev" || f[5] != "--new" {
		return semverCase{}, fmt.Errorf("%s: unexpected first line %q", path, line)
	}
	return semverCase{file: filepath.Base(path), prev: f[4], new: f[6], wantAccept: verb == "RUN"}, nil
}

// refOutcome is the reference tool's answer for one direction.
type refOutcome int

const (
	refAccepted refOutcome = iota
	refRejected            // "not semver-compatible"
	refRefused             // an error that is no compatibility verdict
)

// runSemverCheck asks wasm-tools whether a component of world prev can
// replace one of world new, in dir (its file system), on file.
func runSemverCheck(t *testing.T, dir, file, prev, new string) (refOutcome, string) {
	t.Helper()
	cmd := exec.Command(wasmTools(t), "component", "semver-check", file, "--prev", prev, "--new", new)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return refAccepted, ""
	case !errors.As(err, &ee):
		t.Fatalf("run wasm-tools: %v", err)
	case strings.Contains(stderr.String(), "not semver-compatible"):
		return refRejected, stderr.String()
	}
	return refRefused, stderr.String()
}

// dummyComponent builds a component of world from the WIT (or WIT package
// binary) file in dir with the embedded wasm-tools, as semver-check does,
// and returns its world as analyze reads it.
func dummyComponent(t *testing.T, dir, file, world string) *wit.World {
	t.Helper()
	run := func(stdin []byte, args ...string) []byte {
		// The embedded wasm-tools has been seen to spin on some wit-parser
		// worlds: bound each run so that the test reports it.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, wasmTools(t), args...)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(stdin)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("%w (gave up after 2 minutes)", ctx.Err())
			}
			t.Fatalf("wasm-tools %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out.Bytes()
	}
	core := run(nil, "component", "embed", "--dummy", file, "-w", world)
	comp := run(core, "component", "new", "-")
	a, err := analyze.Decode(comp)
	if err != nil {
		t.Fatalf("decode the dummy component of %s: %v", world, err)
	}
	if a.Kind != analyze.KindComponent {
		t.Fatalf("the dummy component of %s is a %s", world, a.Kind)
	}
	return a.World
}

// TestSemverCheckConformance runs every case of wasm-tools' semver-check
// suite in both directions, with the worlds read from WIT and from dummy
// components built from them (the embedded wasm-tools), and asks that api
// agree with the reference tool on every comparison: `semver-check --prev
// P --new N` accepts exactly when `diff OLD=N NEW=P` finds api not unsafe
// (no host declared). It also asks that the WIT and the component form of
// each pair get identical verdicts in every mode.
//
// The .wat cases are components in text form; they need `jco parse`
// (npm @bytecodealliance/jco) and are skipped, saying so, without it.
func TestSemverCheckConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs wasm-tools")
	}
	src := shared.Path(t, "conformance/semver-check")
	files, err := filepath.Glob(filepath.Join(src, "semver-check-*.wi[t]"))
	if err != nil {
		t.Fatal(err)
	}
	wats, _ := filepath.Glob(filepath.Join(src, "semver-check-*.wat"))
	files = append(files, wats...)
	if len(files) < 10 {
		t.Fatalf("only %d semver-check cases in %s", len(files), src)
	}
	wasmTools(t)
	var compared, agreed, refused atomic.Int64
	t.Cleanup(func() {
		t.Logf("semver-check conformance: %d comparisons, %d agree with wasm-tools, %d directions the reference refuses to judge",
			compared.Load(), agreed.Load(), refused.Load())
		if agreed.Load() != compared.Load() {
			t.Errorf("%d comparisons disagree with wasm-tools", compared.Load()-agreed.Load())
		}
	})
	for _, path := range files {
		tc, err := readSemverCase(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimPrefix(tc.file, "semver-check-"), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			name := tc.file
			if strings.HasSuffix(path, ".wat") {
				name = strings.TrimSuffix(name, ".wat") + ".wasm"
				jcoParse(t, path, filepath.Join(dir, name))
			} else if err := copyFile(path, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			for _, dirn := range []struct{ prev, new string }{{tc.prev, tc.new}, {tc.new, tc.prev}} {
				ref, detail := runSemverCheck(t, dir, name, dirn.prev, dirn.new)
				if dirn.prev == tc.prev && (ref == refAccepted) != tc.wantAccept {
					t.Errorf("wasm-tools semver-check --prev %s --new %s: %v, but the suite expects %s\n%s",
						dirn.prev, dirn.new, ref, map[bool]string{true: "RUN", false: "FAIL"}[tc.wantAccept], detail)
				}
				if ref == refRefused {
					// The reference declines to compare (worlds of different
					// packages): no verdict to agree with.
					refused.Add(1)
					t.Logf("--prev %s --new %s: wasm-tools refuses: %s", dirn.prev, dirn.new, strings.TrimSpace(detail))
					continue
				}
				// diff OLD=<--new world> NEW=<--prev world>.
				forms := map[string][2]*wit.World{}
				oldW, err := wasmtools.LoadWIT(filepath.Join(dir, name), dirn.new)
				if err != nil {
					t.Fatal(err)
				}
				newW, err := wasmtools.LoadWIT(filepath.Join(dir, name), dirn.prev)
				if err != nil {
					t.Fatal(err)
				}
				forms["wit"] = [2]*wit.World{oldW, newW}
				forms["component"] = [2]*wit.World{dummyComponent(t, dir, name, dirn.new), dummyComponent(t, dir, name, dirn.prev)}
				reports := map[string]*Report{}
				for form, w := range forms {
					kind := map[string]string{"wit": "wit", "component": "component"}[form]
					r := Diff(w[0], w[1], Options{Old: Artifact{Kind: kind}, New: Artifact{Kind: kind}})
					reports[form] = r
					compared.Add(1)
					unsafe := r.Modes[ModeAPI].Verdict == Unsafe
					if unsafe == (ref == refAccepted) {
						t.Errorf("%s form, diff OLD=%s NEW=%s: api %s, but wasm-tools semver-check --prev %s --new %s says %v; findings %v\n%s",
							form, dirn.new, dirn.prev, r.Modes[ModeAPI].Verdict, dirn.prev, dirn.new, ref, ruleSubjects(r), detail)
						continue
					}
					agreed.Add(1)
				}
				if a, b := verdicts(reports["wit"]), verdicts(reports["component"]); fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("OLD=%s NEW=%s: WIT form %v, component form %v", dirn.new, dirn.prev, a, b)
				}
			}
		})
	}
}

func (o refOutcome) String() string {
	return [...]string{"accepted", "rejected", "refused"}[o]
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// jcoParse compiles component text with `jco parse`, skipping t without
// jco (JCO names its command; else jco on PATH or under node_modules/.bin).
func jcoParse(t *testing.T, in, out string) {
	t.Helper()
	jco := os.Getenv("JCO")
	if jco == "" {
		if p, err := exec.LookPath("jco"); err == nil {
			jco = p
		}
	}
	if jco == "" {
		t.Skipf("%s is component text: compiling it needs jco (npm install @bytecodealliance/jco; set JCO to its command)", filepath.Base(in))
	}
	if b, err := exec.Command(jco, "parse", in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("jco parse %s: %v\n%s", in, err, b)
	}
}
