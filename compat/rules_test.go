package compat

import (
	"flag"
	"regexp"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files (testdata)")

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
