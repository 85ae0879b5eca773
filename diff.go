package wfcompat

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/compat/format"
	"github.com/wfcompat/wfcompat/compat/vercel"
	"github.com/wfcompat/wfcompat/internal/buildinfo"
	"github.com/wfcompat/wfcompat/manifest"
)

// registry is every rule: compat's and compat/vercel's.
var registry = sync.OnceValue(func() *compat.Registry {
	r, err := compat.NewRegistry(vercel.Rules())
	if err != nil {
		panic(err) // a rule ID clash is a bug the tests catch
	}
	return r
})

// Rules returns the registry() of every rule wfcompat reports under: the
// world diff's, the in-flight check's and the Vercel Workflow rules.
// wfcompat.yaml validates against it and `wfcompat rules` lists it.
func Rules() *compat.Registry { return registry() }

// Open reads the input at path as the CLI does: analyze.Open with
// wfcompat manifests (files and embedded sections) and Vercel Workflow
// DevKit manifests, unless opts sets its own readers.
func Open(path string, opts analyze.Options) (*analyze.Artifact, error) {
	if opts.Manifests == nil {
		opts.Manifests = manifest.Reader{}
	}
	if opts.Documents == nil {
		opts.Documents = []analyze.DocumentReader{VercelReader{}}
	}
	return analyze.Open(path, opts)
}

// VercelReader reads Vercel Workflow DevKit build manifests for
// analyze.Open (Artifact.Document is a *vercel.Manifest).
type VercelReader struct{}

// Kind returns vercel.Kind.
func (VercelReader) Kind() analyze.Kind { return analyze.Kind(vercel.Kind) }

// Claims reports whether b is a Vercel Workflow manifest.
func (VercelReader) Claims(b []byte) bool { return vercel.IsManifest(b) }

// ReadDocument parses the manifest.
func (VercelReader) ReadDocument(path string, b []byte) (any, error) { return vercel.Parse(b, path) }

// LoadConfig reads the wfcompat.yaml at path, validated against Rules.
func LoadConfig(path string) (*config.Config, error) { return config.Load(path, registry()) }

// FindConfig reads the wfcompat.yaml (or .yml) of dir or its nearest
// parent up to the repository root (config.Discover), or returns nil when
// there is none.
func FindConfig(dir string) (*config.Config, error) { return config.Find(dir, registry()) }

// DiffOptions are the inputs of Diff beyond the two artifacts: the
// command-line flags of `wfcompat diff`, and the configuration.
type DiffOptions struct {
	// Config is the wfcompat.yaml (nil: none): gating modes, require_proof,
	// the policy, callback_imports, platform and host_provides.
	Config *config.Config
	// Modes are the gating modes (--mode); nil defers to the config's
	// modes:, then to the platform profile's, then to compat.DefaultGate.
	Modes []compat.Mode
	// RequireProof fails the gate on unproven gating modes too (or the
	// config's require_proof).
	RequireProof bool
	// CallbackImports add callback-registering imports to the in-flight
	// analysis, after the config's (MODULE.NAME:ARG[,ARG]).
	CallbackImports []string
	// Platform names the platform profile (--platform, compat.Profiles),
	// replacing the config's platform:: its host set (the config's
	// host_provides add to it) and its gating modes (when neither Modes
	// nor the config's modes: name them).
	Platform string
	// Logs are event logs recorded by workers of the old build; with the
	// config's logs: Prover runs them to prove replay, snapshot and
	// restart, unless Evidence is given.
	Logs []string
	// Evidence, when set, is used instead of running Logs.
	Evidence *compat.Evidence
	// Prover runs Logs and the config's logs: (package evidence runs them
	// on the bundled runner: evidence.Prover). Diff refuses logs without
	// one: the root package links no Wasm runtime.
	Prover Prover
	// Now is the day ignore entries' until: dates are judged at; zero is
	// time.Now().
	Now time.Time
}

// DiffResult is what `wfcompat diff` shows and decides.
type DiffResult struct {
	// Report holds the findings and the verdict of every mode.
	Report *compat.Report
	// Gate is how the report is gated (the modes, require-proof), for
	// format.Write and format.Evaluate; set Color to render for a terminal.
	Gate format.Options
	// Outcome is the gate's decision: OutcomeFail is exit status 1.
	Outcome format.Outcome
}

// UsageError is an error in the options or in how the inputs combine
// (a Vercel manifest against a Wasm build): exit status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Diff compares the build that runs (old) with the build that is to take
// over (new), as `wfcompat diff` does: two Vercel Workflow manifests with
// vercel.DiffWith, anything else with compat.Diff, core modules with their
// callback analyses (made now, or recorded by a manifest), under the
// config's policy and host, and gates the report. Two sides with the same
// sha256 (the same binary, or a binary and a manifest recording its digest)
// are the same build: every mode is safe without analysis (compat.Identical),
// except in-flight of a core module, which its callback analysis still
// judges (identicalInFlight).
//
// The gate: opts.Modes (--mode), else the config's modes:, else the
// platform profile's (opts.Platform or the config's platform:, see
// compat.Profiles; "any" gates on the best mode), else compat.DefaultGate.
// The report carries it (Report.Gate), with the tool version and the
// configuration file. Errors are *UsageError, *analyze.Error (an input that
// cannot be analysed) or ctx's.
func Diff(ctx context.Context, old, new *analyze.Artifact, opts DiffOptions) (*DiffResult, error) {
	cfg := opts.Config
	gate := opts.Modes
	if len(gate) == 0 && cfg != nil {
		gate = cfg.Modes
	}
	for _, m := range gate {
		if !slices.Contains(compat.AllModes(), m) {
			return nil, &UsageError{fmt.Errorf("unknown mode %q", m)}
		}
	}
	profileName := opts.Platform
	if profileName == "" && cfg != nil {
		profileName = cfg.Platform
	}
	var profile compat.Profile
	if profileName != "" {
		p, err := compat.ProfileByName(profileName)
		if err != nil {
			return nil, &UsageError{err}
		}
		profile = p
	}
	host, err := cfg.Host(opts.Platform)
	if err != nil {
		return nil, &UsageError{err}
	}
	policy := cfg.Policy()
	policy.Now = opts.Now
	copts := compat.Options{Old: side(old), New: side(new), Policy: policy, Rules: registry(), Host: host,
		NewWidth: coreWidth(new), OldExterns: old.CoreExterns, NewExterns: new.CoreExterns}
	var report *compat.Report
	ov, oldVercel := old.Document.(*vercel.Manifest)
	nv, newVercel := new.Document.(*vercel.Manifest)
	switch {
	case oldVercel != newVercel:
		v, other := old, new
		if newVercel {
			v, other = new, old
		}
		return nil, &UsageError{fmt.Errorf("%s is a Vercel Workflow manifest but %s is not; diff compares two builds of the same kind", v.Path, other.Path)}
	case !oldVercel && (old.World == nil || new.World == nil):
		return nil, &UsageError{errors.New("diff compares builds with worlds (binaries, WIT, manifests)")}
	case compat.SameArtifact(copts.Old, copts.New) && sameWorld(old, new) && sameWITReading(old, new):
		// No log runs on identical builds, but a logs: pattern naming no
		// file is the config's error whatever the builds (as --log's is).
		if _, err := cfg.LogPaths(); err != nil {
			return nil, &UsageError{err}
		}
		report = compat.Identical(copts.Old, copts.New)
		if old.Kind == analyze.KindCore {
			if err := identicalInFlight(ctx, report, old, new, copts, callbackImportsOf(cfg, opts)); err != nil {
				return nil, err
			}
		}
	default:
		if copts.Evidence, err = evidence(ctx, old, new, cfg, opts); err != nil {
			return nil, err
		}
		if oldVercel {
			report = vercel.DiffWith(ov, nv, copts)
			break
		}
		if copts.OldCallbacks, copts.NewCallbacks, err = diffCallbacks(ctx, callbackImportsOf(cfg, opts), old, new); err != nil {
			return nil, err
		}
		report = compat.Diff(old.World, new.World, copts)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	anyMode := false
	if len(gate) == 0 {
		switch {
		case profile.Any:
			anyMode = true
		case profile.Name == "vercel" && oldVercel:
			// Two DevKit manifests: every mode the Vercel rules judge.
		default:
			gate = profile.Modes
		}
	}
	if len(gate) == 0 && !anyMode {
		gate = compat.DefaultGate(report)
	} else if len(opts.Modes) == 0 && (cfg == nil || len(cfg.Modes) == 0) && len(gate) > 0 {
		profilePathClosed(report, profile.Name, profile.PathModes())
	}
	proof := opts.RequireProof || cfg != nil && cfg.RequireProof
	report.Gate = &compat.Gate{Modes: slices.Clone(gate), RequireProof: proof, Profile: profile.Name, Any: anyMode}
	if report.Gate.Modes == nil {
		report.Gate.Modes = []compat.Mode{}
	}
	report.ToolVersion = buildinfo.Read().Version
	if cfg != nil {
		report.Config = cfg.Path
	}
	res := &DiffResult{Report: report, Gate: format.Options{Gate: gate, RequireProof: proof, Any: anyMode, Rules: registry()}}
	res.Outcome = format.Evaluate(report, res.Gate)
	res.Report.Gate.Outcome = string(res.Outcome)
	return res, nil
}

// sameWITReading reports whether two sides with the same bytes were
// read alike. The same WIT read with other @unstable features is another
// world: WIT sides, read directly or described by manifests, are the same
// reading only with the same features, and a manifest of WIT that does
// not record them (an older layout) is never the same reading.
func sameWITReading(a, b *analyze.Artifact) bool {
	if a.Kind != analyze.KindWIT && b.Kind != analyze.KindWIT {
		return true
	}
	if a.WITFeaturesUnrecorded || b.WITFeaturesUnrecorded {
		return false
	}
	return a.WITFeatures.Same(b.WITFeatures)
}

// sameWorld reports whether two sides with the same bytes stand for the
// same build: a WIT file declaring several worlds is two builds when
// --old-world and --new-world pick different ones.
func sameWorld(a, b *analyze.Artifact) bool {
	if a.World == nil || b.World == nil {
		return a.World == nil && b.World == nil
	}
	return a.World.Name == b.World.Name && a.World.Package == b.World.Package
}

// profilePathClosed fails closed when none of the modes a platform
// profile upgrades by applies to the builds (golem-manual on builds
// without snapshot exports): the upgrade the user does cannot carry a
// worker over, so those modes become unsafe, with why, instead of the
// gate passing for want of an applicable mode.
func profilePathClosed(r *compat.Report, profile string, modes []compat.Mode) {
	for _, m := range modes {
		if res := r.Modes[m]; res != nil && res.Verdict != compat.NotApplicable {
			return
		}
	}
	for _, m := range modes {
		why := "the mode was not evaluated"
		if res := r.Modes[m]; res != nil && len(res.Reasons) > 0 {
			why = res.Reasons[0].Message
		}
		r.Modes[m] = &compat.ModeResult{Verdict: compat.Unsafe, Reasons: []compat.Reason{{Verdict: compat.Unsafe,
			Message: fmt.Sprintf("not offered by these builds: platform %s upgrades by %s, which cannot carry them over (%s)", profile, m, why)}}}
	}
}

// evidence runs the logs of opts and cfg, or returns opts.Evidence.
func evidence(ctx context.Context, old, new *analyze.Artifact, cfg *config.Config, opts DiffOptions) (*compat.Evidence, error) {
	if opts.Evidence != nil {
		return opts.Evidence, nil
	}
	logs := slices.Clone(opts.Logs)
	more, err := cfg.LogPaths()
	if err != nil {
		return nil, &UsageError{err}
	}
	logs = append(logs, more...)
	if len(logs) == 0 {
		return nil, nil
	}
	if old.World == nil || new.World == nil || old.Document != nil || new.Document != nil {
		return nil, &UsageError{errors.New("event logs (--log, logs:) run on component or core module builds")}
	}
	if opts.Prover == nil {
		return nil, &UsageError{fmt.Errorf("event logs to run (%d, from --log and logs:) and no Prover to run them (DiffOptions.Prover: evidence.Prover runs them on the bundled runner)", len(logs))}
	}
	return opts.Prover.Prove(ctx, old, new, logs)
}

// A Prover runs event logs recorded by workers of old, to prove the
// modes that only running proves (replay, snapshot, restart), and returns
// what they showed; compat.Diff turns it into verdicts. evidence.Prover
// is the bundled one. An unreadable log is an error.
type Prover interface {
	Prove(ctx context.Context, old, nw *analyze.Artifact, logs []string) (*compat.Evidence, error)
}

// coreWidth is the address width of a core build (compat.Options.NewWidth):
// its module's, or for a manifest, the one it records (unknown when it
// records none, as one written before core_externs.address_width).
func coreWidth(a *analyze.Artifact) compat.AddressWidth {
	if a.Core != nil {
		return compat.CoreWidth(a.Core)
	}
	if a.Kind != analyze.KindCore {
		return compat.WidthUnknown
	}
	return compat.RecordedWidth(a.CoreExterns)
}

// side names an artifact in a report.
func side(a *analyze.Artifact) compat.Artifact {
	return ReportArtifact(a)
}

// ReportArtifact is a as reports name it: its path, kind and digest, and
// the @unstable features a WIT input was read with when they were
// restricted (analyze.WITFeatures).
func ReportArtifact(a *analyze.Artifact) compat.Artifact {
	r := compat.Artifact{Path: a.Path, Kind: string(a.Kind), SHA256: a.SHA256}
	if a.Kind == analyze.KindWIT && a.WITFeatures.Only {
		names := append([]string{}, a.WITFeatures.Names...)
		r.WITFeatures = &names
	}
	return r
}

// callbackImportsOf are the callback imports a diff analyses core modules
// with beyond ic0's: the config's callback_imports, then --callback-import.
func callbackImportsOf(cfg *config.Config, opts DiffOptions) []string {
	imports := opts.CallbackImports
	if cfg != nil && len(cfg.CallbackImports) > 0 {
		imports = append(slices.Clone(cfg.CallbackImports), opts.CallbackImports...)
	}
	return imports
}

// identicalInFlight judges the in-flight mode of two identical core
// modules (report, from compat.Identical) by their callback analysis. An
// upgrade instantiates even the same module afresh: the Internet Computer
// discards main memory and builds the tables from the element segments
// again, so a callback slot written at run time (CALLBACK_TABLE_WRITTEN),
// kept in an imported table (CALLBACK_UNRESOLVED) or handed an env that is
// a heap pointer (CALLBACK_ENV_HEAP_POINTER) is not proven to survive
// because the build is the same. When the analysis leaves in-flight below
// safe, its result replaces the identical one, with its findings; the
// ones the config suppressed are listed either way. The other modes stay
// safe.
func identicalInFlight(ctx context.Context, report *compat.Report, old, nw *analyze.Artifact, copts compat.Options, imports []string) error {
	var err error
	if copts.OldCallbacks, copts.NewCallbacks, err = diffCallbacks(ctx, imports, old, nw); err != nil {
		return err
	}
	full := compat.Diff(old.World, nw.World, copts)
	for _, s := range full.Suppressed {
		if slices.Contains(s.Modes, compat.ModeInFlight) {
			report.Suppressed = append(report.Suppressed, s)
		}
	}
	res := full.Modes[compat.ModeInFlight]
	if res == nil || res.Verdict == compat.Safe || res.Verdict == compat.NotApplicable {
		return nil
	}
	report.Modes[compat.ModeInFlight] = res
	for _, f := range full.Findings {
		if slices.Contains(f.Modes, compat.ModeInFlight) {
			report.Findings = append(report.Findings, f)
		}
	}
	return nil
}

// diffCallbacks returns the callback analyses of two core modules, which
// decide the in-flight mode: for a manifest file the analysis it records,
// for a binary one made now, with the profiles of the recorded ones (see
// AnalysisProfiles). Without an analysis on either side (other kinds, a
// manifest recording none) both are nil and in-flight is n/a or unproven.
func diffCallbacks(ctx context.Context, imports []string, old, nw *analyze.Artifact) (oa, na *callbacks.Analysis, err error) {
	if old.Kind != analyze.KindCore || nw.Kind != analyze.KindCore {
		return nil, nil, nil
	}
	for _, a := range []*analyze.Artifact{old, nw} {
		if a.FromManifest() && manifest.Of(a).Callbacks == nil {
			return nil, nil, nil
		}
	}
	profiles, err := AnalysisProfiles(imports, old, nw)
	if err != nil {
		return nil, nil, err
	}
	if oa, err = CallbackAnalysis(ctx, old, profiles); err != nil {
		return nil, nil, err
	}
	if na, err = CallbackAnalysis(ctx, nw, profiles); err != nil {
		return nil, nil, err
	}
	return oa, na, nil
}

// CallbackProfiles are the callback-registering imports of the in-flight
// analysis: the Internet Computer's, plus extra (MODULE.NAME:ARG[,ARG]).
func CallbackProfiles(extra []string) ([]callbacks.Profile, error) {
	profiles := callbacks.IC0()
	for _, s := range extra {
		p, err := callbacks.ParseCallbackImport(s)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("--callback-import: %w", err)}
		}
		profiles = append(profiles, p)
	}
	return profiles, nil
}

// AnalysisProfiles decides the profiles of the callback analyses of a
// command: ic0's and extra's or, without extra, those a manifest among
// arts recorded its analysis with. An analysis made with other profiles
// than the others is not comparable to them, so a manifest recorded with
// other profiles is an error (an *analyze.Error naming it).
func AnalysisProfiles(extra []string, arts ...*analyze.Artifact) ([]callbacks.Profile, error) {
	profiles, err := CallbackProfiles(extra)
	if err != nil {
		return nil, err
	}
	var from *analyze.Artifact // the manifest whose profiles are used
	for _, a := range arts {
		if a == nil || !a.FromManifest() || manifest.Of(a).Callbacks == nil {
			continue
		}
		rec := manifest.Of(a).Callbacks.AnalysisProfiles()
		if len(extra) == 0 && from == nil {
			profiles, from = rec, a
			continue
		}
		if manifest.SameProfiles(rec, profiles) {
			continue
		}
		recText, usedText := manifest.ProfilesTexts(rec, profiles)
		used := "ic0's and --callback-import's, " + usedText
		if from != nil {
			used = from.Path + "'s, " + usedText
		}
		return nil, &analyze.Error{Path: a.Path, Err: fmt.Errorf(
			"the manifest's callback analysis matched the callback imports %s, not %s; analyses made with different imports are not comparable (give the --callback-import the manifests were made with, or none to use theirs)",
			recText, used)}
	}
	return profiles, nil
}

// CallbackAnalysis returns the callback analysis of a core module: the one
// a manifest file records (nil when it records none, as a v1 manifest), or
// one made now with profiles.
func CallbackAnalysis(ctx context.Context, a *analyze.Artifact, profiles []callbacks.Profile) (*callbacks.Analysis, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a.FromManifest() {
		if c := manifest.Of(a).Callbacks; c != nil {
			return c.Analysis(), nil
		}
		return nil, nil
	}
	if a.Core == nil {
		return nil, nil
	}
	an, err := callbacks.Analyze(a.Core, &callbacks.Options{Profiles: profiles})
	if err != nil {
		return nil, &analyze.Error{Path: a.Path, Err: err}
	}
	return an, nil
}
