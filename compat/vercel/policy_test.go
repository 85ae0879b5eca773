package vercel

import (
	"slices"
	"testing"

	"github.com/wfcompat/wfcompat/compat"
)

// TestDiffPolicy: a Vercel diff applies the policy like a world diff, and
// the VERCEL_ rules validate as policy rule IDs in compat's registry.
func TestDiffPolicy(t *testing.T) {
	old, nw := mustRead(t, "old.manifest.json"), mustRead(t, "new.manifest.json")
	base := DiffWith(old, nw, compat.Options{})
	if !hasFinding(base, RuleWorkflowRemoved) {
		t.Fatalf("the fixture pair has no %s finding: %+v", RuleWorkflowRemoved, base.Findings)
	}
	reg, err := compat.NewRegistry(Rules())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []compat.Policy{
		{Except: []string{RuleWorkflowRemoved}},
		{Severity: map[string]compat.Severity{RuleWorkflowRemoved: compat.SeverityInfo}},
	} {
		if err := p.Validate(reg); err != nil {
			t.Fatalf("policy %+v: %v", p, err)
		}
		r := DiffWith(old, nw, compat.Options{Policy: p, Rules: reg})
		removed := slices.IndexFunc(r.Findings, func(f compat.Finding) bool { return f.Rule == RuleWorkflowRemoved })
		switch {
		case len(p.Except) > 0 && removed >= 0:
			t.Errorf("except: %s still reported", RuleWorkflowRemoved)
		case len(p.Severity) > 0 && (removed < 0 || r.Findings[removed].Severity != compat.SeverityInfo):
			t.Errorf("severity info: %+v", r.Findings)
		}
		for _, reason := range r.Modes[compat.ModeAPI].Reasons {
			if reason.Rule == RuleWorkflowRemoved {
				t.Errorf("policy %+v: %s still lowers api", p, RuleWorkflowRemoved)
			}
		}
	}
}

func hasFinding(r *compat.Report, id string) bool {
	return slices.ContainsFunc(r.Findings, func(f compat.Finding) bool { return f.Rule == id })
}
