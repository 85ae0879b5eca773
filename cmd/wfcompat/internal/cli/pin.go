package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wfcompat/wfcompat"
	"github.com/wfcompat/wfcompat/analyze"
	"github.com/wfcompat/wfcompat/analyze/callbacks"
	"github.com/wfcompat/wfcompat/analyze/core"
	"github.com/wfcompat/wfcompat/compat/config"
	"github.com/wfcompat/wfcompat/manifest"
	"github.com/wfcompat/wfcompat/rewrite"
)

// PinSchema identifies the layout of `pin --json`; documented in
// docs/lockfile.md.
const PinSchema = wfcompat.PinSchema

// PinOptions are the inputs of `wfcompat pin`.
type PinOptions struct {
	IO        *IO
	New       string   // the build to pin
	Against   string   // the running build, to take the slots from
	Lock      string   // the lockfile to read (and, with WriteLock, write)
	Out       string   // where the pinned module goes
	WriteLock bool     // write the updated lock
	Maps      []string // SLOT=FUNC
	Imports   []string // MODULE.NAME:ARG[,ARG]
	Config    string   // wfcompat.yaml; "" looks in the working directory
	JSON      bool
}

// NewCmdPin builds `wfcompat pin`. runF replaces the command's logic in
// tests; nil runs runPin.
func NewCmdPin(io *IO, runF func(*PinOptions) error) *cobra.Command {
	opts := &PinOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "pin NEW.wasm (--against OLD.wasm | --lock wfcompat.lock) -o OUT.wasm",
		Short: "Keep callback handlers at the table slots the running build uses",
		Long: `Pin rewrites NEW.wasm so that every callback handler it registers by
function-table index sits at the slot the running build (or the lockfile)
gives it, and writes the result to OUT.wasm.

On the Internet Computer an outgoing call names its reply, reject and
cleanup handlers by table index (ic0.call_new, ic0.call_on_cleanup); the
response runs whatever the module holds at that index when it arrives. A
rebuild that moves the handler lets responses to calls made before an
upgrade run the wrong function. After pin, the pinned slot holds the
handler. A function that sat there moves to a fresh slot, and the module's
own call_indirect and table.get are routed to it, so function pointers in
memory keep working. The registering imports are wrapped so that the
new code also passes the pinned slots.

Slots come from --against OLD.wasm (the running build) or from --lock, a
JSON lockfile committed beside the build (docs/lockfile.md). With
--write-lock the lock, grown with this build's new callbacks, is written
back (to the --lock file, or to wfcompat.lock beside OUT.wasm). When the
lock cannot tell which new callback stands for a slot, pin lists the
candidates; choose with --map SLOT=FUNC (a name, or func[N]).

A rewritten module leaves out the input's embedded wfcompat:manifest
section, which describes the input's bytes (run wfcompat manifest --embed
on OUT.wasm to embed a new one); an output that is the input unchanged
keeps it.

Pin writes OUT.wasm (and the lock) atomically, through temporary files
renamed together; an interrupt (SIGINT, SIGTERM, SIGHUP) removes them and
ends pin by that signal, leaving OUT.wasm and the lock as they were.
It refuses an output that is an input (by path, symbolic or hard link) or
another output, a directory, a symbolic link (it would neither replace the
link nor write through it: name the target), a read-only file, or a
device. A replaced file keeps its permissions.

Pin refuses, with the offset of the reason, modules it cannot prove it
pins correctly: unresolved callback arguments, imported tables, and code
that writes the table where it could undo the pin, and invalid modules.
The output is checked by re-analysis and validated before it is written
(decoded, its structure and every function body type-checked, memory64
and multi-memory included: the bodies pin copied verbatim by proving them
valid in NEW.wasm, whose context the output only extends); NEW.wasm is
never modified.

Pinning keeps a slot valid, not the env pointer passed with it: an IC
upgrade discards main memory unless the canister uses enhanced orthogonal
persistence. Pin warns where env is evidently a heap pointer
(CALLBACK_ENV_HEAP_POINTER) or one the analysis cannot classify, such as an
allocator's result (CALLBACK_ENV_UNKNOWN), in NEW.wasm and, with --against,
in the running build, whose calls are in flight across this upgrade. Nor does it keep a callback's
signature: a kept callback whose signature changed from the one the lock
(or OLD.wasm) records is pinned as it is, with a warning
(CALLBACK_TYPE_CHANGED: the host's call of the slot traps). Warnings go to
stderr and, with --json, to "warnings"; diff OLD against OUT.wasm.

Exit status: 0 pinned, 2 usage error, unreadable input or refusal.`,
		Example: `  # First pinned release: take the slots from the build that runs now.
  wfcompat pin wallet-0.10.0.wasm --against wallet-0.8.2.wasm -o out/wallet.wasm --write-lock

  # Later releases: use the committed lock, and grow it.
  wfcompat pin wallet-0.12.0.wasm --lock out/wfcompat.lock -o out/wallet.wasm --write-lock

  # Two reply handlers where the lock knows one: say which keeps slot 70.
  wfcompat pin new.wasm --lock wfcompat.lock --map 70=func[616] -o out.wasm

  # A host API of your own that takes a table index in parameters 0 and 2.
  wfcompat pin new.wasm --against old.wasm --callback-import env.register:0,2 -o out.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.New = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runPin(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Against, "against", "", "the running build `OLD.wasm`: pin its callback slots")
	f.StringVar(&opts.Lock, "lock", "", "the lockfile `FILE` to pin to (with --against and --write-lock: where to write it)")
	f.StringVarP(&opts.Out, "output", "o", "", "write the pinned module to `OUT.wasm`")
	f.BoolVar(&opts.WriteLock, "write-lock", false, "write the updated lock (to --lock, or wfcompat.lock beside the output)")
	stringArrayVar(f, &opts.Maps, "map", "give lock slot SLOT to callback FUNC (name or func[N]); repeatable: `SLOT=FUNC`")
	stringArrayVar(f, &opts.Imports, "callback-import", "also treat parameters ARG of import MODULE.NAME as callback table indices; repeatable: `MODULE.NAME:ARG[,ARG]`")
	f.StringVar(&opts.Config, "config", "", "configuration file whose callback_imports add to --callback-import (default: $WFCOMPAT_CONFIG, else "+config.FileName+" in the working directory or a parent up to the repository root)")
	f.BoolVar(&opts.JSON, "json", false, "print what was done as a "+PinSchema+" JSON document")
	return cmd
}

func runPin(opts *PinOptions) error {
	switch {
	case opts.Out == "":
		return inputError(errors.New("pin: missing -o OUT.wasm"))
	case opts.Against == "" && opts.Lock == "":
		return inputError(errors.New("pin: give the running build with --against OLD.wasm or the lockfile with --lock FILE"))
	case opts.Against != "" && opts.Lock != "" && !opts.WriteLock:
		return inputError(errors.New("pin: give either --against or --lock (both only with --write-lock, to start the lock FILE from OLD.wasm)"))
	}
	lockPath := opts.Lock
	if opts.Against != "" && lockPath == "" {
		lockPath = filepath.Join(filepath.Dir(opts.Out), "wfcompat.lock")
	}
	// Every file written must be neither an input nor another output.
	inputs := []rewrite.NamedPath{{Role: "NEW", Path: opts.New}, {Role: "--against", Path: opts.Against}, {Role: "--config", Path: opts.Config}}
	outputs := []rewrite.NamedPath{{Role: "-o", Path: opts.Out}}
	if opts.Against == "" {
		inputs = append(inputs, rewrite.NamedPath{Role: "--lock", Path: opts.Lock}) // read, and rewritten in place with --write-lock
	}
	if opts.WriteLock {
		outputs = append(outputs, rewrite.NamedPath{Role: "the lock", Path: lockPath})
	}
	if err := checkOutputs(inputs, outputs, opts.WriteLock && opts.Against == ""); err != nil {
		return inputError(fmt.Errorf("pin: %w", err))
	}
	defer gcForPin()()
	cfg, err := loadConfig(opts.IO, opts.Config)
	if err != nil {
		return inputError(err)
	}
	imports := opts.Imports
	if cfg != nil {
		imports = append(slices.Clone(cfg.CallbackImports), opts.Imports...)
	}
	profiles, err := callbackProfiles(imports)
	if err != nil {
		return inputError(err)
	}
	maps := map[uint32]string{}
	for _, s := range opts.Maps {
		slot, fn, ok := strings.Cut(s, "=")
		n, err := strconv.ParseUint(slot, 10, 32)
		if !ok || err != nil || fn == "" {
			return inputError(fmt.Errorf("--map %q: want SLOT=FUNC, e.g. 56=func[1029]", s))
		}
		maps[uint32(n)] = fn
	}
	// The running build's analysis and the new build's run at once.
	var lock *rewrite.Lock
	var running *callbacks.Analysis // the running build's, with --against
	var lockErr error
	lockDone := make(chan struct{})
	go func() {
		defer close(lockDone)
		if opts.Against != "" {
			lock, running, lockErr = lockFrom(opts.IO, opts.Against, profiles)
			return
		}
		b, err := analyze.ReadInput(opts.Lock, opts.IO.MaxInputSize)
		if err != nil {
			lockErr = &analyze.Error{Path: opts.Lock, Err: err}
			return
		}
		if lock, err = rewrite.ParseLock(b); err != nil {
			lockErr = &analyze.Error{Path: opts.Lock, Err: err}
		}
	}()
	src, srcErr := analyze.ReadInput(opts.New, opts.IO.MaxInputSize)
	var prep *rewrite.Prepared
	if srcErr == nil {
		// Proving the input valid lets the output's check skip the bodies
		// pin copies verbatim; the analysis rides on the validation's
		// decoding.
		prep, srcErr = rewrite.PrepareValidated(src, profiles)
	}
	<-lockDone
	if lockErr != nil {
		return inputError(lockErr)
	}
	if srcErr != nil {
		return inputError(&analyze.Error{Path: opts.New, Err: srcErr})
	}
	res, err := prep.Pin(rewrite.Options{Lock: lock, Map: maps, Profiles: profiles, Running: running})
	if err != nil {
		return inputError(&analyze.Error{Path: opts.New, Err: err})
	}
	// The output (and the lock) go to their temporary files (and the
	// disk) while the output is checked; only a checked output is renamed
	// into place, the lock with it.
	files := []outputFile{{label: opts.Out, path: opts.Out, data: res.Wasm}}
	if opts.WriteLock {
		files = append(files, outputFile{label: lockPath, path: lockPath, data: res.Lock.Marshal()})
	}
	out := opts.IO.startOutputs(files...)
	if err := rewrite.Check(context.Background(), res, profiles); err != nil {
		out.abort()
		return inputError(&analyze.Error{Path: opts.New, Err: fmt.Errorf("internal error, nothing written: %w", err)})
	}
	if err := out.commit(); err != nil {
		return inputError(err)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(opts.IO.Err, "wfcompat: warning: %s\n", n)
	}
	if opts.JSON {
		return writePinJSON(opts, res, lockPath)
	}
	writePinText(opts.IO.Out, opts, res, lockPath)
	return nil
}

// gcForPin lets the heap grow to five times the live data between
// collections while pin runs (GOGC=400: pin's few tens of megabytes of
// short-lived buffers otherwise cost it a tenth of its time in the
// collector), under a soft memory limit of 256 MiB (or the one already
// set, if lower) that keeps the peak of hostile inputs bounded. It
// returns the function that restores both settings.
func gcForPin() (restore func()) {
	gc := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(-1)
	debug.SetMemoryLimit(min(limit, 256<<20))
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// lockFrom takes the lock from the running build: a core module, or a
// wfcompat manifest of one that records its callback analysis (made with
// the same callback imports as pin's). It returns the analysis too, whose
// env warnings pin reports.
func lockFrom(io *IO, path string, profiles []callbacks.Profile) (*rewrite.Lock, *callbacks.Analysis, error) {
	if l, an, ok, err := lockFromCore(io, path, profiles); ok {
		return l, an, err
	}
	return lockFromOpen(io, path, profiles)
}

// lockFromOpen is lockFrom for any input: wfcompat.Open reads it.
func lockFromOpen(io *IO, path string, profiles []callbacks.Profile) (*rewrite.Lock, *callbacks.Analysis, error) {
	a, err := wfcompat.Open(path, io.openOptions(analyze.Options{Manifests: manifest.Reader{}}))
	if err != nil {
		return nil, nil, err
	}
	if a.Kind != analyze.KindCore {
		return nil, nil, &analyze.Error{Path: path, Err: fmt.Errorf("a %s, not a core module: pin keeps the callback slots of core modules", a.Kind)}
	}
	if a.FromManifest() {
		c := manifest.Of(a).Callbacks
		if c == nil {
			return nil, nil, &analyze.Error{Path: path, Err: errors.New("the manifest records no callback analysis (a v1 manifest); give the binary, or a manifest made by this wfcompat")}
		}
		if rec := c.AnalysisProfiles(); !manifest.SameProfiles(rec, profiles) {
			recText, pinText := manifest.ProfilesTexts(rec, profiles)
			return nil, nil, &analyze.Error{Path: path, Err: fmt.Errorf("the manifest's callback analysis matched the callback imports %s, not pin's %s; give the --callback-import it was made with",
				recText, pinText)}
		}
	}
	an, err := wfcompat.CallbackAnalysis(context.Background(), a, profiles)
	if err != nil {
		return nil, nil, err
	}
	l, err := rewrite.LockFromAnalysis(an)
	if err != nil {
		return nil, nil, &analyze.Error{Path: path, Err: err}
	}
	return l, an, nil
}

// lockFromCore is lockFrom's path for the common case, a core module
// without an embedded manifest: it decodes and analyzes the module
// without what wfcompat.Open adds that pin does not use (the digest of
// the bytes, the world of the imports and exports). ok is false when the
// input is anything else, or unreadable: lockFrom then opens it as any
// input, with Open's messages.
func lockFromCore(io *IO, path string, profiles []callbacks.Profile) (l *rewrite.Lock, an *callbacks.Analysis, ok bool, err error) {
	b, err := analyze.ReadInput(path, io.MaxInputSize)
	if err != nil || strings.HasSuffix(path, ".wit") || analyze.IsJSON(b) {
		return nil, nil, false, nil
	}
	if kind, err := analyze.Sniff(b); err != nil || kind != analyze.KindCore {
		return nil, nil, false, nil
	}
	m, err := core.Decode(b)
	if err != nil {
		return nil, nil, true, &analyze.Error{Path: path, Err: err}
	}
	for _, c := range m.Customs {
		if c.Name == analyze.ManifestSection {
			return nil, nil, false, nil // Open reads and checks the embedded manifest
		}
	}
	an, err = callbacks.Analyze(m, &callbacks.Options{Profiles: profiles})
	if err != nil {
		return nil, nil, true, &analyze.Error{Path: path, Err: err}
	}
	if l, err = rewrite.LockFromAnalysis(an); err != nil {
		return nil, nil, true, &analyze.Error{Path: path, Err: err}
	}
	return l, an, true, nil
}

// checkOutputs is rewrite.CheckOutputs; lockInPlace allows the lock, read
// from --lock, to be rewritten in place.
func checkOutputs(inputs, outputs []rewrite.NamedPath, lockInPlace bool) error {
	if lockInPlace {
		inputs = slices.DeleteFunc(slices.Clone(inputs), func(p rewrite.NamedPath) bool { return p.Role == "--lock" })
		if err := rewrite.CheckOutputs([]rewrite.NamedPath{outputs[len(outputs)-1]}, outputs[:len(outputs)-1]); err != nil {
			return err
		}
	}
	return rewrite.CheckOutputs(inputs, outputs)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError // a rename's: it names the temporary file
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func writePinText(w io.Writer, opts *PinOptions, res *rewrite.Result, lockPath string) {
	if !res.Changed() {
		fmt.Fprintf(w, "%s: every callback already sits at its pinned slot; wrote it unchanged to %s\n", opts.New, opts.Out)
	} else {
		fmt.Fprintf(w, "pinned %s -> %s (re-analyzed and validated)\n", opts.New, opts.Out)
	}
	for _, p := range res.Pins {
		how := fmt.Sprintf("slot %d -> %d", p.From, p.To)
		if p.From == p.To {
			how = fmt.Sprintf("slot %d (kept)", p.To)
		}
		if p.New {
			how += ", new in the lock"
		}
		fmt.Fprintf(w, "  table %d: %s callback of %s, %s: %s\n", p.Table, p.Role, p.Import, callbacks.FuncLabel(p.Func, p.Name), how)
	}
	for _, r := range res.Relocated {
		what := callbacks.FuncLabel(uint32(max(r.Func, 0)), r.Name)
		switch {
		case r.Expr != "":
			what = "the element expression " + r.Expr
		case r.Func < 0:
			what = "the empty slot"
		}
		fmt.Fprintf(w, "  table %d: moved %s from slot %d to slot %d; the module's own indirect calls to %d are routed there\n", r.Table, what, r.Slot, r.To, r.Slot)
	}
	for _, t := range res.Tables {
		fmt.Fprintf(w, "  table %d: grown from %d to %d slots\n", t.Table, t.From, t.To)
	}
	if res.DroppedManifest {
		fmt.Fprintf(w, "  left out the embedded %s section, which described the input; embed a new one with wfcompat manifest --embed\n", manifest.SectionName)
	}
	if len(res.Wrapped) > 0 {
		fmt.Fprintf(w, "  wrapped %s; %d function bodies rewritten, the others copied verbatim\n", strings.Join(res.Wrapped, ", "), res.Rewritten)
	} else if res.Rewritten > 0 {
		fmt.Fprintf(w, "  %d function bodies rewritten, the others copied verbatim\n", res.Rewritten)
	}
	if opts.WriteLock {
		n := 0
		for _, t := range res.Lock.Tables {
			n += len(t.Slots)
		}
		fmt.Fprintf(w, "lock: wrote %s (%d pinned slots)\n", lockPath, n)
	}
}

// PinReport is the `pin --json` document (wfcompat.PinReport).
type PinReport = wfcompat.PinReport

func writePinJSON(opts *PinOptions, res *rewrite.Result, lockPath string) error {
	lockFile := ""
	if opts.WriteLock {
		lockFile = lockPath
	}
	doc := wfcompat.NewPinReport(opts.New, opts.Out, res, lockFile)
	enc := json.NewEncoder(opts.IO.Out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
