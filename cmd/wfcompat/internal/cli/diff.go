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
	"github.com/wfcompat/wfcompat/rewrite"
)

// DiffOptions are the inputs of `wfcompat diff`.
type DiffOptions struct {
	IO       *IO
	Old, New string
	// OldWorld and NewWorld select the world of a WIT input.
	OldWorld, NewWorld string
	Format             string
	// Outputs are --output FORMAT=FILE: reports written to files, each
	// atomically, beside the one on stdout.
	Outputs []string
	// Modes are the gating modes from --mode; empty defers to the config,
	// then to every applicable mode.
	Modes        []string
	RequireProof bool
	// Config is the --config path; "" reads WFCOMPAT_CONFIG, else looks
	// for wfcompat.yaml (or .yml) in the working directory and its parents
	// up to the repository root.
	Config string
	// CallbackImports add callback-registering imports to the in-flight
	// analysis of core modules (MODULE.NAME:ARG[,ARG]).
	CallbackImports []string
	// Platform is --platform: the platform profile (host set and upgrade
	// path) new imports and the gate are judged by.
	Platform string
	// Logs are --log: event logs run to prove replay, snapshot, restart.
	Logs []string
	// Run holds the runner's host flags (--seed, --http-respond, …) the
	// logs run with, as `wfcompat replay` takes them; Strict is --strict.
	Run    RunOptions
	Strict bool
	// hostFlags names the host flags given, which need logs to apply to.
	hostFlags []string
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
  replay     restart, plus results of the same value types and unchanged
             imports (never safe statically: the event log must be replayed)
  snapshot   OLD exports golem:api save-snapshot, NEW load-snapshot
  in-flight  outstanding calls survive: callback table slots that core
             modules pass to ic0.call_new stay put, with the same signature
             (see wfcompat pin); a slot written at run time or in an
             imported table, or an env that is a heap pointer or not
             classified (unless the old build's pre_upgrade refuses the
             upgrade while calls are outstanding, as Motoko's does), is
             unproven

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
                          (also @sha256:DIGEST; credentials: docker login),
                          fetched by the wfcompat-oci helper (beside wfcompat)
  https://URL[#sha256=HEX] a download, checked against the digest if given,
                          by the same helper (redirects to https:// only)
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
Without a declared host, a new import makes api unsafe (as wasm-tools
semver-check does) and the other modes unproven, naming the import
(IMPORT_ADDED, IMPORT_FUNCTION_ADDED, IMPORT_VERSION_CHANGED).

--platform (or platform: in wfcompat.yaml) names the platform profile: the
host set, and the upgrade path, which decides the gating modes:
  golem            Golem's host set (WASI 0.2.x, golem:api, golem:rpc,
                   wasi:keyvalue); the default gate
  golem-automatic  Golem's host set; gates on replay (automatic update)
  golem-manual     Golem's host set; gates on snapshot and api (manual update)
  vercel           gates on restart; two Vercel manifests on every mode
                   the Vercel rules judge
  ic               the ic0 System API; gates on in-flight and api
  any              passes when at least one mode does (the modes with the
                   best verdict gate)
host_provides: in wfcompat.yaml adds host patterns.

The gating modes are, first to last: --mode, the config's modes:, the
platform profile's, else the default: every mode that applies, except an
upgrade path the old build does not offer at all (snapshot, when OLD
exports no save-snapshot: no running worker can be updated that way, so
the mode is reported but does not gate). The default is strict on purpose:
without knowing your upgrade path, a change that breaks any path the
running build could take fails, and a false pass is the error that costs.
Name your path with --platform to gate on it alone. A profile whose modes
do not apply to the builds at all (golem-manual on builds without snapshot
exports) fails closed: that upgrade cannot carry a worker over.

WIT inputs are read with every @unstable feature enabled, so that a
breaking change behind a feature the build enables is never missed (a
component's world is what its build made it). --wit-features a,b (or
wit_features: in wfcompat.yaml) reads WIT as a build enabling only a and b
sees it: items behind other features are left out of both sides, and so
are changes to them; '' enables none. @since items are always read. A
feature no gate names is ignored, with a warning (a typo would leave out
items the build has). See docs/wit.md.

Two sides with the same sha256 (the same binary, or a binary and its
manifest) are safe in every mode without analysis, except in-flight of a
core module: a fresh instance of the same module loses slots written at run
time and heap data an env points to, so the callback analysis still judges it.

The report starts with one line: the modes NEW may take over by and
those it may not, with the main reason ("deployable via: api, restart,
replay (unproven) · blocked: snapshot (save-snapshot missing, +1 more)").

Configuration: --config FILE, else $WFCOMPAT_CONFIG, else wfcompat.yaml
(or .yml) in the working directory or its nearest parent up to the
repository root (the directory with .git). It sets the gating modes,
suppresses findings (ignore: entries with rule, subject, reason, until),
overrides severities; see docs/config.md. The report names the file.
Suppressed findings are counted in every format; an ignore entry that
expired or matched nothing is a warning (on stderr).

--output FORMAT=FILE (repeatable) writes more reports in one run, each
through a temporary file and a rename; --format picks the one on stdout.
With GITHUB_STEP_SUMMARY set (GitHub Actions), the markdown report is
appended to that file.

Exit status: 0 when no gating mode is unsafe (nor unproven, with
--require-proof), 1 when one is, 2 on a usage or input error.`,
		Example: `  wfcompat diff old.wasm new.wasm
  wfcompat diff --mode api --mode snapshot --format github old.wasm new.wasm
  wfcompat diff --old-world api --new-world api wit/v1 wit/v2
  wfcompat diff --wit-features tracing old/wit new/wit
  wfcompat diff --platform golem-automatic old.wasm new.wasm
  wfcompat diff --output sarif=wfcompat.sarif --output json=report.json old.wasm new.wasm
  wfcompat diff old.manifest.json dist/worker.wasm
  wfcompat diff git:origin/main:dist/worker.wasm dist/worker.wasm
  wfcompat diff oci://ghcr.io/acme/worker:prod dist/worker.wasm
  wfcompat diff old/.well-known/workflow/v1/manifest.json new/.well-known/workflow/v1/manifest.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			for _, name := range append(hostFlagNames(), "strict") {
				if cmd.Flags().Changed(name) {
					opts.hostFlags = append(opts.hostFlags, "--"+name)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runDiff(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", format.Text, "output format: "+strings.Join(format.Formats(), ", "))
	stringArrayVar(f, &opts.Modes, "mode", "gate on this mode (repeatable): "+modeNames())
	f.BoolVar(&opts.RequireProof, "require-proof", false, "fail on unproven gating modes too")
	f.StringVar(&opts.OldWorld, "old-world", "", "world to select in a WIT input OLD")
	f.StringVar(&opts.NewWorld, "new-world", "", "world to select in a WIT input NEW")
	stringArrayVar(f, &opts.Outputs, "output", "also write the report in FORMAT to FILE (repeatable): `FORMAT=FILE`")
	f.StringVar(&opts.Config, "config", "", "configuration file (default: $WFCOMPAT_CONFIG, else "+config.FileName+" in the working directory or a parent up to the repository root)")
	f.StringVar(&opts.Platform, "platform", "", "platform profile, the host NEW will run on and how it is upgraded: "+strings.Join(compat.ProfileNames(), ", ")+" (replaces the config's platform:)")
	stringArrayVar(f, &opts.Logs, "log", "run this event log (repeatable; globs allowed) on the builds to prove replay, snapshot and restart")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "text: show info findings too; github: annotate them as notices")
	stringArrayVar(f, &opts.CallbackImports, "callback-import", "core modules: also treat parameters ARG of import MODULE.NAME as callback table indices; repeatable: `MODULE.NAME:ARG[,ARG]`")
	addHostFlags(f, &opts.Run)
	f.BoolVar(&opts.Strict, "strict", false, "with logs: also compare the arguments of durable import calls in replays")
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
	outputs, err := parseOutputs(opts.Outputs)
	if err != nil {
		return inputError(err)
	}
	if _, err := callbackProfiles(opts.CallbackImports); err != nil {
		return inputError(err)
	}
	gate, err := parseModes(opts.Modes)
	if err != nil {
		return inputError(err)
	}
	if opts.Platform != "" {
		if _, err := compat.ProfileByName(opts.Platform); err != nil {
			return inputError(fmt.Errorf("--platform: %w", err))
		}
	}
	cfg, err := loadConfig(opts.IO, opts.Config)
	if err != nil {
		return inputError(err)
	}
	opts.IO.applyConfigWITFeatures(cfg)
	logs, err := expandLogs(opts.Logs)
	if err != nil {
		return inputError(err)
	}
	cfgLogs, err := cfg.LogPaths()
	if err != nil && (len(opts.hostFlags) > 0 || len(outputs) > 0) {
		return inputError(err)
	}
	if len(opts.hostFlags) > 0 && len(logs) == 0 && len(cfgLogs) == 0 {
		return inputError(fmt.Errorf("%s: host flags apply to the runs of event logs; give --log (or logs: in the config)", strings.Join(opts.hostFlags, ", ")))
	}
	// Every file diff reads is an input no --output may replace: the
	// builds, the configuration (found or given), the event logs and the
	// --http-respond body.
	inputs := []rewrite.NamedPath{{Role: "OLD", Path: opts.Old}, {Role: "NEW", Path: opts.New},
		{Role: "--http-respond", Path: httpBodyFile(opts.Run.HTTPRespond)}}
	if cfg != nil {
		inputs = append(inputs, rewrite.NamedPath{Role: "the configuration", Path: cfg.Path})
	}
	for _, l := range logs {
		inputs = append(inputs, rewrite.NamedPath{Role: "--log", Path: l})
	}
	for _, l := range cfgLogs {
		inputs = append(inputs, rewrite.NamedPath{Role: "the configuration's logs:", Path: l})
	}
	if err := checkReportOutputs(outputs, inputs); err != nil {
		return inputError(err)
	}
	// Event logs prove modes by running them: the complete build runs
	// them (diff_full.go); a lean build hands the whole run to
	// wfcompat-full here, before it opens any input (diff_lean.go).
	var prover wfcompat.Prover
	if len(logs) > 0 || cfg != nil && len(cfg.Logs) > 0 {
		if prover, err = logProver(opts); err != nil {
			return err
		}
	}
	old, nw, err := openPair(opts.IO, opts.Old, opts.OldWorld, opts.New, opts.NewWorld)
	if err != nil {
		return inputError(err)
	}
	// In the report too (JSON, SARIF, ...), not only on standard error: a
	// misspelt feature leaves items out of the comparison.
	witWarnings := opts.IO.unknownWITFeatures(old.opened, nw.opened)
	res, err := wfcompat.Diff(context.Background(), old.opened, nw.opened, wfcompat.DiffOptions{
		Config:          cfg,
		Modes:           gate,
		RequireProof:    opts.RequireProof,
		CallbackImports: opts.CallbackImports,
		Platform:        opts.Platform,
		Logs:            logs,
		Prover:          prover,
	})
	if err != nil {
		return inputError(err)
	}
	res.Report.Warnings = append(res.Report.Warnings, witWarnings...)
	for _, w := range res.Report.Warnings {
		fmt.Fprintf(opts.IO.Err, "wfcompat: warning: %s\n", w)
	}
	fopts := res.Gate
	fopts.Verbose = opts.Verbose
	fopts.Time, fopts.Elapsed = start, time.Since(start)
	// Render everything before writing anything, so a failure leaves no
	// partial output; files go through a temporary file and a rename.
	render := func(name string, color bool) ([]byte, error) {
		o := fopts
		o.Color = color
		var b bytes.Buffer
		err := format.Write(&b, name, res.Report, o)
		return b.Bytes(), err
	}
	stdout, err := render(opts.Format, opts.IO.OutTTY)
	if err != nil {
		return err
	}
	files := make([][]byte, len(outputs))
	for i, o := range outputs {
		if files[i], err = render(o.format, false); err != nil {
			return err
		}
	}
	var summary []byte
	summaryPath := opts.IO.getenv("GITHUB_STEP_SUMMARY")
	if summaryPath != "" {
		if summary, err = render(format.Markdown, false); err != nil {
			return err
		}
	}
	written := make([]outputFile, len(outputs))
	for i, o := range outputs {
		written[i] = outputFile{label: "--output " + o.format + "=" + o.path, path: o.path, data: files[i]}
	}
	if err := opts.IO.writeOutputs(written...); err != nil {
		return err
	}
	if summaryPath != "" {
		// The summary is a courtesy of the CI: failing to write it must
		// not hide the gate's outcome.
		if err := appendStepSummary(summaryPath, summary, inputs); err != nil {
			fmt.Fprintf(opts.IO.Err, "wfcompat: warning: %v\n", err) // names GITHUB_STEP_SUMMARY
		}
	}
	if _, err := opts.IO.Out.Write(stdout); err != nil {
		return err
	}
	if res.Outcome == format.OutcomeFail {
		return silentExit(ExitUnsafe)
	}
	return nil
}

// reportOutput is one --output FORMAT=FILE.
type reportOutput struct{ format, path string }

// parseOutputs reads --output FORMAT=FILE values.
func parseOutputs(vals []string) ([]reportOutput, error) {
	var out []reportOutput
	for _, v := range vals {
		name, path, ok := strings.Cut(v, "=")
		if !ok || path == "" {
			return nil, fmt.Errorf("--output %q: want FORMAT=FILE, such as sarif=wfcompat.sarif", v)
		}
		if !slices.Contains(format.Formats(), name) {
			return nil, fmt.Errorf("--output %q: unknown format %q (valid: %s)", v, name, strings.Join(format.Formats(), ", "))
		}
		out = append(out, reportOutput{name, path})
	}
	return out, nil
}

// checkReportOutputs refuses an --output that is an input, another
// output, or a file that may not be replaced (rewrite.CheckOutputs).
func checkReportOutputs(outputs []reportOutput, inputs []rewrite.NamedPath) error {
	var outs []rewrite.NamedPath
	ins := localInputs(inputs...)
	for _, o := range outputs {
		outs = append(outs, rewrite.NamedPath{Role: "--output " + o.format, Path: o.path})
	}
	return rewrite.CheckOutputs(ins, outs)
}

func parseModes(names []string) ([]compat.Mode, error) {
	var modes []compat.Mode
	for _, n := range names {
		// Accept --mode api,restart as well as repeated flags.
		for _, part := range strings.Split(n, ",") {
			m := compat.Mode(strings.TrimSpace(part))
			if !slices.Contains(compat.AllModes(), m) {
				if s := compat.DidYouMean(string(m), strings.Split(modeNames(), ", ")); s != "" {
					return nil, fmt.Errorf("unknown mode %q (did you mean %q? valid: %s)", part, s, modeNames())
				}
				return nil, fmt.Errorf("unknown mode %q (valid: %s)", part, modeNames())
			}
			if !slices.Contains(modes, m) {
				modes = append(modes, m)
			}
		}
	}
	return modes, nil
}

// loadConfig reads path (--config), else the file WFCOMPAT_CONFIG names,
// else the wfcompat.yaml (or .yml) of the working directory or its nearest
// parent up to the repository root. It returns nil when there is none.
func loadConfig(io *IO, path string) (*config.Config, error) {
	if path != "" {
		return wfcompat.LoadConfig(path)
	}
	if env := io.getenv("WFCOMPAT_CONFIG"); env != "" {
		c, err := wfcompat.LoadConfig(env)
		if err != nil {
			return nil, fmt.Errorf("WFCOMPAT_CONFIG: %w", err)
		}
		return c, nil
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
