package cli

import (
	"context"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
	"github.com/wfcompat/wfcompat/wit"
)

// side is one build given on the command line: an artifact as wfcompat.Open
// reads it (a binary, WIT, a wfcompat manifest standing for its artifact,
// or a Vercel Workflow DevKit build manifest).
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
	// opened is the artifact as opened, Vercel manifests included.
	opened *analyze.Artifact
}

func (s *side) artifact() compat.Artifact {
	return compat.Artifact{Path: s.Path, Kind: s.Kind, SHA256: s.SHA256}
}

// openSide opens a build given on the command line, once, with
// wfcompat.Open; a baseline that lives elsewhere (git:, oci://, https://,
// -) is fetched first (see fetchSide) and reported under its argument.
func openSide(io *IO, path, world string) (*side, error) {
	local, named, err := fetchSide(io, path)
	if err != nil {
		return nil, err
	}
	a, err := wfcompat.Open(local, analyze.Options{World: world, MaxSize: io.MaxInputSize})
	if err != nil {
		return nil, named(err)
	}
	a.Path = path
	s := &side{Path: path, Kind: string(a.Kind), SHA256: a.SHA256, World: a.World, Artifact: a, opened: a}
	if v, ok := a.Document.(*vercel.Manifest); ok {
		s.Vercel, s.Artifact = v, nil
	}
	return s, nil
}

// callbackProfiles are the callback-registering imports of the in-flight
// analysis: the Internet Computer's, plus --callback-import.
func callbackProfiles(extra []string) ([]callbacks.Profile, error) {
	return wfcompat.CallbackProfiles(extra)
}

// analysisProfiles: see wfcompat.AnalysisProfiles.
func analysisProfiles(flags []string, arts ...*analyze.Artifact) ([]callbacks.Profile, error) {
	return wfcompat.AnalysisProfiles(flags, arts...)
}

// callbackAnalysis: see wfcompat.CallbackAnalysis.
func callbackAnalysis(a *analyze.Artifact, profiles []callbacks.Profile) (*callbacks.Analysis, error) {
	return wfcompat.CallbackAnalysis(context.Background(), a, profiles)
}
