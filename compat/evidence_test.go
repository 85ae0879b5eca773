package compat

import "testing"

// TestEvidenceAccounting: a mode is proved only when every log run proved
// it or held no invocations, and at least one proved it; evidence whose
// logs neither proved nor failed it (put together by a caller of
// DiffOptions.Evidence), or that were all empty, leaves it unproven.
func TestEvidenceAccounting(t *testing.T) {
	tests := []struct {
		name string
		ev   ModeEvidence
		want Verdict
	}{
		{"every log proved", ModeEvidence{Logs: 2, Proved: 2}, Safe},
		{"no log proved", ModeEvidence{Logs: 2}, Unproven},
		{"one of two proved", ModeEvidence{Logs: 2, Proved: 1}, Unproven},
		{"one failed", ModeEvidence{Logs: 2, Proved: 1, Failed: 1, Failure: "x"}, Unsafe},
		{"one could not run", ModeEvidence{Logs: 2, Proved: 1, Errors: []string{"x"}}, Unproven},
		{"every log empty", ModeEvidence{Logs: 2, Empty: 2}, Unproven},
		{"one proved, one empty", ModeEvidence{Logs: 2, Proved: 1, Empty: 1}, Safe},
		{"one empty, one failed", ModeEvidence{Logs: 2, Empty: 1, Failed: 1, Failure: "x"}, Unsafe},
		{"more counted than run", ModeEvidence{Logs: 1, Proved: 1, Empty: 1}, Unproven},
		{"negative empty", ModeEvidence{Logs: 1, Proved: 2, Empty: -1}, Unproven},
	}
	w := updateTest(1, "0.2.0")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.ev
			r := Diff(w, w, Options{Evidence: &Evidence{Replay: &ev, Restart: &ev}})
			for _, m := range []Mode{ModeReplay, ModeRestart} {
				if got := r.Modes[m].Verdict; got != tt.want {
					t.Errorf("%s: got %s, want %s (%v)", m, got, tt.want, r.Modes[m].Reasons)
				}
			}
		})
	}
}
