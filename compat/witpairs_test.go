package compat

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat/wit/wasmtools"
)

// TestRulePairs diffs the hand-written WIT pairs under testdata/rules: one
// directory per rule, named by its ID, with old.wit, new.wit and want.txt.
// want.txt lists the expected findings ("RULE subject", in report order)
// and the verdict of every mode ("api unsafe"). The expectations were
// written by hand from the rule's definition, not from wfcompat's output.
func TestRulePairs(t *testing.T) {
	dirs, err := os.ReadDir("testdata/rules")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, d := range dirs {
		have[d.Name()] = true
	}
	for _, r := range catalog { // in-flight rules have WAT fixtures of their own
		if !have[r.ID] {
			t.Errorf("rule %s has no WIT pair in testdata/rules/%s", r.ID, r.ID)
		}
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			t.Parallel()
			if _, ok := LookupRule(d.Name()); !ok {
				t.Fatalf("testdata/rules/%s names no rule", d.Name())
			}
			dir := filepath.Join("testdata/rules", d.Name())
			old, err := wasmtools.LoadWIT(filepath.Join(dir, "old.wit"), "")
			if err != nil {
				t.Fatal(err)
			}
			nw, err := wasmtools.LoadWIT(filepath.Join(dir, "new.wit"), "")
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			var wantFindings []string
			wantModes := map[Mode]Verdict{}
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				a, b, _ := strings.Cut(line, " ")
				if slices.Contains(AllModes(), Mode(a)) {
					wantModes[Mode(a)] = Verdict(b)
				} else {
					wantFindings = append(wantFindings, line)
				}
			}
			if !slices.ContainsFunc(wantFindings, func(s string) bool { return strings.HasPrefix(s, d.Name()+" ") }) {
				t.Errorf("want.txt does not expect a %s finding", d.Name())
			}
			opts := Options{Old: Artifact{Kind: "wit"}, New: Artifact{Kind: "wit"}}
			// host.txt, where present, declares the host: "platform NAME"
			// and "provides PATTERN" lines.
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
				if opts.Host, err = NewHost(platform, provides); err != nil {
					t.Fatal(err)
				}
			}
			r := Diff(old, nw, opts)
			if diff := cmp.Diff(wantFindings, ruleSubjects(r)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantModes, verdicts(r)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
			for _, f := range r.Findings {
				if f.Rule == d.Name() && f.Old == "" && f.New == "" && !strings.Contains(f.Message, "func(") {
					t.Errorf("%s finding shows no WIT: %+v", f.Rule, f)
				}
			}
			checkReport(t, r)
		})
	}
}
