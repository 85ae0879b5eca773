package callbacks

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"github.com/wfcompat/wfcompat/analyze/core"
)

// fingerprint hashes function fn so that the same source function can be
// recognized in another build: the body's bytes, with every type index
// replaced by the signature it names and every function index by the
// callee's import name or, for a defined callee, the callee's own
// fingerprint one level down (where callees count by signature only),
// since both index spaces shift between releases. Local, global, memory,
// data and element indices and constants are kept. Looking one level into
// callees tells apart thunks that differ only in what they call, such as
// the wallet's two reply handlers.
func (z *analyzer) fingerprint(fn uint32) string { return z.fingerprintAt(fn, 0) }

func (z *analyzer) fingerprintAt(fn uint32, depth int) string {
	key := fn
	if depth > 0 {
		key |= 1 << 31 // function indices below 2^31 in any decodable module
	}
	if fp, ok := z.fps[key]; ok {
		return fp
	}
	h := sha256.New()
	h.Write([]byte(z.typeString(fn)))
	if code := z.m.FuncCode(fn); code == nil {
		if im := z.m.FuncImport(fn); im != nil {
			h.Write([]byte("import " + im.Module + "." + im.Name))
		}
	} else {
		z.hashBody(h, code, depth)
	}
	fp := "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
	z.fps[key] = fp
	return fp
}

func (z *analyzer) hashBody(h hash.Hash, code *core.Code, depth int) {
	body := code.Body
	base := code.Start
	h.Write(body[:code.InstrOff-base]) // local declarations
	last := code.InstrOff
	var tmp [5]byte
	var rd core.InstrReader // not z.r: callees are hashed from inside the loop
	r := &rd
	r.ResetCode(code)
	for r.Next() {
		switch r.Op() {
		case core.OpCall, core.OpReturnCall, core.OpRefFunc, core.OpCallIndirect, core.OpReturnCallIndirect,
			core.OpBlock, core.OpLoop, core.OpIf:
		default:
			continue
		}
		in := r.Current()
		var token string
		switch in.Op {
		case core.OpCall, core.OpReturnCall, core.OpRefFunc:
			if im := z.m.FuncImport(in.Index); im != nil && in.Index < z.nimp {
				token = "import " + im.Module + "." + im.Name
			} else if depth == 0 && in.Op != core.OpRefFunc && z.m.FuncCode(in.Index) != nil {
				token = "func " + z.fingerprintAt(in.Index, 1)
			} else {
				token = "func " + z.typeString(in.Index)
			}
		case core.OpCallIndirect, core.OpReturnCallIndirect:
			token = "type " + z.typeName(in.Index)
			binary.LittleEndian.PutUint32(tmp[:4], in.Index2)
			token += string(tmp[:4])
		case core.OpBlock, core.OpLoop, core.OpIf:
			x, ok := in.Block.TypeIndex()
			if !ok {
				continue
			}
			token = "block " + z.typeName(x)
		default:
			continue
		}
		h.Write(body[last-base : in.Off-base])
		tmp[0] = byte(in.Op)
		h.Write(tmp[:1])
		h.Write([]byte(token))
		last = r.Offset()
	}
	if r.Err() == nil {
		h.Write(body[last-base:])
	}
}

func (z *analyzer) typeName(x uint32) string {
	if int(x) < len(z.m.Types) {
		return z.m.Types[x].String()
	}
	return "?"
}
