// Package ocicli is the command line of wfcompat-oci, the helper that
// fetches oci:// sources and downloads https:// ones for wfcompat
// (protocol: source.HelperProtocol).
// Main returns the exit status; only the command's main exits.
package ocicli
