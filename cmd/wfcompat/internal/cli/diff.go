package cli

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/compat/format"
	"github.com/wfcompat/wfcompat/internal/buildinfo"
)

// DiffOptions are the inputs of `wfcompat diff`.
type DiffOptions struct {
	IO       *IO
	Old, New string
	// OldWorld and NewWorld select the world of a WIT input.
	OldWorld, NewWorld string
	Format             string
	// Modes are the gating modes from --mode; empty defers to the config,
	// then to every applicable mode.
	Modes        []string
	RequireProof bool
	// Config is the --config path; "" looks for wfcompat.yaml in the
	// working directory.
	Config string
	// CallbackImports add callback-registering imports to the in-flight
	// analysis of core modules (MODULE.NAME:ARG[,ARG]).
	CallbackImports []string
	// Platform is --platform: the host new imports are judged against.
	Platform string
	// Logs are --log: event logs run to prove replay, snapshot, restart.
	Logs []string
	// Verbose shows info findings (text) and annotates them (github).
	Verbose bool
}

// NewCmdDiff builds `wfcompat diff`. runF replaces the command's logic in
// tests; nil runs runDiff.
func NewCmdDiff(io *IO, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Tell whether NEW may take over from OLD, per upgrade mode",
		Long: `Diff compares the build that runs (OLD) with the build that is to take
over (NEW) and gives each upgrade mode a verdict: safe, unsafe, unproven
(nothing found against it, but static analysis cannot prove it) or n/a.

  api        NEW can stand where OLD stood (old exports still there with
             identical types; what NEW imports anew, the host provides)
  restart    old exported functions exist and take every old argument value
  replay     restart, plus identical results and unchanged imports (never
             safe statically: the event log must be replayed)
  snapshot   OLD exports golem:api save-snapshot, NEW load-snapshot
  in-flight  outstanding calls survive: callback table slots that core
             modules pass to ic0.call_new stay put (see wfcompat pin)

Each side is a component, a core module, a .wit file or a directory of WIT
(with deps/), or a wfcompat manifest of one (wfcompat manifest; a platform
keeps it instead of the old binary): comparing manifests gives the verdicts
and findings comparing the binaries gives, in-flight included. --old-world
and --new-world pick the world of a WIT input. A binary's embedded manifest
must still describe it. Core modules are compared with their callback
analyses, made with ic0's callback imports and those of the config's
callback_imports and --callback-import; given neither, with those a manifest
among the sides recorded (other ones are an error: the analyses would not be
comparable).

A side need not be a local file (the baseline usually is not):
  git:REV:PATH            PATH as committed at REV, read without a checkout
                          (in a shallow clone, fetch REV first)
  oci://REGISTRY/REPO:TAG the wasm layer of an artifact wkg or wash pushed
                          (also @sha256:DIGEST; credentials: docker login)
  https://URL[#sha256=HEX] a download, checked against the digest if given
  -                       standard input
Fetched artifacts are cached by digest under the user cache directory.

Both sides may instead be Vercel Workflow DevKit build manifests
(.well-known/workflow/v1/manifest.json): removed, renamed and added workflows,
steps and classes, and changes to the order of a workflow's calls, are
reported (the VERCEL_ rules, docs/vercel.md) in the same formats and with the
same exit codes. A Vercel manifest against anything else is a
usage error.

Every difference is a finding with a rule ID (wfcompat rules lists them).

Imports are judged against the host NEW will run on. A new import (an
interface, a function, a newer version) that the host does not provide
keeps NEW from instantiating at all: every mode is unsafe
(IMPORT_NOT_PROVIDED); one it provides is only listed (IMPORT_PROVIDED).
Declare the host with --platform (golem: WASI 0.2.x, golem:api, golem:rpc,
wasi:keyvalue; ic: the ic0 System API), or platform: and host_provides: in
wfcompat.yaml. Without a declared host, a new import makes api unsafe (as
wasm-tools semver-check does) and the other modes unproven, naming the
import (IMPORT_ADDED, IMPORT_FUNCTION_ADDED, IMPORT_VERSION_CHANGED).

wfcompat.yaml in the working directory (or --config FILE) sets the gating
modes, ignores findings and overrides severities; see docs/config.md.

Exit status: 0 when no gating mode is unsafe (nor unproven, with
--require-proof), 1 when one is, 2 on a usage or input error. Gating modes
are those given with --mode, else those of the config, else every mode that
is not n/a.`,
		Example: `  wfcompat diff old.wasm new.wasm
  wfcompat diff --mode api --mode snapshot --format github old.wasm new.wasm
  wfcompat diff --old-world api --new-world api wit/v1 wit/v2
  wfcompat diff --platform golem old.wasm new.wasm
  wfcompat diff old.manifest.json dist/worker.wasm
  wfcompat diff git:origin/main:dist/worker.wasm dist/worker.wasm
  wfcompat diff oci://ghcr.io/acme/worker:prod dist/worker.wasm
  wfcompat diff old/.well-known/workflow/manifest.json new/.well-known/workflow/manifest.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return runDiff(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", format.Text, "output format: "+strings.Join(format.Formats(), ", "))
	f.StringArrayVar(&opts.Modes, "mode", nil, "gate on this mode (repeatable): "+modeNames())
	f.BoolVar(&opts.RequireProof, "require-proof", false, "fail on unproven gating modes too")
	f.StringVar(&opts.OldWorld, "old-world", "", "world to select in a WIT input OLD")
	f.StringVar(&opts.NewWorld, "new-world", "", "world to select in a WIT input NEW")
	f.StringVar(&opts.Config, "config", "", "configuration file (default: ./"+config.FileName+" if present)")
	f.StringVar(&opts.Platform, "platform", "", "the host NEW will run on, which new imports are judged against: "+strings.Join(compat.PlatformNames(), ", ")+" (replaces the config's platform:)")
	f.StringArrayVar(&opts.Logs, "log", nil, "run this event log (repeatable; globs allowed) on the builds to prove replay, snapshot and restart")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "text: show info findings too; github: annotate them as notices")
	f.StringArrayVar(&opts.CallbackImports, "callback-import", nil, "core modules: also treat parameters ARG of import MODULE.NAME as callback table indices; repeatable: `MODULE.NAME:ARG[,ARG]`")
	return cmd
}

func modeNames() string {
	var names []string
	for _, m := range compat.AllModes() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}

func runDiff(opts *DiffOptions) error {
	start := time.Now()
	if !slices.Contains(format.Formats(), opts.Format) {
		return inputError(fmt.Errorf("unknown format %q (valid: %s)", opts.Format, strings.Join(format.Formats(), ", ")))
	}
	if _, err := callbackProfiles(opts.CallbackImports); err != nil {
		return inputError(err)
	}
	gate, err := parseModes(opts.Modes)
	if err != nil {
		return inputError(err)
	}
	if opts.Platform != "" && !slices.Contains(compat.PlatformNames(), opts.Platform) {
		return inputError(fmt.Errorf("--platform: unknown platform %q (known: %s)", opts.Platform, strings.Join(compat.PlatformNames(), ", ")))
	}
	cfg, err := loadConfig(opts.IO, opts.Config)
	if err != nil {
		return inputError(err)
	}
	old, nw, err := openPair(opts.IO, opts.Old, opts.OldWorld, opts.New, opts.NewWorld)
	if err != nil {
		return inputError(err)
	}
	logs, err := expandLogs(opts.Logs)
	if err != nil {
		return inputError(err)
	}
	res, err := wfcompat.Diff(context.Background(), old.opened, nw.opened, wfcompat.DiffOptions{
		Config:          cfg,
		Modes:           gate,
		RequireProof:    opts.RequireProof,
		CallbackImports: opts.CallbackImports,
		Platform:        opts.Platform,
		Logs:            logs,
	})
	if err != nil {
		return inputError(err)
	}
	fopts := res.Gate
	fopts.Color = opts.IO.OutTTY
	fopts.Verbose = opts.Verbose
	fopts.Rules = wfcompat.Rules()
	fopts.Time, fopts.Elapsed = start, time.Since(start)
	res.Report.ToolVersion = buildinfo.Read().Version
	// Render fully before writing, so a failure leaves no partial output.
	var b bytes.Buffer
	if err := format.Write(&b, opts.Format, res.Report, fopts); err != nil {
		return err
	}
	if _, err := opts.IO.Out.Write(b.Bytes()); err != nil {
		return err
	}
	if res.Outcome == format.OutcomeFail {
		return silentExit(ExitUnsafe)
	}
	return nil
}

func parseModes(names []string) ([]compat.Mode, error) {
	var modes []compat.Mode
	for _, n := range names {
		// Accept --mode api,restart as well as repeated flags.
		for _, part := range strings.Split(n, ",") {
			m := compat.Mode(strings.TrimSpace(part))
			if !slices.Contains(compat.AllModes(), m) {
				return nil, fmt.Errorf("unknown mode %q (valid: %s)", part, modeNames())
			}
			if !slices.Contains(modes, m) {
				modes = append(modes, m)
			}
		}
	}
	return modes, nil
}

// loadConfig reads path (--config), or wfcompat.yaml in the working
// directory if there is one. It returns nil when there is no configuration.
func loadConfig(io *IO, path string) (*config.Config, error) {
	if path != "" {
		return wfcompat.LoadConfig(path)
	}
	if io.Getwd == nil {
		return nil, nil
	}
	dir, err := io.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", config.FileName, err)
	}
	return wfcompat.FindConfig(dir)
}
