package cli

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/wit"
)

// side is one build given on the command line: an artifact as analyze.Open
// reads it (a binary, WIT, or a wfcompat manifest standing for its
// artifact), or a Vercel Workflow DevKit build manifest.
type side struct {
	Path string
	// Kind is the artifact kind (core, component, wit) or vercel-manifest.
	Kind string
	// SHA256 identifies the version: for binaries, the digest without an
	// embedded manifest section (as manifests and event-log headers name
	// it); for a wfcompat manifest, the artifact's digest it records; for a
	// Vercel manifest, the file's.
	SHA256 string
	World  *wit.World
	// Artifact is set for everything but Vercel manifests, Vercel for those.
	Artifact *analyze.Artifact
	Vercel   *vercel.Manifest
}

func (s *side) artifact() compat.Artifact {
	return compat.Artifact{Path: s.Path, Kind: s.Kind, SHA256: s.SHA256}
}

// openSide opens a build given on the command line. analyze cannot tell a
// Vercel manifest (compat/vercel imports compat, which analyze must not),
// so it is recognised here.
func openSide(path, world string) (*side, error) {
	if b, ok, err := readIfJSON(path); err != nil {
		return nil, err
	} else if ok && !manifest.IsManifest(b) && vercel.IsManifest(b) {
		m, err := vercel.Parse(b, path)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		return &side{Path: path, Kind: vercel.Kind, SHA256: hex.EncodeToString(sum[:]), Vercel: m}, nil
	}
	a, err := analyze.Open(path, analyze.Options{Manifests: manifest.Reader{}, World: world})
	if err != nil {
		return nil, err
	}
	return &side{Path: path, Kind: string(a.Kind), SHA256: a.SHA256, World: a.World, Artifact: a}, nil
}

// readIfJSON returns the contents of the regular file at path when it
// starts like a JSON object; ok is false for anything else (a binary, a
// directory, a WIT file), which analyze.Open reads.
func readIfJSON(path string) (b []byte, ok bool, err error) {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || st.Size() > analyze.MaxInputSize {
		return nil, false, nil // analyze.Open reports it
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false, nil
	}
	defer f.Close()
	r := bufio.NewReader(f)
	c, err := r.ReadByte()
	for err == nil && (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		c, err = r.ReadByte()
	}
	if err != nil || c != '{' {
		return nil, false, nil
	}
	b, err = os.ReadFile(path)
	if err != nil {
		return nil, false, &analyze.Error{Path: path, Err: unwrapStatError(err)}
	}
	return b, true, nil
}

func unwrapStatError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
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

// analysisProfiles decides the profiles of the callback analyses of a
// command: ic0's and --callback-import's or, without --callback-import,
// those a manifest among arts recorded its analysis with. An analysis made
// with other profiles than the others is not comparable to them, so a
// manifest recorded with other profiles is an error (an *analyze.Error
// naming it).
func analysisProfiles(flags []string, arts ...*analyze.Artifact) ([]callbacks.Profile, error) {
	profiles, err := callbackProfiles(flags)
	if err != nil {
		return nil, err
	}
	var from *analyze.Artifact // the manifest whose profiles are used
	for _, a := range arts {
		if a == nil || !a.FromManifest() || manifest.Of(a).Callbacks == nil {
			continue
		}
		rec := manifest.Of(a).Callbacks.AnalysisProfiles()
		if len(flags) == 0 && from == nil {
			profiles, from = rec, a
			continue
		}
		if manifest.SameProfiles(rec, profiles) {
			continue
		}
		used := "ic0's and --callback-import's, " + manifest.ProfilesText(profiles)
		if from != nil {
			used = from.Path + "'s, " + manifest.ProfilesText(profiles)
		}
		return nil, &analyze.Error{Path: a.Path, Err: fmt.Errorf(
			"the manifest's callback analysis matched the callback imports %s, not %s; analyses made with different imports are not comparable (give the --callback-import the manifests were made with, or none to use theirs)",
			manifest.ProfilesText(rec), used)}
	}
	return profiles, nil
}

// callbackAnalysis returns the callback analysis of a core module: the one
// a manifest file records (nil when it records none, as a v1 manifest), or
// one made now with profiles.
func callbackAnalysis(a *analyze.Artifact, profiles []callbacks.Profile) (*callbacks.Analysis, error) {
	if a.FromManifest() {
		if manifest.Of(a).Callbacks == nil {
			return nil, nil
		}
		return manifest.Of(a).Callbacks.Analysis(), nil
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
