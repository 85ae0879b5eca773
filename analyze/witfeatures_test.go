package analyze_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/wit"
)

// gatedWIT has an ungated function, a @since one, and one behind
// @unstable(feature = x); its world names the features x and y.
var gatedWIT = func() string {
	b, err := os.ReadFile("../testdata/wit/features.wit")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// exportNames lists the functions world w exports: those of its
// interfaces as IFACE.NAME, and world-level ones by name.
func exportNames(w *wit.World) []string {
	var names []string
	for _, it := range w.Exports {
		if it.Interface == nil {
			names = append(names, it.Name)
			continue
		}
		for _, f := range it.Interface.Functions {
			names = append(names, it.Interface.Name+"."+f.Name)
		}
	}
	slices.Sort(names)
	return names
}

// TestOpenWITFeatures: Options.WITFeatures decides which @unstable items a
// WIT input (a file, a directory) has; the zero value reads them all,
// ungated and @since items are always read, and the gates met are
// recorded whatever is enabled.
func TestOpenWITFeatures(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pkg", "api.wit")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(gatedWIT), 0o644); err != nil {
		t.Fatal(err)
	}
	const api = "a:b/api@1.0.0."
	for _, tc := range []struct {
		name string
		f    analyze.WITFeatures
		want []string
	}{
		{"zero value: all", analyze.WITFeatures{}, []string{api + "gated", api + "since", api + "stable", "extra"}},
		{"names ignored unless Only", analyze.WITFeatures{Names: []string{"x"}}, []string{api + "gated", api + "since", api + "stable", "extra"}},
		{"only x", analyze.WITFeatures{Only: true, Names: []string{"x"}}, []string{api + "gated", api + "since", api + "stable"}},
		{"only y", analyze.WITFeatures{Only: true, Names: []string{"y"}}, []string{api + "since", api + "stable", "extra"}},
		{"none", analyze.WITFeatures{Only: true}, []string{api + "since", api + "stable"}},
		{"unknown name", analyze.WITFeatures{Only: true, Names: []string{"typo"}}, []string{api + "since", api + "stable"}},
	} {
		for _, path := range []string{file, filepath.Dir(file)} {
			a, err := analyze.Open(path, analyze.Options{WITFeatures: tc.f})
			if err != nil {
				t.Errorf("%s, %s: %v", tc.name, path, err)
				continue
			}
			if got := exportNames(a.World); !slices.Equal(got, tc.want) {
				t.Errorf("%s, %s: exports %v, want %v", tc.name, path, got, tc.want)
			}
			if want := []string{"x", "y"}; !slices.Equal(a.WITFeatureGates, want) {
				t.Errorf("%s, %s: gates %v, want %v", tc.name, path, a.WITFeatureGates, want)
			}
		}
	}
}

// TestOpenWITFeaturesOtherReader: restricted features under a reader
// other than the native one (the wasm-tools escape hatch, which always
// reads every feature) are an error, never silently read in full; all
// features go through.
func TestOpenWITFeaturesOtherReader(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "w.wit")
	if err := os.WriteFile(file, []byte(gatedWIT), 0o644); err != nil {
		t.Fatal(err)
	}
	bindeps := filepath.Join(dir, "bin")
	if err := os.MkdirAll(filepath.Join(bindeps, "deps"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bindeps, "main.wit"), []byte("package app:main;\nworld w {\n  import dep:clock/clock;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bindeps, "deps", "clock.wasm"), []byte("\x00asm\x0d\x00\x01\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	called := 0
	reader := func(path, world string) (*wit.World, error) { called++; return &wit.World{Name: "r"}, nil }
	only := analyze.WITFeatures{Only: true, Names: []string{"x"}}
	for _, tc := range []struct {
		name    string
		path    string
		opts    analyze.Options
		wantErr bool
	}{
		{"reader, all features", file, analyze.Options{WITReader: reader}, false},
		{"reader, restricted", file, analyze.Options{WITReader: reader, WITFeatures: only}, true},
		{"fallback, all features", bindeps, analyze.Options{WITFallback: reader}, false},
		{"fallback, restricted", bindeps, analyze.Options{WITFallback: reader, WITFeatures: only}, true},
		{"fallback not needed, restricted", file, analyze.Options{WITFallback: reader, WITFeatures: only}, false},
	} {
		called = 0
		_, err := analyze.Open(tc.path, tc.opts)
		if !tc.wantErr {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, analyze.ErrWITFeaturesUnsupported) || called != 0 || strings.Count(err.Error(), tc.path) != 1 {
			t.Errorf("%s: error %v (reader called %d times); want ErrWITFeaturesUnsupported naming %s once, reader not called", tc.name, err, called, tc.path)
		}
	}
}

// TestWITFeaturesString: how reports and messages show a selection.
func TestWITFeaturesString(t *testing.T) {
	for _, tc := range []struct {
		f    analyze.WITFeatures
		want string
	}{
		{analyze.WITFeatures{}, "all"},
		{analyze.WITFeatures{Names: []string{"x"}}, "all"},
		{analyze.WITFeatures{Only: true}, "none"},
		{analyze.WITFeatures{Only: true, Names: []string{"x", "y"}}, "only x,y"},
		{analyze.WITFeatures{Only: true, Names: []string{"none"}}, "only none"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.f, got, tc.want)
		}
	}
}
