package vercel

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Payload formats (Payload.Format).
const (
	// FormatDevalue is the DevKit's default serialization: the 4-byte
	// prefix "devl", then devalue's stringify output (a JSON array).
	FormatDevalue = "devl"
	// FormatEncrypted is an encrypted payload ("encr"); it is not decoded.
	FormatEncrypted = "encr"
	// FormatJSON is a value `wf inspect --withData` already decoded.
	FormatJSON = "json"
)

// ClassInstanceRefType is the __type `wf inspect --withData` gives a
// serialized class instance ({"__type": ..., "className", "classId",
// "data"}); wfcompat shows decoded instances the same way.
const ClassInstanceRefType = "__workflow_class_instance_ref__"

// Payload is one recorded value of an event (a run's input, a step's
// input or result, a run's output), decoded.
type Payload struct {
	// Format is FormatDevalue, FormatEncrypted or FormatJSON.
	Format string
	// Value is the value for display, in JSON terms (map[string]any,
	// []any, string, json.Number, bool, nil). Values JSON has no form for
	// appear as {"__type": NAME, "value": ...} (Date, Map, Set, BigInt,
	// ...); class instances as `wf inspect` shows them. Nil for encrypted
	// payloads.
	Value any
	// Classes are the class ids the value refers to (class instances and
	// class references), in order of appearance, without duplicates.
	// ClassNames are classes known only by name (`wf inspect --withData`
	// renders class references as "<class:Name>").
	Classes    []string
	ClassNames []string
	// Steps are the step ids of step functions the value holds.
	Steps []string
}

// DecodeLocalPayload decodes a payload as the local world stores it:
// {"__type": "Uint8Array", "data": "<base64>"} holding a format prefix and
// the serialized bytes. Other JSON is taken as already decoded.
func DecodeLocalPayload(raw json.RawMessage) (*Payload, error) {
	var wrap struct {
		Type *string `json:"__type"`
		Data *string `json:"data"`
	}
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &wrap) == nil && wrap.Type != nil && *wrap.Type == "Uint8Array" && wrap.Data != nil {
		b, err := base64.StdEncoding.DecodeString(*wrap.Data)
		if err != nil {
			return nil, fmt.Errorf("payload: bad base64: %w", err)
		}
		return DecodeSerialized(b)
	}
	return DecodeJSONValue(raw)
}

// DecodeSerialized decodes serialized bytes: a 4-byte format prefix and
// the payload.
func DecodeSerialized(b []byte) (*Payload, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("payload: %d bytes, too short for a format prefix", len(b))
	}
	switch string(b[:4]) {
	case FormatDevalue:
		return DecodeDevalue(b[4:])
	case FormatEncrypted:
		return &Payload{Format: FormatEncrypted}, nil
	}
	return nil, fmt.Errorf("payload: unknown format prefix %q", b[:4])
}

// DecodeJSONValue reads a value `wf inspect --withData` printed, finding
// the classes and steps it refers to.
func DecodeJSONValue(raw json.RawMessage) (*Payload, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	p := &Payload{Format: FormatJSON, Value: v}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxDepth {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			if t, _ := x["__type"].(string); t == ClassInstanceRefType {
				if id, ok := x["classId"].(string); ok {
					p.addClass(id)
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(x[k], depth+1)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case string:
			if id, ok := strings.CutPrefix(x, "<step:"); ok && strings.HasSuffix(id, ">") {
				p.addStep(strings.TrimSuffix(id, ">"))
			} else if n, ok := strings.CutPrefix(x, "<class:"); ok && strings.HasSuffix(n, ">") {
				n = strings.TrimSuffix(n, ">")
				if !slices.Contains(p.ClassNames, n) {
					p.ClassNames = append(p.ClassNames, n)
				}
			}
		}
	}
	walk(v, 0)
	return p, nil
}

func (p *Payload) addClass(id string) {
	if !slices.Contains(p.Classes, id) {
		p.Classes = append(p.Classes, id)
	}
}

func (p *Payload) addStep(id string) {
	if !slices.Contains(p.Steps, id) {
		p.Steps = append(p.Steps, id)
	}
}

// maxDepth bounds the nesting of decoded values; maxNodes the values a
// decoded payload may expand to (devalue shares repeated values by index,
// so a small payload can name a huge tree).
const (
	maxDepth = 1000
	maxNodes = 1 << 20
)

// devalue's special indices.
const (
	dvUndefined   = -1
	dvHole        = -2
	dvNaN         = -3
	dvPosInf      = -4
	dvNegInf      = -5
	dvNegZero     = -6
	dvSpecialsMin = -6
)

// DecodeDevalue decodes the output of devalue's stringify: a JSON array
// whose element 0 is the root and whose objects and arrays hold indices
// into the array ("flattened"), or a lone negative number for undefined,
// NaN and the like. Typed values are arrays starting with a type name:
// the DevKit's reducers write [NAME, INDEX] (Instance, Class, Date, Map,
// StepFunction, ...); devalue's own forms ([\"Date\", ISO], [\"Set\", i...],
// [\"Map\", k, v...], [\"RegExp\", source, flags], [\"BigInt\", digits],
// [\"null\", key, i...], [\"Object\", i]) are read too.
func DecodeDevalue(b []byte) (*Payload, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("devalue: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("devalue: data after the value at byte %d", dec.InputOffset())
	}
	p := &Payload{Format: FormatDevalue}
	switch t := top.(type) {
	case json.Number:
		i, err := t.Int64()
		if err != nil || i < dvSpecialsMin || i >= 0 {
			return nil, fmt.Errorf("devalue: top-level number %s is not a special value", t)
		}
		p.Value = special(i)
		return p, nil
	case []any:
		if len(t) == 0 {
			return nil, errors.New("devalue: empty array")
		}
		d := &dvDecoder{arr: t, state: make([]uint8, len(t)), memo: make([]any, len(t)), size: make([]int, len(t))}
		if err := d.refs(p); err != nil {
			return nil, err
		}
		v, err := d.hydrate(0, 0)
		if err != nil {
			return nil, err
		}
		p.Value = v
		return p, nil
	}
	return nil, errors.New("devalue: want an array or a special value")
}

type dvDecoder struct {
	arr   []any
	state []uint8 // 0 new, 1 in progress, 2 done
	memo  []any
	// size is the number of values arr[i] expands to for display; nodes
	// the total so far. A value shared by index is counted each time it
	// is shown, so a small payload cannot expand to a huge display.
	size  []int
	nodes int
}

func special(i int64) any {
	switch i {
	case dvUndefined, dvHole:
		return nil
	case dvNaN:
		return "NaN"
	case dvPosInf:
		return "Infinity"
	case dvNegInf:
		return "-Infinity"
	}
	return json.Number("0") // -0
}

// index reads an element that must be an index into the array, or a
// special value (ok false, v its value).
func (d *dvDecoder) index(x any) (i int, sp any, isSpecial bool, err error) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, nil, false, fmt.Errorf("devalue: want an index, got %s", describe(x))
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, nil, false, fmt.Errorf("devalue: index %s is not an integer", n)
	}
	if v < 0 {
		if v < dvSpecialsMin {
			return 0, nil, false, fmt.Errorf("devalue: unknown special index %d", v)
		}
		return 0, special(v), true, nil
	}
	if v >= int64(len(d.arr)) {
		return 0, nil, false, fmt.Errorf("devalue: index %d out of range (%d values)", v, len(d.arr))
	}
	return int(v), nil, false, nil
}

func describe(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a number"
}

// refs finds the classes and steps the payload refers to, reading the
// reducers' entries directly: [\"Instance\", i] and [\"Class\", i] with
// arr[i] = {classId: j}, [\"StepFunction\", i] with arr[i] = {stepId: j}.
func (d *dvDecoder) refs(p *Payload) error {
	for _, e := range d.arr {
		a, ok := e.([]any)
		if !ok || len(a) != 2 {
			continue
		}
		name, _ := a[0].(string)
		var field string
		switch name {
		case "Instance", "Class":
			field = "classId"
		case "StepFunction":
			field = "stepId"
		default:
			continue
		}
		i, _, sp, err := d.index(a[1])
		if err != nil {
			return err
		}
		if sp {
			continue
		}
		obj, ok := d.arr[i].(map[string]any)
		if !ok {
			return fmt.Errorf("devalue: %s value %d is %s, want an object", name, i, describe(d.arr[i]))
		}
		x, ok := obj[field]
		if !ok {
			return fmt.Errorf("devalue: %s value %d has no %s", name, i, field)
		}
		j, _, sp, err := d.index(x)
		if err != nil {
			return err
		}
		s, ok := d.arr[j].(string)
		if sp || !ok {
			return fmt.Errorf("devalue: %s %s is not a string", name, field)
		}
		if field == "classId" {
			p.addClass(s)
		} else {
			p.addStep(s)
		}
	}
	return nil
}

// hydrate builds the display value of arr[i].
func (d *dvDecoder) hydrate(i, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("devalue: values nested too deeply")
	}
	switch d.state[i] {
	case 1:
		// A cycle: devalue keeps references; a display tree cannot.
		d.nodes++
		return map[string]any{"__type": "Ref", "value": json.Number(strconv.Itoa(i))}, nil
	case 2:
		d.nodes += d.size[i]
		if d.nodes > maxNodes {
			return nil, errors.New("devalue: value too large to show")
		}
		return d.memo[i], nil
	}
	d.nodes++
	if d.nodes > maxNodes {
		return nil, errors.New("devalue: value too large to show")
	}
	before := d.nodes
	d.state[i] = 1
	v, err := d.hydrateNew(i, depth)
	if err != nil {
		return nil, err
	}
	d.state[i], d.memo[i], d.size[i] = 2, v, d.nodes-before+1
	return v, nil
}

func (d *dvDecoder) at(x any, depth int) (any, error) {
	i, sp, isSp, err := d.index(x)
	if err != nil {
		return nil, err
	}
	if isSp {
		return sp, nil
	}
	return d.hydrate(i, depth+1)
}

func (d *dvDecoder) hydrateNew(i, depth int) (any, error) {
	switch x := d.arr[i].(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			v, err := d.at(e, depth)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case []any:
		if len(x) > 0 {
			if name, ok := x[0].(string); ok {
				return d.typed(name, x[1:], depth)
			}
		}
		out := make([]any, len(x))
		for k, e := range x {
			v, err := d.at(e, depth)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case json.Number:
		if f, err := x.Float64(); err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
			return x.String(), nil
		}
		return x, nil
	}
	return d.arr[i], nil // string, bool, nil
}

// typed renders a typed entry [name, args...].
func (d *dvDecoder) typed(name string, args []any, depth int) (any, error) {
	wrap := func(v any) any { return map[string]any{"__type": name, "value": v} }
	if len(args) == 1 {
		if _, ok := args[0].(json.Number); ok {
			// A DevKit reducer: [NAME, INDEX].
			v, err := d.at(args[0], depth)
			if err != nil {
				return nil, err
			}
			if name == "Instance" {
				if m, ok := v.(map[string]any); ok {
					id, _ := m["classId"].(string)
					cn := id
					if k := strings.LastIndex(id, "/"); k >= 0 {
						cn = id[k+1:]
					}
					return map[string]any{"__type": ClassInstanceRefType, "className": cn, "classId": id, "data": m["data"]}, nil
				}
			}
			return wrap(v), nil
		}
	}
	switch name {
	case "Date", "BigInt", "RegExp", "URL", "URLSearchParams":
		// devalue's own forms keep their arguments inline.
		return wrap(args), nil
	case "Object":
		if len(args) == 1 {
			return wrap(args[0]), nil
		}
	case "Set":
		out := make([]any, 0, len(args))
		for _, a := range args {
			v, err := d.at(a, depth)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return wrap(out), nil
	case "Map", "null":
		if len(args)%2 != 0 {
			return nil, fmt.Errorf("devalue: %s entry with an odd number of elements", name)
		}
		out := make([]any, 0, len(args)/2)
		for k := 0; k < len(args); k += 2 {
			key := args[k]
			if name == "Map" {
				var err error
				if key, err = d.at(args[k], depth); err != nil {
					return nil, err
				}
			}
			v, err := d.at(args[k+1], depth)
			if err != nil {
				return nil, err
			}
			out = append(out, []any{key, v})
		}
		return wrap(out), nil
	}
	return wrap(args), nil
}
