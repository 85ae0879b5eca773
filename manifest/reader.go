package manifest

import (
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/wit"
)

// Reader reads manifests for analyze.Open and analyze.Options.Decode:
// pass analyze.Options{Manifests: manifest.Reader{}} so that a manifest
// file stands for its artifact and an embedded manifest is read and
// checked.
type Reader struct{}

var _ analyze.ManifestReader = Reader{}

// Claims reports whether b is meant as a wfcompat manifest (IsManifest).
func (Reader) Claims(b []byte) bool { return IsManifest(b) }

// Read reads a manifest document (Read).
func (Reader) Read(b []byte) (analyze.Manifest, error) {
	m, err := Read(b)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Extract reads the manifest embedded in wasm (Extract).
func (Reader) Extract(wasm []byte) (analyze.Manifest, bool, error) {
	m, ok, err := Extract(wasm)
	if err != nil || !ok {
		return nil, ok, err
	}
	return m, true, nil
}

// Describes returns the described artifact's kind, size, digest and world.
func (m *Manifest) Describes() (analyze.Kind, int64, string, *wit.World) {
	return analyze.Kind(m.Artifact.Kind), m.Artifact.Size, m.Artifact.SHA256, m.World
}

var _ analyze.WITFeaturesRecord = (*Manifest)(nil)

// RecordedWITFeatures returns the @unstable features the world of a WIT
// artifact was read with (artifact.wit_features; absent: every one), and
// whether the manifest records them. A v3 manifest always does (absence
// is every feature). A v1 manifest does too: v1 was written only by
// builds that read every feature (features could not be restricted then).
// A v2 manifest does not: from late in v2's life, WIT could be read with
// fewer features, which v2 has no field for. Other kinds have no WIT
// features (every one, recorded).
func (m *Manifest) RecordedWITFeatures() (analyze.WITFeatures, bool) {
	if m.Artifact.Kind != KindWIT {
		return analyze.WITFeatures{}, true
	}
	if m.Legacy == SchemaV2 {
		return analyze.WITFeatures{}, false
	}
	if m.Artifact.WITFeatures == nil {
		return analyze.WITFeatures{}, true
	}
	return analyze.WITFeatures{Only: true, Names: append([]string{}, *m.Artifact.WITFeatures...)}, true
}

// Of returns the manifest a's input is or embeds (nil without one).
func Of(a *analyze.Artifact) *Manifest {
	m, _ := a.Manifest.(*Manifest)
	return m
}
