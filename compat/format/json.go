package format

import (
	"bytes"
	"encoding/json"

	"github.com/wfcompat/wfcompat/compat"
)

// renderJSON writes the report as-is, with two guarantees on top of
// encoding/json: arrays and objects are never null (nil slices and maps
// are written empty), and an empty Schema is written as
// compat.ReportSchema. HTML characters (<, >, &) are not escaped: WIT is
// full of list<u8>. Keys of modes are sorted by encoding/json; findings
// and reasons keep their order.
func renderJSON(b *bytes.Buffer, r *compat.Report, opts Options) error {
	n := normalize(r)
	// The report carries the gate it was judged by, with its outcome.
	// (The tool version is the producer's: the CLI sets it.)
	gate, proof, anyMode := opts.gateAny(r)
	n.Gate = &compat.Gate{
		Modes:        gatingModes(modeViews(r, opts), gate),
		RequireProof: proof,
		Outcome:      string(Evaluate(r, opts)),
		Any:          anyMode,
	}
	if r.Gate != nil {
		n.Gate.Profile = r.Gate.Profile
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(n)
}

// normalize returns a shallow copy of r with nil slices and maps replaced
// by empty ones. r is not modified.
func normalize(r *compat.Report) *compat.Report {
	n := *r
	if n.Schema == "" {
		n.Schema = compat.ReportSchema
	}
	n.Modes = make(map[compat.Mode]*compat.ModeResult, len(r.Modes))
	for m, res := range r.Modes {
		if res == nil {
			continue
		}
		c := *res
		if c.Reasons == nil {
			c.Reasons = []compat.Reason{}
		}
		n.Modes[m] = &c
	}
	n.Findings = make([]compat.Finding, len(r.Findings))
	for i, f := range r.Findings {
		if f.Modes == nil {
			f.Modes = []compat.Mode{}
		}
		n.Findings[i] = f
	}
	if r.Suppressed != nil {
		n.Suppressed = make([]compat.Suppressed, len(r.Suppressed))
		for i, s := range r.Suppressed {
			if s.Modes == nil {
				s.Modes = []compat.Mode{}
			}
			n.Suppressed[i] = s
		}
	}
	return &n
}
