package cli

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/compat/format"
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

  api        NEW can stand where OLD stood (exports identical, imports no more)
  restart    old exported functions exist and take every old argument value
  replay     restart, plus identical results and unchanged imports (never
             safe statically: the event log must be replayed)
  snapshot   OLD exports golem:api save-snapshot, NEW load-snapshot
  in-flight  outstanding calls survive: callback table slots that core
             modules pass to ic0.call_new stay put (see wfcompat pin)

Each side is a component, a core module, a .wit file or a directory of WIT
(with deps/); --old-world and --new-world pick the world of a WIT input.
Every difference is a finding with a rule ID (wfcompat rules lists them).

wfcompat.yaml in the working directory (or --config FILE) sets the gating
modes, ignores findings and overrides severities; see docs/config.md.

Exit status: 0 when no gating mode is unsafe (nor unproven, with
--require-proof), 1 when one is, 2 on a usage or input error. Gating modes
are those given with --mode, else those of the config, else every mode that
is not n/a.`,
		Example: `  wfcompat diff old.wasm new.wasm
  wfcompat diff --mode api --mode snapshot --format github old.wasm new.wasm
  wfcompat diff --old-world api --new-world api wit/v1 wit/v2`,
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
	cfg, err := loadConfig(opts)
	if err != nil {
		return inputError(err)
	}
	if len(gate) == 0 && cfg != nil {
		gate = cfg.Modes
	}
	old, err := analyze.Open(opts.Old, analyze.Options{World: opts.OldWorld})
	if err != nil {
		return inputError(err)
	}
	nw, err := analyze.Open(opts.New, analyze.Options{World: opts.NewWorld})
	if err != nil {
		return inputError(err)
	}
	dopts := compat.Options{Old: artifact(old), New: artifact(nw), Policy: cfg.Policy()}
	if old.Core != nil && nw.Core != nil {
		if dopts.OldCallbacks, dopts.NewCallbacks, err = analyzeCallbacks(opts, old, nw); err != nil {
			return err
		}
	}
	report := compat.Diff(old.World, nw.World, dopts)
	fopts := format.Options{
		Color:        opts.IO.OutTTY,
		Gate:         gate,
		RequireProof: opts.RequireProof || cfg != nil && cfg.RequireProof,
	}
	// Render fully before writing, so a failure leaves no partial output.
	var b bytes.Buffer
	if err := format.Write(&b, opts.Format, report, fopts); err != nil {
		return err
	}
	if _, err := opts.IO.Out.Write(b.Bytes()); err != nil {
		return err
	}
	if format.Evaluate(report, fopts) == format.OutcomeFail {
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

// loadConfig reads --config, or wfcompat.yaml in the working directory if
// there is one. It returns nil when there is no configuration.
func loadConfig(opts *DiffOptions) (*config.Config, error) {
	if opts.Config != "" {
		return config.Load(opts.Config)
	}
	if opts.IO.Getwd == nil {
		return nil, nil
	}
	dir, err := opts.IO.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", config.FileName, err)
	}
	return config.Find(dir)
}

// callbackProfiles are the callback-registering imports of the in-flight
// analysis: the Internet Computer's, plus --callback-import.
func callbackProfiles(extra []string) ([]callbacks.Profile, error) {
	profiles := callbacks.IC0()
	for _, s := range extra {
		p, err := callbacks.ParseCallbackImport(s)
		if err != nil {
			return nil, fmt.Errorf("--callback-import: %w", err)
		}
		profiles = append(profiles, p)
	}
	return profiles, nil
}

// analyzeCallbacks runs the callback analysis on two core modules.
func analyzeCallbacks(opts *DiffOptions, old, nw *analyze.Artifact) (oa, na *callbacks.Analysis, err error) {
	profiles, err := callbackProfiles(opts.CallbackImports)
	if err != nil {
		return nil, nil, inputError(err)
	}
	if oa, err = callbacks.Analyze(old.Core, &callbacks.Options{Profiles: profiles}); err != nil {
		return nil, nil, inputError(&analyze.Error{Path: old.Path, Err: err})
	}
	if na, err = callbacks.Analyze(nw.Core, &callbacks.Options{Profiles: profiles}); err != nil {
		return nil, nil, inputError(&analyze.Error{Path: nw.Path, Err: err})
	}
	return oa, na, nil
}

func artifact(a *analyze.Artifact) compat.Artifact {
	return compat.Artifact{Path: a.Path, Kind: string(a.Kind), SHA256: a.SHA256}
}
