package rewrite

import "github.com/wfcompat/wfcompat/analyze/wasmbin"

// The encoder's LEB128 and name writers are wasmbin's; these short names
// keep the emit code readable.

func appendU32(b []byte, v uint32) []byte { return wasmbin.AppendU32(b, v) }
func appendU64(b []byte, v uint64) []byte { return wasmbin.AppendU64(b, v) }
func appendS64(b []byte, v int64) []byte  { return wasmbin.AppendS64(b, v) }
func sizeU32(v uint32) int                { return wasmbin.SizeU32(v) }
func appendName(b []byte, s string) []byte {
	return wasmbin.AppendName(b, s)
}
