package cli

import (
	"context"
	"errors"
	"os"
	"sync"

	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/compat/vercel"
	"github.com/wfcompat/wfcompat/source"
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
	a := compat.Artifact{Path: s.Path, Kind: s.Kind, SHA256: s.SHA256}
	if s.opened != nil {
		a.WITFeatures = wfcompat.ReportArtifact(s.opened).WITFeatures
	}
	return a
}

// openSide opens a build given on the command line, once, with
// wfcompat.Open; a baseline that lives elsewhere (git:, oci://, https://,
// -) is fetched first (see fetchSide) and reported under its argument.
func openSide(io *IO, path, world string) (*side, error) {
	local, named, err := fetchSide(io, path)
	if err != nil {
		return nil, err
	}
	a, err := wfcompat.Open(local, io.openOptions(analyze.Options{World: world}))
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

// openPair opens the old and the new build (see openSide), the old one
// first: an error of the old side is reported before one of the new.
//
// Two binaries that are large together (parallelMin) are read at the
// same time, each on its own goroutine: where a second core is free, the
// process's wall-clock time is then about one read shorter (Golem's
// update-test components, 650 KB each: minimum 0.7-0.9 ms and median
// 0.4-0.6 ms lower than one after the other). Everything else is read
// one after the other: WIT directories and small binaries take less to
// read than a second core takes to join in (a thread woken, a second
// allocation cache faulting in spans of its own, cross-core traffic),
// and the second read fills the first one's partly used spans. On the
// benchmark's WIT directories (BenchmarkDiffProcess's), in interleaved
// runs of one build that chose either way (2 cores, load averages 1 to
// 7): one after the other, about 35 fewer page faults and fewer context
// switches, the minimum wall-clock time the same or up to 0.15 ms lower,
// the median within 0.2 ms either way, the median CPU time 0.06-0.3 ms
// lower. Pairs of 150-200 KB came out even.
func openPair(io *IO, oldPath, oldWorld, newPath, newWorld string) (old, nw *side, err error) {
	if oldPath == "-" && newPath == "-" {
		return nil, nil, errStdinTwice
	}
	if !isLocal(oldPath) || !isLocal(newPath) || !largeFiles(oldPath, newPath) {
		if old, err = openSide(io, oldPath, oldWorld); err != nil {
			return nil, nil, err
		}
		if nw, err = openSide(io, newPath, newWorld); err != nil {
			return nil, nil, err
		}
		return old, nw, nil
	}
	var newErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		growStack(0)
		nw, newErr = openSide(io, newPath, newWorld)
	}()
	old, err = openSide(io, oldPath, oldWorld)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if newErr != nil {
		return nil, nil, newErr
	}
	return old, nw, nil
}

// parallelMin is the size of two binaries together from which openPair
// reads them at the same time.
const parallelMin = 256 << 10

// largeFiles reports whether the local inputs a and b are regular files
// of parallelMin bytes or more together. (A path that cannot be
// looked at is left to openSide, which says why.)
func largeFiles(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil || !sa.Mode().IsRegular() {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && sb.Mode().IsRegular() && sa.Size()+sb.Size() >= parallelMin
}

// errStdinTwice refuses "-" for two builds: standard input is read once,
// and the second would be empty (a misleading "truncated" error).
var errStdinTwice = errors.New("- (standard input) names one build only: give the other as a file")

// isLocal reports whether arg names a local file or directory (not "-",
// git:, oci:// or https://, and not malformed as one of those).
func isLocal(arg string) bool {
	ref, err := source.Parse(arg)
	return err == nil && ref.Kind == source.KindFile
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
