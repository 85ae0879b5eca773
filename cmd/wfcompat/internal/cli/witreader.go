package cli

import (
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/wit/witparse"
)

// witReaderEnv names the environment variable that selects the WIT
// reader: "wasm-tools" for the wasm-tools that go.bytecodealliance.org
// embeds (wit/wasmtools; only in a build with -tags wasmtools), anything
// else for the native reader (wit/witparse).
const witReaderEnv = "WFCOMPAT_WIT_READER"

// witReaders are the WIT readers of a run besides the native one (see
// analyze.Options): reader, when set, replaces it; fallback reads the WIT
// it does not (binary WIT packages under deps/). Only a build with -tags
// wasmtools has any (witreader_wasmtools.go).
type witReaders struct {
	reader, fallback witparse.Reader
}

// chooseWITReaders sets the WIT readers of the run from WFCOMPAT_WIT_READER;
// asking for one this build lacks is a usage error.
func (io *IO) chooseWITReaders() error {
	r, err := witReadersFor(io.getenv(witReaderEnv))
	if err != nil {
		return inputError(err)
	}
	io.wit = r
	return nil
}

// openOptions completes opts for analyze.Open (and wfcompat.Open): the
// input size limit and the WIT readers of the run.
func (io *IO) openOptions(opts analyze.Options) analyze.Options {
	opts.MaxSize = io.MaxInputSize
	opts.WITReader = io.wit.reader
	opts.WITFallback = io.wit.fallback
	return opts
}
