package wasi

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/wfcompat/wfcompat/runner/component"
	"github.com/wfcompat/wfcompat/wit"
	"github.com/wfcompat/wfcompat/wit/value"
)

// Version is the WASI version the host implements; it satisfies guest
// imports of any 0.2.x up to it.
const Version = "0.2.3"

// DefaultClock is the virtual clock's start when none is configured.
var DefaultClock = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// MonotonicStart is the monotonic clock's reading at the start: not zero,
// since some guests (Go's runtime) refuse a clock that reads zero.
const MonotonicStart = time.Second

// HTTPResponse is the local answer to every outgoing HTTP request.
type HTTPResponse struct {
	Status uint16
	Body   []byte
}

// Config configures the host.
type Config struct {
	// Env is the environment the guest sees, in order.
	Env [][2]string
	// Args are the arguments the guest sees.
	Args []string
	// Clock is the virtual clock's start (DefaultClock when zero).
	Clock time.Time
	// Seed seeds wasi:random.
	Seed uint64
	// Stdout and Stderr receive what the guest writes (discarded when nil).
	Stdout, Stderr io.Writer
	// HTTP answers outgoing requests; nil denies them all.
	HTTP *HTTPResponse
}

// Host is the WASI host of one component instance.
type Host struct {
	cfg     Config
	rng     *rand.Rand
	insec   *rand.Rand
	elapsed time.Duration // virtual time since the start
	objs    map[uint32]any
	next    uint32
	ifaces  map[string]*component.HostInstance
	res     map[string]*component.Resource // by "iface/name"
}

// New returns a host.
func New(cfg Config) *Host {
	if cfg.Clock.IsZero() {
		cfg.Clock = DefaultClock
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	var seed [32]byte
	for i := 0; i < 8; i++ {
		seed[i] = byte(cfg.Seed >> (8 * i))
	}
	iseed := seed
	iseed[31] = 1
	h := &Host{cfg: cfg, rng: rand.New(rand.NewChaCha8(seed)), insec: rand.New(rand.NewChaCha8(iseed)),
		objs: map[uint32]any{}, next: 1, ifaces: map[string]*component.HostInstance{}, res: map[string]*component.Resource{}}
	h.register()
	return h
}

// Now returns the virtual wall-clock time.
func (h *Host) Now() time.Time { return h.cfg.Clock.Add(h.elapsed) }

// Instance implements component.Host: name is served when the host has
// the interface at a version that satisfies the import's.
func (h *Host) Instance(name string) *component.HostInstance {
	q := wit.ParseQName(name)
	hi := h.ifaces[q.Unversioned()]
	if hi == nil {
		return nil
	}
	if q.Version != "" && !wit.SemverCompatible(Version, q.Version) {
		return nil
	}
	return hi
}

// Func implements component.Host: the host has no world-level functions.
func (h *Host) Func(string) component.HostFunc { return nil }

// Interfaces lists the interfaces the host provides, without version.
func (h *Host) Interfaces() []string {
	out := make([]string, 0, len(h.ifaces))
	for n := range h.ifaces {
		out = append(out, n)
	}
	return out
}

// add stores a host object and returns its representation.
func (h *Host) add(o any) uint32 {
	r := h.next
	h.next++
	h.objs[r] = o
	return r
}

func get[T any](h *Host, rep uint32) (T, error) {
	o, ok := h.objs[rep].(T)
	if !ok {
		var z T
		return z, fmt.Errorf("wasi host: no %T with representation %d", z, rep)
	}
	return o, nil
}

func (h *Host) drop(_ context.Context, rep uint32) error {
	delete(h.objs, rep)
	return nil
}

// iface declares an interface with its resources.
func (h *Host) iface(name string, resources ...string) *component.HostInstance {
	hi := &component.HostInstance{Name: name + "@" + Version, Funcs: map[string]component.HostFunc{}, Resources: map[string]*component.Resource{}}
	for _, r := range resources {
		hi.Resources[r] = h.resource(name, r)
	}
	h.ifaces[name] = hi
	return hi
}

// resource returns the resource type name of interface iface (one type per
// interface, shared by the interfaces that use it).
func (h *Host) resource(iface, name string) *component.Resource {
	k := iface + "/" + name
	r := h.res[k]
	if r == nil {
		r = component.NewResource(name, h.drop)
		h.res[k] = r
	}
	return r
}

// use makes interface hi export the resource of another interface (a WIT
// `use`), so that the same handles flow between them.
func (h *Host) use(hi *component.HostInstance, from, name string) {
	hi.Resources[name] = h.resource(from, name)
}

// Value helpers.

func none() []value.Value { return nil }

func one(v value.Value) []value.Value { return []value.Value{v} }

func caseOf(t *wit.Type, name string) (int, error) {
	for t != nil && t.Kind == wit.Option {
		t = t.Elem
	}
	if t == nil {
		return 0, fmt.Errorf("wasi host: no type to find case %q in", name)
	}
	switch t.Kind {
	case wit.Variant:
		for i, c := range t.Cases {
			if c.Name == name {
				return i, nil
			}
		}
	case wit.Enum:
		for i, c := range t.Labels {
			if c == name {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("wasi host: type %s has no case %q", t.WIT(), name)
}

func bytesValue(b []byte) value.Value {
	vs := make([]value.Value, len(b))
	for i, c := range b {
		vs[i] = value.U8(c)
	}
	return value.List(vs...)
}

func valueBytes(v value.Value) []byte {
	es := v.Elems()
	b := make([]byte, len(es))
	for i, e := range es {
		b[i] = byte(e.Uint())
	}
	return b
}
