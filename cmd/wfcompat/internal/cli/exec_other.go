//go:build lean && !unix

package cli

// execFull runs wfcompat-full as a child process (Windows has no exec(2))
// and returns its exit status (runChild).
func execFull(io *IO, path string, argv, env []string) error {
	return runChild(io, path, argv, env)
}
