// Command wfcompat checks whether a new build of a long-running WebAssembly
// worker can safely take over from the old one, and in which upgrade mode.
//
// main is the only place that exits; commands return errors that carry their
// exit status (0 safe, 1 unsafe, 2 usage or input error). A signal
// (SIGINT, SIGTERM, SIGHUP) ends the process as it would any program, by
// that signal, after removing the temporary files of the outputs being
// written (internal/interrupt).
//
// Built with -tags lean (the wfcompat of the release archives and the
// container image), it links no Wasm runtime and hands run, replay,
// upgrade and diff with event logs to the complete build, wfcompat-full,
// found beside it (package cli).
package main

import (
	"os"

	"github.com/wfcompat/wfcompat/cmd/wfcompat/internal/cli"
	"github.com/wfcompat/wfcompat/internal/interrupt"
)

func main() {
	interrupt.Enable()
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
