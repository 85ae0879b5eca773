package witparse

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfcompat/wfcompat/compat"
)

// TestRulePairsNative reads compat's hand-written rule fixtures
// (compat/testdata/rules/RULE/{old,new}.wit, with want.txt written from
// each rule's definition) with the native reader, as `wfcompat diff` now
// does, and checks the expected findings and verdicts.
func TestRulePairsNative(t *testing.T) {
	root := filepath.Join("..", "..", "compat", "testdata", "rules")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join(root, d.Name())
			old, err := LoadWorld(filepath.Join(dir, "old.wit"), "")
			if err != nil {
				t.Fatal(err)
			}
			nw, err := LoadWorld(filepath.Join(dir, "new.wit"), "")
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			var wantFindings []string
			wantModes := map[compat.Mode]compat.Verdict{}
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				a, b, _ := strings.Cut(line, " ")
				if slices.Contains(compat.AllModes(), compat.Mode(a)) {
					wantModes[compat.Mode(a)] = compat.Verdict(b)
				} else {
					wantFindings = append(wantFindings, line)
				}
			}
			opts := compat.Options{Old: compat.Artifact{Kind: "wit"}, New: compat.Artifact{Kind: "wit"}}
			// host.txt, where present, declares the host ("platform NAME",
			// "provides PATTERN"), as compat's own rule-pair test reads it.
			if hb, err := os.ReadFile(filepath.Join(dir, "host.txt")); err == nil {
				var platform string
				var provides []string
				for _, line := range strings.Split(strings.TrimSpace(string(hb)), "\n") {
					k, v, _ := strings.Cut(line, " ")
					switch k {
					case "platform":
						platform = v
					case "provides":
						provides = append(provides, v)
					default:
						t.Fatalf("host.txt: %q", line)
					}
				}
				if opts.Host, err = compat.NewHost(platform, provides); err != nil {
					t.Fatal(err)
				}
			}
			r := compat.Diff(old, nw, opts)
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule+" "+f.Subject)
			}
			if diff := cmp.Diff(wantFindings, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			gotModes := map[compat.Mode]compat.Verdict{}
			for m, res := range r.Modes {
				gotModes[m] = res.Verdict
			}
			if diff := cmp.Diff(wantModes, gotModes); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
		})
	}
}
