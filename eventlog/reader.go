package eventlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/wfcompat/wfcompat/internal/jsontext"
)

// DefaultMaxLineSize bounds one line of a log unless Reader.MaxLineSize says
// otherwise: large enough for big recorded values, small enough that a file
// without newlines cannot exhaust memory.
const DefaultMaxLineSize = 64 << 20

// Error is a malformed log: the file, the line, and where in the line when
// known. Its message is one line: "run.jsonl:17:5: invalid JSON: ...".
type Error struct {
	File string
	// Line is the 1-based line number; 0 for errors about the whole file.
	Line int
	// Col is the 1-based byte column in the line, 0 when not known.
	Col int
	// Offset is the byte offset in the file of the line start plus Col-1.
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(oneLine(e.Err.Error()))
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// utf8BOM is the UTF-8 byte order mark, accepted at the start of a log.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// Reader reads a log line by line. The header is read on the first call of
// Header or Next; every error is an *Error naming the file and line, and
// after an error the Reader returns that error forever.
type Reader struct {
	// MaxLineSize bounds a line (DefaultMaxLineSize when 0).
	MaxLineSize int

	name   string
	br     *bufio.Reader
	line   int   // number of the last line read
	off    int64 // offset of the start of the next line
	header *Header
	err    error
	buf    []byte
}

// NewReader returns a Reader of r; name is the file name used in errors.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{name: name, br: bufio.NewReaderSize(r, 64<<10)}
}

// Name returns the file name the Reader reports in errors.
func (r *Reader) Name() string { return r.name }

// Header returns the log's header, reading it if needed.
func (r *Reader) Header() (*Header, error) {
	if r.header != nil {
		return r.header, nil
	}
	if r.err != nil {
		return nil, r.err
	}
	line, start, err := r.nextLine()
	if err == io.EOF {
		return nil, r.fail(&Error{File: r.name, Err: errors.New("empty event log: no header line")})
	}
	if err != nil {
		return nil, r.fail(err)
	}
	var h Header
	if err := r.decode(line, start, &h); err != nil {
		// An event where the header belongs fails the strict decoding
		// on the event's fields: say what is wrong instead.
		if herr := r.checkHeaderType(line, start); herr != nil {
			err = herr
		}
		return nil, r.fail(err)
	}
	if err := h.Validate(); err != nil {
		if herr := r.checkHeaderType(line, start); herr != nil {
			err = herr
		} else {
			err = r.errAt(0, start, err)
		}
		return nil, r.fail(err)
	}
	r.header = &h
	return r.header, nil
}

// checkHeaderType tells a log that starts with an event rather than a
// header by the first line's type; nil when the line is not a JSON object
// with a type other than "header".
func (r *Reader) checkHeaderType(line []byte, start int64) error {
	var probe struct {
		Type *Type `json:"type"`
	}
	if json.Unmarshal(line, &probe) != nil || probe.Type == nil || *probe.Type == TypeHeader {
		return nil // decode reports what is wrong, if anything
	}
	where := "line 1"
	if r.line != 1 {
		where = fmt.Sprintf("the first non-blank line (line %d)", r.line)
	}
	return r.errAt(0, start, fmt.Errorf("%s must be the header "+
		`{"type":"header","schema":%q,"sha256":…,"version_id":…}, not an event of type %q (docs/eventlog.md)`, where, Schema, *probe.Type))
}

// Next returns the next event, or io.EOF after the last one.
func (r *Reader) Next() (*Event, error) {
	if _, err := r.Header(); err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	line, start, err := r.nextLine()
	if err != nil {
		if err != io.EOF {
			err = r.fail(err)
		}
		return nil, err
	}
	var e Event
	if err := r.decode(line, start, &e); err != nil {
		return nil, r.fail(err)
	}
	if err := e.Validate(); err != nil {
		return nil, r.fail(r.errAt(0, start, err))
	}
	e.Line = r.line
	return &e, nil
}

// Line returns the number of the last line read.
func (r *Reader) Line() int { return r.line }

func (r *Reader) fail(err error) error {
	r.err = err
	return err
}

// errAt builds an *Error at column col (0: unknown) of the line starting at
// file offset start.
func (r *Reader) errAt(col int, start int64, err error) *Error {
	e := &Error{File: r.name, Line: r.line, Col: col, Offset: start, Err: err}
	if col > 0 {
		e.Offset += int64(col - 1)
	}
	return e
}

// nextLine returns the next non-blank line (without its line ending) and
// the file offset where it starts, or io.EOF.
func (r *Reader) nextLine() ([]byte, int64, error) {
	max := r.MaxLineSize
	if max <= 0 {
		max = DefaultMaxLineSize
	}
	for {
		start := r.off
		r.buf = r.buf[:0]
		for {
			chunk, err := r.br.ReadSlice('\n')
			r.buf = append(r.buf, chunk...)
			r.off += int64(len(chunk))
			if len(r.buf) > max+2 { // +2: the line ending
				r.line++
				return nil, start, r.errAt(0, start, fmt.Errorf("line longer than %d bytes", max))
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(r.buf) == 0 {
					return nil, start, io.EOF
				}
				break
			}
			if err != nil {
				return nil, start, &Error{File: r.name, Line: r.line + 1, Offset: start, Err: err}
			}
			break
		}
		r.line++
		line := bytes.TrimSuffix(r.buf, []byte("\n"))
		if start == 0 && bytes.HasPrefix(line, utf8BOM) {
			// A byte order mark at the start of the file (editors on
			// Windows write one) is not part of the first line.
			line, start = line[len(utf8BOM):], start+int64(len(utf8BOM))
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		return line, start, nil
	}
}

// decode decodes one line into v: exactly one JSON object, no unknown
// fields.
func (r *Reader) decode(line []byte, start int64, v any) error {
	trimmed := bytes.TrimLeft(line, " \t")
	if len(trimmed) > 0 && trimmed[0] != '{' {
		col := len(line) - len(trimmed) + 1
		return r.errAt(col, start, errors.New("line is not a JSON object"))
	}
	// encoding/json turns bytes that are not UTF-8 into U+FFFD without a
	// word: a name or value recorded that way would silently differ.
	if i := jsontext.InvalidUTF8(line); i >= 0 {
		return r.errAt(i+1, start, errors.New("invalid UTF-8 (the log is JSON Lines, UTF-8 text)"))
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return r.errAt(int(se.Offset), start, fmt.Errorf("invalid JSON: %s", strings.TrimPrefix(se.Error(), "json: ")))
		case errors.As(err, &te):
			return r.errAt(int(te.Offset), start, typeError(te))
		case err == io.ErrUnexpectedEOF || err == io.EOF:
			return r.errAt(len(line)+1, start, errors.New("invalid JSON: unexpected end of line"))
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
			// encoding/json does not say where: find the key.
			if k, err := strconv.Unquote(name); err == nil {
				return r.errAt(jsontext.KeyOffset(line, k)+1, start, errors.New(msg))
			}
		}
		return r.errAt(0, start, errors.New(msg))
	}
	rest := line[dec.InputOffset():]
	if t := bytes.TrimLeft(rest, " \t"); len(t) > 0 {
		col := int(dec.InputOffset()) + len(rest) - len(t) + 1
		return r.errAt(col, start, errors.New("invalid JSON: more than one value on the line"))
	}
	return nil
}

func typeError(te *json.UnmarshalTypeError) error {
	if te.Field == "" {
		return fmt.Errorf("line is not a JSON object (got %s)", te.Value)
	}
	return fmt.Errorf("field %q: want %s, got %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "a non-negative integer"
	}
	return "a number"
}

// Log is a whole log read into memory.
type Log struct {
	Name   string
	Header *Header
	Events []*Event
}

// Read reads a whole log from r; name is used in errors.
func Read(r io.Reader, name string) (*Log, error) {
	rd := NewReader(r, name)
	h, err := rd.Header()
	if err != nil {
		return nil, err
	}
	l := &Log{Name: name, Header: h}
	for {
		e, err := rd.Next()
		if err == io.EOF {
			return l, nil
		}
		if err != nil {
			return nil, err
		}
		l.Events = append(l.Events, e)
	}
}

// ReadFile reads the log at path.
func ReadFile(path string) (*Log, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	return Read(f, path)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
