package manifest

import (
	"errors"
	"fmt"

	"github.com/wfcompat/wfcompat/analyze/wasmbin"
)

// Embed returns wasm with m stored in a custom section named
// wfcompat:manifest appended at the end. Every other byte is kept as it
// is; an embedded manifest already present is replaced (so embedding is
// idempotent). m must describe wasm: its artifact digest must be that of
// wasm without the section. wasm is not modified.
func Embed(wasm []byte, m *Manifest) ([]byte, error) {
	base, _, err := wasmbin.StripCustom(wasm, SectionName)
	if err != nil {
		return nil, err
	}
	if d := digest(base); d != m.Artifact.SHA256 {
		return nil, fmt.Errorf("manifest describes sha256 %s, but the artifact is %s", m.Artifact.SHA256, d)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	// Compact: the section travels with every deployed binary.
	data, err := encode(m, "")
	if err != nil {
		return nil, err
	}
	if uint64(len(data)) > 0xffff_ff00 {
		return nil, fmt.Errorf("manifest of %d bytes is too large for a custom section", len(data))
	}
	out := make([]byte, 0, len(base)+len(data)+len(SectionName)+11)
	out = append(out, base...)
	return wasmbin.AppendCustomSection(out, SectionName, data), nil
}

// StaleError says that an embedded manifest does not describe the binary
// holding it: the binary changed after embedding (optimized, stripped,
// re-linked).
type StaleError struct {
	Manifest, Actual string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("the manifest describes sha256 %s, but the binary without it is %s (changed after embedding?)",
		e.Manifest, e.Actual)
}

// EmbedError is a wfcompat:manifest section that cannot be used: Off is
// the byte offset in the binary (of the offending value for a malformed
// manifest, of the section otherwise) and Err is a *Error (malformed
// manifest), a *StaleError, or says there are several sections. Its
// message is one line: "offset 0x1a2: wfcompat:manifest section: ...".
type EmbedError struct {
	Off int64
	Err error
}

func (e *EmbedError) Error() string {
	msg := e.Err.Error()
	var me *Error
	if errors.As(e.Err, &me) {
		msg = (&Error{Offset: -1, Err: me.Err}).Error() // the offset is Off
	}
	return fmt.Sprintf("offset 0x%x: %s section: %s", e.Off, SectionName, msg)
}

func (e *EmbedError) Unwrap() error { return e.Err }

// Extract returns the manifest embedded in wasm, and whether there is one.
// A binary with more than one wfcompat:manifest section, a section that
// does not hold a valid manifest, or a manifest whose digest is not that
// of the binary without the section is an *EmbedError (wrapping *Error and
// *StaleError respectively). Malformed section framing is a *wasmbin.FormatError.
func Extract(wasm []byte) (*Manifest, bool, error) {
	base, found, err := wasmbin.StripCustom(wasm, SectionName)
	if err != nil {
		return nil, false, err
	}
	switch len(found) {
	case 0:
		return nil, false, nil
	case 1:
	default:
		return nil, true, &EmbedError{Off: int64(found[1].Off), Err: fmt.Errorf("%d %s sections; there must be at most one", len(found), SectionName)}
	}
	s := found[0]
	m, err := Read(s.Data(wasm))
	if err != nil {
		off := int64(s.Off)
		var me *Error
		if errors.As(err, &me) && me.Offset >= 0 {
			off = int64(s.DataOff) + me.Offset
		}
		return nil, true, &EmbedError{Off: off, Err: err}
	}
	if d := digest(base); d != m.Artifact.SHA256 {
		return nil, true, &EmbedError{Off: int64(s.Off), Err: &StaleError{Manifest: m.Artifact.SHA256, Actual: d}}
	}
	return m, true, nil
}

// Strip returns wasm without its wfcompat:manifest sections: the bytes the
// manifest's artifact digest is computed over. It returns wasm itself when
// there is none.
func Strip(wasm []byte) ([]byte, error) {
	b, _, err := wasmbin.StripCustom(wasm, SectionName)
	return b, err
}
