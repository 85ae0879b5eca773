package witparse

// arenaChunk is the size of the chunks the texts of the files of a load
// are read into (readText): about twice the WIT of a world with all of
// WASI 0.2's packages under deps/, as `wasm-tools component wit` prints
// them.
const arenaChunk = 12 << 10

// stackReserve is the stack that growStack makes sure of: parsing and
// resolving a WIT directory recurses (interfaces using interfaces, types
// in types) about 5 KB deep for the WASI packages.
const stackReserve = 4 << 10

// growStack grows the calling goroutine's stack by stackReserve bytes at
// once, while it is shallow. A goroutine starts with 2 KB of stack and
// doubles it whenever it runs out, copying its frames (and looking up
// each function's stack layout) every time; without this, the copies
// happen deep in the resolver, with many frames to move, in every fresh
// process that reads WIT. When the stack is already large enough, it
// costs clearing stackReserve bytes.
//
//go:noinline
func growStack(i int) byte {
	var buf [stackReserve]byte
	buf[i&(stackReserve-1)] = 1
	return buf[(i+1)&(stackReserve-1)]
}
