package assertformat

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/compat"
	"github.com/wfcompat/wfcompat/internal/schematest"
	"github.com/wfcompat/wfcompat/internal/shared"
)

// pathCase is a report whose paths test the artifact locations: the URIs
// its results point at, in order, and those of its artifacts.
type pathCase struct {
	name      string
	doc       any
	results   []string
	artifacts []string
}

func pathCases() []pathCase {
	return []pathCase{
		{
			// No path anywhere: every result still needs a uri for code
			// scanning, and the artifact list leaves the new build out.
			name: "pathless",
			doc: &wfcompat.InputReport{Schema: compat.AssertSchema, Command: "input", Against: compat.Artifact{Kind: "component"},
				Inputs: []compat.InputResult{
					{Source: "--args", Function: "f", Args: "()", Reason: compat.ReasonExportMissing, Message: "m", TypedBy: compat.TypedByNew},
					{Source: "runs.jsonl:7", Function: "g", Args: "()", Reason: compat.ReasonExportMissing, Message: "m", TypedBy: compat.TypedByNew},
				},
				Summary: summary(0, 2, 0, compat.ReasonExportMissing, compat.ReasonExportMissing)},
			results: []string{"unknown", "runs.jsonl"},
		},
		{
			name: "odd paths",
			doc: &wfcompat.LogReport{Schema: compat.AssertSchema, Command: "event-log",
				Against: compat.Artifact{Path: `C:\builds\v2 (new)\app.wasm`, Kind: "component", SHA256: shaNew},
				Old:     &compat.Artifact{Path: "/srv/builds/v1 é/app.wasm", Kind: "component", SHA256: shaOld},
				Logs: []*compat.LogResult{
					{Log: "logs/run #1 100%.jsonl", Events: 3, Line: 2, Function: "f", Reason: compat.ReasonExportMissing, Message: "m", TypedBy: compat.TypedByOld},
					{Log: "logs/naïve?.jsonl", Events: 3, Line: 2, Function: "f", Reason: compat.ReasonExportMissing, Message: "m", TypedBy: compat.TypedByOld},
				},
				Errors:  []string{"no file named here"},
				Summary: summary(0, 2, 1, compat.ReasonExportMissing, compat.ReasonExportMissing)},
			results:   []string{"logs/run%20%231%20100%25.jsonl", "logs/na%C3%AFve%3F.jsonl", "file:///C:/builds/v2%20%28new%29/app.wasm"},
			artifacts: []string{"file:///srv/builds/v1%20%C3%A9/app.wasm", "file:///C:/builds/v2%20%28new%29/app.wasm"},
		},
	}
}

// TestSARIFPaths: results and artifacts point at percent-encoded URI
// references (sarif.PathURI), a result without a file at the new build,
// and one without any path at sarif.UnknownURI; the logs are valid SARIF.
func TestSARIFPaths(t *testing.T) {
	s := schematest.CompileJSON(t, shared.Path(t, "schemas/sarif-schema-2.1.0.json"))
	for _, c := range pathCases() {
		t.Run(c.name, func(t *testing.T) {
			out := render(t, SARIF, c.doc)
			if err := schematest.ValidateJSON(s, out); err != nil {
				t.Errorf("invalid SARIF: %v", err)
			}
			var log sarifLog
			if err := json.Unmarshal(out, &log); err != nil {
				t.Fatal(err)
			}
			var results, artifacts []string
			for _, res := range log.Runs[0].Results {
				for _, l := range res.Locations {
					results = append(results, l.PhysicalLocation.ArtifactLocation.URI)
				}
			}
			for _, a := range log.Runs[0].Artifacts {
				artifacts = append(artifacts, a.Location.URI)
			}
			if d := cmp.Diff(c.results, results); d != "" {
				t.Errorf("result locations (-want +got):\n%s", d)
			}
			if d := cmp.Diff(c.artifacts, artifacts); d != "" {
				t.Errorf("artifacts (-want +got):\n%s", d)
			}
		})
	}
}
