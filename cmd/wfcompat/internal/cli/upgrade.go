//go:build !lean

package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/rewrite"
	"github.com/wfcompat/wfcompat/runner/replay"
	"github.com/wfcompat/wfcompat/runner/upgrade"
)

// UpgradeSchema identifies the JSON output of `wfcompat upgrade --json`.
const UpgradeSchema = "wfcompat.upgrade/v1"

// UpgradeOptions are the inputs of `wfcompat upgrade`.
type UpgradeOptions struct {
	IO     *IO
	From   string
	To     string
	Log    string
	Mode   string
	LogOut string
	Strict bool
	JSON   bool
	Run    RunOptions
}

// NewCmdUpgrade builds `wfcompat upgrade`. runF replaces the command's
// logic in tests; nil runs runUpgrade.
func NewCmdUpgrade(io *IO, runF func(*UpgradeOptions) error) *cobra.Command {
	opts := &UpgradeOptions{IO: io}
	cmd := &cobra.Command{
		Use:   upgradeUse,
		Short: upgradeShort,
		Long: `Upgrade takes a worker's event log, recorded on OLD (wfcompat run --log), and
moves the worker to NEW the way Golem updates a worker. OLD must be the build
that produced the log's last events (the header's digest, or the last upgrade
marker's); another build's log is an error.

  automatic  replay the log on NEW (see wfcompat replay); a divergence reverts.
  snapshot   replay the log on OLD to rebuild its state, call OLD's
             golem:api/save-snapshot save, then NEW's golem:api/load-snapshot
             load on a fresh instance. Reverts when save is missing, traps or
             does not return list<u8>, or load is missing, traps or returns
             err(msg). Upgraded means load returned ok: what NEW kept of
             the state is not checked.
  restart    run each logged invocation's arguments (converted to NEW's
             types) on a fresh instance of NEW; reverts when one does not
             convert, is not exported, or traps.

On success --log-out writes the worker's continued log: the old events, a
snapshot marker where one was taken, an upgrade marker, and the
load-snapshot call (snapshot); 'wfcompat run NEW --resume OUT' continues
the worker.

Exit status: 0 upgraded; 1 reverted; 2 usage error, unreadable input, a log
OLD did not record, or (automatic, snapshot) a log whose responses the replay
host cannot give (docs/replay.md) or that cannot be replayed on OLD.`,
		Example: `  wfcompat upgrade --from v1.wasm --to v2.wasm --log worker.jsonl --mode automatic
  wfcompat upgrade --from v2.wasm --to v3.wasm --log worker.jsonl --mode snapshot --log-out worker-v3.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runUpgrade(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.From, "from", "", "the build the worker runs (`OLD`)")
	f.StringVar(&opts.To, "to", "", "the build to move it to (`NEW`)")
	f.StringVar(&opts.Log, "log", "", "the worker's event log (`LOG`)")
	f.StringVar(&opts.Mode, "mode", "automatic", "automatic, snapshot or restart")
	f.StringVar(&opts.LogOut, "log-out", "", "on success, write the continued log to `OUT`")
	f.BoolVar(&opts.Strict, "strict", false, "also compare the arguments of durable import calls when replaying")
	f.BoolVar(&opts.JSON, "json", false, "print a "+UpgradeSchema+" JSON document")
	addHostFlags(f, &opts.Run)
	return cmd
}

type upgradeJSON struct {
	Schema string `json:"schema"`
	From   string `json:"from"`
	To     string `json:"to"`
	Log    string `json:"log"`
	*upgrade.Result
	LogOut string `json:"log_out,omitempty"`
}

func runUpgrade(opts *UpgradeOptions) error {
	if opts.From == "" || opts.To == "" || opts.Log == "" {
		return inputError(errors.New("upgrade needs --from OLD, --to NEW and --log LOG"))
	}
	mode, err := upgrade.ParseMode(opts.Mode)
	if err != nil {
		return inputError(fmt.Errorf("--mode: %w", err))
	}
	ro, err := hostOptions(opts.IO, &opts.Run)
	if err != nil {
		return inputError(err)
	}
	// The continued log is a new file: it replaces none of the inputs,
	// the recorded log included (run --resume is the command that
	// continues a log in place).
	if err := checkWrite(rewrite.NamedPath{Role: "--log-out", Path: opts.LogOut},
		rewrite.NamedPath{Role: "--from", Path: opts.From}, rewrite.NamedPath{Role: "--to", Path: opts.To},
		rewrite.NamedPath{Role: "--log", Path: opts.Log}, rewrite.NamedPath{Role: "--http-respond", Path: httpBodyFile(opts.Run.HTTPRespond)}); err != nil {
		return inputError(err)
	}
	old, err := analyze.Open(opts.From, opts.IO.openOptions(analyze.Options{}))
	if err != nil {
		return inputError(err)
	}
	nw, err := analyze.Open(opts.To, opts.IO.openOptions(analyze.Options{}))
	if err != nil {
		return inputError(err)
	}
	l, err := replay.ReadLog(opts.Log)
	if err != nil {
		return inputError(err)
	}
	res, err := upgrade.Upgrade(context.Background(), old, nw, l, mode, upgrade.Options{Runner: ro, Strict: opts.Strict})
	if err != nil {
		return inputError(err)
	}
	if res.Status == upgrade.Upgraded && opts.LogOut != "" {
		var b bytes.Buffer
		if err := res.WriteLog(&b); err != nil {
			return inputError(err)
		}
		if err := opts.IO.writeOutputs(outputFile{label: "--log-out " + opts.LogOut, path: opts.LogOut, data: b.Bytes()}); err != nil {
			return inputError(err)
		}
	}
	var out bytes.Buffer
	if opts.JSON {
		doc := upgradeJSON{Schema: UpgradeSchema, From: opts.From, To: opts.To, Log: opts.Log, Result: res}
		if res.Status == upgrade.Upgraded {
			doc.LogOut = opts.LogOut
		}
		if err := writeJSON(&out, doc); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(&out, "%s (%s, %d %s)\n", res.Status, res.Mode, res.Invocations, plural(res.Invocations, "invocation", "invocations"))
		if res.Status == upgrade.Reverted {
			fmt.Fprintf(&out, "  %s: %s\n", res.Reason, oneLine(res.Message))
		}
		for _, f := range res.Restart {
			fmt.Fprintf(&out, "  %s:%d  %s  %s: %s\n", opts.Log, f.Line, f.Function, f.Reason, oneLine(f.Message))
		}
		if res.SnapshotSize > 0 || res.Mode == upgrade.Snapshot && res.Status == upgrade.Upgraded {
			fmt.Fprintf(&out, "  snapshot: %d bytes, sha256 %s\n", res.SnapshotSize, res.SnapshotSHA256)
		}
		if res.Status == upgrade.Upgraded && opts.LogOut != "" {
			fmt.Fprintf(&out, "  continued log: %s\n", opts.LogOut)
		}
	}
	if _, err := opts.IO.Out.Write(out.Bytes()); err != nil {
		return err
	}
	if res.Status == upgrade.Reverted {
		return silentExit(ExitUnsafe)
	}
	return nil
}
