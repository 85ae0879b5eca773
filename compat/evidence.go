package compat

import (
	"fmt"
	"strings"
)

// Evidence is what running recorded event logs showed about the upgrade
// modes: replaying them on the new build (replay), saving each log's final
// state on the old build and loading it into the new one (snapshot), and
// rerunning their invocations on the new build (restart). The runner's
// replay and upgrade packages produce it; compat runs nothing, it turns
// evidence into verdicts: every log proving a mode makes the mode's
// "only running can prove it" reason a proof (safe), a failing log makes
// the mode unsafe with the first failure.
type Evidence struct {
	Replay, Snapshot, Restart *ModeEvidence
}

// ModeEvidence is one mode's evidence.
type ModeEvidence struct {
	// Logs is the number of logs run; Proved how many proved the mode.
	Logs, Proved int
	// Empty counts the logs that ran without failing but hold no
	// invocations: they exercised nothing of the mode, so they neither
	// prove nor fail it. A mode whose logs are all empty stays unproven.
	Empty int
	// Failed counts the logs that failed; Failure describes the first
	// ("run.jsonl:2: result-mismatch in the replay of ...").
	Failed  int
	Failure string
	// Errors are the logs that could not be run at all (one line each).
	Errors []string
}

// evidence returns the evidence for mode m, nil when there is none.
func (e *Evidence) mode(m Mode) *ModeEvidence {
	if e == nil {
		return nil
	}
	switch m {
	case ModeReplay:
		return e.Replay
	case ModeSnapshot:
		return e.Snapshot
	case ModeRestart:
		return e.Restart
	}
	return nil
}

// proof adds mode m's evidence as mode-level reasons; without evidence,
// the unproven reason (if any), which names the command that proves it.
func (d *differ) proof(m Mode, ev *Evidence, unproven string) {
	me := ev.mode(m)
	if me == nil || me.Logs == 0 {
		if unproven != "" {
			d.note(m, Unproven, unproven)
		}
		return
	}
	what := map[Mode]string{
		ModeReplay:   "replayed on the new build with the recorded import results",
		ModeSnapshot: "final state saved by the old build's save-snapshot and accepted by the new build's load-snapshot (it returned ok; what the new build kept of the state is not checked)",
		ModeRestart:  "invocations rerun on fresh instances of the new build: each returned where the old build returned (results are not compared) or trapped where the old build trapped on the same input",
	}[m]
	if me.Failed > 0 {
		fail := map[Mode][2]string{ // one log, several
			ModeReplay:   {"does not replay on the new build", "do not replay on the new build"},
			ModeSnapshot: {"does not carry its final state to the new build by snapshot", "do not carry their final state to the new build by snapshot"},
			ModeRestart:  {"has invocations that fail when rerun on the new build", "have invocations that fail when rerun on the new build"},
		}[m][min(me.Failed-1, 1)]
		d.note(m, Unsafe, fmt.Sprintf("%d of %d event %s %s; the first: %s",
			me.Failed, me.Logs, logs(me.Logs), fail, me.Failure))
	}
	if len(me.Errors) > 0 {
		d.note(m, Unproven, fmt.Sprintf("%d of %d event %s could not be run: %s",
			len(me.Errors), me.Logs, logs(me.Logs), strings.Join(me.Errors, "; ")))
	}
	if me.Failed > 0 || len(me.Errors) > 0 {
		return
	}
	// Logs that neither proved, failed, errored nor were empty (evidence a
	// caller put together, DiffOptions.Evidence) prove nothing: a mode is
	// proved only when every log run proved it or held nothing to run.
	if rest := me.Logs - me.Proved - me.Failed - len(me.Errors) - max(me.Empty, 0); rest != 0 || me.Empty < 0 {
		d.note(m, Unproven, fmt.Sprintf("%d of %d event %s proved it; the others neither proved nor failed it",
			max(me.Proved, 0), me.Logs, logs(me.Logs)))
		return
	}
	// Empty logs alone prove nothing: a mode needs at least one log that
	// ran an invocation.
	if me.Proved <= 0 {
		d.note(m, Unproven, fmt.Sprintf("the %d event %s %s no invocation (none, or none after the last snapshot or restart marker, where replay and restart start): running %s exercised nothing; record a log with invocations",
			me.Logs, logs(me.Logs), runs(me.Logs), map[bool]string{true: "it", false: "them"}[me.Logs == 1]))
		return
	}
	msg := fmt.Sprintf("proved by %d event %s: %s", me.Proved, logs(me.Proved), what)
	if me.Empty > 0 {
		msg += fmt.Sprintf(" (%d more %s no invocation)", me.Empty, runs(me.Empty))
	}
	d.note(m, Safe, msg)
}

// failedProof adds only the failure of mode m's evidence (for a mode
// already unsafe by static checks).
func (d *differ) failedProof(m Mode, ev *Evidence) {
	if me := ev.mode(m); me != nil && me.Failed > 0 {
		d.proof(m, ev, "")
	}
}

func runs(n int) string {
	if n == 1 {
		return "runs"
	}
	return "run"
}

func logs(n int) string {
	if n == 1 {
		return "log"
	}
	return "logs"
}
