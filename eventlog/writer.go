package eventlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Writer writes a log: the header first, then one line per event. Each line
// goes to the underlying writer in a single Write call, so a log cut short
// by a crash ends with whole lines. Writer does not buffer; wrap the
// destination in a bufio.Writer (and flush it) for throughput.
//
// The order of lines is the order of events. An invocation's line comes
// before the import calls it made, so a runner that streams the log keeps
// an invocation's import events in memory until it returns, traps or is cut
// off by an upgrade (then it is written as pending).
type Writer struct {
	w   io.Writer
	buf bytes.Buffer
	n   int // lines written
}

// NewWriter validates h, writes it as the first line and returns a Writer
// for the events. h.Type and h.Schema are filled in when empty.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if h.Type == "" {
		h.Type = TypeHeader
	}
	if h.Schema == "" {
		h.Schema = Schema
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	lw := &Writer{w: w}
	if err := lw.writeLine(&h); err != nil {
		return nil, err
	}
	return lw, nil
}

// Write validates e and writes it as the next line. An invalid event is
// refused and nothing is written.
func (w *Writer) Write(e *Event) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("eventlog: line %d: %w", w.n+1, err)
	}
	return w.writeLine(e)
}

// Lines returns the number of lines written, header included.
func (w *Writer) Lines() int { return w.n }

func (w *Writer) writeLine(v any) error {
	w.buf.Reset()
	enc := json.NewEncoder(&w.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode ends the line with '\n'
		return fmt.Errorf("eventlog: %w", err)
	}
	if _, err := w.w.Write(w.buf.Bytes()); err != nil {
		return err
	}
	w.n++
	return nil
}
