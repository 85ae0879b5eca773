package witparse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/wfcompat/wfcompat/wit"
)

// uiResolve is wit-parser's resolved JSON (NAME.wit.json of its UI tests),
// read only as far as the world model goes.
type uiResolve struct {
	Worlds []struct {
		Name    string                      `json:"name"`
		Imports orderedMap[json.RawMessage] `json:"imports"`
		Exports orderedMap[json.RawMessage] `json:"exports"`
		Package *int                        `json:"package"`
		Docs    uiDocs                      `json:"docs"`
	} `json:"worlds"`
	Interfaces []struct {
		Name      *string            `json:"name"`
		Types     orderedMap[int]    `json:"types"`
		Functions orderedMap[uiFunc] `json:"functions"`
		Docs      uiDocs             `json:"docs"`
		Package   *int               `json:"package"`
	} `json:"interfaces"`
	Types []struct {
		Name  *string         `json:"name"`
		Kind  json.RawMessage `json:"kind"`
		Owner *struct {
			Interface *int `json:"interface"`
			World     *int `json:"world"`
		} `json:"owner"`
		Docs uiDocs `json:"docs"`
	} `json:"types"`
	Packages []struct {
		Name string `json:"name"`
	} `json:"packages"`
}

type uiDocs struct {
	Contents string `json:"contents"`
}

type uiFunc struct {
	Name   string          `json:"name"`
	Kind   json.RawMessage `json:"kind"`
	Params []struct {
		Name string          `json:"name"`
		Type json.RawMessage `json:"type"`
	} `json:"params"`
	Result json.RawMessage `json:"result"`
	Docs   uiDocs          `json:"docs"`
}

// orderedMap is a JSON object whose key order matters.
type orderedMap[V any] struct {
	Keys   []string
	Values []V
}

func (m *orderedMap[V]) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var v V
		if err := dec.Decode(&v); err != nil {
			return err
		}
		m.Keys = append(m.Keys, k.(string))
		m.Values = append(m.Values, v)
	}
	return nil
}

// uiModel converts wit-parser's JSON to the world model, the way
// wasmtools.FromResolve converts go.bytecodealliance.org's Resolve: named types
// carry their name and owner; `use` is transparent; an alias under another
// name keeps its name with the target's structure (and, for a resource, the
// resource it names as Elem).
type uiModel struct {
	r     *uiResolve
	memo  map[int]*wit.Type
	state map[int]bool
}

func loadUIJSON(path string) (*uiModel, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &uiResolve{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &uiModel{r: r, memo: map[int]*wit.Type{}, state: map[int]bool{}}, nil
}

func (m *uiModel) ifaceName(id int) string {
	in := m.r.Interfaces[id]
	if in.Name == nil {
		return ""
	}
	if in.Package == nil {
		return *in.Name
	}
	return m.pkgName(*in.Package, *in.Name)
}

func (m *uiModel) pkgName(pkg int, ext string) string {
	name := m.r.Packages[pkg].Name
	q := wit.ParseQName(name)
	_ = q
	base, version := name, ""
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '@' {
			base, version = name[:i], name[i+1:]
			break
		}
	}
	s := base + "/" + ext
	if version != "" {
		s += "@" + version
	}
	return s
}

func (m *uiModel) iface(id int, name string) (*wit.Interface, error) {
	in := m.r.Interfaces[id]
	out := &wit.Interface{Name: name, Docs: in.Docs.Contents}
	for i, n := range in.Types.Keys {
		t, err := m.typeID(in.Types.Values[i])
		if err != nil {
			return nil, fmt.Errorf("type %s: %w", n, err)
		}
		out.Types = append(out.Types, &wit.TypeDef{Name: n, Type: t, Docs: m.r.Types[in.Types.Values[i]].Docs.Contents})
	}
	for _, f := range in.Functions.Values {
		fn, err := m.function(f)
		if err != nil {
			return nil, err
		}
		out.Functions = append(out.Functions, fn)
	}
	return out, nil
}

func (m *uiModel) world(id int) (*wit.World, error) {
	w := m.r.Worlds[id]
	out := &wit.World{Name: w.Name, Docs: w.Docs.Contents}
	if w.Package != nil {
		out.Package = m.r.Packages[*w.Package].Name
	}
	var err error
	if out.Imports, err = m.items(w.Imports); err != nil {
		return nil, err
	}
	if out.Exports, err = m.items(w.Exports); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *uiModel) items(om orderedMap[json.RawMessage]) ([]*wit.Item, error) {
	items := make([]*wit.Item, 0, len(om.Keys))
	for i, key := range om.Keys {
		var v struct {
			Interface *struct {
				ID int `json:"id"`
			} `json:"interface"`
			Function *uiFunc `json:"function"`
			Type     *int    `json:"type"`
		}
		if err := json.Unmarshal(om.Values[i], &v); err != nil {
			return nil, err
		}
		switch {
		case v.Interface != nil:
			name := key
			if n := m.ifaceName(v.Interface.ID); n != "" && m.r.Interfaces[v.Interface.ID].Package != nil {
				name = n
			}
			in, err := m.iface(v.Interface.ID, name)
			if err != nil {
				return nil, err
			}
			items = append(items, &wit.Item{Name: name, Kind: wit.ItemInterface, Interface: in})
		case v.Function != nil:
			fn, err := m.function(*v.Function)
			if err != nil {
				return nil, err
			}
			items = append(items, &wit.Item{Name: key, Kind: wit.ItemFunction, Function: fn})
		case v.Type != nil:
			t, err := m.typeID(*v.Type)
			if err != nil {
				return nil, err
			}
			items = append(items, &wit.Item{Name: key, Kind: wit.ItemType, Type: &wit.TypeDef{Name: key, Type: t, Docs: m.r.Types[*v.Type].Docs.Contents}})
		default:
			return nil, fmt.Errorf("world item %s: unknown form %s", key, om.Values[i])
		}
	}
	return items, nil
}

func (m *uiModel) function(f uiFunc) (*wit.Function, error) {
	var kind string
	if json.Unmarshal(f.Kind, &kind) != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(f.Kind, &obj); err != nil {
			return nil, err
		}
		for k := range obj {
			kind = k
		}
	}
	async := len(kind) > 6 && kind[:6] == "async-"
	out := &wit.Function{Name: f.Name, Async: async, Docs: f.Docs.Contents, Params: make([]wit.Param, len(f.Params))}
	for i, p := range f.Params {
		t, err := m.typeRef(p.Type)
		if err != nil {
			return nil, fmt.Errorf("function %s param %s: %w", f.Name, p.Name, err)
		}
		out.Params[i] = wit.Param{Name: p.Name, Type: t}
	}
	if len(f.Result) > 0 && string(f.Result) != "null" {
		t, err := m.typeRef(f.Result)
		if err != nil {
			return nil, err
		}
		out.Result = t
	}
	return out, nil
}

var uiPrims = map[string]wit.Kind{
	"bool": wit.Bool, "u8": wit.U8, "u16": wit.U16, "u32": wit.U32, "u64": wit.U64,
	"s8": wit.S8, "s16": wit.S16, "s32": wit.S32, "s64": wit.S64, "f32": wit.F32, "f64": wit.F64,
	"char": wit.Char, "string": wit.String, "error-context": wit.ErrorContext,
}

func (m *uiModel) typeRef(raw json.RawMessage) (*wit.Type, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		k, ok := uiPrims[s]
		if !ok {
			return nil, fmt.Errorf("unknown primitive %q", s)
		}
		return &wit.Type{Kind: k}, nil
	}
	var id int
	if err := json.Unmarshal(raw, &id); err != nil {
		return nil, err
	}
	return m.typeID(id)
}

func (m *uiModel) owner(id int) string {
	o := m.r.Types[id].Owner
	if o == nil || o.Interface == nil {
		return ""
	}
	in := m.r.Interfaces[*o.Interface]
	if in.Name == nil {
		return ""
	}
	return m.ifaceName(*o.Interface)
}

func (m *uiModel) typeID(id int) (*wit.Type, error) {
	if t, ok := m.memo[id]; ok {
		return t, nil
	}
	if m.state[id] {
		return nil, fmt.Errorf("type %d refers to itself", id)
	}
	m.state[id] = true
	t, err := m.typeID1(id)
	if err != nil {
		return nil, err
	}
	m.memo[id] = t
	return t, nil
}

func (m *uiModel) typeID1(id int) (*wit.Type, error) {
	td := m.r.Types[id]
	name, owner := "", ""
	if td.Name != nil {
		name, owner = *td.Name, m.owner(id)
	}
	t := &wit.Type{Name: name, Owner: owner}
	var s string
	if json.Unmarshal(td.Kind, &s) == nil {
		if s != "resource" {
			return nil, fmt.Errorf("type kind %q", s)
		}
		t.Kind = wit.Resource
		return t, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(td.Kind, &obj); err != nil {
		return nil, err
	}
	var err error
	for k, v := range obj {
		switch k {
		case "type":
			var ps string
			if json.Unmarshal(v, &ps) == nil {
				t.Kind = uiPrims[ps]
				return t, nil
			}
			var tid int
			if err := json.Unmarshal(v, &tid); err != nil {
				return nil, err
			}
			target, err := m.typeID(tid)
			if err != nil {
				return nil, err
			}
			tn := m.r.Types[tid].Name
			if name == "" || tn != nil && *tn == name {
				return target, nil
			}
			c := *target
			c.Name, c.Owner = name, owner
			if target.Kind == wit.Resource {
				c.Elem = wit.AliasOf(target) // an alias of a resource names it
			}
			return &c, nil
		case "record":
			var r struct {
				Fields []struct {
					Name string          `json:"name"`
					Type json.RawMessage `json:"type"`
					Docs uiDocs          `json:"docs"`
				} `json:"fields"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, err
			}
			t.Kind = wit.Record
			t.Fields = make([]wit.Field, len(r.Fields))
			for i, f := range r.Fields {
				t.Fields[i] = wit.Field{Name: f.Name, Docs: f.Docs.Contents}
				if t.Fields[i].Type, err = m.typeRef(f.Type); err != nil {
					return nil, err
				}
			}
		case "variant":
			var r struct {
				Cases []struct {
					Name string          `json:"name"`
					Type json.RawMessage `json:"type"`
					Docs uiDocs          `json:"docs"`
				} `json:"cases"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, err
			}
			t.Kind = wit.Variant
			t.Cases = make([]wit.Case, len(r.Cases))
			for i, c := range r.Cases {
				t.Cases[i] = wit.Case{Name: c.Name, Docs: c.Docs.Contents}
				if t.Cases[i].Type, err = m.typeRef(c.Type); err != nil {
					return nil, err
				}
			}
		case "enum", "flags":
			var r struct {
				Cases []struct {
					Name string `json:"name"`
				} `json:"cases"`
				Flags []struct {
					Name string `json:"name"`
				} `json:"flags"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, err
			}
			t.Kind = wit.Enum
			list := r.Cases
			if k == "flags" {
				t.Kind, list = wit.Flags, r.Flags
			}
			t.Labels = make([]string, len(list))
			for i, c := range list {
				t.Labels[i] = c.Name
			}
		case "tuple":
			var r struct {
				Types []json.RawMessage `json:"types"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, err
			}
			t.Kind = wit.Tuple
			t.Elems = make([]*wit.Type, len(r.Types))
			for i, e := range r.Types {
				if t.Elems[i], err = m.typeRef(e); err != nil {
					return nil, err
				}
			}
		case "list", "option", "future", "stream":
			t.Kind = map[string]wit.Kind{"list": wit.List, "option": wit.Option, "future": wit.Future, "stream": wit.Stream}[k]
			if t.Elem, err = m.typeRef(v); err != nil {
				return nil, err
			}
		case "fixed-length-list", "fixed-size-list":
			var pair [2]json.RawMessage
			if err := json.Unmarshal(v, &pair); err != nil {
				return nil, err
			}
			t.Kind = wit.List
			if t.Elem, err = m.typeRef(pair[0]); err != nil {
				return nil, err
			}
			if err := json.Unmarshal(pair[1], &t.Len); err != nil {
				return nil, err
			}
		case "map":
			var pair [2]json.RawMessage
			if err := json.Unmarshal(v, &pair); err != nil {
				return nil, err
			}
			// As the world model represents it: a map of tuple<K, V>.
			tup := &wit.Type{Kind: wit.Tuple, Elems: make([]*wit.Type, 2)}
			for i := range pair {
				if tup.Elems[i], err = m.typeRef(pair[i]); err != nil {
					return nil, err
				}
			}
			t.Kind, t.Elem = wit.Map, tup
		case "result":
			var r struct {
				Ok  json.RawMessage `json:"ok"`
				Err json.RawMessage `json:"err"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, err
			}
			t.Kind = wit.Result
			if t.Ok, err = m.typeRef(r.Ok); err != nil {
				return nil, err
			}
			if t.Err, err = m.typeRef(r.Err); err != nil {
				return nil, err
			}
		case "handle":
			var r struct {
				Own    *int `json:"own"`
				Borrow *int `json:"borrow"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, err
			}
			t.Kind, id = wit.Own, 0
			if r.Own != nil {
				id = *r.Own
			} else if r.Borrow != nil {
				t.Kind, id = wit.Borrow, *r.Borrow
			}
			if t.Elem, err = m.typeID(id); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("type kind %q", k)
		}
	}
	return t, nil
}
