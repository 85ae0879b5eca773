package wasi

import (
	"context"
	"fmt"

	"github.com/wfcompat/wfcompat/wit/value"
)

// http implements wasi:http types and outgoing-handler without network.
func (h *Host) http() {
	ty := h.iface("wasi:http/types", "fields", "incoming-request", "outgoing-request", "request-options",
		"response-outparam", "incoming-response", "incoming-body", "future-trailers", "outgoing-response",
		"outgoing-body", "future-incoming-response")
	h.use(ty, "wasi:http/types", "fields")
	ty.Resources["headers"] = ty.Resources["fields"]
	ty.Resources["trailers"] = ty.Resources["fields"]
	h.use(ty, "wasi:io/streams", "input-stream")
	h.use(ty, "wasi:io/streams", "output-stream")
	h.use(ty, "wasi:io/poll", "pollable")
	h.use(ty, "wasi:io/error", "error")

	newFields := func(entries [][2]string) value.Value { return value.Own(h.add(&fields{entries: entries})) }
	ty.Funcs["[constructor]fields"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(newFields(nil)), nil
	}
	ty.Funcs["[static]fields.from-list"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		var es [][2]string
		for _, e := range args[0].Elems() {
			es = append(es, [2]string{e.Index(0).Text(), string(valueBytes(e.Index(1)))})
		}
		return one(value.Ok(newFields(es))), nil
	}
	entryList := func(es [][2]string) value.Value {
		vs := make([]value.Value, len(es))
		for i, e := range es {
			vs[i] = value.Tuple(value.String(e[0]), bytesValue([]byte(e[1])))
		}
		return value.List(vs...)
	}
	ty.Funcs["[method]fields.entries"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		f, err := get[*fields](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		return one(entryList(f.entries)), nil
	}
	ty.Funcs["[method]fields.get"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		f, err := get[*fields](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		var vs []value.Value
		for _, e := range f.entries {
			if e[0] == args[1].Text() {
				vs = append(vs, bytesValue([]byte(e[1])))
			}
		}
		return one(value.List(vs...)), nil
	}
	ty.Funcs["[method]fields.has"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		f, err := get[*fields](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		for _, e := range f.entries {
			if e[0] == args[1].Text() {
				return one(value.Bool(true)), nil
			}
		}
		return one(value.Bool(false)), nil
	}
	ty.Funcs["[method]fields.append"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		f, err := get[*fields](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		f.entries = append(f.entries, [2]string{args[1].Text(), string(valueBytes(args[2]))})
		return one(value.Ok()), nil
	}
	ty.Funcs["[method]fields.clone"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		f, err := get[*fields](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		return one(newFields(append([][2]string(nil), f.entries...))), nil
	}

	// Outgoing requests: recorded, never sent.
	ty.Funcs["[constructor]outgoing-request"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&outRequest{headers: args[0].Handle()}))), nil
	}
	okUnit := func(context.Context, *call, []value.Value) ([]value.Value, error) { return one(value.Ok()), nil }
	for _, m := range []string{"set-method", "set-path-with-query", "set-scheme", "set-authority"} {
		ty.Funcs["[method]outgoing-request."+m] = okUnit
	}
	ty.Funcs["[method]outgoing-request.headers"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		return one(newFields(nil)), nil
	}
	ty.Funcs["[method]outgoing-request.body"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		r, err := get[*outRequest](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if r.taken {
			return one(value.Err()), nil
		}
		r.taken = true
		return one(value.Ok(value.Own(h.add(&outBody{})))), nil
	}
	ty.Funcs["[method]outgoing-body.write"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		b, err := get[*outBody](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if b.taken {
			return one(value.Err()), nil
		}
		b.taken = true
		return one(value.Ok(value.Own(h.add(&outStream{w: func([]byte) {}})))), nil
	}
	ty.Funcs["[static]outgoing-body.finish"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		delete(h.objs, args[0].Handle())
		return one(value.Ok()), nil
	}
	ty.Funcs["[constructor]request-options"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&reqOptions{}))), nil
	}
	for _, m := range []string{"set-connect-timeout", "set-first-byte-timeout", "set-between-bytes-timeout"} {
		ty.Funcs["[method]request-options."+m] = okUnit
	}
	for _, m := range []string{"connect-timeout", "first-byte-timeout", "between-bytes-timeout"} {
		ty.Funcs["[method]request-options."+m] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
			return one(value.None()), nil
		}
	}

	// Responses, answered locally.
	ty.Funcs["[method]future-incoming-response.subscribe"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.Own(h.add(&pollable{}))), nil
	}
	ty.Funcs["[method]future-incoming-response.get"] = func(_ context.Context, c *call, args []value.Value) ([]value.Value, error) {
		f, err := get[*futureResp](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if f.taken {
			return one(value.Some(value.Err())), nil
		}
		f.taken = true
		return one(value.Some(value.Ok(value.Ok(value.Own(f.resp))))), nil
	}
	ty.Funcs["[method]incoming-response.status"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		r, err := get[*inResponse](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		return one(value.U16(r.status)), nil
	}
	ty.Funcs["[method]incoming-response.headers"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		if _, err := get[*inResponse](h, args[0].Handle()); err != nil {
			return nil, err
		}
		return one(newFields(nil)), nil
	}
	ty.Funcs["[method]incoming-response.consume"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		r, err := get[*inResponse](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if r.consumed {
			return one(value.Err()), nil
		}
		r.consumed = true
		return one(value.Ok(value.Own(h.add(&inBody{data: r.body})))), nil
	}
	ty.Funcs["[method]incoming-body.stream"] = func(_ context.Context, _ *call, args []value.Value) ([]value.Value, error) {
		b, err := get[*inBody](h, args[0].Handle())
		if err != nil {
			return nil, err
		}
		if b.taken {
			return one(value.Err()), nil
		}
		b.taken = true
		return one(value.Ok(value.Own(h.add(&inStream{data: b.data})))), nil
	}
	ty.Funcs["http-error-code"] = func(context.Context, *call, []value.Value) ([]value.Value, error) {
		return one(value.None()), nil
	}

	out := h.iface("wasi:http/outgoing-handler")
	h.use(out, "wasi:http/types", "outgoing-request")
	out.Funcs["handle"] = func(_ context.Context, c *call, args []value.Value) ([]value.Value, error) {
		delete(h.objs, args[0].Handle())
		if len(args) > 1 {
			if o, ok := args[1].Payload(); ok {
				delete(h.objs, o.Handle())
			}
		}
		if h.cfg.HTTP == nil {
			if c.Type.Result == nil {
				return nil, fmt.Errorf("wasi:http/outgoing-handler#handle: unexpected signature")
			}
			i, err := caseOf(c.Type.Result.Err, "HTTP-request-denied")
			return one(value.Err(value.Variant(i))), err
		}
		resp := h.add(&inResponse{status: h.cfg.HTTP.Status, body: h.cfg.HTTP.Body})
		return one(value.Ok(value.Own(h.add(&futureResp{resp: resp})))), nil
	}
}
