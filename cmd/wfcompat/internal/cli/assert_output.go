package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wfcompat/wfcompat/compat/assertformat"
	"github.com/wfcompat/wfcompat/internal/buildinfo"
	"github.com/wfcompat/wfcompat/rewrite"
)

// assertOutput is one --output FORMAT=FILE of `wfcompat assert`.
type assertOutput struct {
	format, path string
}

// parseAssertOutputs checks --format, --json and --output before any
// input is read: known formats, one file per output, no output that is
// an input. It returns the stdout format and the outputs.
func parseAssertOutputs(opts *AssertOptions, inputs []string) (string, []assertOutput, error) {
	format := opts.Format
	if opts.JSON {
		if format != "" && format != assertformat.JSON {
			return "", nil, fmt.Errorf("--json and --format %s exclude each other (--json is --format json)", format)
		}
		format = assertformat.JSON
	}
	if format == "" {
		format = assertformat.Text
	}
	valid := strings.Join(assertformat.Formats(), ", ")
	if !slices.Contains(assertformat.Formats(), format) {
		return "", nil, fmt.Errorf("--format: unknown format %q (valid: %s)", format, valid)
	}
	var outs []assertOutput
	seen := map[string]bool{}
	for _, o := range opts.Outputs {
		f, path, ok := strings.Cut(o, "=")
		if !ok || path == "" {
			return "", nil, fmt.Errorf("--output %q: want FORMAT=FILE, e.g. sarif=assert.sarif", o)
		}
		if !slices.Contains(assertformat.Formats(), f) {
			return "", nil, fmt.Errorf("--output %q: unknown format %q (valid: %s)", o, f, valid)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", nil, fmt.Errorf("--output %q: %w", o, err)
		}
		if seen[abs] {
			return "", nil, fmt.Errorf("--output %q: %s is written twice", o, path)
		}
		seen[abs] = true
		if di, err := os.Stat(filepath.Dir(abs)); err != nil || !di.IsDir() {
			return "", nil, fmt.Errorf("--output %q: directory %s does not exist", o, filepath.Dir(path))
		}
		if fi, err := os.Stat(path); err == nil {
			if !fi.Mode().IsRegular() {
				return "", nil, fmt.Errorf("--output %q: %s is not a regular file", o, path)
			}
			for _, in := range inputs {
				if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
					return "", nil, fmt.Errorf("--output %q: %s is an input; wfcompat never overwrites its inputs", o, path)
				}
			}
		}
		// As every command's outputs: no symbolic link (a rename would
		// replace the link, not write its target), no read-only file.
		if err := rewrite.CheckOutput(path); err != nil {
			return "", nil, fmt.Errorf("--output %q: %s %w", o, path, err)
		}
		outs = append(outs, assertOutput{f, path})
	}
	return format, outs, nil
}

// writeAssertOutputs renders doc for stdout and every --output, all before
// writing any, then writes each file through a temporary file in its
// directory and a rename, so that no reader sees a partial report.
func writeAssertOutputs(opts *AssertOptions, format string, outs []assertOutput, doc any, start time.Time) error {
	fo := assertformat.Options{Time: start, Elapsed: time.Since(start), ToolVersion: buildinfo.Read().Version}
	if h, err := os.Hostname(); err == nil {
		fo.Hostname = h
	}
	rendered := make([][]byte, len(outs))
	for i, o := range outs {
		var b bytes.Buffer
		if err := assertformat.Write(&b, o.format, doc, fo); err != nil {
			return err
		}
		rendered[i] = b.Bytes()
	}
	var b bytes.Buffer
	if err := assertformat.Write(&b, format, doc, fo); err != nil {
		return err
	}
	written := make([]outputFile, len(outs))
	for i, o := range outs {
		written[i] = outputFile{label: "--output " + o.format + "=" + o.path, path: o.path, data: rendered[i]}
	}
	if err := opts.IO.writeOutputs(written...); err != nil {
		return inputError(err)
	}
	if path := os.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
		// On GitHub Actions the Markdown report goes to the step summary
		// too. Failing to append it loses a view, not the verdict: warn.
		if err := appendAssertStepSummary(path, doc, fo, opts.inputs()); err != nil {
			fmt.Fprintf(opts.IO.Err, "wfcompat: warning: %v\n", err) // names GITHUB_STEP_SUMMARY
		}
	}
	_, err := opts.IO.Out.Write(b.Bytes())
	return err
}

// inputs are the files the assert command reads, which no output may
// replace.
func (opts *AssertOptions) inputs() []rewrite.NamedPath {
	in := []rewrite.NamedPath{{Role: "--against", Path: opts.Against}, {Role: "--old", Path: opts.Old}}
	for _, p := range opts.Runs {
		in = append(in, rewrite.NamedPath{Role: "--runs", Path: p})
	}
	for _, p := range opts.Logs {
		in = append(in, rewrite.NamedPath{Role: "LOG", Path: p})
	}
	return in
}

// appendAssertStepSummary appends the Markdown report to the file GitHub
// Actions shows as the step summary.
func appendAssertStepSummary(path string, doc any, fo assertformat.Options, inputs []rewrite.NamedPath) error {
	var b bytes.Buffer
	if err := assertformat.Write(&b, assertformat.Markdown, doc, fo); err != nil {
		return err
	}
	return appendStepSummary(path, b.Bytes(), inputs)
}
