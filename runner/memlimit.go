package runner

import (
	"github.com/tetratelabs/wazero/experimental"
)

// memLimit enforces the memory limit (Options.MaxMemory) of an instance's
// linear memories and remembers when it refused a grow, so that a trap
// that follows is known to be the sandbox's doing (TrapMemoryLimit).
//
// wazero's own limit (RuntimeConfig.WithMemoryLimitPages) lowers each
// memory's maximum to the limit, and memory.grow past it returns -1 with
// no trace: a refused grow would look like the program's own. So the
// runtimes run without a limit (wasm's 65536 pages) and every memory of an
// instance is allocated by its memLimit, installed with
// experimental.WithMemoryAllocator when the instance is instantiated.
// wazero calls Reallocate only for a grow that the memory's declared
// maximum allows: one refused here is refused by the limit alone.
//
// Not safe for concurrent use: the guest code of an instance runs on one
// goroutine at a time (shared memories need the threads feature, which the
// runner does not enable).
type memLimit struct {
	limit uint64 // bytes
	// refused is set when a grow was refused; the next invocation clears
	// it when it starts.
	refused bool
}

// Allocate implements experimental.MemoryAllocator.
func (m *memLimit) Allocate(capBytes, _ uint64) experimental.LinearMemory {
	return &limitedMemory{m: m, first: true, capBytes: capBytes}
}

// limitedMemory is one linear memory's buffer.
type limitedMemory struct {
	m        *memLimit
	buf      []byte
	first    bool
	capBytes uint64
}

// Reallocate implements experimental.LinearMemory: the buffer grows to
// size bytes unless that is over the limit.
func (l *limitedMemory) Reallocate(size uint64) []byte {
	if l.first {
		// The initial allocation (wazero demands at least size bytes).
		// An exported memory over the limit never gets here
		// (component.CheckCompiledMemoryLimit); another fails its
		// module's instantiation when it returns
		// (component.CheckMemoryLimit): before then, only its data
		// segments and start function run.
		l.first = false
		l.buf = make([]byte, size, max(size, min(l.capBytes, l.m.limit)))
		return l.buf
	}
	if size > l.m.limit {
		l.m.refused = true
		return nil
	}
	if n := uint64(len(l.buf)); size > n {
		// The bytes past len are zero: the memory never shrinks, so no
		// one wrote them.
		l.buf = append(l.buf, make([]byte, size-n)...)
	}
	return l.buf
}

// Free implements experimental.LinearMemory.
func (l *limitedMemory) Free() { l.buf = nil }
