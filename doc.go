// Package wfcompat is the library behind the wfcompat command: one call per
// command, each doing everything the command does, so that a build-pipeline
// plugin gets exactly what the CLI prints.
//
//	old, err := wfcompat.Open("old.wasm", analyze.Options{})
//	nw, err := wfcompat.Open("new.wasm", analyze.Options{})
//	cfg, err := wfcompat.FindConfig(".")          // wfcompat.yaml here or above, or nil
//	res, err := wfcompat.Diff(ctx, old, nw, wfcompat.DiffOptions{Config: cfg})
//	format.Write(os.Stdout, format.Text, res.Report, res.Gate)
//	if res.Outcome == format.OutcomeFail { ... }  // what exit status 1 means
//
// Open reads any input the CLI accepts (core modules, components, WIT,
// wfcompat manifests, Vercel Workflow manifests); Diff runs the callback
// analyses of core modules, diffs Vercel manifests, applies the
// configuration (gating modes, platform profile, policy and suppressions,
// callback imports, the host) and decides the gate, which the report
// carries with the tool version and the configuration file. Rules is the one registry of every rule.
//
// The packages below it own the parts: analyze (inputs), compat (rules,
// modes, the diff engine), compat/config, compat/format, compat/vercel,
// manifest, rewrite, wit and wit/value.
package wfcompat
