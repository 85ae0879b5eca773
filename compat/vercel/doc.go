// Package vercel adapts Vercel's Workflow DevKit to wfcompat: it reads the
// DevKit's build manifest (which workflows, steps and serializable classes
// a deployment has, by stable id) and its run event lists, compares two
// manifests into a compat.Report with the same modes, verdicts and output
// formats as a comparison of Wasm builds, and checks recorded event lists
// and run inputs against a new manifest.
//
// DevKit manifests carry no types, so every check here is about names;
// reports and assertion results say that argument shapes were not checked.
// The package never prints and never exits.
package vercel
