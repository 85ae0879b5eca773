// Package buildinfo says which build of wfcompat is running: the module
// version and the VCS revision the Go toolchain stamped into the binary
// (runtime/debug.ReadBuildInfo). It reads, never writes, and has no state.
package buildinfo
