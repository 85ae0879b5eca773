package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/wfcompat/wfcompat/rewrite"
)

// httpBodyFile returns the BODY-FILE of --http-respond STATUS:BODY-FILE,
// or "" when the flag names none. It is an input: no output may replace it.
func httpBodyFile(spec string) string {
	_, file, _ := strings.Cut(spec, ":")
	return file
}

// localInputs names the arguments among in that are local files (not "-",
// git:, oci:// or https://): those an output could overwrite.
func localInputs(in ...rewrite.NamedPath) []rewrite.NamedPath {
	var out []rewrite.NamedPath
	for _, p := range in {
		if p.Path != "" && isLocal(p.Path) {
			out = append(out, p)
		}
	}
	return out
}

// checkWrite refuses an output that is one of the command's inputs (by
// path, symbolic or hard link), or that may not be replaced
// (rewrite.CheckOutputs), before any work is done: a run whose log could
// not be written would otherwise have run for nothing, or replaced the
// artifact it ran.
func checkWrite(out rewrite.NamedPath, inputs ...rewrite.NamedPath) error {
	if out.Path == "" {
		return nil
	}
	return rewrite.CheckOutputs(localInputs(inputs...), []rewrite.NamedPath{out})
}

// appendStepSummary appends data to the file at path, GitHub's step
// summary, which every step of a job adds to (created if needed). Being
// named by the environment, it is checked as an output: an input of the
// command (by path, symbolic or hard link) is refused, and so is anything
// rewrite.CheckOutput refuses, a FIFO among them (opening one to write
// would wait for a reader forever).
func appendStepSummary(path string, data []byte, inputs []rewrite.NamedPath) error {
	if err := rewrite.CheckOutputs(localInputs(inputs...), []rewrite.NamedPath{{Role: "GITHUB_STEP_SUMMARY", Path: path}}); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY %s: %w", path, unwrapPath(err))
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("GITHUB_STEP_SUMMARY %s: %w", path, unwrapPath(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY %s: %w", path, unwrapPath(err))
	}
	return nil
}

// writeError names the output a failed write was for ("-o out.json:
// permission denied"), not the temporary file beside it that the write
// went through.
func writeError(flag, path string, err error) error {
	return fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))
}
