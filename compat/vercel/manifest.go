package vercel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wfcompat/wfcompat/analyze"
)

// Kind is the Artifact.Kind of a Vercel Workflow manifest in reports.
const Kind = "vercel-manifest"

// Entry kinds.
const (
	KindWorkflow = "workflow"
	KindStep     = "step"
	KindClass    = "class"
)

// Entry is one workflow, step or class of a manifest.
type Entry struct {
	// Kind is KindWorkflow, KindStep or KindClass.
	Kind string
	// ID is the stable id runs refer to: "workflow//./src/workflows/order//fulfill",
	// "step//./src/workflows/order//charge".
	ID string
	// File and Export locate the entry in the source: the manifest's
	// file key and export key.
	File   string
	Export string
	// Calls are what a workflow's graph does that the runtime records, in
	// graph order: steps, sleeps and hooks (nil without a graph). Each
	// takes the next correlation id of a run, so a run replays on new code
	// only if its recorded calls are a prefix of these.
	Calls []Call
	// Steps are the step ids of Calls, in order; a step called twice
	// appears twice (nil without a graph).
	Steps []string
	// Linear says the graph is one chain from start to end with no
	// branch, parallel group, loop or node of a kind this package does
	// not know: Calls is then the order of every run. Otherwise Calls is
	// the graph's node order and only says which calls exist.
	Linear bool
	// Graph is a digest of the workflow's graph (nodes and edges as read),
	// "" without one: equal digests mean the builder saw the same calls in
	// the same structure.
	Graph string
}

// Call kinds.
const (
	CallStep  = "step"
	CallSleep = "sleep"
	CallHook  = "hook"
)

// Call is one call of a workflow that takes a correlation id: a step (by
// id), a sleep or a hook.
type Call struct {
	Kind   string
	StepID string
}

// String renders the call as sequences show it: the step id, "sleep" or
// "hook".
func (c Call) String() string {
	if c.Kind == CallStep {
		return c.StepID
	}
	return c.Kind
}

// Manifest is a Vercel Workflow DevKit build manifest, read into entries.
type Manifest struct {
	// Version is the manifest's "version" field.
	Version string
	// Workflows, Steps and Classes are sorted by ID, one entry per ID.
	Workflows []*Entry
	Steps     []*Entry
	Classes   []*Entry
}

// Lookup returns the entry of kind k with id, or nil.
func (m *Manifest) Lookup(k, id string) *Entry {
	list := m.list(k)
	i := sort.Search(len(list), func(i int) bool { return list[i].ID >= id })
	if i < len(list) && list[i].ID == id {
		return list[i]
	}
	return nil
}

func (m *Manifest) list(k string) []*Entry {
	switch k {
	case KindWorkflow:
		return m.Workflows
	case KindStep:
		return m.Steps
	}
	return m.Classes
}

// HiddenSteps returns the steps of the app (ids "step//./…") that no
// workflow graph calls, sorted. The DevKit's graphs leave out calls that
// are not awaited (`void audit(x)`), so a hidden step may be called
// anywhere: the order of calls that graphs give is then not complete.
// Nil when no workflow has a graph.
func (m *Manifest) HiddenSteps() []string {
	used := map[string]bool{}
	graphs := false
	for _, w := range m.Workflows {
		if w.Calls != nil {
			graphs = true
		}
		for _, c := range w.Calls {
			used[c.StepID] = true
		}
	}
	if !graphs {
		return nil
	}
	var out []string
	for _, s := range m.Steps {
		if strings.HasPrefix(s.ID, "step//./") && !used[s.ID] {
			out = append(out, s.ID)
		}
	}
	return out
}

// sections are the manifest's entry maps: JSON key, entry kind, id field.
var sections = []struct{ key, kind, idField string }{
	{"workflows", KindWorkflow, "workflowId"},
	{"steps", KindStep, "stepId"},
	{"classes", KindClass, "classId"},
}

// IsManifest reports whether b looks like a Vercel Workflow build manifest:
// a JSON object with a "steps" or "workflows" object and no "schema" field
// (wfcompat's own documents all have one). It does not validate further;
// Parse does.
func IsManifest(b []byte) bool {
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return false
	}
	// The first value only, decoded once: Parse reports data after it,
	// where it is.
	var top map[string]json.RawMessage
	if json.NewDecoder(bytes.NewReader(b)).Decode(&top) != nil {
		return false
	}
	if _, ok := top["schema"]; ok {
		return false
	}
	for _, k := range []string{"workflows", "steps"} {
		if v, ok := top[k]; ok && isObject(v) {
			return true
		}
	}
	return false
}

func isObject(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '{'
}

// ReadFile reads and parses the manifest at path.
func ReadFile(path string) (*Manifest, error) {
	b, err := analyze.ReadInput(path, 0)
	if err != nil {
		return nil, &Error{File: path, Err: unwrapPathError(err)}
	}
	return Parse(b, path)
}

// Parse parses a build manifest; name is the file name used in errors.
//
// Two layouts are read. The one the adapter was written for maps source
// file to export name to entry:
//
//	{"version": "1.0.0",
//	 "workflows": {"src/workflows/order.ts": {"fulfill": {"workflowId": "workflow//./src/workflows/order//fulfill", "graph": {...}}}},
//	 "steps":     {"src/workflows/order.ts": {"charge": {"stepId": "step//./src/workflows/order//charge"}}},
//	 "classes":   {"src/models.ts": {"Order": {"classId": "class//./src/models//Order"}}}}
//
// Later DevKit versions key entries by id directly ({"step//...": {"stepId":
// "step//...", "name": "charge", ...}}); an entry map whose values carry the
// id field is read that way. Other fields are ignored. Errors are *Error
// with the byte offset of the offending value.
func Parse(b []byte, name string) (*Manifest, error) {
	if err := checkUTF8(b, name); err != nil {
		return nil, err
	}
	p := &parser{name: name, src: b}
	top, err := p.object(b, 0, "manifest")
	if err != nil {
		return nil, err
	}
	m := &Manifest{}
	if v, ok := top.get("version"); ok {
		if err := p.unmarshal(v, &m.Version, "version"); err != nil {
			return nil, err
		}
	}
	found := false
	for _, s := range sections {
		v, ok := top.get(s.key)
		if !ok || isNull(v.raw) {
			continue
		}
		found = true
		entries, err := p.section(v, s.kind, s.idField, s.key)
		if err != nil {
			return nil, err
		}
		switch s.kind {
		case KindWorkflow:
			m.Workflows = entries
		case KindStep:
			m.Steps = entries
		default:
			m.Classes = entries
		}
	}
	if !found {
		return nil, &Error{File: name, Err: fmt.Errorf("not a Vercel Workflow manifest: no \"workflows\" or \"steps\" object")}
	}
	return m, nil
}

// parser reads JSON objects keeping each member's offset, so errors point
// into the file.
type parser struct {
	name string
	src  []byte
	nl   []int64 // offsets of the newlines of src, built on first use
}

// line returns the 1-based line of offset off.
func (p *parser) line(off int64) int {
	if p.nl == nil {
		p.nl = []int64{}
		for i, c := range p.src {
			if c == '\n' {
				p.nl = append(p.nl, int64(i))
			}
		}
	}
	return sort.Search(len(p.nl), func(i int) bool { return p.nl[i] >= off }) + 1
}

type member struct {
	key string
	raw json.RawMessage
	off int64 // offset of the value in the file
}

type object []member

func (o object) get(k string) (member, bool) {
	for _, m := range o {
		if m.key == k {
			return m, true
		}
	}
	return member{}, false
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

func (p *parser) errAt(off int64, format string, args ...any) error {
	return &Error{File: p.name, Offset: off, src: p.src, Err: fmt.Errorf(format, args...)}
}

// object decodes the JSON object in b (found at file offset base) into its
// members in order; what names it in errors.
func (p *parser) object(b []byte, base int64, what string) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, p.jsonErr(err, base, dec)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, p.errAt(base+skipSpace(b), "%s is not a JSON object", what)
	}
	var o object
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, p.jsonErr(err, base, dec)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, p.jsonErr(err, base, dec)
		}
		end := dec.InputOffset()
		start := end - int64(len(raw))
		o = append(o, member{key: key, raw: raw, off: base + start})
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.jsonErr(err, base, dec)
	}
	if rest := b[dec.InputOffset():]; skipSpace(rest) < int64(len(rest)) {
		return nil, p.errAt(base+dec.InputOffset()+skipSpace(rest), "invalid JSON: data after the %s", what)
	}
	return o, nil
}

func skipSpace(b []byte) int64 {
	return int64(len(b) - len(bytes.TrimLeft(b, " \t\r\n")))
}

func (p *parser) jsonErr(err error, base int64, dec *json.Decoder) error {
	if se, ok := err.(*json.SyntaxError); ok {
		return p.errAt(base+se.Offset, "invalid JSON: %s", strings.TrimPrefix(se.Error(), "json: "))
	}
	if err.Error() == "EOF" || err.Error() == "unexpected EOF" {
		return p.errAt(base+dec.InputOffset(), "invalid JSON: unexpected end of input")
	}
	return p.errAt(base+dec.InputOffset(), "%s", strings.TrimPrefix(err.Error(), "json: "))
}

func (p *parser) unmarshal(m member, v any, what string) error {
	if err := json.Unmarshal(m.raw, v); err != nil {
		var want string
		switch v.(type) {
		case *string:
			want = "a string"
		default:
			want = "an object"
		}
		return p.errAt(m.off, "%s: want %s, got %s", what, want, jsonType(m.raw))
	}
	return nil
}

func jsonType(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// section reads one of workflows, steps and classes.
func (p *parser) section(v member, kind, idField, key string) ([]*Entry, error) {
	files, err := p.object(v.raw, v.off, fmt.Sprintf("%q", key))
	if err != nil {
		return nil, err
	}
	byID := map[string]*Entry{}
	var out []*Entry
	add := func(e *Entry) {
		if _, dup := byID[e.ID]; dup {
			// The DevKit builder accepts equivalent copies of one module
			// under one id; the first one stands for all.
			return
		}
		byID[e.ID] = e
		out = append(out, e)
	}
	for _, f := range files {
		where := key + "[" + quote(f.key) + "]"
		members, err := p.object(f.raw, f.off, where)
		if err != nil {
			return nil, err
		}
		if _, flat := members.get(idField); flat {
			// Keyed by id: f is itself an entry.
			e, err := p.entry(f, members, kind, idField, where)
			if err != nil {
				return nil, err
			}
			e.File, e.Export = "", entryName(members)
			add(e)
			continue
		}
		for _, x := range members {
			w := where + "[" + quote(x.key) + "]"
			fields, err := p.object(x.raw, x.off, w)
			if err != nil {
				return nil, err
			}
			e, err := p.entry(x, fields, kind, idField, w)
			if err != nil {
				return nil, err
			}
			e.File, e.Export = f.key, x.key
			add(e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func entryName(fields object) string {
	if n, ok := fields.get("name"); ok {
		var s string
		if json.Unmarshal(n.raw, &s) == nil {
			return s
		}
	}
	return ""
}

// entry reads one entry's id (and a workflow's graph).
func (p *parser) entry(at member, fields object, kind, idField, where string) (*Entry, error) {
	idm, ok := fields.get(idField)
	if !ok {
		return nil, p.errAt(at.off, "%s: no %q", where, idField)
	}
	var id string
	if err := p.unmarshal(idm, &id, where+"."+idField); err != nil {
		return nil, err
	}
	if strings.TrimSpace(id) == "" {
		return nil, p.errAt(idm.off, "%s.%s is empty", where, idField)
	}
	e := &Entry{Kind: kind, ID: id}
	if g, ok := fields.get("graph"); ok && kind == KindWorkflow && !isNull(g.raw) {
		calls, linear, digest, err := p.graphCalls(g, where+".graph")
		if err != nil {
			return nil, err
		}
		e.Calls, e.Linear, e.Graph = calls, linear, digest
		e.Steps = []string{}
		for _, c := range calls {
			if c.Kind == CallStep {
				e.Steps = append(e.Steps, c.StepID)
			}
		}
	}
	return e, nil
}

// graph is the part of a DevKit workflow graph read here.
type graph struct {
	Nodes []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Data struct {
			Label    string `json:"label"`
			NodeKind string `json:"nodeKind"`
			StepID   string `json:"stepId"`
		} `json:"data"`
	} `json:"nodes"`
	Edges []struct {
		Source string `json:"source"`
		Target string `json:"target"`
		Type   string `json:"type"`
	} `json:"edges"`
}

// primitiveCall returns the call a primitive node of the graph records,
// by its label; false for primitives that take no correlation id of their
// own (awaitWebhook: waiting on a hook already created) and other labels.
func primitiveCall(label string) (string, bool) {
	switch label {
	case "sleep":
		return CallSleep, true
	case "createHook", "createWebhook", "defineHook":
		return CallHook, true
	}
	return "", false
}

// noCallPrimitive reports whether label names a primitive that records no
// call.
func noCallPrimitive(label string) bool { return label == "awaitWebhook" || label == "awaitHook" }

// graphCalls reads a workflow graph's calls in order: the nodes sorted
// topologically along the edges (a loop's back edge ignored), ties broken
// by the order of the nodes array, which the DevKit writes in source order.
func (p *parser) graphCalls(g member, where string) (calls []Call, linear bool, digest string, err error) {
	if !isObject(g.raw) {
		return nil, false, "", p.errAt(g.off, "%s: want an object, got %s", where, jsonType(g.raw))
	}
	var gr graph
	if err := json.Unmarshal(g.raw, &gr); err != nil {
		return nil, false, "", p.errAt(g.off, "%s: want {nodes: [{id, type, data: {stepId}}], edges: [{source, target}]}: %s", where, strings.TrimPrefix(err.Error(), "json: "))
	}
	canon, _ := json.Marshal(gr)
	sum := sha256.Sum256(canon)
	digest = hex.EncodeToString(sum[:])
	index := map[string]int{}
	for i, n := range gr.Nodes {
		if _, dup := index[n.ID]; !dup {
			index[n.ID] = i
		}
	}
	linear = true
	indeg := make([]int, len(gr.Nodes))
	outdeg := make([]int, len(gr.Nodes))
	succ := make([][]int, len(gr.Nodes))
	for _, e := range gr.Edges {
		s, ok1 := index[e.Source]
		t, ok2 := index[e.Target]
		if !ok1 || !ok2 {
			linear = false
			continue
		}
		if e.Type != "" && e.Type != "default" {
			linear = false // conditional, parallel, loop
		}
		outdeg[s]++
		if s == t {
			linear = false
			continue
		}
		indeg[t]++
		succ[s] = append(succ[s], t)
	}
	roots := 0
	for i := range gr.Nodes {
		if indeg[i] == 0 {
			roots++
		}
	}
	if roots > 1 && len(gr.Edges) > 0 {
		linear = false // disconnected pieces: no one order
	}
	// A graph of nodes without edges (written by hand; the DevKit always
	// writes edges) is read in node order.
	// Kahn's algorithm, always taking the lowest node index ready; nodes
	// left in a cycle follow in array order.
	order := make([]int, 0, len(gr.Nodes))
	done := make([]bool, len(gr.Nodes))
	deg := slices.Clone(indeg)
	for len(order) < len(gr.Nodes) {
		next := -1
		for i := range gr.Nodes {
			if !done[i] && deg[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			linear = false
			for i := range gr.Nodes {
				if !done[i] {
					next = i
					break
				}
			}
		}
		done[next] = true
		order = append(order, next)
		for _, t := range succ[next] {
			deg[t]--
		}
	}
	calls = []Call{}
	for _, i := range order {
		n := gr.Nodes[i]
		if indeg[i] > 1 || outdeg[i] > 1 {
			linear = false
		}
		switch n.Type {
		case "workflowStart", "workflowEnd":
		case "step":
			if n.Data.StepID == "" {
				linear = false
				continue
			}
			calls = append(calls, Call{Kind: CallStep, StepID: n.Data.StepID})
		case "primitive":
			if k, ok := primitiveCall(n.Data.Label); ok {
				calls = append(calls, Call{Kind: k})
			} else if !noCallPrimitive(n.Data.Label) {
				linear = false
			}
		default:
			linear = false
		}
	}
	return calls, linear, digest, nil
}
