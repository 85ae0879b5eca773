package compat

import (
	"flag"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files (docs/rules.md, testdata)")

func TestCatalog(t *testing.T) {
	idRE := regexp.MustCompile(`^[A-Z][A-Z_]+[A-Z]$`)
	seen := map[string]bool{}
	for _, r := range Rules() {
		if !idRE.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("bad or duplicate ID %q", r.ID)
		}
		seen[r.ID] = true
		if r.Purpose == "" || r.Why == "" || r.Example.Before == "" || r.Example.After == "" || r.Example.Before == r.Example.After {
			t.Errorf("%s: incomplete entry", r.ID)
		}
		if len(r.Effects) == 0 {
			t.Errorf("%s: no effects", r.ID)
		}
		var modes []Mode
		worst := Safe
		for _, e := range r.Effects {
			modes = append(modes, e.Mode)
			worst = Worse(worst, e.Verdict)
			switch e.Verdict {
			case Safe, Unproven, Unsafe:
			default:
				t.Errorf("%s: effect %s on %s", r.ID, e.Verdict, e.Mode)
			}
		}
		// Effects are listed in mode order, each mode once.
		idx := func(m Mode) int { return slices.Index(AllModes(), m) }
		if !slices.IsSortedFunc(modes, func(a, b Mode) int { return idx(a) - idx(b) }) || len(slices.Compact(slices.Clone(modes))) != len(modes) || slices.Contains(modes, "") {
			t.Errorf("%s: effects not in mode order: %v", r.ID, modes)
		}
		// An info rule never lowers a verdict; an error rule always does.
		if r.Severity == SeverityInfo && worst != Safe || r.Severity == SeverityError && worst == Safe {
			t.Errorf("%s: severity %s with worst effect %s", r.ID, r.Severity, worst)
		}
		if got, ok := LookupRule(r.ID); !ok || got.ID != r.ID {
			t.Errorf("LookupRule(%s)", r.ID)
		}
	}
	if _, ok := LookupRule("NOPE"); ok {
		t.Error("LookupRule(NOPE) found something")
	}
	// Rules hands out copies.
	rs := Rules()
	rs[0].Effects[0].Verdict = "x"
	if Rules()[0].Effects[0].Verdict == "x" {
		t.Error("Rules shares the catalog")
	}
}

func TestEffectWithSeverity(t *testing.T) {
	r, _ := LookupRule(RuleParamRenamed) // warning: api unsafe, restart/replay listed
	tests := []struct {
		sev  Severity
		mode Mode
		want Verdict
	}{
		{SeverityWarning, ModeAPI, Unsafe}, // the default keeps declared effects
		{SeverityError, ModeRestart, Unsafe},
		{SeverityInfo, ModeAPI, Safe},
	}
	for _, tt := range tests {
		if got, _ := r.EffectWithSeverity(tt.mode, tt.sev); got != tt.want {
			t.Errorf("%s on %s: %s, want %s", tt.sev, tt.mode, got, tt.want)
		}
	}
	r, _ = LookupRule(RuleResultTypeChanged)
	if got, _ := r.EffectWithSeverity(ModeAPI, SeverityWarning); got != Unproven {
		t.Errorf("error rule as warning: %s", got)
	}
	if _, ok := r.EffectWithSeverity(ModeSnapshot, SeverityError); ok {
		t.Error("override reaches a mode the rule does not affect")
	}
}

// TestRulesDoc keeps docs/rules.md in step with the catalog. Refresh it
// with go test ./compat -run TestRulesDoc -update.
func TestRulesDoc(t *testing.T) {
	const path = "../docs/rules.md"
	got := RulesMarkdown()
	if *update {
		if err := os.MkdirAll("../docs", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./compat -run TestRulesDoc -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/rules.md is stale; run go test ./compat -run TestRulesDoc -update (-file +catalog):\n%s", diff)
	}
}
