package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wfcompat/wfcompat/internal/interrupt"
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
	// A signal waits for the append: the summary gets the whole report
	// or none of it.
	var err error
	interrupt.Do(func() { err = appendFile(path, data) })
	if err != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY %s: %w", path, unwrapPath(err))
	}
	return nil
}

// appendFile appends data to the file at path, created if needed.
func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// outputFile is a file a command writes: where, what, and how messages
// name it ("--log run.jsonl", "--output sarif=r.sarif").
type outputFile struct {
	label, path string
	data        []byte
}

// pendingOutputs are outputFiles being written to their temporary files.
type pendingOutputs struct {
	io    *IO
	files []outputFile
	ws    []*rewrite.PendingWrite
}

// startOutputs starts writing files, each to a temporary file beside it
// (rewrite.StartWrite); nothing appears at their paths before commit.
func (io *IO) startOutputs(files ...outputFile) *pendingOutputs {
	p := &pendingOutputs{io: io, files: files, ws: make([]*rewrite.PendingWrite, len(files))}
	for i, f := range files {
		p.ws[i] = rewrite.StartWrite(context.Background(), f.path, f.data)
	}
	return p
}

// abort removes the temporary files: nothing is written.
func (p *pendingOutputs) abort() {
	for _, w := range p.ws {
		w.Abort()
	}
}

// commit renames the temporary files into place together
// (rewrite.CommitAll): readers see each file old or new, never a part,
// and a signal that ends wfcompat (SIGINT, SIGTERM, SIGHUP) leaves every
// output as it was, or every one written, and no temporary file.
func (p *pendingOutputs) commit() error {
	if p.io.beforeCommit != nil {
		for _, w := range p.ws {
			w.Wait()
		}
		p.io.beforeCommit()
	}
	err := rewrite.CommitAll(context.Background(), p.ws...)
	var ce *rewrite.CommitError
	if errors.As(err, &ce) {
		return fmt.Errorf("%s: %w", p.files[ce.Index].label, unwrapPath(ce.Err))
	}
	return err
}

// writeOutputs writes files (startOutputs, then commit).
func (io *IO) writeOutputs(files ...outputFile) error {
	if len(files) == 0 {
		return nil
	}
	return io.startOutputs(files...).commit()
}
