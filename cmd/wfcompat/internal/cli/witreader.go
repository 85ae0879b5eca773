package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/wit/witparse"
)

// witReaderEnv names the environment variable that selects the WIT
// reader: "wasm-tools" for the wasm-tools that go.bytecodealliance.org
// embeds (wit/wasmtools; only in a build with -tags wasmtools), anything
// else for the native reader (wit/witparse).
const witReaderEnv = "WFCOMPAT_WIT_READER"

// witReaders are the WIT readers of a run besides the native one (see
// analyze.Options): reader, when set, replaces it; fallback reads the WIT
// it does not (binary WIT packages under deps/). Only a build with -tags
// wasmtools has any (witreader_wasmtools.go).
type witReaders struct {
	reader, fallback witparse.Reader
}

// chooseWITReaders sets the WIT readers of the run from WFCOMPAT_WIT_READER;
// asking for one this build lacks is a usage error.
func (io *IO) chooseWITReaders() error {
	r, err := witReadersFor(io.getenv(witReaderEnv))
	if err != nil {
		return inputError(err)
	}
	io.wit = r
	return nil
}

// openOptions completes opts for analyze.Open (and wfcompat.Open): the
// input size limit and the WIT readers of the run.
func (io *IO) openOptions(opts analyze.Options) analyze.Options {
	opts.MaxSize = io.MaxInputSize
	opts.WITReader = io.wit.reader
	opts.WITFallback = io.wit.fallback
	opts.WITFeatures = io.witFeatures.features
	return opts
}

// witFeatureFlags are --wit-features and --all-wit-features as given,
// and the features they (or the configuration) select.
type witFeatureFlags struct {
	list []string // --wit-features values, as given
	all  bool     // --all-wit-features
	// features is the selection; from says where it came from
	// ("--wit-features", "the configuration's wit_features"; "" for the
	// default, every feature).
	features analyze.WITFeatures
	from     string
}

// Help of the WIT feature flags (root.go adds them to every command).
const (
	witFeaturesHelp = "enable only the @unstable WIT features `FEATURE[,FEATURE]`, as your build does; items behind others are left out of WIT inputs " +
		"(repeatable; '' enables none; for diff, replaces the config's wit_features:). Default: every feature, so that no breaking change " +
		"behind a feature the build enables is missed"
	allWITFeaturesHelp = "enable every @unstable WIT feature (the default; for diff, replaces the config's wit_features:)"
)

// addWITFeatureFlags adds --wit-features and --all-wit-features to root,
// for every command: each reads WIT the same way (openOptions).
func (io *IO) addWITFeatureFlags(root *cobra.Command) {
	fs := root.PersistentFlags()
	stringArrayVar(fs, &io.witFeatures.list, "wit-features", witFeaturesHelp)
	fs.BoolVar(&io.witFeatures.all, "all-wit-features", false, allWITFeaturesHelp)
}

// chooseWITFeatures reads the WIT feature flags of cmd, the command run.
func (io *IO) chooseWITFeatures(cmd *cobra.Command) error {
	f := &io.witFeatures
	given := cmd.Flags().Changed("wit-features")
	switch {
	case given && f.all:
		return inputError(errors.New("--wit-features and --all-wit-features: give one (--all-wit-features is the default)"))
	case f.all:
		f.from = "--all-wit-features"
	case given:
		names, err := parseWITFeatures(f.list)
		if err != nil {
			return inputError(fmt.Errorf("--wit-features: %w", err))
		}
		f.features = analyze.WITFeatures{Only: true, Names: names}
		f.from = "--wit-features"
	}
	return nil
}

// parseWITFeatures splits --wit-features values at commas, dropping empty
// parts (” enables no feature) and repeats.
func parseWITFeatures(vals []string) ([]string, error) {
	names := []string{}
	for _, v := range vals {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" || slices.Contains(names, part) {
				continue
			}
			if err := config.CheckWITFeature(part); err != nil {
				return nil, err
			}
			names = append(names, part)
		}
	}
	return names, nil
}

// applyConfigWITFeatures takes the configuration's wit_features when no
// flag chose the features: a flag wins over the configuration.
func (io *IO) applyConfigWITFeatures(cfg *config.Config) {
	if cfg == nil || cfg.WITFeatures == nil || io.witFeatures.from != "" {
		return
	}
	io.witFeatures.features = analyze.WITFeatures{Only: true, Names: slices.Clone(*cfg.WITFeatures)}
	io.witFeatures.from = "the configuration's wit_features"
}

// warnUnknownWITFeatures warns, on standard error, about enabled features
// that no feature gate of the WIT inputs among arts names
// (unknownWITFeatures).
func (io *IO) warnUnknownWITFeatures(arts ...*analyze.Artifact) {
	for _, w := range io.unknownWITFeatures(arts...) {
		fmt.Fprintf(io.Err, "wfcompat: warning: %s\n", w)
	}
}

// unknownWITFeatures returns a warning for each manifest of WIT among arts
// that records other features than the run's (when the run names
// features or reads WIT too), and for each enabled
// feature that no feature gate of the WIT inputs among arts names (but
// perhaps one inside an item another feature leaves out: it enables
// nothing either): wit-parser ignores such a name, and so does wfcompat,
// but it is most likely a typo that leaves out items the build has.
// Inputs that are not WIT read now (whose world a build or a manifest
// fixed) have no gates and are passed over.
func (io *IO) unknownWITFeatures(arts ...*analyze.Artifact) []string {
	f := io.witFeatures
	var warns []string
	// A manifest's world is as recorded: the run's features do not apply
	// to it, and comparing it with WIT read with other features compares
	// two selections as well as two builds. Said when features were asked
	// for or WIT is read beside it.
	readsWIT := f.from != ""
	for _, a := range arts {
		readsWIT = readsWIT || a != nil && a.Kind == analyze.KindWIT && !a.FromManifest()
	}
	for _, a := range arts {
		if readsWIT && a != nil && a.Kind == analyze.KindWIT && a.FromManifest() && !a.WITFeaturesUnrecorded && !a.WITFeatures.Same(f.features) {
			from := f.from
			if from == "" {
				from = "the default"
			}
			w := fmt.Sprintf("%s: a manifest of WIT read with WIT features %s, not %s (%s): its recorded world is used as it is", a.Path, a.WITFeatures, f.features, from)
			if !slices.Contains(warns, w) {
				warns = append(warns, w)
			}
		}
	}
	if !f.features.Only {
		return warns
	}
	var gates []string
	wit := false
	for _, a := range arts {
		if a != nil && a.Kind == analyze.KindWIT && !a.FromManifest() {
			wit = true
			gates = append(gates, a.WITFeatureGates...)
		}
	}
	if !wit {
		return warns
	}
	for _, n := range f.features.Names {
		if !slices.Contains(gates, n) {
			warns = append(warns, fmt.Sprintf("%s: feature %q enables nothing: no feature gate of the WIT read names it (inside items left out aside); if it is a typo, the items behind the feature meant are left out", f.from, n))
		}
	}
	return warns
}
